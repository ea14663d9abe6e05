/**
 * Every monitoring rule on tiny literal graphs. Prices: 100,000 USD/BTC, so 1 USD = 1,000 sat and
 * 10,000 USD = 10,000,000 sat. Every transaction pays a 10,000 sat fee unless it is a coinbase. Expected
 * hits are worked out by hand in the comments.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { addr, coinbase, spend, tid, tinyGraph, type TinyGraph } from '../../../ingest/scenario/tiny-graph.js';
import type { EmbeddedStore } from '../../../store/embedded/embedded-store.js';
import { ruleContext, storeWith } from '../test-support.js';
import { RULES } from './index.js';
import type { RuleId } from '../rule.js';

const T = 1_700_000_000;
const H = 3600;
const DAY = 86_400;
const C = addr('C');

let open: EmbeddedStore[] = [];
afterEach(async () => {
  for (const s of open) await s.close();
  open = [];
});

async function run(id: RuleId, g: TinyGraph, options: { labels?: Parameters<typeof storeWith>[1]; params?: Record<string, unknown>; customer?: string[]; asOf?: number; jurisdictions?: { byAddress: Record<string, string>; byActor: Record<string, string> } } = {}) {
  const store = await storeWith(g, options.labels ?? []);
  open.push(store);
  const ctx = await ruleContext(store, (options.customer ?? ['C']).map((n) => addr(n)), { asOf: options.asOf, jurisdictions: options.jurisdictions });
  const rule = RULES[id];
  return rule.run(ctx, rule.parseParams(options.params ?? {}));
}

/** F is funded with 10 BTC, then pays C each amount at its time, keeping the change. */
function deposits(amounts: [value: bigint, time: number][]): TinyGraph {
  const g = tinyGraph('btc');
  g.tx('f', { height: 1, time: T - 10 * DAY, inputs: [coinbase()], outputs: [['F', 1_000_000_000n]] });
  let prev = 'f';
  let vout = 0;
  let left = 1_000_000_000n;
  amounts.forEach(([value, time], i) => {
    left -= value + 10_000n;
    g.tx(`d${i + 1}`, { height: 2 + i, time, inputs: [spend(prev, vout)], outputs: [['C', value], ['F', left]] });
    prev = `d${i + 1}`;
    vout = 1;
  });
  return g;
}

describe('large transaction', () => {
  function graph() {
    const g = tinyGraph('btc');
    g.tx('f1', { height: 1, time: T, inputs: [coinbase()], outputs: [['F', 100_000_000n]] });
    // 10,000,000 sat = exactly 10,000 USD: at the threshold.
    g.tx('in1', { height: 2, time: T + 600, inputs: [spend('f1', 0)], outputs: [['C', 10_000_000n], ['F', 89_990_000n]] });
    // 9,999,999 sat = 9,999.999 USD: below.
    g.tx('in2', { height: 3, time: T + 1200, inputs: [spend('in1', 1)], outputs: [['C', 9_999_999n], ['F', 79_980_001n]] });
    // C sends 15,000,000 sat = 15,000 USD to X (19,999,999 in - 15,000,000 - 10,000 fee = 4,989,999 change).
    g.tx('out1', { height: 4, time: T + 1800, inputs: [spend('in1', 0), spend('in2', 0)], outputs: [['X', 15_000_000n], ['C', 4_989_999n]] });
    return g;
  }

  it('flags movements at or above 10,000 USD, in and out, and not 9,999.999 USD', async () => {
    const hits = await run('large-transaction', graph());
    expect(hits.map((h) => [h.key, h.score, h.evidence.transactions[0]!.usd])).toEqual([
      [`large-transaction:${tid('in1')}:in`, 40, '10000.00'],
      [`large-transaction:${tid('out1')}:out`, 40, '15000.00'],
    ]);
  });

  it('takes its threshold and directions from the parameters', async () => {
    expect((await run('large-transaction', graph(), { params: { directions: ['out'] } })).map((h) => h.key)).toEqual([`large-transaction:${tid('out1')}:out`]);
    expect((await run('large-transaction', graph(), { params: { thresholdUsd: '15000.01' } })).length).toBe(0);
  });
});

