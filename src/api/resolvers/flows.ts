/**
 * Fund-flow analyses: `trace` (the poison-model reachability graph), `taint` (any model, exact amounts)
 * and `peelChains`. All run through the request's loaders, with the configured hop cap and a work budget.
 */
import { detectPeelChains, scanPeelChains, type PeelChain, type PeelChainResult, type PeelHop } from '../../analytics/peel-chain/index.js';
import { propagateTaint, type TaintResult, type TaintSource, type TaintModel } from '../../analytics/taint/index.js';
import { invalidInput, limitExceeded } from '../../errors.js';
import { chainOfId, parseAddressId, parseTxId, type AddressId, type TxId } from '../../model/address.js';
import type { Category } from '../../model/label.js';
import type { ApiContext } from '../context.js';
import { API_LIMITS, checkCount, checkHops } from '../limits.js';
import { connectionByKey, type PageArgs } from '../paging.js';
import { amountView, fractionView, nativeAsset } from './amount.js';

/** A transaction id (64 hex digits, optionally 0x and a chain prefix) or else an address. */
export function parseAddressOrTx(text: string): { address: AddressId } | { txId: TxId } {
  const bare = String(text).trim().replace(/^[a-z0-9-]+:/i, '');
  return /^(0x)?[0-9a-fA-F]{64}$/.test(bare) ? { txId: parseTxId(text) } : { address: parseAddressId(text) };
}

const truncationView = (t: TaintResult['truncated']) => (t ? { reason: t.reason === 'max-hops' ? 'MAX_HOPS' : 'BUDGET', detail: t.detail } : null);

export interface FlowNodeView {
  id: string;
  kind: 'ADDRESS' | 'TRANSACTION';
  hop: number;
  amount: ReturnType<typeof amountView> | null;
  stopped: boolean;
  height: number | null;
}

export interface FlowEdgeView {
  from: string;
  to: string;
  kind: 'INPUT' | 'OUTPUT';
  index: number;
  value: ReturnType<typeof amountView>;
  amount: ReturnType<typeof amountView>;
}

/**
 * The bipartite fund-flow graph of a taint result: a transaction node per transaction computed, an
 * address node per address holding traced outputs; OUTPUT edges from a computed transaction to the
 * addresses of its traced outputs, INPUT edges from the owner of a traced output to the transaction the
 * taint moved through. Deterministic order (nodes: hop, kind, id; edges: from, to, index).
 */
export function flowGraphOf(r: TaintResult): { nodes: FlowNodeView[]; edges: FlowEdgeView[] } {
  const txNodes = new Map<string, FlowNodeView>();
  for (const t of r.transactions) txNodes.set(t.txId, { id: t.txId, kind: 'TRANSACTION', hop: t.hop, amount: null, stopped: false, height: t.height });
  const addressNodes = new Map<string, FlowNodeView>();
  for (const a of r.addresses) addressNodes.set(a.address, { id: a.address, kind: 'ADDRESS', hop: a.hop, amount: amountView(a.units, r.asset), stopped: a.stopped, height: null });
  const outputs = new Map(r.outputs.map((o) => [`${o.txId}:${o.index}`, o]));
  const edges = new Map<string, FlowEdgeView>();
  for (const o of r.outputs) {
    if (o.address === null || !txNodes.has(o.txId)) continue;
    edges.set(`${o.txId}>${o.address}>${o.index}`, { from: o.txId, to: o.address, kind: 'OUTPUT', index: o.index, value: amountView(o.value, r.asset), amount: amountView(o.units, r.asset) });
  }
  for (const e of r.edges) {
    const f = outputs.get(`${e.from.txId}:${e.from.index}`);
    if (!f || f.address === null || !txNodes.has(e.via)) continue;
    const key = `${f.address}>${e.via}>${e.from.txId}:${e.from.index}`;
    if (!edges.has(key)) edges.set(key, { from: f.address, to: e.via, kind: 'INPUT', index: e.from.index, value: amountView(f.value, r.asset), amount: amountView(f.units, r.asset) });
  }
  const kindOrder = (k: string) => (k === 'ADDRESS' ? 0 : 1);
  const nodes = [...addressNodes.values(), ...txNodes.values()].sort((a, b) => a.hop - b.hop || kindOrder(a.kind) - kindOrder(b.kind) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const edgeList = [...edges.values()].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : a.index - b.index));
  return { nodes, edges: edgeList };
}

function budget(value: number | null | undefined): number {
  return checkCount('maxTransactions', value ?? API_LIMITS.defaultTraceTransactions, API_LIMITS.maxTraceTransactions);
}

