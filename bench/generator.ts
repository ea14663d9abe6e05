/**
 * A deterministic, seeded generator of Bitcoin-shaped chain graphs for the benchmarks: `size` addresses and
 * about `transfersPerAddress * size` transfers (outputs paying an address), as real UTXO blocks that any
 * store can ingest, plus the labels of the known entities.
 *
 * What the graph holds (all proportions scale with `size`):
 * - Power-law degrees: a recipient is a fresh address or, by preferential attachment, an address picked in
 *   proportion to the outputs it has received so far (Barabasi-Albert), so a few addresses become popular.
 * - Exchange hubs: per exchange a hot wallet (labelled `exchange`); customers pay fresh deposit addresses,
 *   deposits are swept in many-input consolidations into the hot wallet, which pays batched withdrawals
 *   with change back to itself. Exchange sizes follow a power law.
 * - Mixers: a centralized mixer pool address (labelled `mixer`) taking deposits and paying out to fresh
 *   addresses, and CoinJoin transactions (5-10 participants, equal denomination outputs plus change).
 * - Peel chains: 1-input, 2-output hops that peel 1-15% to a recipient (or an exchange deposit) and send the
 *   change to a fresh address, 4-80 hops long (power law), started from ordinary funds and from sanctioned
 *   cash-outs (Meiklejohn et al., "A Fistful of Bitcoins", IMC 2013, section 4.3).
 * - Sanctioned entities (labelled `sanctioned`, one to four addresses each): they receive payments
 *   (ransoms) and cash out through peel chains, the mixer, exchange deposits or plain payments.
 * - Miners (labelled `miner`): one coinbase per block; a first block of many coinbase outputs funds the economy.
 *
 * Inputs carry their spent outpoint, address and value (as Bitcoin Core's getblock verbosity 3 gives them),
 * fees are exact (inputs minus outputs, 200-2,200 sat), amounts are integer satoshi well inside 2^53 and
 * become bigint in the blocks. Address ids are valid mainnet P2WPKH (bech32) addresses of hashed counters;
 * transaction and block hashes are 64 hex digits of hashed counters. The same options give the same blocks,
 * byte for byte, on every run and platform.
 */
import type { AddressId, TxId } from '../src/model/address.js';
import type { Label } from '../src/model/label.js';
import type { Block, Transaction, TxInput, TxOutput } from '../src/model/transaction.js';
import { p2wpkhFromWords } from './bech32.js';
import { hashHex64, hashWords, Random } from './random.js';

export interface GeneratorOptions {
  /** Number of addresses. */
  size: number;
  seed: number;
  /** Transfers (outputs paying an address) per address. */
  transfersPerAddress: number;
  /** Transactions per block, coinbase included. */
  txsPerBlock: number;
  /** Height of the first block. */
  startHeight: number;
}

export const DEFAULTS: GeneratorOptions = {
  size: 100_000,
  seed: 1,
  transfersPerAddress: 3,
  txsPerBlock: 1_000,
  startHeight: 1,
};

export type TxKind =
  | 'coinbase'
  | 'payment'
  | 'exchange-deposit'
  | 'exchange-sweep'
  | 'exchange-withdrawal'
  | 'mixer-deposit'
  | 'mixer-payout'
  | 'coinjoin'
  | 'peel-hop'
  | 'sanctioned-inflow'
  | 'sanctioned-cashout';

export interface ChainFacts {
  addresses: number;
  transactions: number;
  inputs: number;
  /** Outputs paying an address: the transfers. */
  transfers: number;
  blocks: number;
  fromHeight: number;
  toHeight: number;
  kinds: Record<TxKind, number>;
  sanctioned: AddressId[];
  exchanges: AddressId[];
  mixers: AddressId[];
  miners: AddressId[];
  /** First hop of every peel chain generated, in generation order. */
  peelStarts: TxId[];
  peelHops: number;
  /** Sanctioned cash-out transactions, in generation order (taint sources). */
  cashouts: TxId[];
}

