/**
 * Decodes Bitcoin Core `getblock <hash> 2` and `getblock <hash> 3` JSON into the model's `Block`.
 * Verbosity 3 adds `vin[].prevout` ({ value, scriptPubKey }), which supplies input values and addresses
 * ('prevouts-file'); verbosity 2 has none, so inputs are resolved as for raw blocks (a prevouts lookup, else
 * derivation from the spending data). A bare block object and a JSON-RPC envelope `{ result, error, id }`
 * are both accepted.
 *
 * The transaction bytes are rebuilt from the fields (version, locktime, vin txid/vout/scriptSig.hex/
 * txinwitness/sequence or coinbase, vout value/scriptPubKey.hex) and then checked the way a node would:
 * each rebuilt transaction must hash to its `txid` (and to `hash`, the wtxid), the txids to `merkleroot`, and
 * the header fields to the block `hash`, which must meet its proof-of-work target. So a JSON document that
 * was edited, truncated in a field or mixed from two blocks is refused, not half-read. Where the JSON states
 * an `address` for a script, it must match the one decoded from the script's hex.
 *
 * Amounts: BTC JSON numbers are converted to satoshi exactly from their decimal text (btc-amount.ts).
 * Reference: Bitcoin Core `src/rpc/blockchain.cpp` (blockToJSON, TxVerbosity) and `src/core_write.cpp` (TxToUniv).
 */
import { Transaction as BtcTransaction } from 'bitcoinjs-lib';
import { AriadneError, invalidInput, preview, type ErrorContext } from '../../errors.js';
import type { Block } from '../../model/transaction.js';
import { btcToSatoshi } from './btc-amount.js';
import { convertTransaction } from './convert-transaction.js';
import { checkProofOfWork, hexToBytes, merkleRoot, serializeWithoutWitness } from './decode-raw-block.js';
import { classifyOutputScript } from './output-script.js';
import type { Prevout, PrevoutLookup } from './prevouts.js';
import { equalBytes, hash256, toReversedHex } from './script-patterns.js';

export interface DecodeGetblockOptions {
  /** Values and scripts of spent outputs, for verbosity-2 JSON (verbosity-3 `prevout` fields win). */
  prevouts?: PrevoutLookup;
  /** File name for error messages. */
  file?: string;
  /** Check the header's proof of work (default true). */
  checkProofOfWork?: boolean;
}

type Json = Record<string, unknown>;

const HASH = /^[0-9a-f]{64}$/;

/**
 * Decodes one getblock JSON object (already parsed). Deterministic; throws INVALID_INPUT naming the file,
 * block and field (e.g. `tx[3].vin[0].prevout.value`) and what was expected when the shape or a checksum is wrong.
 */