function minAmountOf(value: bigint | null | undefined): bigint {
  if (value === null || value === undefined) return 0n;
  if (value < 0n) throw invalidInput(`invalid minAmount ${value}: expected base units >= 0`);
  return value;
}

interface TraceArgs {
  from: string;
  direction?: 'forward' | 'backward' | null;
  maxHops?: number | null;
  minAmount?: bigint | null;
  stopAtCategories?: Category[] | null;
  maxTransactions?: number | null;
}

interface TaintArgs {
  sources: { address?: string | null; transaction?: string | null; output?: number | null }[];
  model?: TaintModel | null;
  direction?: 'forward' | 'backward' | null;
  maxHops?: number | null;
  minAmount?: bigint | null;
  asset?: string | null;
  stopAtCategories?: Category[] | null;
  maxTransactions?: number | null;
}

function taintSources(list: TaintArgs['sources']): TaintSource[] {
  if (list.length === 0) throw invalidInput('taint: expected at least one source');
  if (list.length > API_LIMITS.maxTaintSources) throw limitExceeded(`taint takes at most ${API_LIMITS.maxTaintSources} sources, got ${list.length}`);
  return list.map((s, i) => {
    const hasAddress = s.address !== null && s.address !== undefined;
    const hasTx = s.transaction !== null && s.transaction !== undefined;
    if (hasAddress === hasTx) throw invalidInput(`taint source #${i}: expected either "address" or "transaction" (with an optional "output"), got ${hasAddress ? 'both' : 'neither'}`);
    if (hasAddress) {
      if (s.output !== null && s.output !== undefined) throw invalidInput(`taint source #${i}: "output" goes with "transaction", not "address"`);
      return { address: parseAddressId(s.address!) };
    }
    const txId = parseTxId(s.transaction!);
    if (s.output === null || s.output === undefined) return { txId };
    if (!Number.isInteger(s.output) || s.output < 0) throw invalidInput(`taint source #${i}: invalid output ${s.output}: expected an index >= 0`);
    return { txId, index: s.output };
  });
}

/** Peel chains are a UTXO pattern: amounts are in the chain's native asset. */
const peelAmount = (v: bigint, txId: TxId) => amountView(v, nativeAsset(chainOfId(txId)));

