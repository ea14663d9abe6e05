import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import bunzip from 'seek-bzip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Block } from '../../model/transaction.js';
import { validateBlock } from '../../store/validate-block.js';
import { readBitcoinFile, type BitcoinFileItem, type ReadBitcoinFileOptions } from './read-bitcoin-file.js';
import {
  BLOCKS_1_255,
  BLOCK_413567,
  GENESIS,
  base58check,
  frame,
  parseBlockRef,
  ripemd160sha256,
  splitFramesRef,
  type RefBlock,
} from './test-support.js';

async function readAll(file: string, opts: ReadBitcoinFileOptions = {}): Promise<BitcoinFileItem[]> {
  const items: BitcoinFileItem[] = [];
  for await (const item of readBitcoinFile(file, opts)) items.push(item);
  return items;
}
const blocksOf = (items: BitcoinFileItem[]): Block[] => items.flatMap((i) => ('ok' in i && i.ok ? [i.block] : []));
const errorsOf = (items: BitcoinFileItem[]) => items.flatMap((i) => ('ok' in i && !i.ok ? [i] : []));

// Block 1's coinbase pays this key (P2PK); the P2PKH address of it is computed below with node:crypto
// (sha256 + ripemd160) and a base58check encoder written in test-support.ts.
const BLOCK1_KEY =
  '0496b538e853519c726a2c91e61ec11600ae1390813a627c66fb8be7947be63c52da7589379515d4e0a604f8141781e62294721166bf621e73a82cbf2342c858ee';

