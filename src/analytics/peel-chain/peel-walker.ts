/**
 * Follows peel chains through the read port, many chains at once, one batched read per step.
 *
 * Forward step: the next hop is the transaction that spends the current hop's change output. The read port
 * has no "spent by" lookup, so the walker reads the change address's input flows (transactions the address
 * paid into) and picks the one whose inputs name the change outpoint. That works whether the change goes to
 * a fresh address each hop or back to the same address. Transactions and flows are cached for the whole
 * call, so an address reused by every hop is read once.
 *
 * Backward step: a hop's predecessor is the transaction whose CHANGE output one of the hop's inputs spends,
 * provided that transaction is itself a hop.
 *
 * The work budget counts distinct transactions read (`maxTransactions`).
 */
import { limitExceeded } from '../../errors.js';
import type { AddressId, TxId } from '../../model/address.js';
import type { Transaction } from '../../model/transaction.js';
import type { Flow, GraphReader } from '../../store/graph-store.js';
import { classifyPeelHop, type HopShape, type PeelChainOptions } from './peel-hop.js';

export interface PeelHop {
  txId: TxId;
  height: number;
  /** Number of inputs of the hop transaction. */
  inputCount: number;
  /** Sum of inputs in base units, null when one is unknown. */
  inputValue: bigint | null;
  fee: bigint | null;
  changeIndex: number;
  changeAddress: AddressId;
  changeValue: bigint;
  peelIndex: number;
  /** The peel recipient. */
  peelAddress: AddressId;
  peelValue: bigint;
  /** floor(peel * 10^6 / (peel + change)). */
  peelRatioPpm: number;
}

export type PeelChainEnd =
  /** The last change output is not spent in the stored data. */
  | 'unspent'
  /** The last change output is spent by a transaction that is not a hop (see `endTxId`). */
  | 'not-a-hop'
  /** maxHops reached. */
  | 'max-hops'
  /** The work budget ran out (onBudget 'truncate'). */
  | 'budget';

export interface PeelChain {
  startTxId: TxId;
  hops: PeelHop[];
  length: number;
  /** Sum of the peels, base units. */
  totalPeeled: bigint;
  /** peel + change of the first hop. */
  startValue: bigint;
  /** Change of the last hop. */
  endValue: bigint;
  /** True when some hop's change returns to an address already used by the chain (its inputs or changes). */
  changeAddressReused: boolean;
  end: PeelChainEnd;
  /** The transaction that spent the last change without being a hop (end 'not-a-hop'). */
  endTxId?: TxId;
  /** True when the chain may continue beyond what is reported (end 'max-hops' or 'budget'). */
  truncated: boolean;
}

export interface Start {
  tx: Transaction;
  shape: HopShape;
}

export class PeelWalker {
  private readonly txs = new Map<TxId, Transaction>();
  private readonly flows = new Map<AddressId, Flow[]>();
  /** True once the budget refused a read (onBudget 'truncate'). */
  budgetHit = false;

  constructor(
    private readonly graph: GraphReader,
    readonly options: PeelChainOptions,
  ) {}

  /** Distinct transactions read so far. */
  get transactionsRead(): number {
    return this.txs.size;
  }

  tx(id: TxId): Transaction | undefined {
    return this.txs.get(id);
  }

  /**
   * Reads the transactions not cached yet, in one call. Over budget: throws LIMIT_EXCEEDED, or (truncate)
   * reads none of them and sets `budgetHit`. Returns false when the read was refused.
   */
  async load(ids: Iterable<TxId>): Promise<boolean> {
    const missing = [...new Set(ids)].filter((id) => !this.txs.has(id));
    if (missing.length === 0) return true;
    if (this.txs.size + missing.length > this.options.maxTransactions) {
      if (this.options.onBudget === 'error') {
        throw limitExceeded(
          `peel-chain work budget exceeded: reading ${missing.length} more transactions would pass maxTransactions ${this.options.maxTransactions} (${this.txs.size} read so far); narrow the range or raise maxTransactions`,
          { read: this.txs.size, limit: this.options.maxTransactions },
        );
      }
      this.budgetHit = true;
      return false;
    }
    const got = await this.graph.getTransactions(missing);
    for (const [id, tx] of got) this.txs.set(id, tx);
    return true;
  }

