/**
 * Peel chain: a linked address takes part in a peel chain (pays into a hop, receives its change, or
 * receives a peel) of at least minLength hops, found by analytics/peel-chain through the peel-chain probe
 * (Meiklejohn et al., "A Fistful of Bitcoins", IMC 2013, section 4.3). One hit per chain (first hop).
 */
import { PPM } from '../../../analytics/peel-chain/index.js';
import { buildEvidence, paramReader, type MonitoringRule, type RuleHit, type RuleParamsBase } from '../rule.js';

export interface PeelChainParams extends RuleParamsBase {
  minLength: number;
  /** Largest peel, percent of what a hop sends on (the hop shape). */
  maxPeelPercent: number;
}

export const peelChain: MonitoringRule<PeelChainParams> = {
  id: 'peel-chain',
  name: 'Peel chain',
  description: 'taking part in a peel chain',
  defaults: { enabled: true, score: 50, minLength: 3, maxPeelPercent: 20 },
  parseParams(raw) {
    const r = paramReader(this.id, this.defaults, raw);
    return { enabled: r.bool('enabled'), score: r.int('score', 0, 100), minLength: r.int('minLength', 2, 1000), maxPeelPercent: r.int('maxPeelPercent', 1, 49) };
  },
  async run(ctx, p) {
    if (ctx.addresses.length === 0) return [];
    const found = await ctx.probes.peelChains.peelChainsThrough(ctx.addresses, { minLength: p.minLength, maxPeelRatioPpm: (p.maxPeelPercent * PPM) / 100 });
    const byStart = new Map<string, { roles: Set<string>; addresses: Set<string>; txIds: Set<string>; touch: NonNullable<ReturnType<typeof found.get>>[number] }>();
    for (const address of [...ctx.addresses].sort()) {
      for (const t of found.get(address) ?? []) {
        const e = byStart.get(t.startTxId) ?? { roles: new Set<string>(), addresses: new Set<string>(), txIds: new Set<string>(), touch: t };
        t.roles.forEach((r) => e.roles.add(r));
        t.txIds.forEach((x) => e.txIds.add(x));
        e.addresses.add(address);
        byStart.set(t.startTxId, e);
      }
    }
    const hits: RuleHit[] = [];
    for (const [start, e] of [...byStart.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const chain = e.touch.chain;
      const movements = ctx.movements.filter((m) => e.txIds.has(m.txId));
      hits.push({
        key: `peel-chain:${start}`,
        score: p.score,
        summary: `${[...e.addresses].join(', ')} ${[...e.roles].join('/')} in a ${chain.length}-hop peel chain starting at ${start} (${chain.totalPeeled} base units peeled)`,
        evidence: buildEvidence(movements, [], {
          startTxId: start,
          length: chain.length,
          totalPeeled: chain.totalPeeled.toString(),
          roles: [...e.roles],
          hops: chain.hops.map((h) => ({ txId: h.txId, peelAddress: h.peelAddress, peelValue: h.peelValue.toString(), changeAddress: h.changeAddress, changeValue: h.changeValue.toString() })),
        }),
      });
    }
    return hits;
  },
};
