/**
 * Label propagation from addresses to their cluster: what a cluster is known to be, by category, with the
 * addresses that carry each label, and every disagreement between labels reported explicitly.
 *
 * A cluster inherits every active label of its members (GraphSense's entity tags work the same way: an
 * entity is tagged by the tags of its addresses). Nothing is voted away or hidden; conflicts are listed:
 * - `entity-type`: two or more categories that each say what kind of business the entity IS (exchange,
 *   mixer, gambling, wallet_service, payment_processor, miner, bridge, defi, darknet); one entity is
 *   rarely two of these, so either the labels or the clustering is wrong.
 * - `actor`: two or more different actors (compared trimmed and case-insensitively), e.g. two exchanges.
 * - `service-and-illicit`: a service category together with an illicit-activity category (ransomware,
 *   scam, hack, fraud, terrorism), e.g. an exchange cluster holding a hack label (often the victim's
 *   address in a hack TagPack - still worth a look).
 *
 * [Reference]: Haslhofer, Stütz, Romiti, King, "GraphSense: A General-Purpose Cryptoasset Analytics
 * Platform", 2021 (address and entity tags).
 */
import { invalidInput, limitExceeded } from '../../errors.js';
import type { AddressId } from '../../model/address.js';
import { CATEGORIES, type Category } from '../../model/label.js';
import type { GraphReader } from '../../store/graph-store.js';
import type { ClusterId, PageOf, Page } from './cluster-index.js';

export interface ClusterLabelOptions {
  /** Member addresses whose labels are read per call. */
  batchSize: number;
  /** Members examined at most; beyond it, `onLimit` decides. */
  maxMembers: number;
  /** 'truncate': return what was read with `truncated: true`; 'error': throw LIMIT_EXCEEDED. */
  onLimit: 'truncate' | 'error';
}

export const DEFAULTS: ClusterLabelOptions = { batchSize: 1000, maxMembers: 100_000, onLimit: 'truncate' };

export const ENTITY_TYPE_CATEGORIES: readonly Category[] = ['exchange', 'mixer', 'gambling', 'wallet_service', 'payment_processor', 'miner', 'bridge', 'defi', 'darknet'];
export const SERVICE_CATEGORIES: readonly Category[] = ['exchange', 'wallet_service', 'payment_processor', 'gambling', 'miner', 'bridge', 'defi'];
export const ILLICIT_ACTIVITY_CATEGORIES: readonly Category[] = ['ransomware', 'scam', 'hack', 'fraud', 'terrorism'];

/** What clusterLabels needs from a cluster index. */
export interface ClusterMembership {
  size(clusterId: ClusterId): number;
  members(clusterId: ClusterId, page?: Page): PageOf<AddressId>;
}

export interface LabelRef {
  label: string;
  source: string;
  confidence: number;
  actor: string | null;
}

export interface CategorySummary {
  category: Category;
  addresses: { address: AddressId; labels: LabelRef[] }[];
  maxConfidence: number;
  /** Distinct actors named by labels of this category (as first written). */
  actors: string[];
}

export interface ActorSummary {
  /** Normalized: trimmed, lower case. */
  actor: string;
  categories: Category[];
  addresses: AddressId[];
}

export interface LabelConflict {
  kind: 'entity-type' | 'actor' | 'service-and-illicit';
  categories: Category[];
  actors: string[];
  /** The addresses whose labels take part in the conflict. */
  addresses: AddressId[];
  reason: string;
}

export interface ClusterLabelSummary {
  clusterId: ClusterId;
  size: number;
  /** Members whose labels were read (equals size unless truncated). */
  examined: number;
  truncated: boolean;
  labelledAddresses: number;
  /** In the order of CATEGORIES. */
  categories: CategorySummary[];
  actors: ActorSummary[];
  conflicts: LabelConflict[];
}

/**
 * Aggregates the active labels of a cluster's members by category and actor and reports conflicts.
 * Reads labels `batchSize` members per call. Deterministic: every list is sorted.
 */
