/**
 * neo4jDetectPeelChains, neo4jScanPeelChains: detectPeelChains and scanPeelChains
 * (src/analytics/peel-chain/) with the chains found inside Neo4j. Same options, same result, same errors.
 *
 * Method: the hop rule of peel-hop.ts is written in Cypher (exact integer comparison of the peel ratio, see
 * the cypher/peel-chain-*.cypher files) and used as the per-iteration predicate of quantified path
 * patterns: `(h)-[change:OUTPUT]->(c)-[spend:INPUT]->(n)` repeated while every h is a hop whose change
 * output the next transaction spends (peel-chain-forward.cypher), read backward for extendBackward
 * (peel-chain-backward.cypher). First hops of a scan are found in one query over the height range
 * (peel-chain-scan.cypher); the starts of an address in one query (peel-chain-address.cypher).
 * The transactions of the chains found are then read through the store's read port and each hop record is
 * built by the same TypeScript as the port version; a hop that Cypher followed but peel-hop.ts would not
 * accept (or the reverse) is an INTERNAL error, never a silent difference.
 *
 * Work accounting: `transactionsRead` and the `maxTransactions` budget keep the meaning they have in the
 * port version (distinct transactions a port walk reads: the starts, the spent transactions looked at when
 * walking back, the candidates read to find each change output's spender), replayed step by step in the
 * same order from what the queries return, so that the results are equal field for field, budget cases
 * ('error' and 'truncate') included. The database itself reads what its plans read.
 *
 * [Reference]: Meiklejohn et al., "A Fistful of Bitcoins", IMC 2013, section 4.3; BlockSci
 * `isPeelingChain` (citp/BlockSci, src/heuristics/tx_identification.cpp).
 */
import { AriadneError, invalidInput, limitExceeded, notFound } from '../../../errors.js';
import { parseAddressId, parseTxId, type AddressId, type TxId } from '../../../model/address.js';
import { chainInfo } from '../../../model/chain.js';
import type { Transaction } from '../../../model/transaction.js';
import { uniqueStarts, type PeelChainResult } from '../../../analytics/peel-chain/detect-peel-chains.js';
import { classifyPeelHop, examinePeelHop, peelOptions, type PeelChainOptions } from '../../../analytics/peel-chain/peel-hop.js';
import type { PeelChain, PeelChainEnd, PeelHop, Start } from '../../../analytics/peel-chain/peel-walker.js';
import { readCypher, utxoChains, type Neo4jAnalyticsContext } from './connection.js';

/** Iterations of one quantified path pattern (the literal bound in the peel-chain queries). */
const STEPS_PER_QUERY = 100;

/**
 * The peel chains that start at a transaction, or at the transactions an address pays into: the same
 * answer as detectPeelChains over the read port (chains, transactionsRead, truncated, note). Amounts in
 * base units, ratios in ppm. Deterministic. Errors: NOT_FOUND (unknown transaction, or an address the
 * graph does not know), INVALID_INPUT (malformed ids or options), LIMIT_EXCEEDED (work budget with onBudget
 * 'error'), STORE_UNAVAILABLE.
 */
