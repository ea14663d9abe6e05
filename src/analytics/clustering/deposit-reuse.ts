/**
 * Ethereum (account-chain) deposit-address reuse heuristic.
 *
 * Exchanges give each customer a deposit address d and sweep it into their own wallets. When a user u sends
 * v1 to d at block b1, and d forwards v2 to an address x labelled as an exchange at block b2, with
 *   0 <= v1 - v2 <= 0.01 ETH (10^16 wei; the forward is the deposit minus the sweep's gas) and
 *   0 <= b2 - b1 <= 10,000 blocks,
 * then d is a deposit address, and every address that sends to d is taken to be the same customer: all
 * senders to d join one entity together with d.
 *
 * Choices made here (documented in docs/analytics-clustering-peel.md):
 * - Only native-asset transfers count (input and output index 0 of a transaction that did not fail), with a
 *   positive value; token transfers and zero-value contract calls do not.
 * - The exchange side is any address with an ACTIVE label whose category is in `exchangeCategories`
 *   (default: exchange). The deposit address itself must carry no such label: an exchange hot wallet
 *   forwarding to its cold wallet is not a customer deposit, and merging its senders would join thousands
 *   of customers.
 * - When b1 = b2 the inbound transfer must come earlier in the block (by transaction position).
 * - When several inbound transfers qualify, the latest one (height, then position) is the evidence.
 *
 * [Reference]: Friedhelm Victor, "Address Clustering Heuristics for Ethereum", Financial Cryptography and
 * Data Security 2020, LNCS 12059, pp. 617-633, doi:10.1007/978-3-030-51280-4_33 (the deposit address
 * heuristic; value bound 0.01 ETH, time bound 10,000 blocks).
 */
import type { AddressId, TxId } from '../../model/address.js';
import { chainInfo } from '../../model/chain.js';
import type { Category } from '../../model/label.js';
import type { Transaction } from '../../model/transaction.js';
import type { GraphReader } from '../../store/graph-store.js';

export interface DepositReuseOptions {
  /** Largest v1 - v2 accepted, in wei (default 10^16 = 0.01 ETH). */
  maxValueDiff: bigint;
  /** Largest b2 - b1 accepted, in blocks (default 10,000). */
  maxBlockGap: number;
  /** Label categories that make an address an exchange. */
  exchangeCategories: Category[];
}

export const DEPOSIT_DEFAULTS: DepositReuseOptions = {
  maxValueDiff: 10n ** 16n,
  maxBlockGap: 10_000,
  exchangeCategories: ['exchange'],
};

/** A native-asset transfer: one account-chain transaction that moved value from one address to another. */
export interface NativeTransfer {
  txId: TxId;
  from: AddressId;
  to: AddressId;
  /** Base units (wei). */
  value: bigint;
  height: number;
  position: number;
}

export interface DepositEvidence {
  deposit: AddressId;
  exchange: AddressId;
  /** u -> d */
  inbound: NativeTransfer;
  /** d -> x */
  forward: NativeTransfer;
  reason: string;
}

/** The native transfer a transaction carries, or null (UTXO chain, failed, coinbase, zero value, token-only). */
export function nativeTransferOf(tx: Transaction): NativeTransfer | null {
  const info = chainInfo(tx.chain);
  if (info.kind !== 'account' || tx.coinbase || tx.status === 'failed') return null;
  const input = tx.inputs.find((i) => i.index === 0);
  const output = tx.outputs.find((o) => o.index === 0);
  if (!input || !output || input.address === null || output.address === null) return null;
  if (input.asset !== info.nativeAsset || output.asset !== info.nativeAsset) return null;
  if (output.value <= 0n || input.address === output.address) return null;
  return { txId: tx.id, from: input.address, to: output.address, value: output.value, height: tx.height, position: tx.position };
}

/**
 * Pure test of one (inbound, forward) pair against the bounds: same deposit address, 0 <= v1 - v2 <=
 * maxValueDiff, 0 <= b2 - b1 <= maxBlockGap, inbound strictly before forward in chain order.
 */