  /**
   * For each hop, its predecessor hop (whose change output it spends; the first by input index), or null.
   * One read per call. When the budget refuses the read (truncate mode) the map is empty: unknown.
   */
  async predecessors(hops: readonly Transaction[]): Promise<Map<TxId, Start | null>> {
    const out = new Map<TxId, Start | null>();
    const prevIds = hops.flatMap((h) => h.inputs.flatMap((i) => (i.spends ? [i.spends.txId] : [])));
    if (!(await this.load(prevIds))) return out;
    for (const hop of hops) {
      let found: Start | null = null;
      for (const input of hop.inputs) {
        if (!input.spends) continue;
        const prev = this.txs.get(input.spends.txId);
        const shape = prev ? classifyPeelHop(prev, this.options) : null;
        if (prev && shape && shape.changeIndex === input.spends.vout) {
          found = { tx: prev, shape };
          break;
        }
      }
      out.set(hop.id, found);
    }
    return out;
  }

  /** Walks back from each start to the first hop of its chain (at most maxHops steps). */
  async rewind(starts: readonly Start[]): Promise<Start[]> {
    const current = [...starts];
    const active = new Set(current.map((_, i) => i));
    for (let step = 0; step < this.options.maxHops && active.size > 0; step++) {
      const idx = [...active];
      const preds = await this.predecessors(idx.map((i) => current[i]!.tx));
      for (const i of idx) {
        const p = preds.get(current[i]!.tx.id);
        if (p) current[i] = p;
        else active.delete(i);
      }
    }
    return current;
  }

  /** Follows every start forward, all chains in lockstep: one getFlows and one getTransactions per step. */
  async forward(starts: readonly Start[]): Promise<PeelChain[]> {
    const chains = starts.map((s) => ({ hops: [hopOf(s)], last: s, end: null as PeelChainEnd | null, endTxId: undefined as TxId | undefined }));
    let active = chains.filter((c) => c.end === null);
    while (active.length > 0) {
      const needFlows = [...new Set(active.map((c) => c.hops[c.hops.length - 1]!.changeAddress))].filter((a) => !this.flows.has(a));
      if (needFlows.length > 0) {
        const got = await this.graph.getFlows(needFlows, { side: 'input' });
        for (const a of needFlows) this.flows.set(a, got.get(a) ?? []);
      }
      const candidatesOf = (c: (typeof chains)[number]): TxId[] => {
        const hop = c.hops[c.hops.length - 1]!;
        return this.flows
          .get(hop.changeAddress)!
          .filter((f) => f.height >= hop.height && f.txId !== hop.txId)
          .map((f) => f.txId);
      };
      const loaded = await this.load(active.flatMap(candidatesOf));
      for (const c of active) {
        if (!loaded && candidatesOf(c).some((id) => !this.txs.has(id))) {
          c.end = 'budget';
          continue;
        }
        const out = { txId: c.last.tx.id, vout: c.last.shape.changeIndex };
        const spender = candidatesOf(c)
          .map((id) => this.txs.get(id)!)
          .find((tx) => tx.inputs.some((i) => i.spends?.txId === out.txId && i.spends.vout === out.vout));
        if (!spender) {
          c.end = 'unspent';
          continue;
        }
        const shape = classifyPeelHop(spender, this.options);
        if (!shape) {
          c.end = 'not-a-hop';
          c.endTxId = spender.id;
          continue;
        }
        if (c.hops.length >= this.options.maxHops) {
          // The chain goes on, but the caller asked for no more hops.
          c.end = 'max-hops';
          continue;
        }
        c.last = { tx: spender, shape };
        c.hops.push(hopOf(c.last));
      }
      active = active.filter((c) => c.end === null);
    }
    return chains.map((c) => summarize(c.hops, c.end ?? 'unspent', c.endTxId, starts));
  }
}

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
