/**
 * Real data: Bitcoin block 413,567 with its prevouts (shared/data/bitcoin). The block is ingested by the
 * Bitcoin adapter into the embedded store and clustered by ClusterIndex; the result is compared with an
 * independent implementation written here, which reads the raw block bytes and the prevouts CSV itself
 * (own varint and transaction parser, own CoinJoin rule, own union-find) and uses the spent script as the
 * address stand-in.
 *
 * The one place where the stand-in needs the address model's semantics: scripts that have no address (bare
 * multisig, OP_RETURN, non-standard) are "unknown address" inputs, and a P2PK script stands for the P2PKH
 * script of its key (the adapter gives P2PK outputs the P2PKH address of the key, as block explorers do).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressId } from '../../model/address.js';
import type { GraphStore } from '../../store/graph-store.js';
import { openEmbeddedStore } from '../../store/embedded/embedded-store.js';
import { loadPrevoutsCsv, readBitcoinFile } from '../../ingest/bitcoin/index.js';
import { ClusterIndex } from './cluster-index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const RAW = path.resolve(repoRoot, '../shared/data/bitcoin/block413567.raw');
const CSV = path.resolve(repoRoot, '../shared/data/bitcoin/block413567-prevouts.csv');

// ------------------------------------------------------------------ independent implementation

interface RawTx {
  txid: string;
  coinbase: boolean;
  ins: { prevTxid: string; vout: number }[];
  outs: { value: bigint; script: string }[];
}

const sha256d = (b: Buffer): Buffer => createHash('sha256').update(createHash('sha256').update(b).digest()).digest();

function parseRawBlock(buf: Buffer): RawTx[] {
  let p = 80; // header
  const varint = (): number => {
    const first = buf[p++]!;
    if (first < 0xfd) return first;
    if (first === 0xfd) return (p += 2), buf.readUInt16LE(p - 2);
    if (first === 0xfe) return (p += 4), buf.readUInt32LE(p - 4);
    return (p += 8), Number(buf.readBigUInt64LE(p - 8));
  };
  const count = varint();
  const txs: RawTx[] = [];
  for (let t = 0; t < count; t++) {
    const start = p;
    p += 4; // version
    const segwit = buf[p] === 0 && buf[p + 1] === 1;
    if (segwit) p += 2;
    const nIn = varint();
    const ins: RawTx['ins'] = [];
    let coinbase = false;
    for (let i = 0; i < nIn; i++) {
      const hash = Buffer.from(buf.subarray(p, p + 32));
      p += 32;
      const vout = buf.readUInt32LE(p);
      p += 4;
      const scriptLen = varint(); // scriptSig (read the length first: `p += varint()` would add to the old p)
      p += scriptLen;
      p += 4; // sequence
      if (hash.every((b) => b === 0) && vout === 0xffffffff) coinbase = true;
      ins.push({ prevTxid: hash.reverse().toString('hex'), vout });
    }
    const nOut = varint();
    const outs: RawTx['outs'] = [];
    for (let o = 0; o < nOut; o++) {
      const value = buf.readBigUInt64LE(p);
      p += 8;
      const len = varint();
      outs.push({ value, script: buf.subarray(p, p + len).toString('hex') });
      p += len;
    }
    const witnessAt = p;
    if (segwit) {
      for (let i = 0; i < nIn; i++) {
        const items = varint();
        for (let k = 0; k < items; k++) {
          const len = varint();
          p += len;
        }
      }
    }
    p += 4; // locktime
    // txid: the serialization without marker, flag and witnesses.
    const stripped = segwit
      ? Buffer.concat([buf.subarray(start, start + 4), buf.subarray(start + 6, witnessAt), buf.subarray(p - 4, p)])
      : buf.subarray(start, p);
    txs.push({ txid: Buffer.from(sha256d(stripped)).reverse().toString('hex'), coinbase, ins, outs });
  }
  expect(p).toBe(buf.length);
  return txs;
}

function readPrevoutScripts(file: string): Map<string, string> {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  expect(lines[0]).toBe('prev_txid,prev_vout,height,is_coinbase,value_sats,script_pubkey_hex');
  const map = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const [txid, vout, , , , script] = line.split(',');
    map.set(`${txid}:${vout}`, script!);
  }
  return map;
}

/** The address stand-in of a script: the script itself, P2PK as its key's P2PKH script, null if no address. */
function addressKey(script: string): string | null {
  if (/^76a914[0-9a-f]{40}88ac$/.test(script)) return script; // p2pkh
  if (/^a914[0-9a-f]{40}87$/.test(script)) return script; // p2sh
  if (/^0014[0-9a-f]{40}$/.test(script) || /^0020[0-9a-f]{64}$/.test(script) || /^5120[0-9a-f]{64}$/.test(script)) return script;
  const pk = /^21(0[23][0-9a-f]{64})ac$/.exec(script) ?? /^41(04[0-9a-f]{128})ac$/.exec(script);
  if (pk) {
    const h160 = createHash('ripemd160').update(createHash('sha256').update(Buffer.from(pk[1]!, 'hex')).digest()).digest('hex');
    return `76a914${h160}88ac`;
  }
  return null;
}

