/**
 * Peel-chain detection from a start transaction or address: follows the change output hop by hop
 * (peel-hop.ts defines a hop; peel-walker.ts follows them) and reports each hop's transaction, change
 * address, peel recipient, peeled amount and peel ratio, the chain length and the total peeled.
 *
 * [Reference]: Meiklejohn et al., "A Fistful of Bitcoins", IMC 2013, section 4.3; BlockSci
 * `isPeelingChain` (citp/BlockSci, src/heuristics/tx_identification.cpp).
 */
import { notFound } from '../../errors.js';
import { parseAddressId, parseTxId, type TxId } from '../../model/address.js';
import type { Transaction } from '../../model/transaction.js';
import type { GraphReader } from '../../store/graph-store.js';
import { examinePeelHop, classifyPeelHop, peelOptions, type PeelChainOptions } from './peel-hop.js';
import { PeelWalker, type PeelChain, type Start } from './peel-walker.js';

export interface PeelChainResult {
  /** Chains of at least minLength hops, by first hop (height, position). */
  chains: PeelChain[];
  /** Distinct transactions read (the work the call cost). */
  transactionsRead: number;
  /** True when some chain was cut (maxHops) or the work budget ran out (onBudget 'truncate'). */
  truncated: boolean;
  /** Why nothing was found, when the start is not a hop or chains were shorter than minLength. */
  note?: string;
}

/**
 * Finds the peel chains that start at a transaction, or at the transactions an address spends in.
 *
 * - `{ txId }`: the chain that starts with that transaction (with `extendBackward`, the whole chain that
 *   contains it, from its first hop).
 * - `{ address }`: every chain whose first hop is a transaction the address pays into (spends from);
 *   a chain that is the tail of another one found is not repeated.
 *
 * Amounts in base units (satoshi); ratios in parts per million. Deterministic. Costs one batched read per
 * hop of the longest chain. Limits: maxHops per chain (truncated flag), maxTransactions per call
 * (LIMIT_EXCEEDED, or truncated with onBudget 'truncate'). Throws NOT_FOUND for an unknown transaction or
 * an address without stored flows, INVALID_INPUT for malformed ids or options.
 */
export async function detectPeelChains(
  graph: GraphReader,
  input: { txId: string } | { address: string },
  options: Partial<PeelChainOptions> = {},
): Promise<PeelChainResult> {
  const opts = peelOptions(options);
  const walker = new PeelWalker(graph, opts);
  let starts: Start[] = [];
  let note: string | undefined;

  if ('txId' in input) {
    const id = parseTxId(input.txId);
    await walker.load([id]);
    const tx = walker.tx(id);
    if (!tx) throw notFound(`transaction ${id} is not in the store`, { tx: id });
    const r = examinePeelHop(tx, opts);
    if ('shape' in r) starts = [{ tx, shape: r.shape }];
    else note = `transaction ${id} is not a peel hop: ${r.reason}`;
  } else {
    const address = parseAddressId(input.address);
    const flows = (await graph.getFlows([address], { side: 'input' })).get(address);
    if (!flows) throw notFound(`address ${address} has no stored transactions`, { address });
    const ids = [...new Set(flows.map((f) => f.txId))];
    await walker.load(ids);
    for (const id of ids) {
      const tx = walker.tx(id);
      const shape = tx ? classifyPeelHop(tx, opts) : null;
      if (tx && shape) starts.push({ tx, shape });
    }
    if (starts.length === 0) note = `address ${address} pays into no transaction shaped like a peel hop`;
  }

  if (opts.extendBackward && starts.length > 0) starts = await walker.rewind(starts);
  starts = uniqueStarts(starts);
  const found = await walker.forward(starts);
  // A start that is a later hop of another chain found here is that chain's tail: report it once.
  const inner = new Set<TxId>(found.flatMap((c) => c.hops.slice(1).map((h) => h.txId)));
  const maximal = found.filter((c) => !inner.has(c.startTxId));
  const chains = maximal.filter((c) => c.length >= opts.minLength);
  if (chains.length === 0 && maximal.length > 0 && note === undefined) {
    note = `the longest chain found has ${Math.max(...maximal.map((c) => c.length))} hops, fewer than minLength ${opts.minLength}`;
  }
  return {
    chains,
    transactionsRead: walker.transactionsRead,
    truncated: walker.budgetHit || chains.some((c) => c.truncated),
    ...(note !== undefined ? { note } : {}),
  };
}

/** Drops repeated starts and orders them by (height, position, id). */
export function uniqueStarts(starts: readonly Start[]): Start[] {
  const byId = new Map<TxId, Start>();
  for (const s of starts) if (!byId.has(s.tx.id)) byId.set(s.tx.id, s);
  return [...byId.values()].sort((a, b) => chainOrder(a.tx, b.tx));
}

export function chainOrder(a: Transaction, b: Transaction): number {
  return a.height - b.height || a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