export function decodeGetblockJson(json: unknown, opts: DecodeGetblockOptions = {}): Block {
  const base: ErrorContext = opts.file === undefined ? {} : { file: opts.file };
  let root = json;
  if (isObject(root) && 'result' in root && !('hash' in root)) {
    if (root.error !== null && root.error !== undefined) throw invalidInput(`JSON-RPC error instead of a block: ${preview(root.error, 200)}`, base);
    root = root.result;
  }
  if (!isObject(root)) throw invalidInput(`expected a getblock JSON object, got ${shapeOf(root)}`, base);
  const hash = hashField(root, 'hash', base);
  const where: ErrorContext = { ...base, block: hash };
  const height = intField(root, 'height', where, 0, 2 ** 31 - 1);
  const time = intField(root, 'time', where, 0, 2 ** 32 - 1);
  const version = intField(root, 'version', where, -(2 ** 31), 2 ** 31 - 1);
  const nonce = intField(root, 'nonce', where, 0, 2 ** 32 - 1);
  const bitsText = root.bits;
  if (typeof bitsText !== 'string' || !/^[0-9a-f]{8}$/.test(bitsText)) throw invalidInput(`field "bits": expected 8 hex digits, got ${preview(bitsText)}`, where);
  const bits = parseInt(bitsText, 16);
  const merkle = hashField(root, 'merkleroot', where);
  const prev = root.previousblockhash === undefined && height === 0 ? '0'.repeat(64) : hashField(root, 'previousblockhash', where);

  // The header fields must hash to the stated block hash.
  const header = Buffer.alloc(80);
  header.writeInt32LE(version, 0);
  Buffer.from(prev, 'hex').reverse().copy(header, 4);
  Buffer.from(merkle, 'hex').reverse().copy(header, 36);
  header.writeUInt32LE(time, 68);
  header.writeUInt32LE(bits, 72);
  header.writeUInt32LE(nonce, 76);
  const headerHash = toReversedHex(hash256(header));
  if (headerHash !== hash) throw invalidInput(`header fields (version, previousblockhash, merkleroot, time, bits, nonce) hash to ${headerHash}, not to the stated hash`, where);
  if (opts.checkProofOfWork !== false) checkProofOfWork(hash, bits, where);

  const txList = root.tx;
  if (!Array.isArray(txList) || txList.length === 0) throw invalidInput(`field "tx": expected a non-empty array of transactions, got ${shapeOf(txList)}`, where);
  if (typeof txList[0] === 'string') {
    throw invalidInput('field "tx" holds only txids (getblock verbosity 1): expected transaction objects, fetch the block with verbosity 2 or 3', where);
  }

  const rebuilt = txList.map((tx, position) => rebuildTransaction(tx, `tx[${position}]`, where));
  const root2 = merkleRoot(rebuilt.map((r) => Buffer.from(r.txid, 'hex').reverse()));
  if (!equalBytes(root2.hash, Buffer.from(merkle, 'hex').reverse())) {
    throw invalidInput(`merkleroot ${merkle} does not match the transactions, which give ${toReversedHex(root2.hash)}`, where);
  }
  if (root2.mutated) throw invalidInput('merkle tree is mutated (duplicated transactions, CVE-2012-2459)', where);

  const transactions = rebuilt.map((r, position) => {
    const tx = convertTransaction(r.tx, r.txid, {
      blockHash: hash,
      height,
      time,
      position,
      where,
      ownPrevouts: r.prevouts,
      ...(opts.prevouts ? { prevouts: opts.prevouts } : {}),
    });
    if (r.fee !== null && !tx.coinbase) {
      if (tx.fee !== null && tx.fee !== r.fee) {
        throw invalidInput(`fee field says ${r.fee} sat but inputs minus outputs is ${tx.fee} sat`, { ...where, tx: r.txid });
      }
      tx.fee = r.fee;
    }
    return tx;
  });
  return { chain: 'btc', height, hash, time, transactions };
}

interface Rebuilt {
  tx: BtcTransaction;
  txid: string;
  prevouts: Map<number, Prevout>;
  fee: bigint | null;
}

function rebuildTransaction(value: unknown, path: string, blockWhere: ErrorContext): Rebuilt {
  if (!isObject(value)) throw invalidInput(`${path}: expected a transaction object, got ${shapeOf(value)}`, blockWhere);
  const txid = hashField(value, 'txid', blockWhere, path);
  const where = { ...blockWhere, tx: txid };
  const tx = new BtcTransaction();
  // Core before v28 printed the version as signed int32, later as uint32; bitcoinjs serializes it unsigned.
  tx.version = intField(value, 'version', where, -(2 ** 31), 2 ** 32 - 1, path);
  if (tx.version < 0) tx.version += 2 ** 32;
  tx.locktime = intField(value, 'locktime', where, 0, 2 ** 32 - 1, path);
  const vin = value.vin;
  const vout = value.vout;
  if (!Array.isArray(vin) || vin.length === 0) throw invalidInput(`${path}.vin: expected a non-empty array, got ${shapeOf(vin)}`, where);
  if (!Array.isArray(vout)) throw invalidInput(`${path}.vout: expected an array, got ${shapeOf(vout)}`, where);

  const prevouts = new Map<number, Prevout>();
  for (const [i, input] of vin.entries()) {
    const p = `${path}.vin[${i}]`;
    if (!isObject(input)) throw invalidInput(`${p}: expected an object, got ${shapeOf(input)}`, where);
    const sequence = intField(input, 'sequence', where, 0, 2 ** 32 - 1, p);
    if (input.coinbase !== undefined) {
      tx.ins.push({ hash: new Uint8Array(32), index: 0xffffffff, sequence, script: hexField(input, 'coinbase', where, p), witness: [] });
    } else {
      const prevTxid = hashField(input, 'txid', where, p);
      const index = intField(input, 'vout', where, 0, 2 ** 32 - 1, p);
      const scriptSig = input.scriptSig;
      if (!isObject(scriptSig)) throw invalidInput(`${p}.scriptSig: expected an object with "hex", got ${shapeOf(scriptSig)}`, where);
      const script = hexField(scriptSig, 'hex', where, `${p}.scriptSig`);
      tx.ins.push({ hash: new Uint8Array(Buffer.from(prevTxid, 'hex').reverse()), index, sequence, script, witness: [] });
      if (input.prevout !== undefined) prevouts.set(i, readPrevout(input.prevout, `${p}.prevout`, where));
    }
    if (input.txinwitness !== undefined) {
      const w = input.txinwitness;
      if (!Array.isArray(w) || !w.every((item) => typeof item === 'string')) {
        throw invalidInput(`${p}.txinwitness: expected an array of hex strings, got ${shapeOf(w)}`, where);
      }
      tx.ins[i]!.witness = w.map((item, k) => hexToBytes(item, { ...where, field: `${p}.txinwitness[${k}]` }));
    }
  }
  for (const [n, output] of vout.entries()) {
    const p = `${path}.vout[${n}]`;
    if (!isObject(output)) throw invalidInput(`${p}: expected an object, got ${shapeOf(output)}`, where);
    if (output.n !== undefined && output.n !== n) throw invalidInput(`${p}.n: expected ${n} (outputs in order), got ${preview(output.n)}`, where);
    const sats = btcToSatoshi(output.value, `${p}.value`, where);
    const spk = output.scriptPubKey;
    if (!isObject(spk)) throw invalidInput(`${p}.scriptPubKey: expected an object with "hex", got ${shapeOf(spk)}`, where);
    const script = hexField(spk, 'hex', where, `${p}.scriptPubKey`);
    checkStatedAddress(spk, script, `${p}.scriptPubKey`, where);
    tx.outs.push({ script, value: sats });
  }

  // (Inputs and outputs were pushed directly: bitcoinjs' addInput/addOutput re-validate every field, slowly.)
  const computed = toReversedHex(hash256(serializeWithoutWitness(tx)));
  if (computed !== txid) throw invalidInput(`${path}: the transaction fields hash to ${computed}, not to the stated txid (edited or incomplete fields)`, where);
  if (value.hash !== undefined) {
    const wtxid = toReversedHex(hash256(tx.toBuffer()));
    if (value.hash !== wtxid) throw invalidInput(`${path}.hash: the fields with their witnesses hash to ${wtxid}, not to ${preview(value.hash)}`, where);
  }
  const fee = value.fee === undefined ? null : btcToSatoshi(value.fee, `${path}.fee`, where);
  return { tx, txid, prevouts, fee };
}

