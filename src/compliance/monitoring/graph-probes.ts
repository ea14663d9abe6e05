/**
 * What the monitoring rules and onboarding screening ask of the graph, as small injected interfaces, with
 * implementations over the read port:
 *
 * - ProximityProbe: for each address, the nearest address carrying a label of given categories, within
 *   maxHops, following funds backward ('in': where the money came from) or forward ('out': where it went).
 *   One hop is address -> transaction -> address as analytics/proximity/edges.ts defines it (UTXO inputs
 *   pooled, account transfers paired by index, no self-edges, no zero-value edges). Addresses labelled
 *   with a stop category (default exchange) can be reached but are not walked through: an exchange's hot
 *   wallet mixes every customer's funds. Two implementations that must agree:
 *   `analyticsProximity` over analytics/proximity `hopDistance` (what the service uses), and
 *   `graphProximity`, a small breadth-first search of its own (an independent check in tests).
 * - PeelChainProbe: the peel chains an address takes part in (as sender, change or peel recipient), over
 *   analytics/peel-chain (Meiklejohn et al., IMC 2013, section 4.3).
 * - JurisdictionResolver: the country of a counterparty, from configuration (by address, by label actor)
 *   and from labels whose detail carries an ISO `country`.
 */
import type { AddressId, TxId } from '../../model/address.js';
import type { Category } from '../../model/label.js';
import type { Transaction } from '../../model/transaction.js';
import type { GraphReader } from '../../store/graph-store.js';
import { hopDistance, transferEdges } from '../../analytics/proximity/index.js';
import { classifyPeelHop, detectPeelChains, peelOptions, type PeelChain, type PeelChainOptions } from '../../analytics/peel-chain/index.js';
import { isIsoCountry } from '../kyc/iso-countries.js';

export type FundDirection = 'in' | 'out';

export interface ProximityHit {
  /** The address asked about. */
  address: AddressId;
  category: Category;
  /** The nearest labelled address of that category (the smallest id among the nearest). */
  target: AddressId;
  /** 0 when the address itself carries the label. */
  hops: number;
  direction: FundDirection;
  /** The path in the direction the funds moved: target ... address ('in'), address ... target ('out'). */
  path: AddressId[];
  /** One transaction per hop, in the same order. */
  txIds: TxId[];
}

export interface ProximityQuery {
  maxHops: number;
  direction: FundDirection | 'both';
}

export interface ProximityProbe {
  /**
   * For each address: per category and direction, the nearest labelled address within maxHops (none when
   * there is none). Deterministic.
   */
  nearest(addresses: readonly AddressId[], categories: readonly Category[], query: ProximityQuery): Promise<Map<AddressId, ProximityHit[]>>;
}

export interface GraphProximityOptions {
  /** Categories reached but not walked through (default ['exchange']). */
  stopCategories: Category[];
  /** Work budget: addresses visited per start and direction (default 20,000); the search stops there. */
  maxVisited: number;
}

const PROXIMITY_DEFAULTS: GraphProximityOptions = { stopCategories: ['exchange'], maxVisited: 20_000 };

