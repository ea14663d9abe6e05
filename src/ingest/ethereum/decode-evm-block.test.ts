import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { keccak256, toUtf8Bytes } from 'ethers';
import { describe, expect, it } from 'vitest';
import { AriadneError } from '../../errors.js';
import { decodeEvmBlock } from './decode-evm-block.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dataDir = path.resolve(repoRoot, '../shared/data/ethereum');
const loadJson = (name: string): any => JSON.parse(readFileSync(path.join(dataDir, name), 'utf8'));

/** EIP-55 written from the EIP text: uppercase a hex letter when the matching nibble of keccak(lowercase) >= 8. */
function eip55(address: string): string {
  const lower = address.toLowerCase().replace(/^0x/, '');
  const hash = keccak256(toUtf8Bytes(lower)).slice(2);
  let out = '0x';
  for (let i = 0; i < lower.length; i++) {
    const c = lower[i]!;
    out += /[a-f]/.test(c) && parseInt(hash[i]!, 16) >= 8 ? c.toUpperCase() : c;
  }
  return out;
}

const TRANSFER = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';
const word = (hex: string): string => `0x${hex.replace(/^0x/, '').toLowerCase().padStart(64, '0')}`;
const hash = (n: number): string => `0x${n.toString(16).padStart(64, 'c')}`;
const BLOCK_HASH = `0x${'b1'.repeat(32)}`;
// Lower-case addresses with letters, so that the checksum is actually exercised.
const ALICE = '0xabcdefabcdefabcdefabcdefabcdefabcdef0001';
const BOB = '0xfedcbafedcbafedcbafedcbafedcbafedcba0002';
const TOKEN = '0xdac17f958d2ee523a2206206994597c13d831ec7';
const NFT = '0xbc4ca0eda7647a8ab7c2061c2e118a18a936f13d';

function tx(n: number, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    blockHash: BLOCK_HASH,
    blockNumber: '0x10',
    hash: hash(n),
    from: ALICE,
    to: BOB,
    value: '0x0',
    nonce: '0x1',
    gas: '0x5208',
    gasPrice: '0x4a817c800',
    input: '0x',
    transactionIndex: `0x${n.toString(16)}`,
    type: '0x0',
    v: '0x1b',
    ...fields,
  };
}

function block(transactions: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { number: '0x10', hash: BLOCK_HASH, timestamp: '0x5f5e100', transactions, ...extra };
}

function catchError(fn: () => unknown): AriadneError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AriadneError) return err;
    throw err;
  }
  throw new Error('expected an AriadneError, nothing was thrown');
}

describe('eip55 helper of this test', () => {
  it('reproduces the test vectors of EIP-55', () => {
    for (const v of [
      '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
      '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
      '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
      '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
    ]) {
      expect(eip55(v.toLowerCase())).toBe(v);
    }
  });
});

describe.each([
  ['block-14151203.json', 14151203, 12],
  ['block-15571241.json', 15571241, 58],
])('real mainnet %s', (file, height, count) => {
  const raw = loadJson(file);
  const decoded = decodeEvmBlock(raw, { file });

  it(`has height ${height} and ${count} transactions (data README)`, () => {
    expect(decoded.chain).toBe('eth');
    expect(decoded.height).toBe(height);
    expect(decoded.hash).toBe(raw.hash);
    expect(decoded.time).toBe(parseInt(raw.timestamp, 16));
    expect(decoded.transactions).toHaveLength(count);
  });

  it('keeps every sender and recipient, EIP-55 checksummed', () => {
    const byHash = new Map(decoded.transactions.map((t) => [t.hash, t]));
    for (const rawTx of raw.transactions) {
      const t = byHash.get(rawTx.hash.toLowerCase())!;
      expect(t.id).toBe(`eth:${rawTx.hash.toLowerCase()}`);
      expect(t.inputs[0]!.address).toBe(`eth:${eip55(rawTx.from)}`);
      expect(t.outputs[0]!.address).toBe(`eth:${eip55(rawTx.to)}`);
      expect(t.position).toBe(parseInt(rawTx.transactionIndex, 16));
    }
  });

  it('moves exactly the hex values of the JSON, in ETH, with unknown status and fee (no receipts)', () => {
    let expectedSum = 0n;
    for (const rawTx of raw.transactions) expectedSum += BigInt(rawTx.value);
    let sumIn = 0n;
    let sumOut = 0n;
    for (const t of decoded.transactions) {
      const rawTx = raw.transactions.find((r: any) => r.hash.toLowerCase() === t.hash);
      expect(t.inputs).toHaveLength(1);
      expect(t.outputs).toHaveLength(1);
      expect(t.inputs[0]!.value).toBe(BigInt(rawTx.value));
      expect(t.outputs[0]!.asset).toBe('ETH');
      expect(t.status).toBe('unknown');
      expect(t.fee).toBeNull();
      sumIn += t.inputs[0]!.value!;
      sumOut += t.outputs[0]!.value;
    }
    expect(sumIn).toBe(expectedSum);
    expect(sumOut).toBe(expectedSum);
  });

  it('returns transactions in block order with the block facts', () => {
    decoded.transactions.forEach((t, i) => {
      expect(t.position).toBe(i);
      expect(t.height).toBe(height);
      expect(t.blockHash).toBe(raw.hash);
      expect(t.coinbase).toBe(false);
    });
  });
});

