import { readFileSync } from 'node:fs';
import { address as btcAddress } from 'bitcoinjs-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Block } from '../../model/transaction.js';
import { validateBlock } from '../../store/validate-block.js';
import { decodeRawBlock } from './decode-raw-block.js';
import { loadPrevoutsCsv, type PrevoutLookup } from './prevouts.js';
import { BLOCK_413567, PREVOUTS_413567, parseBlockRef, readPrevoutsRef, rev, sha256d, type RefBlock, type RefPrevout } from './test-support.js';

// Figures from shared/data/README.md: 1,557 transactions; 4,886 spent outputs (one prevouts row each);
// fees 31,310,238 sat = coinbase outputs - 25 BTC subsidy.
const README_TXS = 1557;
const README_SPENT = 4886;
const README_FEES = 31_310_238n;
const SUBSIDY = 2_500_000_000n;

describe('decodeRawBlock on mainnet block 413,567', () => {
  let raw: Buffer;
  let ref: RefBlock;
  let truth: Map<string, RefPrevout>;
  let prevouts: PrevoutLookup;
  let bare: Block;
  let resolved: Block;

  beforeAll(async () => {
    raw = readFileSync(BLOCK_413567);
    ref = parseBlockRef(raw);
    truth = readPrevoutsRef();
    prevouts = await loadPrevoutsCsv(PREVOUTS_413567);
    bare = decodeRawBlock(new Uint8Array(raw), { file: BLOCK_413567 });
    resolved = decodeRawBlock(new Uint8Array(raw), { file: BLOCK_413567, prevouts });
  });

  it('returns the header fields that a DataView read and a node:crypto double SHA-256 give', () => {
    const view = new DataView(raw.buffer, raw.byteOffset, 80);
    const hash = Buffer.from(sha256d(raw.subarray(0, 80))).reverse().toString('hex');
    expect(bare.hash).toBe(hash);
    expect(bare.hash).toMatch(/^0{16}/); // proof of work: the hash starts with many zero nibbles
    expect(bare.time).toBe(view.getUint32(68, true));
    expect(bare.chain).toBe('btc');
    // No heightOf given: the height comes from the BIP34 coinbase push of this version-4 block.
    expect(view.getInt32(0, true)).toBe(4);
    expect(bare.height).toBe(413_567);
  });

  it('counts transactions, inputs and outputs as an independent varint parser does', () => {
    expect(ref.txs.length).toBe(README_TXS);
    expect(bare.transactions.length).toBe(ref.txs.length);
    const refInputs = ref.txs.slice(1).reduce((n, tx) => n + tx.inputs.length, 0);
    const refOutputs = ref.txs.reduce((n, tx) => n + tx.outputs.length, 0);
    expect(refInputs).toBe(README_SPENT);
    expect(refOutputs).toBe(3581);
    expect(bare.transactions.reduce((n, tx) => n + tx.inputs.length, 0)).toBe(refInputs);
    expect(bare.transactions.reduce((n, tx) => n + tx.outputs.length, 0)).toBe(refOutputs);
    expect(bare.transactions.map((tx) => tx.hash)).toEqual(ref.txs.map((tx) => tx.txid));
    expect(bare.transactions.map((tx) => tx.id)).toEqual(ref.txs.map((tx) => `btc:${tx.txid}`));
    expect(bare.transactions.map((tx) => tx.position)).toEqual(ref.txs.map((_, i) => i));
  });

  it('gives the coinbase no inputs, a null fee, and marks only it as coinbase', () => {
    const [coinbase, ...rest] = bare.transactions;
    expect(coinbase!.coinbase).toBe(true);
    expect(coinbase!.inputs).toEqual([]);
    expect(coinbase!.fee).toBeNull();
    expect(rest.every((tx) => !tx.coinbase)).toBe(true);
  });

  it('links each input to the outpoint it spends, with the little-endian hash reversed', () => {
    const spends = bare.transactions.slice(1).flatMap((tx) => tx.inputs.map((i) => i.spends));
    const expected = ref.txs.slice(1).flatMap((tx) => tx.inputs.map((i) => ({ txId: `btc:${rev(i.prevHash)}`, vout: i.vout })));
    expect(spends).toEqual(expected);
    // Every spent outpoint is a row of the prevouts file (which is keyed by display txid).
    expect(expected.every((s) => truth.has(`${s.txId.slice(4)}:${s.vout}`))).toBe(true);
  });

  it('decodes every output value and address as bitcoinjs address.fromOutputScript does', () => {
    const outs = bare.transactions.flatMap((tx) => tx.outputs);
    const refOuts = ref.txs.flatMap((tx) => tx.outputs);
    expect(outs.map((o) => o.value)).toEqual(refOuts.map((o) => o.value));
    for (const [k, o] of outs.entries()) {
      const script = refOuts[k]!.script;
      if (script[0] === 0x6a) {
        expect(o).toMatchObject({ address: null, scriptType: 'nulldata' });
      } else {
        expect(o.address).toBe(`btc:${btcAddress.fromOutputScript(script)}`);
      }
      expect(o.asset).toBe('BTC');
    }
  });

  it('with the prevouts file: every input has the value and the address of its spent output', () => {
    const inputs = resolved.transactions.flatMap((tx) => tx.inputs);
    expect(inputs.length).toBe(README_SPENT);
    for (const input of inputs) {
      const row = truth.get(`${input.spends!.txId.slice(4)}:${input.spends!.vout}`)!;
      expect(input.value).toBe(row.value);
      // Every prevout script of this block is P2PKH or P2SH, so every input has an address.
      expect(input.address).toBe(`btc:${btcAddress.fromOutputScript(row.script)}`);
      expect(input.addressSource).toBe('prevouts-file');
    }
  });

  it('with the prevouts file: fees total 31,310,238 sat, which is what the coinbase claims above the subsidy', () => {
    const [coinbase, ...rest] = resolved.transactions;
    expect(rest.every((tx) => tx.fee !== null)).toBe(true);
    const fees = rest.reduce((sum, tx) => sum + tx.fee!, 0n);
    expect(fees).toBe(README_FEES);
    expect(coinbase!.fee).toBeNull();
    expect(coinbase!.outputs.reduce((s, o) => s + o.value, 0n) - SUBSIDY).toBe(README_FEES);
    // Per transaction: fee = inputs from the CSV - outputs from the reference parser.
    for (const [k, tx] of rest.entries()) {
      const refTx = ref.txs[k + 1]!;
      const inSum = refTx.inputs.reduce((s, i) => s + truth.get(`${rev(i.prevHash)}:${i.vout}`)!.value, 0n);
      const outSum = refTx.outputs.reduce((s, o) => s + o.value, 0n);
      expect(tx.fee).toBe(inSum - outSum);
    }
  });

  it('without prevouts: values and fees stay null, and every address derived from the spending data is the true one', () => {
    const inputs = bare.transactions.flatMap((tx) => tx.inputs);
    const truthInputs = resolved.transactions.flatMap((tx) => tx.inputs);
    expect(inputs.every((i) => i.value === null)).toBe(true);
    expect(bare.transactions.every((tx) => tx.fee === null)).toBe(true);
    let derived = 0;
    for (const [k, input] of inputs.entries()) {
      if (input.address === null) continue;
      derived++;
      expect(input.address).toBe(truthInputs[k]!.address);
    }
    // Every P2PKH spend carries <sig> <pubkey>, so all of them are derived from the scriptSig.
    const p2pkhSpends = [...truth.values()].filter((p) => p.script.length === 25 && p.script[0] === 0x76).length;
    expect(p2pkhSpends).toBe(3957);
    expect(inputs.filter((i) => i.addressSource === 'script-sig').length).toBe(p2pkhSpends);
    expect(derived).toBeGreaterThanOrEqual(p2pkhSpends);
  });

  it("passes the store's validateBlock, with and without prevouts", () => {
    expect(() => validateBlock(bare)).not.toThrow();
    expect(() => validateBlock(resolved)).not.toThrow();
  });

  it('decodes the same block from its hex text with line breaks', () => {
    const hex = raw.toString('hex').replace(/(.{120})/g, '$1\n');
    const block = decodeRawBlock(`${hex}\n`, {});
    expect(block.hash).toBe(bare.hash);
    expect(block.transactions.length).toBe(README_TXS);
  });

  it('takes the height from heightOf(parent) when the caller knows the parent', () => {
    const block = decodeRawBlock(new Uint8Array(raw), { heightOf: (h) => (h === ref.prevHash ? 413_566 : undefined) });
    expect(block.height).toBe(413_567);
    expect(() => decodeRawBlock(new Uint8Array(raw), { heightOf: (h) => (h === ref.prevHash ? 500_000 : undefined) })).toThrow(/BIP34/);
  });
});
