/**
 * shortestEvidence: the targets and the evidence paths of many screened addresses at once, from the
 * distances a ProximityIndex keeps, with one batched read of flows, transactions and labels per hop level
 * for the whole batch (ProximityIndex.screen answers one address set per call, three reads each).
 *
 * It follows exactly the rules of ProximityIndex.screen / hopDistance (src/analytics/proximity): from an
 * address at distance d, the next step of a shortest path is a neighbour w (edges.ts edges in the
 * direction, receiver getting at least minValue) that is a target when d = 1, and otherwise is neither a
 * target nor a stop point and has distance d - 1. Targets are every address at the end of such paths; the
 * paths returned are the lexicographically smallest address sequences (depth first, neighbours in address
 * order); each hop names the linking transaction with the smallest id. test/api/screening.test.ts checks
 * the answers against ProximityIndex.screen address by address.
 */
import { transferEdges, type PathHop, type ProximityDirection, type TransferEdge } from '../../analytics/proximity/index.js';
import type { AddressId, TxId } from '../../model/address.js';
import { CATEGORIES, type Category } from '../../model/label.js';
import type { GraphReader } from '../../store/graph-store.js';

export interface EvidenceOptions {
  direction: ProximityDirection;
  categories: readonly Category[];
  stopAtCategories: readonly Category[];
  minValue: bigint;
  maxPaths: number;
  /** Distance of an address in `direction` (the index's), null when unreached. */
  distanceOf: (address: AddressId) => number | null;
}