describe('structuring', () => {
  it('flags three deposits of 9,999 USD within 24 h (the issue example)', async () => {
    const hits = await run('structuring', deposits([[9_999_000n, T], [9_999_000n, T + 8 * H], [9_999_000n, T + 16 * H]]));
    expect(hits).toHaveLength(1);
    expect(hits[0]!.key).toBe(`structuring:in:${tid('d1')}`);
    expect(hits[0]!.evidence.transactions.map((t) => [t.txId, t.usd])).toEqual([
      [tid('d1'), '9999.00'],
      [tid('d2'), '9999.00'],
      [tid('d3'), '9999.00'],
    ]);
    // 3 x 9,999 = 29,997; band from 10,000 x 90% = 9,000; span 16 h = 57,600 s.
    expect(hits[0]!.evidence.facts).toMatchObject({ count: 3, totalUsd: '29997.00', bandFromUsd: '9000.00', spanSeconds: 57_600, direction: 'in' });
  });

  it('counts a deposit exactly 24 h after the first as inside the window', async () => {
    expect(await run('structuring', deposits([[9_999_000n, T], [9_999_000n, T + 12 * H], [9_999_000n, T + 24 * H]]))).toHaveLength(1);
    expect(await run('structuring', deposits([[9_999_000n, T], [9_999_000n, T + 12 * H], [9_999_000n, T + 24 * H + 1]]))).toEqual([]);
  });

  it('does not flag them when the third falls outside the 24 h window', async () => {
    // windows from d1: {d1, d2} (2); from d2: {d2, d3} (17 h apart, 2): never 3.
    expect(await run('structuring', deposits([[9_999_000n, T], [9_999_000n, T + 8 * H], [9_999_000n, T + 25 * H]]))).toEqual([]);
  });

  it('counts 9,000 USD (the band floor) but not 8,999 USD nor 10,000 USD', async () => {
    expect(await run('structuring', deposits([[9_000_000n, T], [9_000_000n, T + H], [9_000_000n, T + 2 * H]]))).toHaveLength(1);
    expect(await run('structuring', deposits([[8_999_000n, T], [8_999_000n, T + H], [8_999_000n, T + 2 * H]]))).toEqual([]);
    expect(await run('structuring', deposits([[10_000_000n, T], [10_000_000n, T + H], [10_000_000n, T + 2 * H]]))).toEqual([]);
  });

  it('makes separate groups of separate bursts', async () => {
    const g = deposits([
      [9_500_000n, T],
      [9_500_000n, T + H],
      [9_500_000n, T + 2 * H],
      [9_500_000n, T + 30 * H],
      [9_500_000n, T + 31 * H],
      [9_500_000n, T + 32 * H],
    ]);
    expect((await run('structuring', g)).map((h) => h.key)).toEqual([`structuring:in:${tid('d1')}`, `structuring:in:${tid('d4')}`]);
  });
});

describe('rapid round trip', () => {
  function graph(back: number, to = 'F') {
    const g = tinyGraph('btc');
    g.tx('f', { height: 1, time: T - DAY, inputs: [coinbase()], outputs: [['F', 100_000_000n]] });
    g.tx('dep', { height: 2, time: T, inputs: [spend('f', 0)], outputs: [['C', 5_000_000n], ['F', 94_990_000n]] });
    g.tx('wd', { height: 3, time: T + back, inputs: [spend('dep', 0)], outputs: [[to, 4_990_000n]] });
    return g;
  }

  it('flags a deposit sent back to its sender 30 minutes later', async () => {
    const hits = await run('rapid-round-trip', graph(30 * 60));
    expect(hits.map((h) => [h.key, h.evidence.facts.minutes, h.evidence.facts.returnedTo])).toEqual([[`rapid-round-trip:${tid('dep')}:${tid('wd')}`, 30, [addr('F')]]]);
  });

  it('does not flag a return after 61 minutes, nor a withdrawal to another address', async () => {
    expect(await run('rapid-round-trip', graph(61 * 60))).toEqual([]);
    expect(await run('rapid-round-trip', graph(10 * 60, 'G'))).toEqual([]);
  });
});

