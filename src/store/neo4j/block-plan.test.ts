import { describe, expect, it } from 'vitest';
import type { Block, Transaction, TxInput } from '../../model/transaction.js';
import { outpointKey, outpointsToLookUp, planBlockWrite } from './block-plan.js';

const A = 'btc:A';
const B = 'btc:B';

function tx(id: string, position: number, inputs: TxInput[], outputs: [string | null, bigint][], opts: { coinbase?: boolean; fee?: bigint | null } = {}): Transaction {
  return {
    id,
    chain: 'btc',
    hash: id.slice(4),
    blockHash: 'h',
    height: 7,
    time: 1000,
    position,
    coinbase: opts.coinbase ?? false,
    status: 'ok',
    fee: opts.fee ?? null,
    inputs,
    outputs: outputs.map(([address, value], index) => ({ index, address, value, asset: 'BTC', scriptType: address ? 'p2wpkh' : 'nulldata' })),
  };
}
const rawInput = (index: number, txId: string, vout: number): TxInput => ({ index, address: null, value: null, asset: 'BTC', spends: { txId, vout } });
const block = (transactions: Transaction[]): Block => ({ chain: 'btc', height: 7, hash: 'h', time: 1000, transactions });

describe('planBlockWrite', () => {
  it('backfills an input whose spent output comes later in the same block, and then computes its fee', () => {
    const spender = tx('btc:s', 0, [rawInput(0, 'btc:m', 0)], [[B, 40n]]);
    const mint = tx('btc:m', 1, [], [[A, 50n]], { coinbase: true });
    const plan = planBlockWrite({ block: block([spender, mint]), newTxs: [spender, mint], storedOutputs: new Map(), spenders: [], chainFees: 100n });
    expect(plan.txs[0]!.inputs).toEqual([{ index: 0, address: A, value: 50n, asset: 'BTC', spends: { txId: 'btc:m', vout: 0 }, addressSource: 'prevout' }]);
    // Hand: fee 50 - 40 = 10, known only once mint's output backfilled the input.
    expect(plan.txs[0]).toMatchObject({ fee: 10n, unresolved: 0 });
    expect(plan.txs[1]).toMatchObject({ fee: null, unresolved: 0 });
    expect(plan.counts).toEqual({ inputs: 1, resolvedInputs: 1, backfilledInputs: 1, outputs: 2, fees: 10n, unknownFees: 1 });
    expect(plan.chainFees).toBe(110n);
    expect(plan.backfills).toEqual([]);
    expect(plan.change).toEqual({ txIds: ['btc:s', 'btc:m'], addresses: [B, A] });
  });

  it('resolves an input from an output earlier in the block at insert, without a backfill', () => {
    const mint = tx('btc:m', 0, [], [[A, 50n]], { coinbase: true });
    const spender = tx('btc:s', 1, [rawInput(0, 'btc:m', 0)], [[B, 45n]]);
    const plan = planBlockWrite({ block: block([mint, spender]), newTxs: [mint, spender], storedOutputs: new Map(), spenders: [], chainFees: 0n });
    expect(plan.counts).toEqual({ inputs: 1, resolvedInputs: 1, backfilledInputs: 0, outputs: 2, fees: 5n, unknownFees: 0 });
    expect(plan.addresses).toEqual([A, B]);
  });

  it('completes a stored transaction whose last unknown input the block resolves', () => {
    const mint = tx('btc:n', 0, [], [[A, 50n]], { coinbase: true });
    const plan = planBlockWrite({
      block: block([mint]),
      newTxs: [mint],
      storedOutputs: new Map(),
      spenders: [{ txId: 'btc:old', unresolved: 1, coinbase: false, pending: [{ index: 1, prevTxId: 'btc:n', prevVout: 0 }], inputs: [{ index: 0, value: 30n }, { index: 1, value: null }], outputs: [70n] }],
      chainFees: 0n,
    });
    expect(plan.backfills).toEqual([{ txId: 'btc:old', index: 1, address: A, value: 50n }]);
    // Hand: 30 + 50 - 70 = 10.
    expect(plan.txUpdates).toEqual([{ id: 'btc:old', unresolved: 0, fee: 10n }]);
    expect(plan.counts).toMatchObject({ resolvedInputs: 1, backfilledInputs: 1, fees: 10n });
  });

  it('takes address and value of a stored output, the prevout winning over a derived address', () => {
    const spender = tx('btc:s', 0, [{ index: 0, address: B, value: null, asset: 'BTC', spends: { txId: 'btc:old', vout: 3 }, addressSource: 'witness' }], [[B, 1n]]);
    const plan = planBlockWrite({ block: block([spender]), newTxs: [spender], storedOutputs: new Map([[outpointKey('btc:old', 3), { address: A, value: 9n }]]), spenders: [], chainFees: 0n });
    expect(plan.txs[0]!.inputs[0]).toMatchObject({ address: A, value: 9n, addressSource: 'prevout' });
    expect(plan.txs[0]!.fee).toBe(8n);
  });

  it('refuses a transaction that spends less than it creates, naming it', () => {
    const spender = tx('btc:s', 0, [{ index: 0, address: A, value: 5n, asset: 'BTC' }], [[B, 6n]]);
    expect(() => planBlockWrite({ block: block([spender]), newTxs: [spender], storedOutputs: new Map(), spenders: [], chainFees: 0n })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', context: { tx: 'btc:s' }, message: 'transaction spends less than it creates: inputs minus outputs = -1' }),
    );
  });
});

describe('outpointsToLookUp', () => {
  it('names each outpoint outside the block once, skipping complete inputs', () => {
    const inBlock = tx('btc:m', 0, [], [[A, 50n]], { coinbase: true });
    const spender = tx('btc:s', 1, [rawInput(0, 'btc:m', 0), rawInput(1, 'btc:x', 2), rawInput(2, 'btc:x', 2), { index: 3, address: A, value: 1n, asset: 'BTC', spends: { txId: 'btc:y', vout: 0 } }], [[B, 1n]]);
    expect(outpointsToLookUp([inBlock, spender])).toEqual([{ txId: 'btc:x', vout: 2 }]);
  });
});