export const flowResolvers = {
  Query: {
    trace: async (_: unknown, args: TraceArgs, ctx: ApiContext) => {
      const cap = ctx.app.config.limits.maxHops;
      const maxHops = checkHops('maxHops', args.maxHops ?? 3, cap, 1);
      const source = parseAddressOrTx(args.from);
      const direction = args.direction ?? 'forward';
      const result = await propagateTaint(ctx.reader, source, {
        model: 'poison',
        direction,
        maxHops,
        maxHopsLimit: cap,
        minAmount: minAmountOf(args.minAmount),
        stopAtCategories: args.stopAtCategories ?? ['exchange'],
        maxTransactions: budget(args.maxTransactions),
      });
      return { from: 'address' in source ? source.address : source.txId, direction, maxHops, result };
    },
    taint: async (_: unknown, args: TaintArgs, ctx: ApiContext) => {
      const cap = ctx.app.config.limits.maxHops;
      return propagateTaint(ctx.reader, taintSources(args.sources), {
        model: args.model ?? 'haircut',
        direction: args.direction ?? 'forward',
        maxHops: checkHops('maxHops', args.maxHops ?? 6, cap),
        maxHopsLimit: cap,
        minAmount: minAmountOf(args.minAmount),
        stopAtCategories: args.stopAtCategories ?? [],
        maxTransactions: budget(args.maxTransactions),
        asset: args.asset ?? undefined,
      });
    },
    peelChains: async (
      _: unknown,
      args: { start?: string | null; range?: { chain?: string | null; fromHeight: number; toHeight: number } | null; minLength?: number | null; maxHops?: number | null; extendBackward?: boolean | null },
      ctx: ApiContext,
    ): Promise<PeelChainResult> => {
      const hasStart = args.start !== null && args.start !== undefined;
      const hasRange = args.range !== null && args.range !== undefined;
      if (hasStart === hasRange) throw invalidInput(`peelChains: expected either "start" (a transaction or an address) or "range", got ${hasStart ? 'both' : 'neither'}`);
      const options = {
        minLength: checkCount('minLength', args.minLength ?? 3, API_LIMITS.maxPeelHops),
        maxHops: checkCount('maxHops', args.maxHops ?? 100, API_LIMITS.maxPeelHops),
        maxTransactions: API_LIMITS.peelTransactions,
        onBudget: 'truncate' as const,
        extendBackward: args.extendBackward ?? false,
      };
      if (hasStart) {
        const start = parseAddressOrTx(args.start!);
        return detectPeelChains(ctx.reader, 'txId' in start ? { txId: start.txId } : { address: start.address }, options);
      }
      const range = args.range!;
      if (Number.isSafeInteger(range.fromHeight) && Number.isSafeInteger(range.toHeight) && range.toHeight - range.fromHeight >= API_LIMITS.maxPeelRangeBlocks) {
        throw limitExceeded(`peelChains range spans ${range.toHeight - range.fromHeight + 1} blocks, more than the limit of ${API_LIMITS.maxPeelRangeBlocks}`);
      }
      return scanPeelChains(ctx.reader, { chain: range.chain ?? 'btc', fromHeight: range.fromHeight, toHeight: range.toHeight }, options);
    },
  },
  Trace: {
    graph: (t: { result: TaintResult }) => flowGraphOf(t.result),
    transactionsVisited: (t: { result: TaintResult }) => t.result.visitedTransactions,
    truncated: (t: { result: TaintResult }) => truncationView(t.result.truncated),
    incomplete: (t: { result: TaintResult }) => t.result.incomplete.map((i) => ({ transaction: i.txId, reason: i.reason })),
  },
  TaintResult: {
    sourceTotal: (r: TaintResult) => amountView(r.sourceTotal.num / r.sourceTotal.den, r.asset),
    addresses: (r: TaintResult, args: PageArgs) =>
      connectionByKey(
        'taint-addresses',
        r.addresses.map((a) => ({ address: a.address, taint: amountView(a.units, r.asset), exact: fractionView(a.taint), hop: a.hop, outputs: a.outputs, stopped: a.stopped })),
        args,
        (a) => a.address,
      ),
    transactions: (r: TaintResult, args: PageArgs) =>
      connectionByKey(
        'taint-transactions',
        r.transactions.map((t) => ({
          transaction: t.txId,
          height: t.height,
          hop: t.hop,
          taintIn: fractionView(t.taintIn),
          taintOut: fractionView(t.taintOut),
          fee: amountView(t.feeUnits, r.asset),
          coinbase: t.coinbase ?? false,
        })),
        args,
        (t) => t.transaction,
      ),
    outputs: (r: TaintResult, args: PageArgs) =>
      connectionByKey(
        'taint-outputs',
        r.outputs.map((o) => ({
          transaction: o.txId,
          index: o.index,
          address: o.address,
          from: o.from ?? null,
          value: amountView(o.value, r.asset),
          taint: amountView(o.units, r.asset),
          exact: fractionView(o.taint),
          hop: o.hop,
          source: o.source,
          stopped: o.stopped,
        })),
        args,
        (o) => `${o.transaction}:${o.index}`,
      ),
    graph: (r: TaintResult) => flowGraphOf(r),
    transactionsVisited: (r: TaintResult) => r.visitedTransactions,
    truncated: (r: TaintResult) => truncationView(r.truncated),
    incomplete: (r: TaintResult) => r.incomplete.map((i) => ({ transaction: i.txId, reason: i.reason })),
  },
  FlowNode: {
    categories: async (n: FlowNodeView, _: unknown, ctx: ApiContext) =>
      n.kind === 'ADDRESS' ? [...new Set((await ctx.loaders.labels.load(n.id)).map((l) => l.category))].sort() : [],
  },
  PeelChainResult: {
    chains: (r: PeelChainResult, args: PageArgs) => connectionByKey('peel-chains', r.chains, args, (c) => c.startTxId),
  },
  PeelChain: {
    startTransaction: (c: PeelChain) => c.startTxId,
    totalPeeled: (c: PeelChain) => peelAmount(c.totalPeeled, c.startTxId),
    startValue: (c: PeelChain) => peelAmount(c.startValue, c.startTxId),
    endValue: (c: PeelChain) => peelAmount(c.endValue, c.startTxId),
    endTransaction: (c: PeelChain) => c.endTxId ?? null,
  },
  PeelHop: {
    transaction: (h: PeelHop) => h.txId,
    fee: (h: PeelHop) => (h.fee === null ? null : peelAmount(h.fee, h.txId)),
    change: (h: PeelHop) => peelAmount(h.changeValue, h.txId),
    peel: (h: PeelHop) => peelAmount(h.peelValue, h.txId),
  },
};
