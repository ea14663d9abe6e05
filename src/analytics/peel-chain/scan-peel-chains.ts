/**
 * Scan mode: every peel chain whose FIRST hop lies in a range of block heights.
 *
 * A hop in the range is the first hop of a chain when it does not continue another hop, i.e. none of its
 * inputs spends the change output of a hop (wherever that hop is, inside or before the range). Chains are
 * followed forward past `toHeight` as far as the store goes. So:
 * - no chain is reported twice, and no tail of a longer chain is reported as a chain of its own;
 * - scans over consecutive ranges partition the chains: each is reported by the scan holding its first hop
 *   (a chain that started before `fromHeight` belongs to an earlier range and is not reported here).
 *
 * When maxInputs > 1 one hop may spend the change of two chains; each chain is then reported with the
 * shared tail (the chains are still distinct by first hop).
 *
 * [Reference]: Meiklejohn et al., "A Fistful of Bitcoins", IMC 2013, section 4.3; BlockSci
 * `isPeelingChain` (citp/BlockSci, src/heuristics/tx_identification.cpp).
 */
import { invalidInput } from '../../errors.js';
import { chainInfo, type ChainKey } from '../../model/chain.js';
import type { GraphReader } from '../../store/graph-store.js';
import { uniqueStarts, type PeelChainResult } from './detect-peel-chains.js';
import { classifyPeelHop, peelOptions, type PeelChainOptions } from './peel-hop.js';
import { PeelWalker, type Start } from './peel-walker.js';

/**
 * Every peel chain of at least minLength hops whose first hop is in [fromHeight, toHeight] of a UTXO
 * chain, ordered by first hop. Amounts in base units. Reads `batchSize` transactions per call for the range,
 * then one batched read per step back and per hop forward. Limits as detectPeelChains (maxHops per chain,
 * maxTransactions per call); with onBudget 'truncate' a refused read leaves `truncated: true`.
 */
export async function scanPeelChains(
  graph: GraphReader,
  input: { chain: string; fromHeight: number; toHeight: number },
  options: Partial<PeelChainOptions> = {},
): Promise<PeelChainResult> {
  const opts = peelOptions(options);
  const info = chainInfo(input.chain);
  if (info.kind !== 'utxo') throw invalidInput(`peel chains are a UTXO pattern: chain ${input.chain} is an account chain`);
  const { fromHeight, toHeight } = input;
  if (!Number.isSafeInteger(fromHeight) || !Number.isSafeInteger(toHeight) || fromHeight < 0 || toHeight < fromHeight) {
    throw invalidInput(`height range must be integers with 0 <= fromHeight <= toHeight, got [${String(fromHeight)}, ${String(toHeight)}]`);
  }
  const walker = new PeelWalker(graph, opts);
  const ids = await graph.findTransactionsByHeight(info.key as ChainKey, fromHeight, toHeight);

  const hops: Start[] = [];
  for (let i = 0; i < ids.length && !walker.budgetHit; i += opts.batchSize) {
    const chunk = ids.slice(i, i + opts.batchSize);
    if (!(await walker.load(chunk))) break;
    for (const id of chunk) {
      const tx = walker.tx(id);
      const shape = tx ? classifyPeelHop(tx, opts) : null;
      if (tx && shape) hops.push({ tx, shape });
    }
  }

  const starts: Start[] = [];
  for (let i = 0; i < hops.length; i += opts.batchSize) {
    const chunk = hops.slice(i, i + opts.batchSize);
    const preds = await walker.predecessors(chunk.map((h) => h.tx));
    // A hop whose predecessor is unknown (budget refused the read) is not reported: it may be a tail.
    for (const h of chunk) if (preds.get(h.tx.id) === null) starts.push(h);
  }

  const found = await walker.forward(uniqueStarts(starts));
  const chains = found.filter((c) => c.length >= opts.minLength);
  return { chains, transactionsRead: walker.transactionsRead, truncated: walker.budgetHit || chains.some((c) => c.truncated) };
}