export interface Evidence {
  targets: { address: AddressId; categories: Category[]; labels: string[] }[];
  paths: { addresses: AddressId[]; hops: PathHop[] }[];
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Evidence for each source at its distance (sources at distance 0 or null get their own targets / none).
 * Reads: per hop level, one getFlows, one getTransactions and one getLabels call for all sources together.
 */
export async function shortestEvidence(graph: GraphReader, sources: readonly { address: AddressId; distance: number | null }[], o: EvidenceOptions): Promise<Map<AddressId, Evidence>> {
  const wanted = new Set<string>(o.categories);
  const stopping = new Set<string>(o.stopAtCategories);
  const labelInfo = new Map<AddressId, { target: boolean; stop: boolean; categories: Category[]; labels: string[] }>();
  const classify = async (list: readonly AddressId[]): Promise<void> => {
    const todo = [...new Set(list)].filter((a) => !labelInfo.has(a));
    if (todo.length === 0) return;
    const labels = await graph.getLabels(todo);
    for (const a of todo) {
      const ls = labels.get(a) ?? [];
      const hits = ls.filter((l) => wanted.has(l.category));
      labelInfo.set(a, {
        target: hits.length > 0,
        stop: ls.some((l) => stopping.has(l.category)),
        categories: [...new Set(hits.map((l) => l.category))].sort((x, y) => CATEGORIES.indexOf(x) - CATEGORIES.indexOf(y)),
        labels: [...new Set(hits.map((l) => l.label))].sort(cmp),
      });
    }
  };
  const edges = new Map<AddressId, TransferEdge[]>();
  const loadEdges = async (list: readonly AddressId[]): Promise<void> => {
    const todo = [...new Set(list)].filter((a) => !edges.has(a));
    if (todo.length === 0) return;
    const side = o.direction === 'out' ? 'input' : o.direction === 'in' ? 'output' : 'both';
    const flows = await graph.getFlows(todo, { side });
    const txIds = [...new Set([...flows.values()].flatMap((fs) => fs.map((f) => f.txId)))];
    const txs = txIds.length > 0 ? await graph.getTransactions(txIds) : new Map();
    for (const a of todo) {
      const list: TransferEdge[] = [];
      for (const id of new Set((flows.get(a) ?? []).map((f) => f.txId))) {
        const tx = txs.get(id);
        if (!tx) continue;
        for (const e of transferEdges(tx, o.minValue)) {
          const incident = o.direction === 'out' ? e.from === a : o.direction === 'in' ? e.to === a : e.from === a || e.to === a;
          if (incident) list.push(e);
        }
      }
      edges.set(a, list);
    }
  };
  const other = (e: TransferEdge, a: AddressId): AddressId => (e.from === a ? e.to : e.from);
  const next = new Map<string, AddressId[]>();
  const nextOnShortest = (u: AddressId, remaining: number): AddressId[] => {
    const key = `${remaining}\n${u}`;
    let list = next.get(key);
    if (list) return list;
    const out = new Set<AddressId>();
    for (const e of edges.get(u) ?? []) {
      const w = other(e, u);
      if (w === u) continue;
      const info = labelInfo.get(w)!;
      if (remaining === 1 ? info.target : !info.target && !info.stop && o.distanceOf(w) === remaining - 1) out.add(w);
    }
    list = [...out].sort(cmp);
    next.set(key, list);
    return list;
  };

  // Walk the shortest-path layers of every source together: level k holds (node, remaining) pairs.
  const result = new Map<AddressId, Evidence>();
  await classify(sources.map((s) => s.address));
  let layer: { node: AddressId; remaining: number }[] = [];
  const seenPair = new Set<string>();
  for (const s of sources) {
    if (s.distance === null) result.set(s.address, { targets: [], paths: [] });
    else if (s.distance === 0) {
      const info = labelInfo.get(s.address)!;
      result.set(s.address, { targets: info.target ? [{ address: s.address, categories: info.categories, labels: info.labels }] : [], paths: info.target ? [{ addresses: [s.address], hops: [] }] : [] });
    } else if (!seenPair.has(`${s.distance}\n${s.address}`)) {
      seenPair.add(`${s.distance}\n${s.address}`);
      layer.push({ node: s.address, remaining: s.distance });
    }
  }
  while (layer.length > 0) {
    await loadEdges(layer.map((p) => p.node));
    await classify(layer.flatMap((p) => (edges.get(p.node) ?? []).map((e) => other(e, p.node))));
    const fresh: { node: AddressId; remaining: number }[] = [];
    for (const p of layer) {
      if (p.remaining <= 1) continue;
      for (const w of nextOnShortest(p.node, p.remaining)) {
        const key = `${p.remaining - 1}\n${w}`;
        if (!seenPair.has(key)) {
          seenPair.add(key);
          fresh.push({ node: w, remaining: p.remaining - 1 });
        }
      }
    }
    layer = fresh;
  }

  for (const s of sources) {
    if (result.has(s.address) || s.distance === null) continue;
    const d = s.distance;
    // Targets: the last layer below this source.
    let frontier = new Set<AddressId>([s.address]);
    for (let r = d; r > 0; r--) {
      const nextLayer = new Set<AddressId>();
      for (const u of frontier) for (const w of nextOnShortest(u, r)) nextLayer.add(w);
      frontier = nextLayer;
    }
    const targets = [...frontier].sort(cmp).map((a) => ({ address: a, categories: labelInfo.get(a)!.categories, labels: labelInfo.get(a)!.labels }));
    const addressPaths: AddressId[][] = [];
    const walk = (path: AddressId[], r: number): void => {
      if (addressPaths.length >= o.maxPaths) return;
      if (r === 0) {
        addressPaths.push([...path]);
        return;
      }
      for (const w of nextOnShortest(path[path.length - 1]!, r)) {
        path.push(w);
        walk(path, r - 1);
        path.pop();
      }
    };
    walk([s.address], d);
    result.set(s.address, { targets, paths: addressPaths.map((p) => ({ addresses: p, hops: hopsOf(p) })) });
  }
  return result;

  function hopsOf(path: readonly AddressId[]): PathHop[] {
    const hops: PathHop[] = [];
    for (let i = 0; i + 1 < path.length; i++) {
      const x = path[i]!;
      const y = path[i + 1]!;
      const links = (edges.get(x) ?? []).filter((e) => other(e, x) === y).sort((a, b) => cmp(a.txId, b.txId) || cmp(a.from, b.from));
      const first = links[0]!;
      const txCount = new Set<TxId>(links.map((e) => e.txId)).size;
      hops.push({ txId: first.txId, from: first.from, to: first.to, sent: first.sent, received: first.received, asset: first.asset, otherTxs: txCount - 1 });
    }
    return hops;
  }
}