/** Breadth-first proximity over the read port: one batched flow read, transaction read and label read per hop. */
export function graphProximity(graph: GraphReader, options: Partial<GraphProximityOptions> = {}): ProximityProbe {
  const opts = { ...PROXIMITY_DEFAULTS, ...options };
  const stop = new Set<string>(opts.stopCategories);
  return {
    async nearest(addresses, categories, query) {
      const out = new Map<AddressId, ProximityHit[]>();
      const wanted = new Set<string>(categories);
      const directions: FundDirection[] = query.direction === 'both' ? ['in', 'out'] : [query.direction];
      for (const start of [...new Set(addresses)].sort()) {
        const hits: ProximityHit[] = [];
        for (const direction of directions) hits.push(...(await search(start, direction)));
        out.set(start, hits);
      }
      return out;

      async function search(start: AddressId, direction: FundDirection): Promise<ProximityHit[]> {
        const parent = new Map<AddressId, { prev: AddressId; txId: TxId } | null>([[start, null]]);
        const found = new Map<string, ProximityHit>();
        const labelsOf = async (ids: AddressId[]) => graph.getLabels(ids);
        const pathTo = (target: AddressId): { path: AddressId[]; txIds: TxId[] } => {
          const path: AddressId[] = [target];
          const txIds: TxId[] = [];
          for (let p = parent.get(target); p; p = parent.get(p.prev)) {
            path.push(p.prev);
            txIds.push(p.txId);
          }
          // path runs target -> start; funds ran that way for 'in', the other way for 'out'.
          return direction === 'in' ? { path, txIds } : { path: path.reverse(), txIds: txIds.reverse() };
        };
        const record = (level: AddressId[], labels: Map<AddressId, { category: string }[]>, hops: number): AddressId[] => {
          const walkOn: AddressId[] = [];
          for (const a of level) {
            const cats = new Set((labels.get(a) ?? []).map((l) => l.category));
            for (const c of cats) {
              if (!wanted.has(c) || found.has(c)) continue;
              found.set(c, { address: start, category: c as Category, target: a, hops, direction, ...pathTo(a) });
            }
            if (![...cats].some((c) => stop.has(c)) || hops === 0) walkOn.push(a);
          }
          return walkOn;
        };
        let frontier = record([start], await labelsOf([start]), 0);
        for (let hops = 1; hops <= query.maxHops && frontier.length > 0 && found.size < wanted.size; hops++) {
          const flows = await graph.getFlows(frontier, { side: direction === 'in' ? 'output' : 'input' });
          const txIds = [...new Set([...flows.values()].flat().map((f) => f.txId))];
          const txs = await graph.getTransactions(txIds);
          const next: AddressId[] = [];
          for (const a of frontier) {
            for (const f of flows.get(a) ?? []) {
              const tx = txs.get(f.txId);
              if (!tx) continue;
              for (const e of transferEdges(tx)) {
                const other = direction === 'in' ? (e.to === a ? e.from : null) : e.from === a ? e.to : null;
                if (other === null || parent.has(other)) continue;
                parent.set(other, { prev: a, txId: tx.id });
                next.push(other);
              }
            }
          }
          if (parent.size > opts.maxVisited) break;
          next.sort();
          frontier = record(next, await labelsOf(next), hops);
        }
        return [...found.values()].sort((x, y) => (x.category < y.category ? -1 : x.category > y.category ? 1 : 0));
      }
    },
  };
}

/**
 * The probe over analytics/proximity `hopDistance`: one search per address, direction and category
 * (maxPaths 1: the lexicographically smallest shortest path). Addresses the graph does not know have no
 * hits. Deterministic.
 */
export function analyticsProximity(graph: GraphReader, options: { stopCategories?: Category[] } = {}): ProximityProbe {
  return {
    async nearest(addresses, categories, query) {
      const out = new Map<AddressId, ProximityHit[]>();
      const unique = [...new Set(addresses)].sort();
      const known = await graph.getAddresses(unique);
      const directions: FundDirection[] = query.direction === 'both' ? ['in', 'out'] : [query.direction];
      for (const address of unique) {
        const hits: ProximityHit[] = [];
        if (known.has(address)) {
          for (const direction of directions) {
            for (const category of [...new Set(categories)].sort()) {
              const r = await hopDistance(graph, address, {
                categories: [category],
                direction,
                maxHops: query.maxHops,
                maxHopsLimit: Math.max(10, query.maxHops),
                maxPaths: 1,
                ...(options.stopCategories ? { stopAtCategories: options.stopCategories } : {}),
              });
              const path = r.paths[0];
              if (r.distance === null || !path) continue;
              // hopDistance paths run from the screened address outward; evidence runs the way funds moved.
              const forward = direction === 'out';
              const txIds = path.hops.map((h) => h.txId);
              hits.push({
                address,
                category,
                target: path.addresses[path.addresses.length - 1]!,
                hops: r.distance,
                direction,
                path: forward ? path.addresses : [...path.addresses].reverse(),
                txIds: forward ? txIds : txIds.reverse(),
              });
            }
          }
        }
        out.set(address, hits);
      }
      return out;
    },
  };
}

export interface PeelChainTouch {
  startTxId: TxId;
  /** Hops of the whole chain. */
  length: number;
  /** How the address takes part: paid into a hop, received its change, or received a peel. */
  roles: ('sender' | 'change' | 'recipient')[];
  /** The hops the address appears in. */
  txIds: TxId[];
  /** Base units. */
  totalPeeled: bigint;
  chain: PeelChain;
}