describe('readBitcoinFile', () => {
  let dir: string;
  let framed: Buffer; // blocks1-255 decompressed
  let refBlocks: RefBlock[];
  let rawBlocks: Buffer[];

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ariadne-btc-'));
    framed = bunzip.decode(readFileSync(BLOCKS_1_255));
    rawBlocks = splitFramesRef(framed);
    refBlocks = rawBlocks.map((b) => parseBlockRef(b));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the bz2 framed file: 255 blocks, heights 1..255 by the parent chain from genesis, as the reference parse gives', async () => {
    // Independent check of the data itself: each block's parent is the block before, the first's is genesis.
    expect(refBlocks.length).toBe(255);
    expect(refBlocks[0]!.prevHash).toBe(GENESIS);
    for (let k = 1; k < refBlocks.length; k++) expect(refBlocks[k]!.prevHash).toBe(refBlocks[k - 1]!.hash);

    const items = await readAll(BLOCKS_1_255);
    expect(items[0]).toEqual({ total: 255 });
    expect(errorsOf(items)).toEqual([]);
    const blocks = blocksOf(items);
    expect(blocks.map((b) => b.height)).toEqual(refBlocks.map((_, k) => k + 1));
    expect(blocks.map((b) => b.hash)).toEqual(refBlocks.map((b) => b.hash));
    expect(blocks.map((b) => b.time)).toEqual(refBlocks.map((b) => b.time));
    expect(blocks.map((b) => b.transactions.length)).toEqual(refBlocks.map((b) => b.txs.length));
    expect(blocks.map((b) => b.transactions.map((t) => t.hash))).toEqual(refBlocks.map((b) => b.txs.map((t) => t.txid)));
    for (const block of blocks) validateBlock(block);
  });

  it("gives block 1's P2PK coinbase output the P2PKH address of its key", async () => {
    const expected = base58check(0x00, ripemd160sha256(Buffer.from(BLOCK1_KEY, 'hex')));
    expect(expected).toBe('12c6DSiU4Rq3P4ZxziKxzrL5LmMBrzjrJX');
    const [block1] = blocksOf(await readAll(BLOCKS_1_255));
    const out = block1!.transactions[0]!.outputs[0]!;
    expect(out).toEqual({ index: 0, address: `btc:${expected}`, value: 5_000_000_000n, asset: 'BTC', scriptType: 'p2pk', detail: { pubkey: BLOCK1_KEY } });
  });

  it('reads an uncompressed framed file with zero padding between and after frames', async () => {
    const file = path.join(dir, 'blk00000.dat');
    const padded = Buffer.concat([frame(rawBlocks[0]!), Buffer.alloc(16), ...rawBlocks.slice(1, 10).map(frame), Buffer.alloc(4096)]);
    writeFileSync(file, padded);
    const items = await readAll(file);
    expect(items[0]).toEqual({ total: 10 });
    expect(errorsOf(items)).toEqual([]);
    expect(blocksOf(items).map((b) => b.height)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('tells the format from the content: raw binary, hex text and JSON under misleading names', async () => {
    const raw = readFileSync(BLOCK_413567);
    const rawFile = path.join(dir, 'block.json');
    writeFileSync(rawFile, raw);
    const hexFile = path.join(dir, 'block.raw');
    writeFileSync(hexFile, `  ${raw.toString('hex').replace(/(.{64})/g, '$1\n')}\n\n`);
    const expectedHash = parseBlockRef(raw).hash;
    for (const file of [rawFile, hexFile]) {
      const items = await readAll(file);
      expect(items[0]).toEqual({ total: 1 });
      expect(blocksOf(items).map((b) => [b.hash, b.height, b.transactions.length])).toEqual([[expectedHash, 413_567, 1557]]);
    }
    // A framed bz2 file given a .json name is still read as framed.
    const renamed = path.join(dir, 'blocks.json');
    writeFileSync(renamed, readFileSync(BLOCKS_1_255));
    expect(blocksOf(await readAll(renamed)).length).toBe(255);
  });

  it('reads an array of getblock JSON blocks', async () => {
    const ref = refBlocks[0]!;
    const tx = ref.txs[0]!;
    const json = {
      hash: ref.hash,
      height: 1,
      version: ref.version,
      merkleroot: ref.merkleRoot,
      time: ref.time,
      nonce: ref.nonce,
      bits: ref.bits.toString(16).padStart(8, '0'),
      previousblockhash: ref.prevHash,
      tx: [
        {
          txid: tx.txid,
          version: tx.version,
          locktime: tx.locktime,
          vin: [{ coinbase: tx.inputs[0]!.scriptSig.toString('hex'), sequence: tx.inputs[0]!.sequence }],
          vout: [{ value: 50, n: 0, scriptPubKey: { hex: tx.outputs[0]!.script.toString('hex') } }],
        },
      ],
    };
    const file = path.join(dir, 'blocks.txt');
    writeFileSync(file, JSON.stringify([json, { ...json, hash: '00'.repeat(32) }]));
    const items = await readAll(file);
    expect(items[0]).toEqual({ total: 2 });
    expect(blocksOf(items).map((b) => [b.height, b.hash])).toEqual([[1, ref.hash]]);
    const [bad] = errorsOf(items);
    expect(bad!.index).toBe(1);
    expect(bad!.error.context).toMatchObject({ file, index: 1 });
    expect(bad!.error.message).toMatch(/hash to/);
  });

  it('asks an async heightOf for a parent that is not in the file', async () => {
    const file = path.join(dir, 'middle.dat');
    writeFileSync(file, Buffer.concat([frame(rawBlocks[99]!), frame(rawBlocks[100]!)])); // heights 100 and 101
    const asked: string[] = [];
    const heightOf = async (hash: string): Promise<number | null> => {
      asked.push(hash);
      return hash === refBlocks[98]!.hash ? 99 : null;
    };
    expect(blocksOf(await readAll(file, { heightOf })).map((b) => b.height)).toEqual([100, 101]);
    // The second block's parent was the first block of the file: only the first parent was asked for.
    expect(asked).toEqual([refBlocks[98]!.hash]);

    const unknown = errorsOf(await readAll(file));
    expect(unknown.map((e) => e.index)).toEqual([0, 1]);
    expect(unknown[0]!.error.message).toMatch(/cannot determine the block height/);
  });
});