function readPrevout(value: unknown, path: string, where: ErrorContext): Prevout {
  if (!isObject(value)) throw invalidInput(`${path}: expected an object { value, scriptPubKey }, got ${shapeOf(value)}`, where);
  const spk = value.scriptPubKey;
  if (!isObject(spk)) throw invalidInput(`${path}.scriptPubKey: expected an object with "hex", got ${shapeOf(spk)}`, where);
  const script = hexField(spk, 'hex', where, `${path}.scriptPubKey`);
  checkStatedAddress(spk, script, `${path}.scriptPubKey`, where);
  const prevout: Prevout = { value: btcToSatoshi(value.value, `${path}.value`, where), scriptPubKey: script };
  if (typeof value.height === 'number') prevout.height = value.height;
  if (typeof value.generated === 'boolean') prevout.coinbase = value.generated;
  return prevout;
}

/** Core prints `address` for scripts that have one; it must be the address of the script's hex. */
function checkStatedAddress(spk: Json, script: Uint8Array, path: string, where: ErrorContext): void {
  if (spk.address === undefined) return;
  const decoded = classifyOutputScript(script).address;
  if (decoded !== null && decoded !== spk.address) {
    throw invalidInput(`${path}.address: stated ${preview(spk.address)} but the script's hex is the address ${decoded}`, where);
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shapeOf(value: unknown): string {
  if (value === undefined) return 'nothing (field missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return `an object with keys ${preview(Object.keys(value).slice(0, 8))}`;
  return `${typeof value} ${preview(value)}`;
}

function label(path: string | undefined, key: string): string {
  return path === undefined ? `field "${key}"` : `${path}.${key}`;
}

function hashField(obj: Json, key: string, where: ErrorContext, path?: string): string {
  const value = obj[key];
  if (typeof value !== 'string' || !HASH.test(value)) throw invalidInput(`${label(path, key)}: expected 64 lower-case hex digits, got ${shapeOf(value)}`, where);
  return value;
}

function intField(obj: Json, key: string, where: ErrorContext, min: number, max: number, path?: string): number {
  const value = obj[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidInput(`${label(path, key)}: expected an integer in [${min}, ${max}], got ${shapeOf(value)}`, where);
  }
  return value;
}

function hexField(obj: Json, key: string, where: ErrorContext, path?: string): Uint8Array {
  const value = obj[key];
  if (typeof value !== 'string') throw invalidInput(`${label(path, key)}: expected a hex string, got ${shapeOf(value)}`, where);
  try {
    return hexToBytes(value, where);
  } catch (err) {
    if (err instanceof AriadneError) throw invalidInput(`${label(path, key)}: ${err.message}`, where);
    throw err;
  }
}
