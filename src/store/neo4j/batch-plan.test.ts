import { describe, expect, it } from 'vitest';
import type { Block, Transaction, TxInput } from '../../model/transaction.js';
import { outpointKey } from './block-plan.js';
import { newTransactions, planBatchWrite } from './batch-plan.js';

const A = 'btc:A';
const B = 'btc:B';
const C = 'btc:C';

function tx(id: string, height: number, position: number, inputs: TxInput[], outputs: [string | null, bigint][], opts: { coinbase?: boolean } = {}): Transaction {
  return {
    id,
    chain: 'btc',
    hash: id.slice(4),
    blockHash: `h${height}`,
    height,
    time: 1000 + height,
    position,
    coinbase: opts.coinbase ?? false,
    status: 'ok',
    fee: null,
    inputs,
    outputs: outputs.map(([address, value], index) => ({ index, address, value, asset: 'BTC', scriptType: address ? 'p2wpkh' : 'nulldata' })),
  };
}
const rawInput = (index: number, txId: string, vout: number): TxInput => ({ index, address: null, value: null, asset: 'BTC', spends: { txId, vout } });
const block = (height: number, transactions: Transaction[]): Block => ({ chain: 'btc', height, hash: `h${height}`, time: 1000 + height, transactions });

describe('newTransactions', () => {
  it('keeps a transaction id once, under the first block of the batch, and leaves out stored ones', () => {
    const mint = tx('btc:m', 1, 0, [], [[A, 50n]], { coinbase: true });
    const old = tx('btc:o', 1, 1, [], [[A, 1n]], { coinbase: true });
    const repeat = { ...mint, height: 2, blockHash: 'h2' };
    const other = tx('btc:x', 2, 1, [], [[B, 1n]], { coinbase: true });
    const got = newTransactions([block(1, [mint, old]), block(2, [repeat, other])], new Set(['btc:o']));
    expect(got.map((list) => list.map((t) => t.id))).toEqual([['btc:m'], ['btc:x']]);
  });
});