export async function neo4jDetectPeelChains(
  ctx: Neo4jAnalyticsContext,
  input: { txId: string } | { address: string },
  options: Partial<PeelChainOptions> = {},
): Promise<PeelChainResult> {
  const opts = peelOptions(options);
  const q = await ruleParams(ctx, opts);
  const ledger = new ReadLedger(ctx, opts);
  const txs = new TxCache(ctx);
  let starts: Start[] = [];
  let note: string | undefined;
  if ('txId' in input) {
    const id = parseTxId(input.txId);
    await ledger.load([id]);
    const tx = (await txs.get([id])).get(id);
    if (!tx) throw notFound(`transaction ${id} is not in the store`, { tx: id });
    const r = examinePeelHop(tx, opts);
    if ('shape' in r) starts = [{ tx, shape: r.shape }];
    else note = `transaction ${id} is not a peel hop: ${r.reason}`;
  } else {
    const address = parseAddressId(input.address);
    const [row] = await readCypher<{ txs: { id: TxId; hop: boolean }[] }>(ctx, 'peel-chain-address', { address, ...q });
    if (!row) throw notFound(`address ${address} has no stored transactions`, { address });
    if (await ledger.load(row.txs.map((t) => t.id), true)) {
      // The port walker classifies every transaction the address pays into: so does peel-hop.ts here, as a check.
      const got = await txs.get(row.txs.map((t) => t.id));
      for (const t of row.txs) {
        if (t.hop) starts.push(startOf(got.get(t.id)!, opts, 'start'));
        else assertNotHop(got.get(t.id)!, opts);
      }
    }
    if (starts.length === 0) note = `address ${address} pays into no transaction shaped like a peel hop`;
  }
  if (opts.extendBackward && starts.length > 0) starts = await rewind(ctx, q, opts, ledger, txs, starts);
  starts = uniqueStarts(starts);
  const found = await forward(ctx, q, opts, ledger, txs, starts);
  const inner = new Set<TxId>(found.flatMap((c) => c.hops.slice(1).map((h) => h.txId)));
  const maximal = found.filter((c) => !inner.has(c.startTxId));
  const chains = maximal.filter((c) => c.length >= opts.minLength);
  if (chains.length === 0 && maximal.length > 0 && note === undefined) {
    note = `the longest chain found has ${Math.max(...maximal.map((c) => c.length))} hops, fewer than minLength ${opts.minLength}`;
  }
  return { chains, transactionsRead: ledger.transactionsRead, truncated: ledger.budgetHit || chains.some((c) => c.truncated), ...(note !== undefined ? { note } : {}) };
}

/**
 * Every peel chain of at least minLength hops whose first hop is in [fromHeight, toHeight] of a UTXO chain:
 * the same answer as scanPeelChains over the read port. Errors as scanPeelChains.
 */
export async function neo4jScanPeelChains(
  ctx: Neo4jAnalyticsContext,
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
  const q = await ruleParams(ctx, opts);
  const ledger = new ReadLedger(ctx, opts);
  const txs = new TxCache(ctx);
  const rows = await readCypher<{ id: TxId; hop: boolean; continues: boolean }>(ctx, 'peel-chain-scan', { chain: info.key, fromHeight, toHeight, ...q });

  // Replay of the port version: the range is read batchSize transactions at a time until the budget refuses.
  const hops: { id: TxId; continues: boolean }[] = [];
  for (let i = 0; i < rows.length && !ledger.budgetHit; i += opts.batchSize) {
    const chunk = rows.slice(i, i + opts.batchSize);
    if (!(await ledger.load(chunk.map((r) => r.id), true))) break;
    for (const r of chunk) if (r.hop) hops.push(r);
  }
  const firstIds: TxId[] = [];
  for (let i = 0; i < hops.length; i += opts.batchSize) {
    const chunk = hops.slice(i, i + opts.batchSize);
    const got = await txs.get(chunk.map((h) => h.id));
    // The port version reads the transactions every input spends, to look for a predecessor hop.
    const prevs = chunk.flatMap((h) => got.get(h.id)!.inputs.flatMap((x) => (x.spends ? [x.spends.txId] : [])));
    if (!(await ledger.load(prevs))) continue;
    for (const h of chunk) if (!h.continues) firstIds.push(h.id);
  }
  const got = await txs.get(firstIds);
  const starts = firstIds.map((id) => startOf(got.get(id)!, opts, 'first hop'));
  const found = await forward(ctx, q, opts, ledger, txs, uniqueStarts(starts));
  const chains = found.filter((c) => c.length >= opts.minLength);
  return { chains, transactionsRead: ledger.transactionsRead, truncated: ledger.budgetHit || chains.some((c) => c.truncated) };
}

// ------------------------------------------------------------------------------------------------ internals

type RuleParams = { utxoChains: string[]; maxInputs: number; minPpm: number; maxPpm: number };

async function ruleParams(ctx: Neo4jAnalyticsContext, opts: PeelChainOptions): Promise<RuleParams> {
  return { utxoChains: await utxoChains(ctx), maxInputs: opts.maxInputs, minPpm: opts.minPeelRatioPpm, maxPpm: opts.maxPeelRatioPpm };
}

/**
 * The port walker's transaction cache, replayed: which distinct stored transactions it has read, and the
 * budget check it makes before each batched read (ids not read yet, stored or not, count against it).
 */
class ReadLedger {
  private readonly read = new Set<TxId>();
  budgetHit = false;

  constructor(
    private readonly ctx: Neo4jAnalyticsContext,
    private readonly options: PeelChainOptions,
  ) {}

  get transactionsRead(): number {
    return this.read.size;
  }