const TX_DOMAIN = 1;
const ADDRESS_DOMAIN = 2;
const BLOCK_DOMAIN = 3;
const MINERS = 10;
const FEE_MIN = 200;
const FEE_SPAN = 2_000;
const DUST = 1_000;
const COINBASE_VALUE = 312_500_000;
const GENESIS_VALUE = 5_000_000_000;
const GENERAL = 0;

/** Growable list of integers with O(1) swap-removal; each member remembers its position (utxoPos). */
class Pool {
  items = new Int32Array(64);
  length = 0;
}

interface PeelState {
  utxo: number;
  hopsLeft: number;
  started: boolean;
}

/** Address id of generated address number `i` under `seed`: a P2WPKH address of a hashed counter. */
export function benchAddress(seed: number, i: number): AddressId {
  return `btc:${p2wpkhFromWords(hashWords(seed, ADDRESS_DOMAIN, i, 5))}`;
}

/** Transaction id of generated transaction number `i` under `seed`. */
export function benchTxId(seed: number, i: number): TxId {
  return `btc:${hashHex64(seed, TX_DOMAIN, i)}`;
}

/**
 * A generated chain. `blocks()` yields the blocks in height order (it can be iterated again and gives the
 * same blocks); `facts` is complete once an iteration has finished. Cost: O(transfers) time; memory
 * O(size + transfers) for the UTXO set and the preferential-attachment list (~60 bytes per transfer).
 */
export class ChainGenerator {
  readonly options: GeneratorOptions;
  readonly exchangeCount: number;
  readonly mixerCount: number;
  readonly entityCount: number;
  /** Address numbers of the special roles. */
  private readonly minerAddr: number[] = [];
  private readonly hotAddr: number[] = [];
  private readonly mixerAddr: number[] = [];
  private readonly entityAddrs: number[][] = [];
  private readonly specialCount: number;
  private readonly addressCache: (AddressId | undefined)[];
  facts: ChainFacts | null = null;

  constructor(options: Partial<GeneratorOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
    const { size, seed } = this.options;
    if (!Number.isSafeInteger(size) || size < 1_000 || size > 50_000_000) throw new Error(`generator size must be an integer in [1000, 50000000], got ${size}`);
    this.exchangeCount = clamp(Math.round(size / 50_000), 3, 40);
    this.mixerCount = clamp(Math.round(size / 250_000), 1, 8);
    this.entityCount = clamp(Math.round(size / 25_000), 3, 80);
    let next = 0;
    for (let i = 0; i < MINERS; i++) this.minerAddr.push(next++);
    for (let i = 0; i < this.exchangeCount; i++) this.hotAddr.push(next++);
    for (let i = 0; i < this.mixerCount; i++) this.mixerAddr.push(next++);
    const rnd = new Random(seed ^ 0x5eed);
    for (let i = 0; i < this.entityCount; i++) {
      const list: number[] = [];
      for (let k = rnd.range(1, 4); k > 0; k--) list.push(next++);
      this.entityAddrs.push(list);
    }
    this.specialCount = next;
    this.addressCache = new Array<AddressId | undefined>(size);
  }

  /** Number of the first ordinary (unlabelled) address: the special roles come first. */
  get firstOrdinaryAddress(): number {
    return this.specialCount;
  }

  address(i: number): AddressId {
    return (this.addressCache[i] ??= benchAddress(this.options.seed, i));
  }