describe('high-risk jurisdiction', () => {
  function graph() {
    const g = tinyGraph('btc');
    g.tx('f', { height: 1, time: T, inputs: [coinbase()], outputs: [['C', 100_000_000n]] });
    g.tx('r1', { height: 2, time: T + 600, inputs: [spend('f', 0)], outputs: [['IRX', 5_000_000n], ['C', 94_990_000n]] });
    g.tx('r2', { height: 3, time: T + 1200, inputs: [spend('r1', 1)], outputs: [['KEX', 3_000_000n], ['C', 91_980_000n]] });
    g.tx('r3', { height: 4, time: T + 1800, inputs: [spend('r2', 1)], outputs: [['ATX', 2_000_000n], ['C', 89_970_000n]] });
    return g;
  }
  const labels = [
    { name: 'IRX', category: 'exchange' as const, actor: 'nobitex' },
    { name: 'KEX', category: 'exchange' as const, detail: { country: 'KE' } },
    { name: 'ATX', category: 'exchange' as const, actor: 'bitpanda' },
  ];
  const jurisdictions = { byAddress: {}, byActor: { nobitex: 'IR', bitpanda: 'AT' } };

  it('flags a remittance to Iran (black list) and to Kenya (grey list), not to Austria (the issue example)', async () => {
    const hits = await run('high-risk-jurisdiction', graph(), { labels, jurisdictions });
    expect(hits.map((h) => [h.key, h.score, h.evidence.facts.country, h.evidence.facts.list, h.evidence.transactions[0]!.usd])).toEqual([
      [`high-risk-jurisdiction:${tid('r1')}:${addr('IRX')}`, 85, 'IR', 'black', '5000.00'],
      [`high-risk-jurisdiction:${tid('r2')}:${addr('KEX')}`, 60, 'KE', 'grey', '3000.00'],
    ]);
    expect(hits[0]!.evidence.facts.fatfAsOf).toBe('2025-10-24');
  });

  it('adds configured extra countries and can leave the grey list out', async () => {
    const extra = await run('high-risk-jurisdiction', graph(), { labels, jurisdictions, params: { extraCountries: ['at'], lists: ['black'] } });
    expect(extra.map((h) => [h.evidence.facts.country, h.evidence.facts.list])).toEqual([
      ['IR', 'black'],
      ['AT', 'internal'],
    ]);
  });
});

describe('behavioural spike', () => {
  // Baseline: 1,000 USD at asOf - 100 d, - 80 d, - 40 d: 3,000 USD over (asOf - 120 d, asOf - 30 d];
  // average per 30 days = 3,000 x 30 / 90 = 1,000 USD.
  const A = T + 200 * DAY;
  const graph = (recent: bigint) =>
    deposits([
      [1_000_000n, A - 100 * DAY],
      [1_000_000n, A - 80 * DAY],
      [1_000_000n, A - 40 * DAY],
      [recent, A],
    ]);

  it('flags 2,500 USD in the last 30 days: 250% of the average', async () => {
    const hits = await run('behavioural-spike', graph(2_500_000n), { asOf: A });
    expect(hits.map((h) => h.evidence.facts)).toEqual([
      expect.objectContaining({ recentUsd: '2500.00', baselineUsd: '3000.00', averageUsdPerPeriod: '1000.00', ratioPercent: '250.0', recentCount: 1, baselineCount: 3 }),
    ]);
    // asOf = 1,700,000,000 (2023-11-14T22:13:20Z) + 200 days = 2024-06-01T22:13:20Z (2024 is a leap year).
    expect(hits[0]!.key).toBe('behavioural-spike:volume:2024-06-01');
  });

  it('does not flag exactly 200% (2,000 USD): the rule is "above"', async () => {
    expect(await run('behavioural-spike', graph(2_000_000n), { asOf: A })).toEqual([]);
  });

  it('does not flag a customer without baseline activity', async () => {
    expect(await run('behavioural-spike', deposits([[50_000_000n, A]]), { asOf: A })).toEqual([]);
  });
});