export function isDepositPair(inbound: NativeTransfer, forward: NativeTransfer, options: Partial<DepositReuseOptions> = {}): boolean {
  const opts = { ...DEPOSIT_DEFAULTS, ...options };
  if (inbound.to !== forward.from || inbound.from === forward.from || inbound.txId === forward.txId) return false;
  const diff = inbound.value - forward.value;
  if (diff < 0n || diff > opts.maxValueDiff) return false;
  const gap = forward.height - inbound.height;
  if (gap < 0 || gap > opts.maxBlockGap) return false;
  return gap > 0 || inbound.position < forward.position;
}

/**
 * Finds which of the candidate forwards (d -> x) make d a deposit address. Batched: one `getLabels` call
 * for every x and d, one `getFlows` call for the candidate deposit addresses and one `getTransactions` call
 * for the inbound transfers. Returns at most one evidence per deposit address (the first qualifying
 * forward in chain order), ordered by deposit address.
 */
export async function findDepositAddresses(
  graph: GraphReader,
  forwards: readonly NativeTransfer[],
  options: Partial<DepositReuseOptions> = {},
): Promise<DepositEvidence[]> {
  const opts = { ...DEPOSIT_DEFAULTS, ...options };
  if (forwards.length === 0) return [];
  const involved = [...new Set(forwards.flatMap((f) => [f.from, f.to]))];
  const labels = await graph.getLabels(involved);
  const wanted = new Set<string>(opts.exchangeCategories);
  const isExchange = (a: AddressId): boolean => (labels.get(a) ?? []).some((l) => wanted.has(l.category));
  const candidates = forwards.filter((f) => isExchange(f.to) && !isExchange(f.from));
  if (candidates.length === 0) return [];

  const deposits = [...new Set(candidates.map((f) => f.from))];
  const minHeight = Math.min(...candidates.map((f) => f.height)) - opts.maxBlockGap;
  const maxHeight = Math.max(...candidates.map((f) => f.height));
  const flows = await graph.getFlows(deposits, { side: 'output', minHeight, maxHeight });
  const inboundTxIds = new Set<TxId>();
  for (const list of flows.values()) for (const f of list) if (f.index === 0 && f.value !== null && f.value > 0n) inboundTxIds.add(f.txId);
  const txs = await graph.getTransactions([...inboundTxIds]);
  const inboundOf = new Map<AddressId, NativeTransfer[]>();
  for (const id of inboundTxIds) {
    const tx = txs.get(id);
    const t = tx ? nativeTransferOf(tx) : null;
    if (!t) continue;
    const list = inboundOf.get(t.to) ?? [];
    list.push(t);
    inboundOf.set(t.to, list);
  }

  const found = new Map<AddressId, DepositEvidence>();
  const ordered = [...candidates].sort(compareTransfers);
  for (const forward of ordered) {
    if (found.has(forward.from)) continue;
    const matches = (inboundOf.get(forward.from) ?? []).filter((i) => isDepositPair(i, forward, opts)).sort(compareTransfers);
    const inbound = matches[matches.length - 1];
    if (!inbound) continue;
    found.set(forward.from, {
      deposit: forward.from,
      exchange: forward.to,
      inbound,
      forward,
      reason:
        `${inbound.from} sent ${inbound.value} wei to ${forward.from} at block ${inbound.height}; ${forward.from} forwarded ` +
        `${forward.value} wei to exchange ${forward.to} at block ${forward.height} (value difference ${inbound.value - forward.value} <= ${opts.maxValueDiff}, ` +
        `block gap ${forward.height - inbound.height} <= ${opts.maxBlockGap})`,
    });
  }
  return [...found.values()].sort((a, b) => (a.deposit < b.deposit ? -1 : a.deposit > b.deposit ? 1 : 0));
}

/**
 * Every native transfer into each address (all heights), oldest first. Batched: one `getFlows` and one
 * `getTransactions` call.
 */