  has(id: TxId): boolean {
    return this.read.has(id);
  }

  /** As PeelWalker.load; `stored` says every id is known to exist (saves the existence query). */
  async load(ids: readonly TxId[], stored = false): Promise<boolean> {
    const missing = [...new Set(ids)].filter((id) => !this.read.has(id));
    if (missing.length === 0) return true;
    if (this.read.size + missing.length > this.options.maxTransactions) {
      if (this.options.onBudget === 'error') {
        throw limitExceeded(
          `peel-chain work budget exceeded: reading ${missing.length} more transactions would pass maxTransactions ${this.options.maxTransactions} (${this.read.size} read so far); narrow the range or raise maxTransactions`,
          { read: this.read.size, limit: this.options.maxTransactions },
        );
      }
      this.budgetHit = true;
      return false;
    }
    const existing = stored ? missing : (await readCypher<{ id: TxId }>(this.ctx, 'analytics-known-transactions', { ids: missing })).map((r) => r.id);
    for (const id of existing) this.read.add(id);
    return true;
  }
}

/** Transactions of the chains found, read through the port once each. */
class TxCache {
  private readonly txs = new Map<TxId, Transaction>();
  constructor(private readonly ctx: Neo4jAnalyticsContext) {}

  async get(ids: readonly TxId[]): Promise<Map<TxId, Transaction>> {
    const missing = [...new Set(ids)].filter((id) => !this.txs.has(id));
    if (missing.length > 0) for (const [id, tx] of await this.ctx.graph.getTransactions(missing)) this.txs.set(id, tx);
    const out = new Map<TxId, Transaction>();
    for (const id of ids) {
      const tx = this.txs.get(id);
      if (tx) out.set(id, tx);
    }
    return out;
  }
}

function disagreement(tx: Transaction, what: string): AriadneError {
  return new AriadneError('INTERNAL', `peel-chain hop rule: Cypher and peel-hop.ts disagree on ${tx.id} (${what})`, { tx: tx.id });
}

/** The Start of a transaction Cypher found to be a hop; INTERNAL when peel-hop.ts does not agree. */
function startOf(tx: Transaction, opts: PeelChainOptions, role: string, changeIndex?: number): Start {
  const shape = classifyPeelHop(tx, opts);
  if (!shape) throw disagreement(tx, `a ${role} for Cypher, not a hop for peel-hop.ts`);
  if (changeIndex !== undefined && shape.changeIndex !== changeIndex) throw disagreement(tx, `change output ${changeIndex} in Cypher, ${shape.changeIndex} in peel-hop.ts`);
  return { tx, shape };
}

function assertNotHop(tx: Transaction, opts: PeelChainOptions): void {
  if (classifyPeelHop(tx, opts)) throw disagreement(tx, 'a hop for peel-hop.ts, not for Cypher');
}

/**
 * extendBackward: walks each start back to the first hop of its chain (at most maxHops steps), taking at
 * each step the first input (by index) that spends the change of a hop, as PeelWalker.rewind; budget replayed.
 */
async function rewind(ctx: Neo4jAnalyticsContext, q: RuleParams, opts: PeelChainOptions, ledger: ReadLedger, txs: TxCache, starts: readonly Start[]): Promise<Start[]> {
  // Backward path of each start, from the start: [start, predecessor, its predecessor, ...], at most maxHops steps.
  const paths = new Map<TxId, TxId[]>(starts.map((s) => [s.tx.id, [s.tx.id]]));
  let pending = [...paths.keys()];
  while (pending.length > 0) {
    const tails = [...new Set(pending.map((id) => paths.get(id)!.at(-1)!))];
    type Row = { sid: TxId; paths: { txIds: TxId[]; inputs: number[] }[] };
    const rows = new Map((await readCypher<Row>(ctx, 'peel-chain-backward', { starts: tails, ...q })).map((r) => [r.sid, r.paths]));
    const next: TxId[] = [];
    for (const id of pending) {
      const path = paths.get(id)!;
      const steps = greedyBackward(rows.get(path.at(-1)!) ?? []);
      path.push(...steps);
      if (steps.length === STEPS_PER_QUERY && path.length - 1 < opts.maxHops) next.push(id);
    }
    pending = next;
  }
  for (const path of paths.values()) path.length = Math.min(path.length, opts.maxHops + 1);
  const all = await txs.get([...new Set([...paths.values()].flat())]);
  for (const path of paths.values()) for (let k = 1; k < path.length; k++) startOf(all.get(path[k]!)!, opts, 'predecessor');

  // Replay of PeelWalker.rewind: one batched read per step of the transactions the current hops spend.
  const position = starts.map(() => 0);
  const active = new Set(starts.map((_, i) => i));
  for (let step = 0; step < opts.maxHops && active.size > 0; step++) {
    const idx = [...active];
    const prevs = idx.flatMap((i) => all.get(paths.get(starts[i]!.tx.id)![position[i]!]!)!.inputs.flatMap((x) => (x.spends ? [x.spends.txId] : [])));
    if (!(await ledger.load(prevs))) break;
    for (const i of idx) {
      if (position[i]! + 1 < paths.get(starts[i]!.tx.id)!.length) position[i]!++;
      else active.delete(i);
    }
  }
  return starts.map((s, i) => (position[i] === 0 ? s : startOf(all.get(paths.get(s.tx.id)![position[i]!]!)!, opts, 'predecessor')));
}

