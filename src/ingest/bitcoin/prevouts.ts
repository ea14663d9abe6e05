/**
 * Spent outputs ("prevouts") that a raw block does not carry: their value and script, keyed by outpoint.
 * Loaded from a CSV with the header `prev_txid,prev_vout,height,is_coinbase,value_sats,script_pubkey_hex`
 * (the format of shared/data/bitcoin/block413567-prevouts.csv), or built in code from any other source
 * (getblock verbosity-3 JSON builds one per transaction).
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { AriadneError, invalidInput } from '../../errors.js';
import { parseAmount } from '../../model/amount.js';
import { MAX_MONEY_SATS } from './btc-amount.js';

export interface Prevout {
  /** Satoshi. */
  value: bigint;
  scriptPubKey: Uint8Array;
  /** Height of the block that created the output, when known. */
  height?: number;
  coinbase?: boolean;
}

/** Lookup by outpoint; `txid` is the display (big-endian) hex of the spent transaction, lower case. */
export interface PrevoutLookup {
  get(txid: string, vout: number): Prevout | undefined;
  readonly size: number;
}

const outpointKey = (txid: string, vout: number): string => `${txid.toLowerCase()}:${vout}`;

/** An in-memory lookup; `add` refuses a second, different entry for one outpoint. */
export class PrevoutMap implements PrevoutLookup {
  private readonly map = new Map<string, Prevout>();

  get size(): number {
    return this.map.size;
  }

  get(txid: string, vout: number): Prevout | undefined {
    return this.map.get(outpointKey(txid, vout));
  }

  add(txid: string, vout: number, prevout: Prevout): void {
    const key = outpointKey(txid, vout);
    const existing = this.map.get(key);
    if (existing && (existing.value !== prevout.value || Buffer.compare(existing.scriptPubKey, prevout.scriptPubKey) !== 0)) {
      throw invalidInput(`outpoint ${key} is listed twice with different value or script`);
    }
    this.map.set(key, prevout);
  }
}

const COLUMNS = ['prev_txid', 'prev_vout', 'height', 'is_coinbase', 'value_sats', 'script_pubkey_hex'] as const;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/**
 * Reads a prevouts CSV into a lookup (the whole file is held in memory: one entry per spent output).
 * Throws INVALID_INPUT naming the file and line of the first bad row; a missing file is INVALID_INPUT too.
 */
export async function loadPrevoutsCsv(path: string): Promise<PrevoutLookup> {
  const lookup = new PrevoutMap();
  const parser = createReadStream(path).pipe(parse({ columns: false, skip_empty_lines: true, trim: true, info: true }));
  let line = 0;
  let rows = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      line = info.lines;
      rows++;
      if (rows === 1) {
        if (record.join(',') !== COLUMNS.join(',')) {
          throw invalidInput(`expected the header ${COLUMNS.join(',')}, got ${record.join(',').slice(0, 200)}`, { file: path, line });
        }
        continue;
      }
      const [txid, vout, height, coinbase, value, script] = record as [string, string, string, string, string, string];
      const where = { file: path, line };
      if (!/^[0-9a-fA-F]{64}$/.test(txid)) throw invalidInput(`prev_txid must be 64 hex digits, got ${JSON.stringify(txid)}`, where);
      if (!/^[0-9]{1,10}$/.test(vout) || Number(vout) > 0xffffffff) throw invalidInput(`prev_vout must be an integer in [0, 2^32), got ${JSON.stringify(vout)}`, where);
      if (!/^[0-9]{1,10}$/.test(height)) throw invalidInput(`height must be a non-negative integer, got ${JSON.stringify(height)}`, where);
      if (!['0', '1', 'true', 'false'].includes(coinbase)) throw invalidInput(`is_coinbase must be 0, 1, true or false, got ${JSON.stringify(coinbase)}`, where);
      if (!HEX.test(script)) throw invalidInput(`script_pubkey_hex must be hex with an even number of digits, got ${JSON.stringify(script.slice(0, 80))}`, where);
      let sats: bigint;
      try {
        sats = parseAmount(value, 'value_sats');
      } catch (err) {
        throw err instanceof AriadneError ? err.withContext(where) : err;
      }
      if (sats > MAX_MONEY_SATS) throw invalidInput(`value_sats ${value} is more than the 21,000,000 BTC supply`, where);
      try {
        lookup.add(txid, Number(vout), {
          value: sats,
          scriptPubKey: new Uint8Array(Buffer.from(script, 'hex')),
          height: Number(height),
          coinbase: coinbase === '1' || coinbase === 'true',
        });
      } catch (err) {
        throw err instanceof AriadneError ? err.withContext(where) : err;
      }
    }
  } catch (err) {
    if (err instanceof AriadneError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw invalidInput(`cannot read prevouts CSV: ${reason}`, { file: path, line: line + 1 });
  }
  if (rows === 0) throw invalidInput(`prevouts CSV is empty: expected the header ${COLUMNS.join(',')}`, { file: path });
  return lookup;
}