  /** Labels of the known entities: sanctioned (source `bench-sdn`), exchange, mixer, miner (`bench-tags`). */
  labels(): { source: string; labels: Label[] }[] {
    const sdn: Label[] = [];
    this.entityAddrs.forEach((list, e) => {
      for (const a of list) sdn.push({ address: this.address(a), category: 'sanctioned', label: `Bench SDN entity ${e + 1}`, source: 'bench-sdn', confidence: 100, actor: `entity-${e + 1}` });
    });
    const tags: Label[] = [];
    this.hotAddr.forEach((a, e) => tags.push({ address: this.address(a), category: 'exchange', label: `Exchange ${e + 1} hot wallet`, source: 'bench-tags', confidence: 90, actor: `exchange-${e + 1}` }));
    this.mixerAddr.forEach((a, m) => tags.push({ address: this.address(a), category: 'mixer', label: `Mixer ${m + 1}`, source: 'bench-tags', confidence: 80, actor: `mixer-${m + 1}` }));
    this.minerAddr.forEach((a, m) => tags.push({ address: this.address(a), category: 'miner', label: `Pool ${m + 1}`, source: 'bench-tags', confidence: 70, actor: `pool-${m + 1}` }));
    return [
      { source: 'bench-sdn', labels: sdn },
      { source: 'bench-tags', labels: tags },
    ];
  }

  sanctionedAddresses(): AddressId[] {
    return this.entityAddrs.flat().map((a) => this.address(a));
  }