export async function clusterLabels(
  graph: GraphReader,
  input: { clusters: ClusterMembership; clusterId: ClusterId },
  options: Partial<ClusterLabelOptions> = {},
): Promise<ClusterLabelSummary> {
  const opts = { ...DEFAULTS, ...options };
  if (!Number.isInteger(opts.batchSize) || opts.batchSize < 1 || opts.batchSize > 10_000) {
    throw invalidInput(`batchSize must be an integer between 1 and 10000, got ${String(opts.batchSize)}`);
  }
  const { clusters, clusterId } = input;
  const size = clusters.size(clusterId);
  if (size > opts.maxMembers && opts.onLimit === 'error') {
    throw limitExceeded(`cluster ${clusterId} has ${size} addresses, more than maxMembers ${opts.maxMembers}`, { clusterId, size, limit: opts.maxMembers });
  }
  const byCategory = new Map<Category, Map<AddressId, LabelRef[]>>();
  const actorNames = new Map<string, { categories: Set<Category>; addresses: Set<AddressId> }>();
  const firstSpelling = new Map<Category, Map<string, string>>();
  const labelled = new Set<AddressId>();
  let examined = 0;
  let offset: number | null = 0;
  while (offset !== null && examined < Math.min(size, opts.maxMembers)) {
    const page: PageOf<AddressId> = clusters.members(clusterId, { offset, limit: Math.min(opts.batchSize, opts.maxMembers - examined) });
    examined += page.items.length;
    offset = page.nextOffset;
    const labels = await graph.getLabels(page.items);
    for (const address of page.items) {
      for (const l of labels.get(address) ?? []) {
        labelled.add(address);
        const perAddress = byCategory.get(l.category) ?? new Map<AddressId, LabelRef[]>();
        byCategory.set(l.category, perAddress);
        const list = perAddress.get(address) ?? [];
        list.push({ label: l.label, source: l.source, confidence: l.confidence, actor: l.actor });
        perAddress.set(address, list);
        if (l.actor !== null && l.actor.trim() !== '') {
          const key = l.actor.trim().toLowerCase();
          const entry = actorNames.get(key) ?? { categories: new Set<Category>(), addresses: new Set<AddressId>() };
          entry.categories.add(l.category);
          entry.addresses.add(address);
          actorNames.set(key, entry);
          const spellings = firstSpelling.get(l.category) ?? new Map<string, string>();
          if (!spellings.has(key)) spellings.set(key, l.actor.trim());
          firstSpelling.set(l.category, spellings);
        }
      }
    }
  }

  const categories: CategorySummary[] = [];
  for (const category of CATEGORIES) {
    const perAddress = byCategory.get(category);
    if (!perAddress) continue;
    const addresses = [...perAddress.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([address, labels]) => ({ address, labels: labels.sort(compareLabelRefs) }));
    categories.push({
      category,
      addresses,
      maxConfidence: Math.max(...addresses.flatMap((a) => a.labels.map((l) => l.confidence))),
      actors: [...(firstSpelling.get(category)?.values() ?? [])].sort(),
    });
  }
  const actors: ActorSummary[] = [...actorNames.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([actor, e]) => ({ actor, categories: sortCategories(e.categories), addresses: [...e.addresses].sort() }));

  const present = new Set(categories.map((c) => c.category));
  const addressesOf = (cats: readonly Category[]): AddressId[] =>
    [...new Set(categories.filter((c) => cats.includes(c.category)).flatMap((c) => c.addresses.map((a) => a.address)))].sort();
  const conflicts: LabelConflict[] = [];
  const types = ENTITY_TYPE_CATEGORIES.filter((c) => present.has(c));
  if (types.length >= 2) {
    const cats = sortCategories(types);
    conflicts.push({ kind: 'entity-type', categories: cats, actors: [], addresses: addressesOf(cats), reason: `labels say the entity is each of: ${cats.join(', ')}` });
  }
  if (actors.length >= 2) {
    conflicts.push({
      kind: 'actor',
      categories: sortCategories(new Set(actors.flatMap((a) => a.categories))),
      actors: actors.map((a) => a.actor),
      addresses: [...new Set(actors.flatMap((a) => a.addresses))].sort(),
      reason: `labels name ${actors.length} different actors: ${actors.map((a) => `${a.actor} (${a.categories.join(', ')})`).join('; ')}`,
    });
  }
  const services = SERVICE_CATEGORIES.filter((c) => present.has(c));
  const illicit = ILLICIT_ACTIVITY_CATEGORIES.filter((c) => present.has(c));
  if (services.length > 0 && illicit.length > 0) {
    const cats = sortCategories([...services, ...illicit]);
    conflicts.push({
      kind: 'service-and-illicit',
      categories: cats,
      actors: [],
      addresses: addressesOf(cats),
      reason: `service categories (${sortCategories(services).join(', ')}) together with illicit-activity categories (${sortCategories(illicit).join(', ')})`,
    });
  }

  return { clusterId, size, examined, truncated: examined < size, labelledAddresses: labelled.size, categories, actors, conflicts };
}

function sortCategories(cats: Iterable<Category>): Category[] {
  return [...new Set(cats)].sort((a, b) => CATEGORIES.indexOf(a) - CATEGORIES.indexOf(b));
}

function compareLabelRefs(a: LabelRef, b: LabelRef): number {
  return a.source < b.source ? -1 : a.source > b.source ? 1 : a.label < b.label ? -1 : a.label > b.label ? 1 : 0;
}