/**
 * From the backward paths of one transaction (first hop ... transaction, with the input index used at each
 * step), the predecessors the port walker takes: at each step the smallest input index among the paths
 * that agree so far. Returns them nearest first.
 */
function greedyBackward(paths: readonly { txIds: TxId[]; inputs: number[] }[]): TxId[] {
  // Reverse each path so that it reads from the transaction backward.
  let candidates = paths.map((p) => ({ txIds: [...p.txIds].reverse(), inputs: [...p.inputs].reverse() }));
  const chosen: TxId[] = [];
  for (let pos = 0; ; pos++) {
    candidates = candidates.filter((c) => c.inputs.length > pos);
    if (candidates.length === 0) return chosen;
    const min = Math.min(...candidates.map((c) => c.inputs[pos]!));
    candidates = candidates.filter((c) => c.inputs[pos] === min);
    chosen.push(candidates[0]!.txIds[pos + 1]!);
  }
}

interface FullChain {
  start: Start;
  hops: PeelHop[];
  /** Per hop, the transactions its change address pays into at its height or later (the walker's candidates). */
  candidates: TxId[][];
  end: PeelChainEnd;
  endTxId?: TxId;
}

/** Follows every start forward in Cypher, then replays the port walker's lockstep reads for the budget. */
async function forward(ctx: Neo4jAnalyticsContext, q: RuleParams, opts: PeelChainOptions, ledger: ReadLedger, txs: TxCache, starts: readonly Start[]): Promise<PeelChain[]> {
  type Row = { sid: TxId; txIds: TxId[]; changes: number[]; lastIsHop: boolean; candidates: { index: number; spenders: TxId[] }[][] };
  const acc = new Map<TxId, { txIds: TxId[]; changes: number[]; candidates: Row['candidates']; lastIsHop: boolean }>();
  for (const s of starts) acc.set(s.tx.id, { txIds: [], changes: [], candidates: [], lastIsHop: false });
  // The path from each start in pieces of at most STEPS_PER_QUERY iterations.
  let open = new Map<TxId, TxId>(starts.map((s) => [s.tx.id, s.tx.id]));
  while (open.size > 0) {
    const queries = [...new Set(open.values())];
    const remaining = new Map<TxId, number>();
    for (const [start] of open) remaining.set(start, opts.maxHops - acc.get(start)!.changes.length);
    const maxSteps = Math.min(STEPS_PER_QUERY, Math.max(...remaining.values()));
    const rows = new Map((await readCypher<Row>(ctx, 'peel-chain-forward', { starts: queries, maxSteps, ...q })).map((r) => [r.sid, r]));
    const next = new Map<TxId, TxId>();
    for (const [start, from] of open) {
      const r = rows.get(from)!;
      const a = acc.get(start)!;
      const room = remaining.get(start)!;
      // A shared query may have gone further than this chain may: keep at most `room` iterations.
      const steps = Math.min(r.changes.length, room);
      a.txIds.push(...r.txIds.slice(0, steps));
      a.changes.push(...r.changes.slice(0, steps));
      a.candidates.push(...r.candidates.slice(0, steps));
      if (steps === STEPS_PER_QUERY && steps < room) {
        next.set(start, r.txIds[steps]!);
      } else {
        a.txIds.push(r.txIds[steps]!);
        a.candidates.push(r.candidates[steps]!);
        a.lastIsHop = steps === r.changes.length ? r.lastIsHop : true;
      }
    }
    open = next;
  }

  const all = await txs.get([...new Set([...acc.values()].flatMap((a) => a.txIds))]);
  const fulls: FullChain[] = starts.map((start) => {
    const a = acc.get(start.tx.id)!;
    const L = a.changes.length;
    // The path is h_1 = start, ..., h_L (hops whose change the next one spends), then `last`.
    const path: Start[] = [];
    for (let k = 0; k < L; k++) path.push(startOf(k === 0 ? start.tx : all.get(a.txIds[k]!)!, opts, 'hop', a.changes[k]));
    const last = all.get(a.txIds[L]!)!;
    const lastShape = classifyPeelHop(last, opts);
    if ((lastShape !== null) !== a.lastIsHop) throw disagreement(last, `last transaction of a chain: ${a.lastIsHop ? '' : 'not '}a hop for Cypher`);
    let end: PeelChainEnd;
    let endTxId: TxId | undefined;
    if (L < opts.maxHops && lastShape) {
      // A hop that does not continue: its change is unspent (for L = 0, last is the start itself).
      path.push({ tx: last, shape: lastShape });
      end = 'unspent';
    } else {
      end = lastShape ? 'max-hops' : 'not-a-hop';
      if (!lastShape) endTxId = last.id;
    }
    const candidates = path.map((s, k) => a.candidates[k]!.find((c) => c.index === s.shape.changeIndex)?.spenders ?? []);
    return { start, hops: path.map(hopOf), candidates, end, ...(endTxId !== undefined ? { endTxId } : {}) };
  });

  // Replay of PeelWalker.forward: all chains in lockstep, one batched read of candidates per step.
  const state = fulls.map((f) => ({ f, pos: 0, end: null as PeelChainEnd | null }));
  let active = state;
  while (active.length > 0) {
    const loaded = await ledger.load(active.flatMap((c) => c.f.candidates[c.pos]!), true);
    for (const c of active) {
      if (!loaded && c.f.candidates[c.pos]!.some((id) => !ledger.has(id))) c.end = 'budget';
      else if (c.pos + 1 < c.f.hops.length) c.pos++;
      else c.end = c.f.end;
    }
    active = active.filter((c) => c.end === null);
  }
  return state.map((c) => summarize(c.f.hops.slice(0, c.pos + 1), c.end!, c.end === c.f.end ? c.f.endTxId : undefined, starts));
}