describe('mixer interaction', () => {
  it('flags a withdrawal to a mixer, 1 hop (the issue example)', async () => {
    const g = tinyGraph('btc');
    g.tx('f', { height: 1, time: T, inputs: [coinbase()], outputs: [['C', 100_000_000n]] });
    g.tx('w', { height: 2, time: T + 600, inputs: [spend('f', 0)], outputs: [['MIX', 50_000_000n], ['C', 49_990_000n]] });
    const hits = await run('mixer-interaction', g, { labels: [{ name: 'MIX', category: 'mixer' }] });
    expect(hits.map((h) => [h.key, h.score])).toEqual([[`mixer-interaction:${C}:out:${addr('MIX')}`, 80]]);
    expect(hits[0]!.evidence.paths).toEqual([{ address: C, target: addr('MIX'), category: 'mixer', hops: 1, direction: 'out', addresses: [C, addr('MIX')], txIds: [tid('w')] }]);
    expect(hits[0]!.evidence.transactions.map((t) => [t.txId, t.direction, t.value])).toEqual([[tid('w'), 'out', '50000000']]);
  });

  it('flags indirect contact 2 hops away with a lower score (80 - 15), and not beyond maxHops', async () => {
    const g = tinyGraph('btc');
    g.tx('f', { height: 1, time: T, inputs: [coinbase()], outputs: [['C', 100_000_000n]] });
    g.tx('p', { height: 2, time: T + 600, inputs: [spend('f', 0)], outputs: [['X', 50_000_000n], ['C', 49_990_000n]] });
    g.tx('q', { height: 3, time: T + 1200, inputs: [spend('p', 0)], outputs: [['MIX', 49_990_000n]] });
    const labels = [{ name: 'MIX', category: 'mixer' as const }];
    const hits = await run('mixer-interaction', g, { labels });
    expect(hits.map((h) => [h.score, h.evidence.paths[0]!.addresses, h.evidence.paths[0]!.txIds])).toEqual([[65, [C, addr('X'), addr('MIX')], [tid('p'), tid('q')]]]);
    expect(await run('mixer-interaction', g, { labels, params: { maxHops: 1 } })).toEqual([]);
  });

  it('flags funds received from a mixer', async () => {
    const g = tinyGraph('btc');
    g.tx('f', { height: 1, time: T, inputs: [coinbase()], outputs: [['MIX', 100_000_000n]] });
    g.tx('m', { height: 2, time: T + 600, inputs: [spend('f', 0)], outputs: [['C', 99_990_000n]] });
    const hits = await run('mixer-interaction', g, { labels: [{ name: 'MIX', category: 'mixer' }] });
    expect(hits.map((h) => [h.evidence.paths[0]!.direction, h.evidence.paths[0]!.addresses])).toEqual([['in', [addr('MIX'), C]]]);
  });
});

describe('sanctioned counterparty', () => {
  function graph(via: string) {
    const g = tinyGraph('btc');
    g.tx('f', { height: 1, time: T, inputs: [coinbase()], outputs: [['S', 100_000_000n]] });
    g.tx('a', { height: 2, time: T + 600, inputs: [spend('f', 0)], outputs: [[via, 99_990_000n]] });
    g.tx('b', { height: 3, time: T + 1200, inputs: [spend('a', 0)], outputs: [['C', 99_980_000n]] });
    return g;
  }

  it('flags a sanctioned address 2 hops upstream (95 - 15 = 80), with the path', async () => {
    const hits = await run('sanctioned-counterparty', graph('X'), { labels: [{ name: 'S', category: 'sanctioned' }] });
    expect(hits.map((h) => [h.key, h.score, h.evidence.paths[0]!.addresses, h.evidence.paths[0]!.txIds])).toEqual([
      [`sanctioned-counterparty:${C}:in:${addr('S')}`, 80, [addr('S'), addr('X'), C], [tid('a'), tid('b')]],
    ]);
    expect(await run('sanctioned-counterparty', graph('X'), { labels: [{ name: 'S', category: 'sanctioned' }], params: { maxHops: 1 } })).toEqual([]);
  });

  it('does not walk through an exchange', async () => {
    const labels = [
      { name: 'S', category: 'sanctioned' as const },
      { name: 'EXH', category: 'exchange' as const },
    ];
    expect(await run('sanctioned-counterparty', graph('EXH'), { labels })).toEqual([]);
  });

  it("flags the customer's own sanctioned address at hop 0 with the full score", async () => {
    const hits = await run('sanctioned-counterparty', graph('X'), { labels: [{ name: 'C', category: 'sanctioned' }] });
    expect(hits.map((h) => [h.evidence.paths[0]!.hops, h.evidence.paths[0]!.direction, h.score])).toEqual([
      [0, 'in', 95],
      [0, 'out', 95],
    ]);
  });
});