function isCoinJoinIndependent(inputKeys: (string | null)[], outValues: bigint[]): boolean {
  const n = inputKeys.length;
  const m = outValues.length;
  if (n < 2 || m < 3) return false;
  const participants = Math.floor((m + 1) / 2);
  if (participants > n) return false;
  const distinct = new Set(inputKeys.filter((k) => k !== null)).size + inputKeys.filter((k) => k === null).length;
  if (participants > distinct) return false;
  const counts = new Map<bigint, number>();
  for (const v of outValues) counts.set(v, (counts.get(v) ?? 0) + 1);
  const best = Math.max(...counts.values());
  const value = [...counts.entries()].filter(([, c]) => c === best).map(([v]) => v).sort((a, b) => (a > b ? -1 : 1))[0]!;
  return best === participants && value !== 546n && value !== 2730n;
}

function independentClusters(txs: RawTx[], scripts: Map<string, string>) {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    while (x !== r) {
      const next = parent.get(x)!;
      parent.set(x, r);
      x = next;
    }
    return r;
  };
  const coinjoins: string[] = [];
  let multiInput = 0;
  for (const tx of txs) {
    if (tx.coinbase) continue;
    if (tx.ins.length >= 2) multiInput++;
    const keys = tx.ins.map((i) => {
      const script = scripts.get(`${i.prevTxid}:${i.vout}`);
      expect(script, `prevout ${i.prevTxid}:${i.vout} missing from the CSV`).toBeDefined();
      return addressKey(script!);
    });
    for (const k of keys) if (k !== null && !parent.has(k)) parent.set(k, k);
    if (isCoinJoinIndependent(keys, tx.outs.map((o) => o.value))) {
      coinjoins.push(tx.txid);
      continue;
    }
    const known = keys.filter((k): k is string => k !== null);
    for (const k of known.slice(1)) {
      const a = find(known[0]!);
      const b = find(k);
      if (a !== b) parent.set(b, a);
    }
  }
  const sizes = new Map<string, number>();
  for (const k of parent.keys()) sizes.set(find(k), (sizes.get(find(k)) ?? 0) + 1);
  return {
    inputAddresses: parent.size,
    inputClusters: sizes.size,
    multiSizes: [...sizes.values()].filter((s) => s >= 2).sort((a, b) => b - a),
    coinjoins: coinjoins.sort(),
    multiInput,
    txCount: txs.length,
  };
}

// ------------------------------------------------------------------ the test

describe('clustering block 413,567 (real data)', () => {
  let store: GraphStore;
  let index: ClusterIndex;
  let inputAddresses: AddressId[];

  beforeAll(async () => {
    store = await openEmbeddedStore({ dir: ':memory:' });
    const prevouts = await loadPrevoutsCsv(CSV);
    for await (const item of readBitcoinFile(RAW, { prevouts })) {
      if ('total' in item) continue;
      if (!item.ok) throw item.error;
      await store.writeBlock(item.block);
    }
    const ids = await store.findTransactionsByHeight('btc', 0, 10_000_000);
    index = await ClusterIndex.build(store, ids);
    const txs = await store.getTransactions(ids);
    inputAddresses = [...new Set([...txs.values()].flatMap((t) => t.inputs.map((i) => i.address).filter((a): a is AddressId => a !== null)))];
  }, 120_000);

  afterAll(async () => {
    await store?.close();
  });

  const expected = independentClusters(parseRawBlock(readFileSync(RAW)), readPrevoutScripts(CSV));

  it('the independent parser agrees with the data README (1,557 transactions, 505 with 2+ inputs)', () => {
    expect(expected.txCount).toBe(1557);
    expect(expected.multiInput).toBe(505);
  });

  it('finds the same clusters of two or more addresses', () => {
    const got = index.clusters({ minSize: 2, limit: 10_000 });
    expect(got.items.map((c) => c.size)).toEqual(expected.multiSizes);
    expect(got.total).toBe(expected.multiSizes.length);
  });

  it('has as many input addresses and as many clusters among them', () => {
    expect(inputAddresses.length).toBe(expected.inputAddresses);
    expect(new Set(inputAddresses.map((a) => index.clusterOf(a)!.id)).size).toBe(expected.inputClusters);
  });

  it('excludes the same CoinJoin transactions', () => {
    expect(index.coinJoinExclusions().map((e) => e.txId.slice(4)).sort()).toEqual(expected.coinjoins);
  });

  it('explains every cluster with size - 1 multi-input edges from transactions of the block', () => {
    for (const c of index.clusters({ minSize: 2, limit: 10_000 }).items) {
      const edges = index.explainCluster(c.id, { limit: 10_000 });
      expect(edges.total).toBe(c.size - 1);
      expect(edges.items.every((e) => e.heuristic === 'multi-input' && e.height === 413_567)).toBe(true);
    }
  });
});