describe('planBatchWrite', () => {
  it('writes an input that a later block of the batch resolves in its final state, with the counts of separate writes', () => {
    // Block 1 spends m:0 before block 2 brings m: as separate writes, block 2 backfills the input.
    const spender = tx('btc:s', 1, 0, [rawInput(0, 'btc:m', 0)], [[B, 40n]]);
    const mint = tx('btc:m', 2, 0, [], [[A, 50n]], { coinbase: true });
    const blocks = [block(1, [spender]), block(2, [mint])];
    const plan = planBatchWrite({ blocks, newTxs: [[spender], [mint]], storedOutputs: new Map(), spenders: [], chainFees: new Map([['btc', 7n]]) });
    expect(plan.txs.map((p) => [p.tx.id, p.inputs[0]?.value ?? null, p.inputs[0]?.address ?? null, p.unresolved, p.fee])).toEqual([
      ['btc:s', 50n, A, 0, 10n],
      ['btc:m', null, null, 0, null],
    ]);
    expect(plan.txs[0]!.inputs[0]!.addressSource).toBe('prevout');
    // Hand: block 1 cannot know its fee; block 2 resolves the input and completes the fee 50 - 40 = 10.
    expect(plan.blocks.map((b) => b.counts)).toEqual([
      { inputs: 1, resolvedInputs: 0, backfilledInputs: 0, outputs: 1, fees: 0n, unknownFees: 1 },
      { inputs: 0, resolvedInputs: 1, backfilledInputs: 1, outputs: 1, fees: 10n, unknownFees: 0 },
    ]);
    expect(plan.blocks.map((b) => b.change)).toEqual([
      { txIds: ['btc:s'], addresses: [B] },
      { txIds: ['btc:m'], addresses: [A] },
    ]);
    expect(plan.backfills).toEqual([]);
    expect(plan.txUpdates).toEqual([]);
    expect(plan.chainFees).toEqual(new Map([['btc', 17n]]));
  });

  it('resolves an input from an earlier block of the batch at insert', () => {
    const mint = tx('btc:m', 1, 0, [], [[A, 50n]], { coinbase: true });
    const spender = tx('btc:s', 2, 0, [rawInput(0, 'btc:m', 0)], [[B, 45n]]);
    const plan = planBatchWrite({ blocks: [block(1, [mint]), block(2, [spender])], newTxs: [[mint], [spender]], storedOutputs: new Map(), spenders: [], chainFees: new Map() });
    expect(plan.blocks[1]!.counts).toEqual({ inputs: 1, resolvedInputs: 1, backfilledInputs: 0, outputs: 1, fees: 5n, unknownFees: 0 });
    expect(plan.txs[1]!.inputs[0]).toMatchObject({ address: A, value: 50n });
  });

  it('folds the updates of a stored transaction that two blocks of the batch complete into one', () => {
    // Stored: old spends a:0 and b:0, both unknown; outputs 70. Block 1 brings a (30), block 2 brings b (50).
    const a = tx('btc:a', 1, 0, [], [[A, 30n]], { coinbase: true });
    const b = tx('btc:b', 2, 0, [], [[C, 50n]], { coinbase: true });
    const plan = planBatchWrite({
      blocks: [block(1, [a]), block(2, [b])],
      newTxs: [[a], [b]],
      storedOutputs: new Map(),
      spenders: [
        {
          txId: 'btc:old',
          unresolved: 2,
          coinbase: false,
          pending: [
            { index: 0, prevTxId: 'btc:a', prevVout: 0 },
            { index: 1, prevTxId: 'btc:b', prevVout: 0 },
          ],
          inputs: [
            { index: 0, value: null },
            { index: 1, value: null },
          ],
          outputs: [70n],
        },
      ],
      chainFees: new Map([['btc', 0n]]),
    });
    expect(plan.backfills).toEqual([
      { chain: 'btc', txId: 'btc:old', index: 0, address: A, value: 30n },
      { chain: 'btc', txId: 'btc:old', index: 1, address: C, value: 50n },
    ]);
    // Hand: 30 + 50 - 70 = 10, known after block 2 only.
    expect(plan.txUpdates).toEqual([{ id: 'btc:old', unresolved: 0, fee: 10n }]);
    expect(plan.blocks.map((x) => [x.counts.backfilledInputs, x.counts.fees])).toEqual([
      [1, 0n],
      [1, 10n],
    ]);
  });

  it('counts an address as new for the first block of the batch that mentions it', () => {
    const one = tx('btc:1', 1, 0, [], [[A, 1n]], { coinbase: true });
    const two = tx('btc:2', 2, 0, [], [[A, 1n], [B, 1n]], { coinbase: true });
    const plan = planBatchWrite({ blocks: [block(1, [one]), block(2, [two])], newTxs: [[one], [two]], storedOutputs: new Map(), spenders: [], chainFees: new Map() });
    expect(plan.addresses).toEqual([
      { id: A, chain: 'btc', block: 0 },
      { id: B, chain: 'btc', block: 1 },
    ]);
  });

  it('reads a stored output for an input of any block', () => {
    const spender = tx('btc:s', 2, 0, [rawInput(0, 'btc:old', 1)], [[B, 5n]]);
    const plan = planBatchWrite({
      blocks: [block(1, []), block(2, [spender])],
      newTxs: [[], [spender]],
      storedOutputs: new Map([[outpointKey('btc:old', 1), { address: A, value: 9n }]]),
      spenders: [],
      chainFees: new Map(),
    });
    expect(plan.txs[0]).toMatchObject({ fee: 4n, unresolved: 0 });
  });

  it('refuses the batch at a block that spends more than it has, naming the block and the transaction', () => {
    const mint = tx('btc:m', 1, 0, [], [[A, 50n]], { coinbase: true });
    const over = tx('btc:s', 2, 0, [rawInput(0, 'btc:m', 0)], [[B, 51n]]);
    expect(() => planBatchWrite({ blocks: [block(1, [mint]), block(2, [over])], newTxs: [[mint], [over]], storedOutputs: new Map(), spenders: [], chainFees: new Map() })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', context: { tx: 'btc:s', block: 'btc:2:h2' }, message: 'transaction spends less than it creates: inputs minus outputs = -1' }),
    );
  });
});
