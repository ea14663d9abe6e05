import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeGetblockJson } from './decode-getblock-json.js';
import { decodeRawBlock } from './decode-raw-block.js';
import { loadPrevoutsCsv } from './prevouts.js';
import {
  BLOCK_413567,
  PREVOUTS_413567,
  base58check,
  parseBlockRef,
  readPrevoutsRef,
  rev,
  satsToBtcText,
  type RefBlock,
  type RefPrevout,
} from './test-support.js';

const README_FEES = 31_310_238n;

/**
 * Writes getblock JSON TEXT the way Bitcoin Core does (amounts as JSON numbers with 8 decimals), from the
 * reference parse of the raw block and the prevouts CSV - an independent converter, not the decoder.
 */
function getblockText(ref: RefBlock, prevouts: Map<string, RefPrevout> | null, withFee: boolean): string {
  const spk = (script: Buffer): string => {
    const h = script.toString('hex');
    let extra = '';
    if (script.length === 25 && script[0] === 0x76) extra = `, "address": "${base58check(0x00, script.subarray(3, 23))}", "type": "pubkeyhash"`;
    else if (script.length === 23 && script[0] === 0xa9) extra = `, "address": "${base58check(0x05, script.subarray(2, 22))}", "type": "scripthash"`;
    return `{ "asm": "", "hex": "${h}"${extra} }`;
  };
  const txs = ref.txs.map((tx, t) => {
    let inSum = 0n;
    const vin = tx.inputs.map((input) => {
      if (t === 0) return `{ "coinbase": "${input.scriptSig.toString('hex')}", "sequence": ${input.sequence} }`;
      const row = prevouts?.get(`${rev(input.prevHash)}:${input.vout}`);
      if (row) inSum += row.value;
      const prevout = row ? `, "prevout": { "generated": false, "height": 1, "value": ${satsToBtcText(row.value)}, "scriptPubKey": ${spk(row.script)} }` : '';
      return `{ "txid": "${rev(input.prevHash)}", "vout": ${input.vout}, "scriptSig": { "asm": "", "hex": "${input.scriptSig.toString('hex')}" }${prevout}, "sequence": ${input.sequence} }`;
    });
    const vout = tx.outputs.map((o, n) => `{ "value": ${satsToBtcText(o.value)}, "n": ${n}, "scriptPubKey": ${spk(o.script)} }`);
    const outSum = tx.outputs.reduce((s, o) => s + o.value, 0n);
    const fee = withFee && t > 0 && prevouts ? `, "fee": ${satsToBtcText(inSum - outSum)}` : '';
    return `{ "txid": "${tx.txid}", "hash": "${tx.txid}", "version": ${tx.version}, "locktime": ${tx.locktime}, "vin": [${vin.join(',')}], "vout": [${vout.join(',')}]${fee} }`;
  });
  return `{ "hash": "${ref.hash}", "confirmations": 1, "height": 413567, "version": ${ref.version}, "merkleroot": "${ref.merkleRoot}",
    "time": ${ref.time}, "nonce": ${ref.nonce}, "bits": "${ref.bits.toString(16).padStart(8, '0')}", "previousblockhash": "${ref.prevHash}",
    "nTx": ${ref.txs.length}, "tx": [${txs.join(',\n')}] }`;
}

describe('decodeGetblockJson on block 413,567 rebuilt as getblock JSON', () => {
  let ref: RefBlock;
  let truth: Map<string, RefPrevout>;
  beforeAll(() => {
    ref = parseBlockRef(readFileSync(BLOCK_413567));
    truth = readPrevoutsRef();
  });

  it('verbosity 3: input values come from vin[].prevout and fees total 31,310,238 sat', () => {
    const block = decodeGetblockJson(JSON.parse(getblockText(ref, truth, false)), { file: 'v3.json' });
    expect(block.hash).toBe(ref.hash);
    expect(block.height).toBe(413_567);
    expect(block.time).toBe(ref.time);
    expect(block.transactions.length).toBe(1557);
    const inputs = block.transactions.flatMap((tx) => tx.inputs);
    expect(inputs.length).toBe(4886);
    for (const input of inputs) {
      expect(input.value).toBe(truth.get(`${input.spends!.txId.slice(4)}:${input.spends!.vout}`)!.value);
      expect(input.addressSource).toBe('prevouts-file');
    }
    expect(block.transactions.slice(1).reduce((s, tx) => s + tx.fee!, 0n)).toBe(README_FEES);
    expect(block.transactions.flatMap((tx) => tx.outputs.map((o) => o.value))).toEqual(ref.txs.flatMap((tx) => tx.outputs.map((o) => o.value)));
  });

  it('verbosity 3 gives the same block as the raw bytes with the prevouts CSV', async () => {
    const fromJson = decodeGetblockJson(JSON.parse(getblockText(ref, truth, false)));
    const fromRaw = decodeRawBlock(new Uint8Array(readFileSync(BLOCK_413567)), { prevouts: await loadPrevoutsCsv(PREVOUTS_413567) });
    expect(fromJson).toEqual(fromRaw);
  });

  it('verbosity 2: values stay null without prevouts, and a prevouts lookup fills them', async () => {
    const json = JSON.parse(getblockText(ref, null, false));
    const bare = decodeGetblockJson(json);
    expect(bare.transactions.flatMap((tx) => tx.inputs).every((i) => i.value === null)).toBe(true);
    expect(bare.transactions.every((tx) => tx.fee === null)).toBe(true);
    const filled = decodeGetblockJson(json, { prevouts: await loadPrevoutsCsv(PREVOUTS_413567) });
    expect(filled.transactions.slice(1).reduce((s, tx) => s + tx.fee!, 0n)).toBe(README_FEES);
  });

  it('takes the fee from the "fee" field when inputs are not resolved, and checks it when they are', () => {
    const text = getblockText(ref, truth, true);
    // Drop the prevouts but keep the fee fields.
    const noPrevouts = JSON.parse(text);
    for (const tx of noPrevouts.tx) for (const vin of tx.vin) delete vin.prevout;
    const block = decodeGetblockJson(noPrevouts);
    expect(block.transactions.slice(1).reduce((s, tx) => s + tx.fee!, 0n)).toBe(README_FEES);
    expect(block.transactions[0]!.fee).toBeNull();
    expect(() => decodeGetblockJson(JSON.parse(text))).not.toThrow();
  });

  it('accepts a JSON-RPC envelope', () => {
    const block = decodeGetblockJson({ result: JSON.parse(getblockText(ref, null, false)), error: null, id: 1 });
    expect(block.hash).toBe(ref.hash);
  });
});
