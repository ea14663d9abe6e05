/**
 * Malformed and corrupt Bitcoin input: every case must end in an INVALID_INPUT AriadneError that names the
 * file and the block, and never in a Block (or a half block).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import bunzip from 'seek-bzip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AriadneError } from '../../errors.js';
import { decodeGetblockJson } from './decode-getblock-json.js';
import { decodeRawBlock } from './decode-raw-block.js';
import { PrevoutMap, loadPrevoutsCsv } from './prevouts.js';
import { readBitcoinFile, type BitcoinFileItem } from './read-bitcoin-file.js';
import { BLOCKS_1_255, BLOCK_413567, frame, parseBlockRef, rev, splitFramesRef, type RefBlock } from './test-support.js';

function invalid(fn: () => unknown): AriadneError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AriadneError);
    expect((err as AriadneError).code).toBe('INVALID_INPUT');
    return err as AriadneError;
  }
  throw new Error('expected INVALID_INPUT, but a value was returned');
}

async function readAll(file: string): Promise<BitcoinFileItem[]> {
  const items: BitcoinFileItem[] = [];
  for await (const item of readBitcoinFile(file)) items.push(item);
  return items;
}

describe('corrupt raw blocks', () => {
  let raw: Buffer;
  let ref: RefBlock;
  beforeAll(() => {
    raw = readFileSync(BLOCK_413567);
    ref = parseBlockRef(raw);
  });

  it('a block cut in half names the file and the block hash', () => {
    const err = invalid(() => decodeRawBlock(new Uint8Array(raw.subarray(0, raw.length >> 1)), { file: 'half.raw' }));
    expect(err.context).toMatchObject({ file: 'half.raw', block: ref.hash });
    expect(err.message).toMatch(/truncated or corrupt/);
    expect(err.describe()).toContain(`file half.raw, block ${ref.hash}`);
  });

  it('fewer bytes than a header', () => {
    expect(invalid(() => decodeRawBlock(new Uint8Array(raw.subarray(0, 50)), { file: 'f' })).message).toMatch(/got 50 bytes.*header alone is 80/);
  });

  it('a flipped byte in a script breaks the merkle root', () => {
    const bad = Buffer.from(raw);
    bad[bad.length - 10]! ^= 0x01; // inside the last transaction's last output script
    expect(invalid(() => decodeRawBlock(new Uint8Array(bad), { file: 'f' })).message).toMatch(/merkle root mismatch/);
  });

  it('a flipped transaction count breaks the structure', () => {
    const bad = Buffer.from(raw);
    // The count is a 3-byte varint fd 15 06 (1557 = 0x0615) at offset 80.
    expect([...bad.subarray(80, 83)]).toEqual([0xfd, 0x15, 0x06]);
    bad[81] = 0x14; // 1556 transactions: the last one becomes trailing bytes
    expect(invalid(() => decodeRawBlock(new Uint8Array(bad))).message).toMatch(/bytes after its 1556 transactions/);
    bad[81] = 0x16; // 1558: runs out of data
    expect(invalid(() => decodeRawBlock(new Uint8Array(bad))).message).toMatch(/truncated or corrupt/);
  });

  it('a flipped header byte fails the proof-of-work check', () => {
    const bad = Buffer.from(raw);
    bad[76]! ^= 0x01; // nonce
    const err = invalid(() => decodeRawBlock(new Uint8Array(bad), { file: 'f' }));
    expect(err.message).toMatch(/proof-of-work/);
    expect(err.context.block).not.toBe(ref.hash);
  });

  it('bytes after the block', () => {
    expect(invalid(() => decodeRawBlock(new Uint8Array(Buffer.concat([raw, Buffer.from([0])])))).message).toMatch(/1 bytes after/);
  });

  it('hex text with a non-hex character', () => {
    expect(invalid(() => decodeRawBlock(`${raw.toString('hex').slice(0, 100)}zz`)).message).toMatch(/expected hex text, got "z"/);
  });

  it('a prevouts lookup whose values are too small gives a negative fee, which is refused with the tx', () => {
    const tiny = new PrevoutMap();
    for (const tx of ref.txs.slice(1)) for (const i of tx.inputs) tiny.add(rev(i.prevHash), i.vout, { value: 1n, scriptPubKey: new Uint8Array(0) });
    const err = invalid(() => decodeRawBlock(new Uint8Array(raw), { prevouts: tiny, file: 'f' }));
    expect(err.message).toMatch(/inputs total .* less than outputs total/);
    expect(err.context).toMatchObject({ file: 'f', block: ref.hash, tx: ref.txs[1]!.txid });
  });
});

describe('corrupt framed files', () => {
  let dir: string;
  let blocks: Buffer[];
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ariadne-btc-abuse-'));
    blocks = splitFramesRef(bunzip.decode(readFileSync(BLOCKS_1_255))).slice(0, 6);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, data: Buffer): string => {
    const file = path.join(dir, name);
    writeFileSync(file, data);
    return file;
  };
  const oks = (items: BitcoinFileItem[]) => items.flatMap((i) => ('ok' in i && i.ok ? [i.block.height] : []));
  const errs = (items: BitcoinFileItem[]) => items.flatMap((i) => ('ok' in i && !i.ok ? [i] : []));

  it('a corrupt block in the middle is reported with its index and offset; the others load, heights intact', async () => {
    const broken = Buffer.from(blocks[2]!);
    broken[broken.length - 20]! ^= 0xff;
    const parts = [frame(blocks[0]!), frame(blocks[1]!), frame(broken), frame(blocks[3]!), frame(blocks[4]!)];
    const file = write('middle.dat', Buffer.concat(parts));
    const items = await readAll(file);
    expect(oks(items)).toEqual([1, 2, 4, 5]);
    const [bad] = errs(items);
    const offset = parts[0]!.length + parts[1]!.length;
    expect(bad!.index).toBe(2);
    expect(bad!.error.code).toBe('INVALID_INPUT');
    expect(bad!.error.context).toMatchObject({ file, index: 2, offset, block: parseBlockRef(blocks[2]!).hash });
    expect(bad!.error.message).toMatch(new RegExp(`block #2 \\(frame at byte ${offset}\\): merkle root mismatch`));
  });

  it('a truncated last block (cut in half) is reported; the blocks before it load', async () => {
    const last = frame(blocks[3]!);
    const file = write('truncated.dat', Buffer.concat([frame(blocks[0]!), frame(blocks[1]!), last.subarray(0, last.length >> 1)]));
    const items = await readAll(file);
    expect(oks(items)).toEqual([1, 2]);
    const [bad] = errs(items);
    expect(bad!.error.message).toMatch(/truncated block: the frame declares \d+ bytes but only \d+ remain/);
    expect(bad!.error.context).toMatchObject({ file, index: 2, offset: frame(blocks[0]!).length + frame(blocks[1]!).length });
  });

  it('bad magic: reported, then reading resumes at the next magic', async () => {
    const junk = Buffer.from('this is not a block frame');
    const file = write('magic.dat', Buffer.concat([frame(blocks[0]!), junk, frame(blocks[1]!), frame(blocks[2]!)]));
    const items = await readAll(file);
    expect(oks(items)).toEqual([1, 2, 3]);
    const [bad] = errs(items);
    expect(bad!.error.message).toMatch(/bad magic 74686973: expected f9beb4d9/);
    expect(bad!.error.context).toMatchObject({ file, offset: frame(blocks[0]!).length });
  });

  it('testnet magic is refused by name', async () => {
    const tn = frame(blocks[0]!);
    Buffer.from('0b110907', 'hex').copy(tn, 0);
    const items = await readAll(write('testnet.dat', Buffer.concat([frame(blocks[0]!), tn])));
    expect(errs(items)[0]!.error.message).toMatch(/testnet3; only mainnet/);
    await expect(readAll(write('testnet-only.dat', tn))).rejects.toThrow(/testnet3 blocks.*only Bitcoin mainnet/);
  });

  it('bad length: reported, then reading resumes at the next magic', async () => {
    const f0 = frame(blocks[0]!);
    const badLen = Buffer.from(frame(blocks[1]!));
    badLen.writeUInt32LE(10, 4);
    const items = await readAll(write('length.dat', Buffer.concat([f0, badLen, frame(blocks[2]!)])));
    expect(errs(items)[0]!.error.message).toMatch(/bad length 10: a block is 80 to 4000000 bytes/);
    // Block 2's frame was skipped, so block 3's parent is unknown: it is reported too, not given a wrong height.
    expect(oks(items)).toEqual([1]);
    expect(errs(items)[1]!.error.message).toMatch(/cannot determine the block height/);
  });

  it('corrupt bz2 data throws INVALID_INPUT naming the file', async () => {
    const bz = Buffer.from(readFileSync(BLOCKS_1_255));
    bz[bz.length >> 1]! ^= 0xff;
    const file = write('corrupt.bz2', bz);
    await expect(readAll(file)).rejects.toMatchObject({ code: 'INVALID_INPUT', context: { file } });
  });

  it('a missing or empty file throws INVALID_INPUT', async () => {
    await expect(readAll(path.join(dir, 'nope.dat'))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(readAll(write('empty.dat', Buffer.alloc(0)))).rejects.toThrow(/empty/);
  });
});

describe('getblock JSON of the wrong shape', () => {
  let ref: RefBlock;
  let good: Record<string, unknown>;
  beforeAll(() => {
    ref = parseBlockRef(splitFramesRef(bunzip.decode(readFileSync(BLOCKS_1_255)))[0]!);
    const tx = ref.txs[0]!;
    good = {
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
          vout: [{ value: 50.0, n: 0, scriptPubKey: { hex: tx.outputs[0]!.script.toString('hex') } }],
        },
      ],
    };
  });
  const withTx = (patch: Record<string, unknown>) => ({ ...good, tx: [{ ...(good.tx as object[])[0], ...patch }] });

  it('the well-formed document decodes (control case)', () => {
    expect(decodeGetblockJson(good).height).toBe(1);
  });

  it.each([
    ['not an object', () => [1, 2], /expected a getblock JSON object, got an array/],
    ['missing hash', () => ({ ...good, hash: undefined }), /field "hash": expected 64 lower-case hex digits, got nothing/],
    ['verbosity 1 (txids only)', () => ({ ...good, tx: [ref.txs[0]!.txid] }), /verbosity 1/],
    ['tx not an array', () => ({ ...good, tx: {} }), /field "tx": expected a non-empty array/],
    ['edited output value', () => withTx({ vout: [{ value: 49, n: 0, scriptPubKey: { hex: ref.txs[0]!.outputs[0]!.script.toString('hex') } }] }), /fields hash to .*not to the stated txid/],
    ['value as text', () => withTx({ vout: [{ value: 'fifty', n: 0, scriptPubKey: { hex: '00' } }] }), /tx\[0\]\.vout\[0\]\.value/],
    ['value finer than a satoshi', () => withTx({ vout: [{ value: 50.000000001, n: 0, scriptPubKey: { hex: '00' } }] }), /more than 8 decimal places/],
    ['scriptPubKey without hex', () => withTx({ vout: [{ value: 50, n: 0, scriptPubKey: { asm: 'x' } }] }), /tx\[0\]\.vout\[0\]\.scriptPubKey\.hex: expected a hex string/],
    ['stated address not the script', () => withTx({ vout: [{ value: 50, n: 0, scriptPubKey: { hex: `76a914${'00'.repeat(20)}88ac`, address: '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa' } }] }), /stated "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa" but/],
    ['wrong merkle root', () => ({ ...good, merkleroot: 'ab'.repeat(32) }), /hash to/],
    ['missing sequence', () => withTx({ vin: [{ coinbase: '04ffff001d0104' }] }), /tx\[0\]\.vin\[0\]\.sequence: expected an integer/],
    ['RPC error envelope', () => ({ result: null, error: { code: -5, message: 'Block not found' }, id: 1 }), /JSON-RPC error instead of a block/],
  ])('%s', (_name, make, message) => {
    const err = invalid(() => decodeGetblockJson(make(), { file: 'bad.json' }));
    expect(err.message).toMatch(message);
    expect(err.context.file).toBe('bad.json');
  });

  it('names the block and transaction of a bad field', () => {
    const err = invalid(() => decodeGetblockJson(withTx({ vout: [{ value: -1, n: 0, scriptPubKey: { hex: '00' } }] }), { file: 'bad.json' }));
    expect(err.context).toMatchObject({ file: 'bad.json', block: ref.hash, tx: ref.txs[0]!.txid });
  });
});

describe('bad prevouts CSV', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ariadne-btc-csv-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const header = 'prev_txid,prev_vout,height,is_coinbase,value_sats,script_pubkey_hex';
  const row = `${'ab'.repeat(32)},1,100,0,5000,76a914${'00'.repeat(20)}88ac`;

  it.each([
    ['wrong header', `txid,vout\n${row}\n`, /expected the header/, 1],
    ['bad txid', `${header}\nxyz,1,100,0,5000,00\n`, /prev_txid must be 64 hex digits/, 2],
    ['fractional value', `${header}\n${row}\n${'cd'.repeat(32)},0,100,0,0.5,00\n`, /value_sats/, 3],
    ['odd hex script', `${header}\n${'cd'.repeat(32)},0,100,0,5,abc\n`, /script_pubkey_hex must be hex/, 2],
    ['conflicting duplicate', `${header}\n${row}\n${row.replace(',5000,', ',6000,')}\n`, /listed twice/, 3],
  ])('%s', async (name, text, message, line) => {
    const file = path.join(dir, `${name.replace(/\s/g, '-')}.csv`);
    writeFileSync(file, text);
    await expect(loadPrevoutsCsv(file)).rejects.toMatchObject({ code: 'INVALID_INPUT', context: { file, line } });
    await expect(loadPrevoutsCsv(file)).rejects.toThrow(message);
  });

  it('loads a good row (control case)', async () => {
    const file = path.join(dir, 'good.csv');
    writeFileSync(file, `${header}\n${row}\n`);
    const lookup = await loadPrevoutsCsv(file);
    expect(lookup.size).toBe(1);
    expect(lookup.get('ab'.repeat(32), 1)?.value).toBe(5000n);
    expect(lookup.get('ab'.repeat(32), 0)).toBeUndefined();
  });
});