describe('receipts', () => {
  it('marks a status-0 transaction failed, moves no value, ignores its logs, and still charges the fee', () => {
    const failed = tx(0, { value: '0xde0b6b3a7640000' }); // 1 ETH attempted
    const receipt = {
      transactionHash: hash(0),
      blockHash: BLOCK_HASH,
      status: '0x0',
      gasUsed: '0x7530', // 30000
      logs: [{ address: TOKEN, topics: [TRANSFER, word(ALICE), word(BOB)], data: word('ff'), logIndex: '0x0' }],
    };
    const b = decodeEvmBlock(block([failed]), { receipts: { [hash(0)]: receipt } });
    const t = b.transactions[0]!;
    expect(t.status).toBe('failed');
    expect(t.inputs).toEqual([{ index: 0, address: `eth:${eip55(ALICE)}`, value: 0n, asset: 'ETH', addressSource: 'account' }]);
    expect(t.outputs).toEqual([{ index: 0, address: `eth:${eip55(BOB)}`, value: 0n, asset: 'ETH', scriptType: 'account' }]);
    // No effectiveGasPrice: gasPrice 20 gwei * 30000 gas = 600,000 gwei.
    expect(t.fee).toBe(30000n * 20_000_000_000n);
  });

  it('decodes an ERC-20 Transfer above 2^64 exactly, at index logIndex + 1, and skips ERC-721 and removed logs', () => {
    const amount = 10n ** 30n;
    const receipt = {
      transactionHash: hash(0),
      status: '0x1',
      gasUsed: '0x5208', // 21000
      effectiveGasPrice: '0x3b9aca00', // 1 gwei
      logs: [
        { address: TOKEN, topics: [TRANSFER, word(ALICE), word(BOB)], data: word(amount.toString(16)), logIndex: '0x7' },
        // ERC-721: same event signature, token id indexed as a 4th topic, no data.
        { address: NFT, topics: [TRANSFER, word(ALICE), word(BOB), word('2a')], data: '0x', logIndex: '0x8' },
        // Four topics stay ERC-721 even with a 32-byte data word (the topic count decides, not the data).
        { address: NFT, topics: [TRANSFER, word(ALICE), word(BOB), word('2b')], data: word('1'), logIndex: '0x9' },
        // A log a client reports as removed by a reorganisation moved nothing.
        { address: TOKEN, topics: [TRANSFER, word(ALICE), word(BOB)], data: word('5'), logIndex: '0xa', removed: true },
      ],
    };
    const b = decodeEvmBlock(block([tx(0)]), { receipts: [receipt] });
    const t = b.transactions[0]!;
    expect(t.status).toBe('ok');
    expect(t.fee).toBe(21000n * 1_000_000_000n);
    expect(t.inputs).toHaveLength(2);
    expect(t.outputs).toHaveLength(2);
    const asset = `eth:${eip55(TOKEN)}`;
    expect(t.inputs[1]).toEqual({ index: 8, address: `eth:${eip55(ALICE)}`, value: 1_000_000_000_000_000_000_000_000_000_000n, asset, addressSource: 'account' });
    expect(t.outputs[1]).toEqual({ index: 8, address: `eth:${eip55(BOB)}`, value: 10n ** 30n, asset, scriptType: 'account' });
    expect(t.inputs[1]!.value! > 2n ** 64n).toBe(true);
  });

  it('takes receipts from a "receipts" array beside the block in a JSON-RPC envelope', () => {
    const json = {
      jsonrpc: '2.0',
      id: 1,
      result: block([tx(0), tx(1)]),
      receipts: [{ transactionHash: hash(1), status: '0x1', gasUsed: '0x1', effectiveGasPrice: '0x2', logs: [] }],
    };
    const b = decodeEvmBlock(json);
    expect(b.transactions.map((t) => t.status)).toEqual(['unknown', 'ok']);
    expect(b.transactions.map((t) => t.fee)).toEqual([null, 2n]);
  });

  it('refuses a receipt that belongs to another block', () => {
    const receipt = { transactionHash: hash(0), blockHash: `0x${'99'.repeat(32)}`, status: '0x1', gasUsed: '0x1', logs: [] };
    const err = catchError(() => decodeEvmBlock(block([tx(0)]), { receipts: [receipt] }));
    expect(err.message).toContain('field "blockHash"');
    expect(err.context.tx).toBe(hash(0));
  });
});