describe('mule pattern', () => {
  /** Senders S1..S5 (or a pair co-spending) each pay C 1,000 USD an hour apart; then C forwards `forward`. */
  function graph(forward: bigint, coSpend = false) {
    const g = tinyGraph('btc');
    for (let i = 1; i <= 5; i++) g.tx(`f${i}`, { height: 1, time: T - DAY, inputs: [coinbase()], outputs: [[`S${i}`, 10_000_000n]] });
    const deposits: string[] = [];
    if (coSpend) {
      // S1 and S2 pay together: one owner by common-input ownership.
      g.tx('d12', { height: 2, time: T, inputs: [spend('f1', 0), spend('f2', 0)], outputs: [['C', 2_000_000n], ['S1', 17_990_000n]] });
      deposits.push('d12');
    }
    for (let i = coSpend ? 3 : 1; i <= 5; i++) {
      g.tx(`d${i}`, { height: 2 + i, time: T + i * H, inputs: [spend(`f${i}`, 0)], outputs: [['C', 1_000_000n], [`S${i}`, 8_990_000n]] });
      deposits.push(`d${i}`);
    }
    const total = 5_000_000n; // five times 1,000,000 sat, or 2,000,000 + three times 1,000,000
    g.tx('w', { height: 20, time: T + 8 * H, inputs: deposits.map((d) => spend(d, 0)), outputs: [['W', forward], ['C', total - forward - 10_000n]] });
    return g;
  }

  it('flags five unrelated senders (5,000 USD) then one withdrawal of 4,900 USD (98%, at least 80%)', async () => {
    const hits = await run('mule-pattern', graph(4_900_000n));
    expect(hits.map((h) => [h.key, h.evidence.facts.senders, h.evidence.facts.deposits, h.evidence.facts.depositedUsd, h.evidence.facts.forwardedUsd])).toEqual([
      [`mule-pattern:${tid('w')}`, 5, 5, '5000.00', '4900.00'],
    ]);
    expect(hits[0]!.evidence.transactions).toHaveLength(6);
  });

  it('counts co-spending senders as one: four unrelated senders are not enough', async () => {
    expect(await run('mule-pattern', graph(4_900_000n, true))).toEqual([]);
    expect(await run('mule-pattern', graph(4_900_000n, true), { params: { minSenders: 4 } })).toHaveLength(1);
  });

  it('does not flag a withdrawal of 3,000 USD (60% of the deposits)', async () => {
    expect(await run('mule-pattern', graph(3_000_000n))).toEqual([]);
  });
});

describe('peel chain', () => {
  // P0 (10 BTC) peels 0.5, 0.6, 0.4, 0.45 BTC over four hops; the second peel goes to the customer C.
  function graph() {
    const g = tinyGraph('btc');
    g.tx('f', { height: 1, time: T, inputs: [coinbase()], outputs: [['P0', 1_000_000_000n]] });
    g.tx('h1', { height: 2, time: T + 600, inputs: [spend('f', 0)], outputs: [['R1', 50_000_000n], ['P1', 949_990_000n]] });
    g.tx('h2', { height: 3, time: T + 1200, inputs: [spend('h1', 1)], outputs: [['C', 60_000_000n], ['P2', 889_980_000n]] });
    g.tx('h3', { height: 4, time: T + 1800, inputs: [spend('h2', 1)], outputs: [['R3', 40_000_000n], ['P3', 849_970_000n]] });
    g.tx('h4', { height: 5, time: T + 2400, inputs: [spend('h3', 1)], outputs: [['R4', 45_000_000n], ['P4', 804_960_000n]] });
    return g;
  }

  it('flags a customer who receives a peel of a 4-hop chain (peeled 50 + 60 + 40 + 45 = 195,000,000 sat)', async () => {
    const hits = await run('peel-chain', graph());
    expect(hits.map((h) => [h.key, h.evidence.facts.length, h.evidence.facts.totalPeeled, h.evidence.facts.roles])).toEqual([
      [`peel-chain:${tid('h1')}`, 4, '195000000', ['recipient']],
    ]);
    expect(hits[0]!.evidence.transactions.map((t) => [t.txId, t.value])).toEqual([[tid('h2'), '60000000']]);
  });

  it('flags the change address as a link of the chain, and nothing for an outsider or a too-short chain', async () => {
    expect((await run('peel-chain', graph(), { customer: ['P2'] })).map((h) => h.evidence.facts.roles)).toEqual([['change', 'sender']]);
    expect(await run('peel-chain', graph(), { customer: ['R9'] })).toEqual([]);
    expect(await run('peel-chain', graph(), { params: { minLength: 5 } })).toEqual([]);
  });
});

describe('rule parameters', () => {
  it('refuse unknown names and out-of-range values, naming the rule', () => {
    expect(() => RULES.structuring.parseParams({ windowHour: 24 })).toThrow(/monitoring rule structuring: unknown parameter "windowHour"/);
    expect(() => RULES.structuring.parseParams({ minCount: 1 })).toThrow(/monitoring rule structuring: parameter minCount must be an integer from 2 to 1000, got 1/);
    expect(() => RULES['large-transaction'].parseParams({ thresholdUsd: 10000 })).toThrow(/thresholdUsd must be a USD amount/);
    expect(() => RULES['mixer-interaction'].parseParams({ categories: ['blender'] })).toThrow(/categories must be a list of/);
  });
});