export async function transfersInto(graph: GraphReader, addresses: readonly AddressId[]): Promise<Map<AddressId, NativeTransfer[]>> {
  const out = new Map<AddressId, NativeTransfer[]>();
  if (addresses.length === 0) return out;
  const flows = await graph.getFlows(addresses, { side: 'output' });
  const ids = new Set<TxId>();
  for (const list of flows.values()) for (const f of list) if (f.index === 0) ids.add(f.txId);
  const txs = await graph.getTransactions([...ids]);
  for (const id of ids) {
    const tx = txs.get(id);
    const t = tx ? nativeTransferOf(tx) : null;
    if (!t) continue;
    const list = out.get(t.to) ?? [];
    list.push(t);
    out.set(t.to, list);
  }
  for (const list of out.values()) list.sort(compareTransfers);
  return out;
}

/** Chain order: height, then position in the block. */
export function compareTransfers(a: NativeTransfer, b: NativeTransfer): number {
  return a.height - b.height || a.position - b.position || (a.txId < b.txId ? -1 : a.txId > b.txId ? 1 : 0);
}

export interface DepositLink {
  deposit: AddressId;
  sender: AddressId;
  /** The sender's first transfer into the deposit address. */
  transfer: NativeTransfer;
}

export interface DepositLinks {
  links: DepositLink[];
  /** Senders left out because they carry an exchange label themselves (an exchange paying out to d). */
  skipped: DepositLink[];
}

/**
 * The senders that join each deposit address: every distinct sender of a native transfer into it, except
 * senders labelled as exchanges (a withdrawal from an exchange into d says nothing about who owns d, and
 * merging it would join the exchange with its customer). Batched: getFlows, getTransactions, getLabels.
 */
export async function linkDepositSenders(
  graph: GraphReader,
  deposits: readonly AddressId[],
  options: Partial<DepositReuseOptions> = {},
): Promise<DepositLinks> {
  const opts = { ...DEPOSIT_DEFAULTS, ...options };
  const into = await transfersInto(graph, deposits);
  const firsts: DepositLink[] = [];
  for (const deposit of [...deposits].sort()) {
    const seen = new Set<AddressId>();
    for (const t of into.get(deposit) ?? []) {
      if (seen.has(t.from)) continue;
      seen.add(t.from);
      firsts.push({ deposit, sender: t.from, transfer: t });
    }
  }
  const labels = await graph.getLabels([...new Set(firsts.map((l) => l.sender))]);
  const wanted = new Set<string>(opts.exchangeCategories);
  const result: DepositLinks = { links: [], skipped: [] };
  for (const link of firsts) {
    const exchange = (labels.get(link.sender) ?? []).some((l) => wanted.has(l.category));
    (exchange ? result.skipped : result.links).push(link);
  }
  return result;
}

export interface DepositReuseResult extends DepositLinks {
  deposits: DepositEvidence[];
}

/**
 * Scans the account-chain transactions in [fromHeight, toHeight] for deposit addresses (standalone form of
 * what ClusterIndex does incrementally) and lists the senders that join each. Deterministic; amounts in wei;
 * reads are batched per step (no read per transaction).
 */
export async function detectDepositReuse(
  graph: GraphReader,
  input: { chain: Transaction['chain']; fromHeight: number; toHeight: number },
  options: Partial<DepositReuseOptions> = {},
): Promise<DepositReuseResult> {
  const ids = await graph.findTransactionsByHeight(input.chain, input.fromHeight, input.toHeight);
  const txs = await graph.getTransactions(ids);
  const forwards: NativeTransfer[] = [];
  for (const id of ids) {
    const tx = txs.get(id);
    const t = tx ? nativeTransferOf(tx) : null;
    if (t) forwards.push(t);
  }
  const deposits = await findDepositAddresses(graph, forwards, options);
  const links = await linkDepositSenders(graph, deposits.map((d) => d.deposit), options);
  return { deposits, ...links };
}
