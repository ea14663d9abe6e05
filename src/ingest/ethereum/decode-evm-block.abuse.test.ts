/** Malformed EVM JSON: every refusal is an INVALID_INPUT naming where (file, block, tx) and which field. */
import { describe, expect, it } from 'vitest';
import { AriadneError } from '../../errors.js';
import { decodeEvmBlock } from './decode-evm-block.js';

const BLOCK_HASH = `0x${'b1'.repeat(32)}`;
const TX_HASH = `0x${'c2'.repeat(32)}`;
const good = (): Record<string, unknown> => ({
  hash: TX_HASH,
  from: '0xabcdefabcdefabcdefabcdefabcdefabcdef0001',
  to: '0xfedcbafedcbafedcbafedcbafedcbafedcba0002',
  value: '0x1',
  nonce: '0x0',
  transactionIndex: '0x0',
  gasPrice: '0x1',
});
const block = (txs: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  number: '0x2a',
  hash: BLOCK_HASH,
  timestamp: '0x1',
  transactions: txs,
  ...extra,
});

function refusal(json: unknown, opts = {}): AriadneError {
  try {
    decodeEvmBlock(json, { file: 'blocks.json', ...opts });
  } catch (err) {
    if (err instanceof AriadneError) {
      expect(err.code).toBe('INVALID_INPUT');
      return err;
    }
    throw err;
  }
  throw new Error('expected the block to be refused');
}

describe('decodeEvmBlock refuses malformed input', () => {
  it('a value that is a JSON number, naming tx, field, expectation and what arrived', () => {
    const err = refusal(block([{ ...good(), value: 12 }]));
    expect(err.message).toBe(`tx ${TX_HASH} field "value": expected a 0x hex quantity, got 12`);
    expect(err.context).toMatchObject({ file: 'blocks.json', block: '42', tx: TX_HASH });
    expect(err.describe()).toMatch(/^file blocks\.json, block 42, tx 0xc2/);
  });

  it('a decimal string quantity and a missing field', () => {
    expect(refusal(block([{ ...good(), nonce: '7' }])).message).toContain('field "nonce": expected a 0x hex quantity, got "7"');
    const { from: _drop, ...noFrom } = good();
    expect(refusal(block([noFrom])).message).toContain('field "from": expected a 20-byte 0x address (40 hex digits), the field is missing');
  });

  it('an address whose mixed-case EIP-55 checksum is wrong', () => {
    // The checksummed form is 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed (EIP-55 test vector); flip one letter's case.
    const err = refusal(block([{ ...good(), to: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD' }]));
    expect(err.message).toContain('field "to"');
    expect(err.message).toContain('EIP-55');
  });

  it('an address of the wrong length', () => {
    expect(refusal(block([{ ...good(), from: '0xabc' }])).message).toContain('field "from": expected a 20-byte 0x address');
  });

  it('transaction hashes instead of objects (eth_getBlockByNumber(n, false))', () => {
    expect(refusal(block([TX_HASH])).message).toMatch(/transactions\[0\]: expected a full transaction object \(eth_getBlockByNumber\(n, true\)\)/);
  });

  it('a block without number, with a bad hash, or without a transactions array', () => {
    const { number: _n, ...noNumber } = block([]);
    expect(refusal(noNumber).message).toBe('block field "number": expected a 0x hex quantity, the field is missing');
    expect(refusal(block([], { hash: '0x1234' })).message).toContain('block 42 field "hash": expected a 32-byte 0x hash');
    expect(refusal(block([], { transactions: {} })).message).toContain('block 42 field "transactions": expected an array');
  });

  it('a transaction that names another block', () => {
    expect(refusal(block([{ ...good(), blockNumber: '0x2b' }])).message).toContain('field "blockNumber"');
    expect(refusal(block([{ ...good(), blockHash: `0x${'00'.repeat(32)}` }])).message).toContain('field "blockHash"');
  });

  it('the same transaction twice', () => {
    expect(refusal(block([good(), { ...good(), transactionIndex: '0x1' }])).message).toContain('appears twice');
  });

  it('a JSON-RPC error envelope, a null result, and values that are not blocks', () => {
    expect(refusal({ jsonrpc: '2.0', id: 1, error: { code: -32000, message: 'header not found' } }).message).toContain('header not found');
    expect(refusal({ jsonrpc: '2.0', id: 1, result: null }).message).toContain('expected a JSON-RPC result');
    expect(refusal([1, 2]).message).toContain('expected an eth_getBlockByNumber block object');
    expect(refusal('0x2a').message).toContain('expected an eth_getBlockByNumber block object');
  });

  it('a receipt with a bad status or a log with a short topic', () => {
    const r = { transactionHash: TX_HASH, gasUsed: '0x1', logs: [] as unknown[] };
    expect(refusal(block([good()]), { receipts: [{ ...r, status: '0x2' }] }).message).toContain(`receipt of tx ${TX_HASH} field "status"`);
    const badLog = { address: '0xdac17f958d2ee523a2206206994597c13d831ec7', topics: ['0x12'], data: '0x', logIndex: '0x0' };
    expect(refusal(block([good()]), { receipts: [{ ...r, status: '0x1', logs: [badLog] }] }).message).toContain('field "topics[0]"');
  });

  it('a receipt whose logs repeat a logIndex, and receipts keyed by something other than a hash', () => {
    const transfer = {
      address: '0xdac17f958d2ee523a2206206994597c13d831ec7',
      topics: ['0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef', `0x${'0'.repeat(24)}${'ab'.repeat(20)}`, `0x${'0'.repeat(24)}${'cd'.repeat(20)}`],
      data: `0x${'0'.repeat(63)}1`,
      logIndex: '0x3',
    };
    const receipt = { transactionHash: TX_HASH, status: '0x1', gasUsed: '0x1', logs: [transfer, transfer] };
    expect(refusal(block([good()]), { receipts: [receipt] }).message).toContain('logIndex 3 appears twice');
    expect(refusal(block([good()]), { receipts: { 'not-a-hash': receipt } }).message).toContain('expected a 32-byte 0x transaction hash as key');
  });

  it('an invalid chainId option', () => {
    expect(refusal(block([]), { chainId: 0 }).message).toContain('invalid EVM chain id');
  });
});