describe('contract creation', () => {
  // Sender and nonces from the worked example "How is the address of an Ethereum contract computed?"
  // (ethereum.stackexchange.com/q/760): nonce 0 -> 0xcd234a47..., nonce 1 -> 0x343c43a3...
  const CREATOR = '0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0';

  it('computes the created address from sender and nonce when there is no receipt', () => {
    const b = decodeEvmBlock(block([tx(0, { from: CREATOR, to: null, nonce: '0x0', value: '0x64' }), tx(1, { from: CREATOR, to: null, nonce: '0x1' })]));
    const [t0, t1] = b.transactions;
    expect(t0!.outputs[0]!.address).toBe(`eth:${eip55('0xcd234a471b72ba2f1ccf0a70fcaba648a5eecd8d')}`);
    expect(t0!.outputs[0]!.value).toBe(100n);
    expect(t0!.outputs[0]!.detail).toEqual({ contractCreation: true, createdAddressFrom: 'sender-and-nonce' });
    expect(t1!.outputs[0]!.address).toBe(`eth:${eip55('0x343c43a37d37dff08ae8c4a11544c718abb4fcf8')}`);
  });

  it("uses the receipt's contractAddress when there is one", () => {
    const created = '0x1111111111111111111111111111111111111111';
    const receipt = { transactionHash: hash(0), status: '0x1', gasUsed: '0x1', contractAddress: created, logs: [] };
    const b = decodeEvmBlock(block([tx(0, { to: null })]), { receipts: [receipt] });
    expect(b.transactions[0]!.outputs[0]!.address).toBe(`eth:${created}`);
    expect(b.transactions[0]!.outputs[0]!.detail).toEqual({ contractCreation: true, createdAddressFrom: 'receipt' });
  });
});

describe('chain id', () => {
  it('gives evm-137 ids and the POL asset when the transactions say chainId 0x89', () => {
    const b = decodeEvmBlock(block([tx(0, { chainId: '0x89', type: '0x2', v: '0x1' })]));
    expect(b.chain).toBe('evm-137');
    const t = b.transactions[0]!;
    expect(t.id).toBe(`evm-137:${hash(0)}`);
    expect(t.inputs[0]!.address).toBe(`evm-137:${eip55(ALICE)}`);
    expect(t.outputs[0]!.asset).toBe('POL');
  });

  it('reads the chain id from an EIP-155 v (2 * 137 + 35 = 309 = 0x135) when chainId is absent', () => {
    expect(decodeEvmBlock(block([tx(0, { v: '0x135' })])).chain).toBe('evm-137');
  });

  it('falls back to the chainId option, then to mainnet, when no transaction states one', () => {
    expect(decodeEvmBlock(block([tx(0)]), { chainId: 137 }).chain).toBe('evm-137');
    expect(decodeEvmBlock(block([tx(0)])).chain).toBe('eth');
    expect(decodeEvmBlock(block([]), { chainId: 10 }).chain).toBe('evm-10');
  });

  it('refuses an option that contradicts the transactions, and transactions that disagree', () => {
    expect(catchError(() => decodeEvmBlock(block([tx(0, { chainId: '0x1' })]), { chainId: 137 })).message).toMatch(/option chainId 137 disagrees/);
    const mixed = block([tx(0, { chainId: '0x1' }), tx(1, { chainId: '0x89' })]);
    expect(catchError(() => decodeEvmBlock(mixed)).message).toMatch(/disagree on the chain id/);
  });
});
