import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type EvmReadResult, readEvmFile } from './read-evm-file.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const realBlock = (name: string): string => path.resolve(repoRoot, '../shared/data/ethereum', name);
const tmp = mkdtempSync(path.join(tmpdir(), 'ariadne-evm-'));
const write = (name: string, text: string): string => {
  const p = path.join(tmp, name);
  writeFileSync(p, text);
  return p;
};

async function collect(file: string, opts = {}): Promise<EvmReadResult[]> {
  const out: EvmReadResult[] = [];
  for await (const r of readEvmFile(file, opts)) out.push(r);
  return out;
}

const small = (height: number, txs: unknown[] = []): Record<string, unknown> => ({
  number: `0x${height.toString(16)}`,
  hash: `0x${height.toString(16).padStart(64, 'a')}`,
  timestamp: '0x1',
  transactions: txs,
});
const TX_HASH = `0x${'c3'.repeat(32)}`;
const tx = { hash: TX_HASH, from: '0xabcdefabcdefabcdefabcdefabcdefabcdef0001', to: null, value: '0x0', nonce: '0x0', transactionIndex: '0x0', gasPrice: '0x2' };

describe('readEvmFile', () => {
  it('reads a real pretty-printed block file (12 transactions, data README)', async () => {
    const results = await collect(realBlock('block-14151203.json'));
    expect(results).toHaveLength(1);
    expect(results[0]!.ok && results[0]!.block.transactions.length).toBe(12);
  });

  it('keeps going past a bad block in an array, and says which item failed', async () => {
    const file = write('array.json', JSON.stringify([small(1), { ...small(2), timestamp: 5 }, small(3)], null, 2));
    const results = await collect(file);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    const bad = results[1]!;
    if (bad.ok) throw new Error('unreachable');
    expect(bad.error.context).toMatchObject({ file, block: '2', item: 1 });
    expect(bad.error.message).toContain('field "timestamp"');
  });

  it('streams JSON-lines, reporting a line that is not JSON with its number', async () => {
    const lines = [JSON.stringify(small(1)), '{"number": oops', '', JSON.stringify({ jsonrpc: '2.0', id: 3, result: small(3) })];
    const file = write('blocks.jsonl', `${lines.join('\n')}\n`);
    const results = await collect(file);
    expect(results.map((r) => (r.ok ? r.block.height : `error@${String(r.error.context.line)}`))).toEqual([1, 'error@2', 3]);
  });

  it('reads the two real blocks written as JSON-lines', async () => {
    const text = ['block-14151203.json', 'block-15571241.json'].map((f) => JSON.stringify(JSON.parse(readFileSync(realBlock(f), 'utf8')))).join('\n');
    const results = await collect(write('real.jsonl', text));
    expect(results.map((r) => r.ok && r.block.transactions.length)).toEqual([12, 58]);
  });

  it('applies a receipts file of JSON-RPC envelopes', async () => {
    const receipt = { transactionHash: TX_HASH, status: '0x1', gasUsed: '0x3', contractAddress: '0x2222222222222222222222222222222222222222', logs: [] };
    const receiptsFile = write('receipts.json', JSON.stringify([{ jsonrpc: '2.0', id: 1, result: receipt }]));
    const file = write('one.json', JSON.stringify(small(7, [tx]), null, 1));
    const [r] = await collect(file, { receiptsFile });
    if (!r?.ok) throw new Error(`expected a block, got ${String(r && !r.ok && r.error.message)}`);
    const t = r.block.transactions[0]!;
    expect(t.status).toBe('ok');
    expect(t.fee).toBe(6n); // gasUsed 3 * gasPrice 2 (no effectiveGasPrice)
    expect(t.outputs[0]!.address).toBe('eth:0x2222222222222222222222222222222222222222');
  });

  it('yields one error for a file that is not JSON, and one for a missing file', async () => {
    const notJson = await collect(write('junk.json', '{\n  "number": \n'));
    expect(notJson).toHaveLength(1);
    expect(notJson[0]!.ok).toBe(false);
    const missing = await collect(path.join(tmp, 'nope.json'));
    expect(missing.length === 1 && !missing[0]!.ok && missing[0]!.error.message).toMatch(/cannot read block file/);
  });
});
