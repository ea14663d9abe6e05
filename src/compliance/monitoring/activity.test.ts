import { describe, expect, it } from 'vitest';
import { addr, coinbase, spend, tid, tinyGraph } from '../../ingest/scenario/tiny-graph.js';
import { movementsOf } from './activity.js';
import { formatUsd } from './usd.js';
import { TEST_PRICES } from './test-support.js';

describe('customer movements', () => {
  const g = tinyGraph('btc');
  g.tx('f', { height: 1, inputs: [coinbase()], outputs: [['F', 100_000_000n]] });
  // F pays the customer (C) 30,000,000 and keeps the change.
  g.tx('in', { height: 2, inputs: [spend('f', 0)], outputs: [['C', 30_000_000n], ['F', 69_990_000n]] });
  // The customer pays X 12,000,000 with change back to its other address C2.
  g.tx('out', { height: 3, inputs: [spend('in', 0)], outputs: [['X', 12_000_000n], ['C2', 17_990_000n]] });
  // Moving between the customer's own addresses is no movement.
  g.tx('own', { height: 4, inputs: [spend('out', 1)], outputs: [['C', 17_980_000n]] });
  const linked = new Set([addr('C'), addr('C2')]);

  it('counts what leaves the customer, not the change', () => {
    const [m] = movementsOf(g.txs.get('out')!, linked, TEST_PRICES);
    expect(m).toMatchObject({ txId: tid('out'), direction: 'out', value: 12_000_000n, counterparties: [addr('X')], linkedAddresses: [addr('C')] });
    expect(formatUsd(m!.usd!)).toBe('12000.00');
  });

  it('counts what the customer receives, from the input addresses', () => {
    expect(movementsOf(g.txs.get('in')!, linked, TEST_PRICES)).toEqual([
      expect.objectContaining({ direction: 'in', value: 30_000_000n, counterparties: [addr('F')], linkedAddresses: [addr('C')] }),
    ]);
  });

  it('gives nothing for a transfer between its own addresses', () => {
    expect(movementsOf(g.txs.get('own')!, linked, TEST_PRICES)).toEqual([]);
  });

  it('pairs account-chain transfers and leaves failed transactions out', () => {
    const e = tinyGraph('eth');
    e.transfer('pay', 'C', 'Y', 3n * 10n ** 18n, 10);
    e.transfer('get', 'Z', 'C', 10n ** 18n, 11);
    e.transfer('bad', 'C', 'Y', 10n ** 18n, 12);
    const mine = new Set([addr('C', 'eth')]);
    const [pay] = movementsOf(e.txs.get('pay')!, mine, TEST_PRICES);
    expect(pay).toMatchObject({ direction: 'out', value: 3n * 10n ** 18n, counterparties: [addr('Y', 'eth')] });
    expect(formatUsd(pay!.usd!)).toBe('6000.00'); // 3 ETH x 2,000
    expect(movementsOf(e.txs.get('get')!, mine, TEST_PRICES)[0]).toMatchObject({ direction: 'in', counterparties: [addr('Z', 'eth')] });
    expect(movementsOf({ ...e.txs.get('bad')!, status: 'failed' }, mine, TEST_PRICES)).toEqual([]);
  });
});