/** As peel-walker.ts: the record of one hop. */
function hopOf(s: Start): PeelHop {
  const { tx, shape } = s;
  const change = tx.outputs.find((o) => o.index === shape.changeIndex)!;
  const peel = tx.outputs.find((o) => o.index === shape.peelIndex)!;
  const known = tx.inputs.every((i) => i.value !== null);
  return {
    txId: tx.id,
    height: tx.height,
    inputCount: tx.inputs.length,
    inputValue: known ? tx.inputs.reduce((t, i) => t + i.value!, 0n) : null,
    fee: tx.fee,
    changeIndex: shape.changeIndex,
    changeAddress: change.address!,
    changeValue: shape.changeValue,
    peelIndex: shape.peelIndex,
    peelAddress: peel.address!,
    peelValue: shape.peelValue,
    peelRatioPpm: shape.peelRatioPpm,
  };
}

/** As peel-walker.ts: the chain record. */
function summarize(hops: PeelHop[], end: PeelChainEnd, endTxId: TxId | undefined, starts: readonly Start[]): PeelChain {
  const first = hops[0]!;
  const startTx = starts.find((s) => s.tx.id === first.txId)?.tx;
  const used = new Set<AddressId>(startTx ? startTx.inputs.map((i) => i.address).filter((a): a is AddressId => a !== null) : []);
  let reused = false;
  for (const h of hops) {
    if (used.has(h.changeAddress)) reused = true;
    used.add(h.changeAddress);
  }
  return {
    startTxId: first.txId,
    hops,
    length: hops.length,
    totalPeeled: hops.reduce((t, h) => t + h.peelValue, 0n),
    startValue: first.peelValue + first.changeValue,
    endValue: hops[hops.length - 1]!.changeValue,
    changeAddressReused: reused,
    end,
    ...(endTxId !== undefined ? { endTxId } : {}),
    truncated: end === 'max-hops' || end === 'budget',
  };
}