export interface PeelChainProbe {
  /** For each address, the peel chains (at least minLength hops) it takes part in, by start transaction. */
  peelChainsThrough(addresses: readonly AddressId[], options?: Partial<PeelChainOptions>): Promise<Map<AddressId, PeelChainTouch[]>>;
}

/**
 * Over analytics/peel-chain: each transaction the address pays into or is paid by is tested as a hop; the
 * chains through the hops found are walked from their first hop (extendBackward). Deterministic.
 */
export function graphPeelChains(graph: GraphReader): PeelChainProbe {
  return {
    async peelChainsThrough(addresses, options = {}) {
      const opts = peelOptions({ ...options, extendBackward: true, onBudget: 'truncate' });
      const out = new Map<AddressId, PeelChainTouch[]>();
      const flows = await graph.getFlows([...new Set(addresses)]);
      const allTx = [...new Set([...flows.values()].flat().map((f) => f.txId))];
      const txs: Map<TxId, Transaction> = allTx.length > 0 ? await graph.getTransactions(allTx) : new Map();
      const chainsByHop = new Map<TxId, PeelChain[]>();
      for (const address of [...new Set(addresses)].sort()) {
        const byStart = new Map<TxId, PeelChainTouch>();
        const mine = flows.get(address) ?? [];
        for (const txId of [...new Set(mine.map((f) => f.txId))]) {
          const tx = txs.get(txId);
          if (!tx || !classifyPeelHop(tx, opts)) continue;
          let chains = chainsByHop.get(txId);
          if (!chains) {
            chains = (await detectPeelChains(graph, { txId }, opts)).chains;
            chainsByHop.set(txId, chains);
          }
          for (const chain of chains) {
            const hop = chain.hops.find((h) => h.txId === txId);
            if (!hop) continue;
            const roles = new Set<PeelChainTouch['roles'][number]>();
            if (mine.some((f) => f.txId === txId && f.side === 'input')) roles.add('sender');
            if (hop.changeAddress === address) roles.add('change');
            if (hop.peelAddress === address) roles.add('recipient');
            const touch = byStart.get(chain.startTxId) ?? { startTxId: chain.startTxId, length: chain.length, roles: [], txIds: [], totalPeeled: chain.totalPeeled, chain };
            for (const r of roles) if (!touch.roles.includes(r)) touch.roles.push(r);
            if (!touch.txIds.includes(txId)) touch.txIds.push(txId);
            byStart.set(chain.startTxId, touch);
          }
        }
        out.set(address, [...byStart.values()].sort((a, b) => (a.startTxId < b.startTxId ? -1 : 1)));
      }
      return out;
    },
  };
}

export interface Jurisdiction {
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** Where it came from: `config:address`, `config:actor:<actor>`, `label:<source>`. */
  source: string;
}

export interface JurisdictionResolver {
  jurisdictionsOf(addresses: readonly AddressId[]): Promise<Map<AddressId, Jurisdiction>>;
}

export interface JurisdictionConfig {
  /** Address id -> ISO country. */
  byAddress: Record<string, string>;
  /** Label actor (e.g. an exchange's name) -> ISO country. */
  byActor: Record<string, string>;
}

/** Configuration first (address, then actor of an active label), then a label's detail.country. */
export function labelJurisdictions(graph: GraphReader, config: JurisdictionConfig): JurisdictionResolver {
  return {
    async jurisdictionsOf(addresses) {
      const out = new Map<AddressId, Jurisdiction>();
      const labels = await graph.getLabels(addresses);
      for (const a of addresses) {
        const direct = config.byAddress[a];
        if (direct) {
          out.set(a, { country: direct, source: 'config:address' });
          continue;
        }
        const list = [...(labels.get(a) ?? [])].sort((x, y) => x.id - y.id);
        const byActor = list.find((l) => l.actor !== null && config.byActor[l.actor] !== undefined);
        if (byActor) {
          out.set(a, { country: config.byActor[byActor.actor!]!, source: `config:actor:${byActor.actor}` });
          continue;
        }
        const withCountry = list.find((l) => typeof l.detail?.country === 'string' && isIsoCountry(String(l.detail.country).toUpperCase()));
        if (withCountry) out.set(a, { country: String(withCountry.detail!.country).toUpperCase(), source: `label:${withCountry.source}` });
      }
      return out;
    },
  };
}
