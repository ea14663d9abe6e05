/**
 * Test support for the monitoring rules: writes a tiny literal graph and its labels into a throwaway
 * embedded store, and gives a rule context over it with the real graph probes. Used by tests only.
 */
import { openEmbeddedStore, type EmbeddedStore } from '../../store/embedded/embedded-store.js';
import type { Label } from '../../model/label.js';
import type { AddressId } from '../../model/address.js';
import type { TinyGraph } from '../../ingest/scenario/tiny-graph.js';
import { addr } from '../../ingest/scenario/tiny-graph.js';
import { loadFatfLists } from '../kyc/fatf-lists.js';
import { collectMovements } from './activity.js';
import { graphPeelChains, graphProximity, labelJurisdictions, type JurisdictionConfig } from './graph-probes.js';
import type { RuleContext } from './rule.js';
import { parsePriceTable } from './usd.js';

/** 100,000 USD per BTC: 1 USD = 1,000 sat. */
export const TEST_PRICES = parsePriceTable({ asOf: 'test prices', usdPerUnit: { BTC: '100000', ETH: '2000' } });

export async function storeWith(g: TinyGraph, labels: { name: string; category: Label['category']; actor?: string; detail?: Record<string, unknown> }[] = []): Promise<EmbeddedStore> {
  const store = await openEmbeddedStore({ dir: ':memory:' });
  for (const b of g.blocks()) await store.writeBlock(b);
  if (labels.length > 0) {
    await store.importLabels(
      'test',
      labels.map((l) => ({ address: addr(l.name, g.chain), category: l.category, label: `${l.category} ${l.name}`, source: 'test', confidence: 100, actor: l.actor ?? null, ...(l.detail ? { detail: l.detail } : {}) })),
    );
  }
  return store;
}

export async function ruleContext(
  store: EmbeddedStore,
  customer: AddressId[],
  options: { asOf?: number; jurisdictions?: JurisdictionConfig } = {},
): Promise<RuleContext> {
  const movements = await collectMovements(store, customer, TEST_PRICES);
  const asOf = options.asOf ?? Math.max(0, ...movements.map((m) => m.time));
  return {
    customerId: 'cust-test',
    addresses: customer,
    movements,
    asOf,
    prices: TEST_PRICES,
    fatf: loadFatfLists(),
    probes: {
      proximity: graphProximity(store),
      peelChains: graphPeelChains(store),
      jurisdictions: labelJurisdictions(store, options.jurisdictions ?? { byAddress: {}, byActor: {} }),
    },
  };
}