  *blocks(): Generator<Block> {
    const o = this.options;
    const { size, seed } = o;
    const targetTransfers = Math.round(size * o.transfersPerAddress);
    const rnd = new Random(seed);
    const E = this.exchangeCount;
    const X = this.mixerCount;
    const S = this.entityCount;

    // Pools: 0 general, then per exchange its hot wallet and its deposits, per mixer, per entity, peel.
    const HOT = 1;
    const DEPOSIT = HOT + E;
    const MIXER = DEPOSIT + E;
    const ENTITY = MIXER + X;
    const PEEL = ENTITY + S;
    const pools: Pool[] = [];
    for (let i = 0; i <= PEEL; i++) pools.push(new Pool());
    /** Pool of each special address (index < specialCount). */
    const specialPool = new Int32Array(this.specialCount).fill(GENERAL);
    this.hotAddr.forEach((a, e) => (specialPool[a] = HOT + e));
    this.mixerAddr.forEach((a, m) => (specialPool[a] = MIXER + m));
    this.entityAddrs.forEach((list, e) => list.forEach((a) => (specialPool[a] = ENTITY + e)));

    // UTXO columns.
    let cap = 1 << 16;
    let uTx = new Int32Array(cap);
    let uVout = new Int32Array(cap);
    let uAddr = new Int32Array(cap);
    let uValue = new Float64Array(cap);
    let uPool = new Int32Array(cap);
    let uPos = new Int32Array(cap);
    let uNext = new Int32Array(cap);
    let utxoCount = 0;
    const addrHead = new Int32Array(size).fill(-1);
    // Preferential attachment: one entry per output an ordinary address received.
    let ends = new Int32Array(1 << 16);
    let endCount = 0;

    let nextFresh = this.specialCount;
    let transfers = 0;
    let txCounter = 0;
    const kinds = Object.fromEntries(
      (['coinbase', 'payment', 'exchange-deposit', 'exchange-sweep', 'exchange-withdrawal', 'mixer-deposit', 'mixer-payout', 'coinjoin', 'peel-hop', 'sanctioned-inflow', 'sanctioned-cashout'] as TxKind[]).map((k) => [k, 0]),
    ) as Record<TxKind, number>;
    const facts: ChainFacts = {
      addresses: 0,
      transactions: 0,
      inputs: 0,
      transfers: 0,
      blocks: 0,
      fromHeight: o.startHeight,
      toHeight: o.startHeight,
      kinds,
      sanctioned: this.sanctionedAddresses(),
      exchanges: this.hotAddr.map((a) => this.address(a)),
      mixers: this.mixerAddr.map((a) => this.address(a)),
      miners: this.minerAddr.map((a) => this.address(a)),
      peelStarts: [],
      peelHops: 0,
      cashouts: [],
    };
    this.facts = null;
    const peels: PeelState[] = [];
    const peelTarget = Math.max(4, Math.round(size / 20_000));

    const growUtxos = (): void => {
      cap *= 2;
      const g = <T extends Int32Array | Float64Array>(a: T): T => {
        const b = new (a.constructor as { new (n: number): T })(cap);
        b.set(a);
        return b;
      };
      uTx = g(uTx);
      uVout = g(uVout);
      uAddr = g(uAddr);
      uValue = g(uValue);
      uPool = g(uPool);
      uPos = g(uPos);
      uNext = g(uNext);
    };
    const poolAdd = (p: number, u: number): void => {
      const pool = pools[p]!;
      if (pool.length === pool.items.length) {
        const b = new Int32Array(pool.items.length * 2);
        b.set(pool.items);
        pool.items = b;
      }
      uPool[u] = p;
      uPos[u] = pool.length;
      pool.items[pool.length++] = u;
    };
    const poolRemove = (u: number): void => {
      const pool = pools[uPool[u]!]!;
      const pos = uPos[u]!;
      const last = pool.items[--pool.length]!;
      pool.items[pos] = last;
      uPos[last] = pos;
      uPos[u] = -1;
    };
    const poolPick = (p: number): number => {
      const pool = pools[p]!;
      return pool.length === 0 ? -1 : pool.items[rnd.int(pool.length)]!;
    };

    const fresh = (): number => {
      if (nextFresh < size) return nextFresh++;
      return endCount > 0 ? ends[rnd.int(endCount)]! : this.specialCount + rnd.int(size - this.specialCount);
    };
    const freshShare = (): number => (size - nextFresh) / Math.max(1, targetTransfers - transfers);
    /** A counterparty: fresh, or picked in proportion to what it has received (power law). */
    const recipient = (): number => (endCount === 0 || rnd.chance(freshShare()) ? fresh() : ends[rnd.int(endCount)]!);
    const fee = (): number => FEE_MIN + rnd.int(FEE_SPAN);

    // The transaction being built.
    let txInputs: number[] = [];
    let txOutputs: { addr: number; value: number; pool: number }[] = [];
    let blockTxs: Transaction[] = [];
    let height = o.startHeight;
    let time = 1_600_000_000;
    const blockHash = (h: number): string => hashHex64(seed, BLOCK_DOMAIN, h);
    const pay = (addr: number, value: number, pool = addr < this.specialCount ? specialPool[addr]! : GENERAL): void => {
      txOutputs.push({ addr, value, pool });
    };
    /** Closes the transaction being built: spends its inputs, creates its outputs. Returns its id. */
    const emit = (kind: TxKind, coinbase = false): TxId => {
      const t = txCounter++;
      const id = benchTxId(seed, t);
      const inputs: TxInput[] = [];
      let inSum = 0;
      for (let i = 0; i < txInputs.length; i++) {
        const u = txInputs[i]!;
        inSum += uValue[u]!;
        inputs.push({ index: i, address: this.address(uAddr[u]!), value: BigInt(uValue[u]!), asset: 'BTC', spends: { txId: benchTxId(seed, uTx[u]!), vout: uVout[u]! }, addressSource: 'prevout' });
        poolRemove(u);
      }
      const outputs: TxOutput[] = [];
      let outSum = 0;
      for (let v = 0; v < txOutputs.length; v++) {
        const out = txOutputs[v]!;
        if (!(out.value >= 1) || !Number.isSafeInteger(out.value)) throw new Error(`generator: bad output value ${out.value} in a ${kind}`);
        outSum += out.value;
        outputs.push({ index: v, address: this.address(out.addr), value: BigInt(out.value), asset: 'BTC', scriptType: 'p2wpkh' });
        if (utxoCount === cap) growUtxos();
        const u = utxoCount++;
        uTx[u] = t;
        uVout[u] = v;
        uAddr[u] = out.addr;
        uValue[u] = out.value;
        poolAdd(out.pool, u);
        if (out.pool === GENERAL) {
          uNext[u] = addrHead[out.addr]!;
          addrHead[out.addr] = u;
        }
        if (out.addr >= this.specialCount) {
          if (endCount === ends.length) {
            const b = new Int32Array(ends.length * 2);
            b.set(ends);
            ends = b;
          }
          ends[endCount++] = out.addr;
        }
      }
      if (!coinbase && outSum > inSum) throw new Error(`generator: a ${kind} spends ${inSum} and creates ${outSum}`);
      const hash = id.slice(4);
      blockTxs.push({
        id,
        chain: 'btc',
        hash,
        blockHash: blockHash(height),
        height,
        time,
        position: blockTxs.length,
        coinbase,
        status: 'ok',
        fee: coinbase ? null : BigInt(inSum - outSum),
        inputs,
        outputs,
      });
      kinds[kind]++;
      facts.inputs += inputs.length;
      transfers += outputs.length;
      txInputs = [];
      txOutputs = [];
      return id;
    };
    const inputSum = (): number => txInputs.reduce((t, u) => t + uValue[u]!, 0);
    /** The picked general UTXO plus up to `extra` more of the same address (multi-input spends). */
    const takeFromAddress = (u0: number, extra: number): void => {
      txInputs.push(u0);
      const a = uAddr[u0]!;
      let prev = -1;
      let u = addrHead[a]!;
      while (u !== -1 && extra > 0) {
        const next = uNext[u]!;
        if (uPos[u] === -1 || uPool[u] !== GENERAL) {
          if (prev === -1) addrHead[a] = next;
          else uNext[prev] = next;
        } else {
          if (u !== u0) {
            txInputs.push(u);
            extra--;
          }
          prev = u;
        }
        u = next;
      }
    };
    /** Splits `total` into `n` positive integer parts, each at least 1. */
    const split = (total: number, n: number): number[] => {
      const weights = Array.from({ length: n }, () => 0.2 + rnd.float());
      const sum = weights.reduce((s, w) => s + w, 0);
      const parts = weights.map((w) => Math.max(1, Math.floor((total * w) / sum)));
      const diff = total - parts.reduce((s, p) => s + p, 0);
      parts[0]! += diff;
      return parts[0]! >= 1 ? parts : [total];
    };

    // ------------------------------------------------------------------ transaction shapes
    /** An ordinary payment from a general UTXO's address to `to` (or recipients), with change. */
    const payment = (kind: TxKind, to: (() => { addr: number; pool?: number }) | null): boolean => {
      const u0 = poolPick(GENERAL);
      if (u0 === -1) return false;
      const sender = uAddr[u0]!;
      takeFromAddress(u0, rnd.chance(0.3) ? rnd.range(1, 3) : 0);
      const total = inputSum();
      const f = Math.min(fee(), Math.floor(total / 4));
      const recipients = to ? 1 : rnd.chance(0.8) ? 1 : rnd.range(2, 3);
      const target = (): { addr: number; pool?: number } => (to ? to() : { addr: recipient() });
      if (total - f < 3 * DUST) {
        const r = target();
        pay(r.addr, total - f, r.pool);
      } else {
        const share = 0.05 + 0.9 * rnd.float() * rnd.float();
        const amount = Math.max(DUST, Math.floor((total - f) * share));
        const parts = split(amount, recipients);
        for (const p of parts) {
          const r = target();
          pay(r.addr, p, r.pool);
        }
        const change = total - f - amount;
        if (change >= DUST) pay(rnd.chance(freshShare()) ? fresh() : sender, change);
      }
      emit(kind);
      return true;
    };

    const exchangeIndex = (): number => Math.min(E - 1, rnd.powerLaw(1, E, 1.2) - 1);

    const exchangeDeposit = (): boolean => {
      const e = exchangeIndex();
      return payment('exchange-deposit', () => ({ addr: fresh(), pool: DEPOSIT + e }));
    };

    const exchangeSweep = (): boolean => {
      const e = exchangeIndex();
      const pool = pools[DEPOSIT + e]!;
      if (pool.length < 10) return false;
      const n = Math.min(pool.length, rnd.range(10, 60));
      for (let i = 0; i < n; i++) txInputs.push(pool.items[pool.length - 1 - i]!);
      const total = inputSum();
      pay(this.hotAddr[e]!, total - Math.min(fee() * 4, Math.floor(total / 4)));
      emit('exchange-sweep');
      return true;
    };

    const exchangeWithdrawal = (): boolean => {
      const e = exchangeIndex();
      const u0 = poolPick(HOT + e);
      if (u0 === -1) return false;
      txInputs.push(u0);
      if (rnd.chance(0.3)) {
        const u1 = poolPick(HOT + e);
        if (u1 !== -1 && u1 !== u0) txInputs.push(u1);
      }
      const total = inputSum();
      const f = Math.min(fee() * 3, Math.floor(total / 4));
      const n = rnd.range(3, 20);
      const budget = Math.floor((total - f) * (0.2 + 0.5 * rnd.float()));
      if (budget < n * DUST) {
        pay(recipient(), total - f);
      } else {
        for (const p of split(budget, n)) pay(recipient(), p);
        pay(this.hotAddr[e]!, total - f - budget);
      }
      emit('exchange-withdrawal');
      return true;
    };

    const mixerDeposit = (): boolean => {
      const m = rnd.int(X);
      return payment('mixer-deposit', () => ({ addr: this.mixerAddr[m]! }));
    };

    const mixerPayout = (): boolean => {
      const m = rnd.int(X);
      const u0 = poolPick(MIXER + m);
      if (u0 === -1) return false;
      txInputs.push(u0);
      const total = inputSum();
      const f = Math.min(fee(), Math.floor(total / 4));
      const n = rnd.range(1, 4);
      const budget = Math.floor((total - f) * (0.3 + 0.6 * rnd.float()));
      if (budget < n * DUST) pay(fresh(), total - f);
      else {
        for (const p of split(budget, n)) pay(fresh(), p);
        if (total - f - budget >= 1) pay(this.mixerAddr[m]!, total - f - budget);
      }
      emit('mixer-payout');
      return true;
    };

    const coinjoin = (): boolean => {
      const n = rnd.range(5, 10);
      const picked = new Set<number>();
      const owners = new Set<number>();
      for (let tries = 0; picked.size < n && tries < n * 4; tries++) {
        const u = poolPick(GENERAL);
        if (u === -1) return false;
        if (picked.has(u) || owners.has(uAddr[u]!) || uValue[u]! < 50_000) continue;
        picked.add(u);
        owners.add(uAddr[u]!);
      }
      if (picked.size < 3) return false;
      const list = [...picked];
      const denomination = Math.floor(Math.min(...list.map((u) => uValue[u]!)) * 0.8);
      for (const u of list) txInputs.push(u);
      for (let i = 0; i < list.length; i++) pay(fresh(), denomination);
      for (const u of list) {
        const change = uValue[u]! - denomination - fee();
        if (change >= DUST) pay(fresh(), change);
      }
      emit('coinjoin');
      return true;
    };

    /** Starts a peel chain on UTXO `u` (it moves to the peel pool). */
    const startPeel = (u: number): void => {
      poolRemove(u);
      poolAdd(PEEL, u);
      peels.push({ utxo: u, hopsLeft: rnd.powerLaw(4, 80, 1.8), started: false });
    };

    const peelHop = (): boolean => {
      if (peels.length < peelTarget) {
        for (let tries = 0; tries < 5; tries++) {
          const u = poolPick(GENERAL);
          if (u !== -1 && uValue[u]! >= 5_000_000) {
            startPeel(u);
            break;
          }
        }
      }
      if (peels.length === 0) return false;
      const k = rnd.int(peels.length);
      const chain = peels[k]!;
      txInputs.push(chain.utxo);
      const total = uValue[chain.utxo]!;
      const f = fee();
      const peel = Math.max(DUST, Math.floor(total * (0.01 + 0.14 * rnd.float())));
      const change = total - peel - f;
      const last = chain.hopsLeft <= 1 || change < 200_000;
      if (rnd.chance(0.3)) {
        const e = exchangeIndex();
        pay(fresh(), peel, DEPOSIT + e);
      } else pay(recipient(), peel);
      pay(fresh(), change, last ? GENERAL : PEEL);
      const id = emit('peel-hop');
      facts.peelHops++;
      if (!chain.started) {
        facts.peelStarts.push(id);
        chain.started = true;
      }
      if (last) {
        peels[k] = peels[peels.length - 1]!;
        peels.pop();
      } else {
        chain.utxo = utxoCount - 1;
        chain.hopsLeft--;
      }
      return true;
    };

    const sanctionedInflow = (): boolean => {
      const e = rnd.int(S);
      const list = this.entityAddrs[e]!;
      return payment('sanctioned-inflow', () => ({ addr: list[rnd.int(list.length)]! }));
    };

    const sanctionedCashout = (): boolean => {
      const e = rnd.int(S);
      const u0 = poolPick(ENTITY + e);
      if (u0 === -1) return false;
      txInputs.push(u0);
      const u1 = poolPick(ENTITY + e);
      if (u1 !== -1 && u1 !== u0 && rnd.chance(0.5)) txInputs.push(u1);
      const total = inputSum();
      const f = Math.min(fee(), Math.floor(total / 4));
      const route = rnd.float();
      let peelStart = false;
      if (route < 0.4 && total - f >= 5_000_000) {
        pay(fresh(), total - f);
        peelStart = true;
      } else if (route < 0.7) pay(this.mixerAddr[rnd.int(X)]!, total - f);
      else if (route < 0.9) pay(fresh(), total - f, DEPOSIT + exchangeIndex());
      else if (total - f >= 3 * DUST) for (const p of split(total - f, rnd.range(1, 3))) pay(recipient(), p);
      else pay(recipient(), total - f);
      facts.cashouts.push(emit('sanctioned-cashout'));
      if (peelStart && uPool[utxoCount - 1] === GENERAL) startPeel(utxoCount - 1);
      return true;
    };

    // Kind weights (per mille) of the ordinary transactions; a kind whose precondition fails falls back
    // to a payment.
    const shapes: [number, () => boolean][] = [
      [590, () => payment('payment', null)],
      [110, exchangeDeposit],
      [25, exchangeSweep],
      [70, exchangeWithdrawal],
      [25, mixerDeposit],
      [25, mixerPayout],
      [10, coinjoin],
      [110, peelHop],
      [20, sanctionedInflow],
      [15, sanctionedCashout],
    ];
    const weightSum = shapes.reduce((s, [w]) => s + w, 0);

    const closeBlock = (): Block => {
      const block: Block = { chain: 'btc', height, hash: blockHash(height), time, transactions: blockTxs };
      facts.blocks++;
      facts.toHeight = height;
      blockTxs = [];
      height++;
      time += 600;
      return block;
    };

    // Genesis funding: one coinbase with many outputs to fresh addresses.
    const genesisOutputs = clamp(Math.round(size / 200), 100, 20_000);
    for (let i = 0; i < genesisOutputs; i++) pay(fresh(), GENESIS_VALUE);
    emit('coinbase', true);
    yield closeBlock();

    while (transfers < targetTransfers) {
      pay(this.minerAddr[rnd.int(MINERS)]!, COINBASE_VALUE, GENERAL);
      emit('coinbase', true);
      while (blockTxs.length < o.txsPerBlock && transfers < targetTransfers) {
        let x = rnd.int(weightSum);
        let done = false;
        for (const [w, shape] of shapes) {
          if (x < w) {
            done = shape();
            break;
          }
          x -= w;
        }
        if (!done && !payment('payment', null)) throw new Error('generator: no spendable output left');
      }
      yield closeBlock();
    }
    facts.addresses = Math.min(nextFresh, size);
    facts.transactions = txCounter;
    facts.transfers = transfers;
    this.facts = facts;
  }
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
