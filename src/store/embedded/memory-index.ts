/**
 * The embedded store's in-memory adjacency index: every value-carrying edge (flow), grouped by address and
 * by transaction, so that traversals never go to disk per hop. It is loaded from SQLite at start and updated
 * after each committed write, in the same call, so that readers always see committed state.
 *
 * Layout: addresses and transactions get dense integer ids; transactions' metadata and flows live in typed
 * column arrays (a flow id indexes the flow columns). Each address and each transaction holds a singly
 * linked list of its flows (head and tail per owner, one `next` column per list kind), so that a million
 * addresses cost a few bytes each rather than a JavaScript array each (docs/performance.md). Per-address
 * lists are kept in chain order (height, position, tx id, side, index); a list touched by an out-of-order
 * block is re-sorted lazily on its next read. Per-transaction lists keep insertion order.
 *
 * Amounts are kept as float64 when they are safe integers (every satoshi amount, most token amounts) and
 * as bigint beside the columns otherwise; reads always return bigint.
 */
import type { AddressId, TxId } from '../../model/address.js';
import type { AssetId } from '../../model/transaction.js';
import type { Flow, FlowQuery } from '../graph-store.js';

const INPUT = 0;
const OUTPUT = 1;
const NONE = -1;
/** flowValue markers: NaN is an unknown value (null); BIG means "see bigValues". */
const BIG = -1;

interface TxMeta {
  height: number;
  time: number;
  position: number;
}

function grownInt32(a: Int32Array, need: number, fill = 0): Int32Array {
  if (need <= a.length) return a;
  const b = new Int32Array(Math.max(need, a.length * 2));
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

function grownFloat64(a: Float64Array, need: number): Float64Array {
  if (need <= a.length) return a;
  const b = new Float64Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

function grownUint8(a: Uint8Array, need: number): Uint8Array {
  if (need <= a.length) return a;
  const b = new Uint8Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

export class MemoryIndex {
  private readonly addressIds = new Map<AddressId, number>();
  private readonly addressNames: AddressId[] = [];
  private addressHead: Int32Array = new Int32Array(1024).fill(NONE);
  private addressTail: Int32Array = new Int32Array(1024).fill(NONE);
  private readonly dirty = new Set<number>();

  private readonly txIds = new Map<TxId, number>();
  private readonly txNames: TxId[] = [];
  private txHeight: Float64Array = new Float64Array(1024);
  private txTime: Float64Array = new Float64Array(1024);
  private txPosition: Float64Array = new Float64Array(1024);
  private txHead: Int32Array = new Int32Array(1024).fill(NONE);
  private txTail: Int32Array = new Int32Array(1024).fill(NONE);

  private readonly assets = new Map<AssetId, number>();
  private readonly assetNames: AssetId[] = [];

  // Flow columns.
  private flowCount = 0;
  private flowAddress: Int32Array = new Int32Array(4096);
  private flowTx: Int32Array = new Int32Array(4096);
  private flowSide: Uint8Array = new Uint8Array(4096);
  private flowIndex: Int32Array = new Int32Array(4096);
  private flowValue: Float64Array = new Float64Array(4096);
  private flowAsset: Int32Array = new Int32Array(4096);
  private nextOfAddress: Int32Array = new Int32Array(4096);
  private nextOfTx: Int32Array = new Int32Array(4096);
  private readonly bigValues = new Map<number, bigint>();

  get addressCount(): number {
    return this.addressNames.length;
  }

  hasAddress(id: AddressId): boolean {
    return this.addressIds.has(id);
  }

  hasTx(id: TxId): boolean {
    return this.txIds.has(id);
  }

  /** The index's own instance of an address id string (so that readers share one copy), or `id`. */
  internAddress(id: AddressId): AddressId {
    const a = this.addressIds.get(id);
    return a === undefined ? id : this.addressNames[a]!;
  }

  /** The index's own instance of a transaction id string, or `id`. */
  internTx(id: TxId): TxId {
    const t = this.txIds.get(id);
    return t === undefined ? id : this.txNames[t]!;
  }

  addTx(id: TxId, meta: TxMeta): number {
    let t = this.txIds.get(id);
    if (t === undefined) {
      t = this.txNames.length;
      this.txIds.set(id, t);
      this.txNames.push(id);
      const need = t + 1;
      this.txHeight = grownFloat64(this.txHeight, need);
      this.txTime = grownFloat64(this.txTime, need);
      this.txPosition = grownFloat64(this.txPosition, need);
      this.txHead = grownInt32(this.txHead, need, NONE);
      this.txTail = grownInt32(this.txTail, need, NONE);
      this.txHeight[t] = meta.height;
      this.txTime[t] = meta.time;
      this.txPosition[t] = meta.position;
    }
    return t;
  }

  private addressInt(id: AddressId): number {
    let a = this.addressIds.get(id);
    if (a === undefined) {
      a = this.addressNames.length;
      this.addressIds.set(id, a);
      this.addressNames.push(id);
      this.addressHead = grownInt32(this.addressHead, a + 1, NONE);
      this.addressTail = grownInt32(this.addressTail, a + 1, NONE);
    }
    return a;
  }

  private assetInt(asset: AssetId): number {
    let s = this.assets.get(asset);
    if (s === undefined) {
      s = this.assetNames.length;
      this.assets.set(asset, s);
      this.assetNames.push(asset);
    }
    return s;
  }

  /** Registers an address with no flows yet (e.g. a label on an address not seen on chain). */
  touchAddress(id: AddressId): void {
    this.addressInt(id);
  }

  private setValue(f: number, value: bigint | null): void {
    if (value === null) {
      this.flowValue[f] = Number.NaN;
      this.bigValues.delete(f);
    } else if (value >= 0n && value <= BigInt(Number.MAX_SAFE_INTEGER)) {
      this.flowValue[f] = Number(value);
      this.bigValues.delete(f);
    } else {
      this.flowValue[f] = BIG;
      this.bigValues.set(f, value);
    }
  }

  private valueOf(f: number): bigint | null {
    const v = this.flowValue[f]!;
    if (Number.isNaN(v)) return null;
    return v === BIG ? this.bigValues.get(f)! : BigInt(v);
  }

  /** Adds one flow. Inputs without an address are tracked too, so that a later backfill can attach them. */
  addFlow(tx: TxId, side: 'input' | 'output', index: number, address: AddressId | null, value: bigint | null, asset: AssetId): void {
    const t = this.txIds.get(tx);
    if (t === undefined) throw new Error(`memory index: flow for unknown transaction ${tx}`);
    const f = this.flowCount++;
    if (f >= this.flowTx.length) {
      const need = f + 1;
      this.flowAddress = grownInt32(this.flowAddress, need);
      this.flowTx = grownInt32(this.flowTx, need);
      this.flowSide = grownUint8(this.flowSide, need);
      this.flowIndex = grownInt32(this.flowIndex, need);
      this.flowValue = grownFloat64(this.flowValue, need);
      this.flowAsset = grownInt32(this.flowAsset, need);
      this.nextOfAddress = grownInt32(this.nextOfAddress, need);
      this.nextOfTx = grownInt32(this.nextOfTx, need);
    }
    const a = address === null ? NONE : this.addressInt(address);
    this.flowAddress[f] = a;
    this.flowTx[f] = t;
    this.flowSide[f] = side === 'input' ? INPUT : OUTPUT;
    this.flowIndex[f] = index;
    this.setValue(f, value);
    this.flowAsset[f] = this.assetInt(asset);
    // Append to the transaction's list.
    this.nextOfTx[f] = NONE;
    const last = this.txTail[t]!;
    if (last === NONE) this.txHead[t] = f;
    else this.nextOfTx[last] = f;
    this.txTail[t] = f;
    if (a >= 0) this.appendToAddress(a, f);
  }

  /** Sets the address and value of an input once its spent output is known. */
  resolveInput(tx: TxId, index: number, address: AddressId | null, value: bigint): void {
    const t = this.txIds.get(tx);
    if (t === undefined) return;
    let f = this.txHead[t]!;
    while (f !== NONE && !(this.flowSide[f] === INPUT && this.flowIndex[f] === index)) f = this.nextOfTx[f]!;
    if (f === NONE) return;
    const newAddress = address === null ? NONE : this.addressInt(address);
    const oldAddress = this.flowAddress[f]!;
    if (oldAddress !== newAddress) {
      if (oldAddress >= 0) this.unlinkFromAddress(oldAddress, f);
      this.flowAddress[f] = newAddress;
      if (newAddress >= 0) this.appendToAddress(newAddress, f);
    }
    this.setValue(f, value);
  }

  private unlinkFromAddress(a: number, f: number): void {
    let prev = NONE;
    let cur = this.addressHead[a]!;
    while (cur !== NONE && cur !== f) {
      prev = cur;
      cur = this.nextOfAddress[cur]!;
    }
    if (cur === NONE) return;
    const next = this.nextOfAddress[f]!;
    if (prev === NONE) this.addressHead[a] = next;
    else this.nextOfAddress[prev] = next;
    if (this.addressTail[a] === f) this.addressTail[a] = prev;
  }

  private appendToAddress(a: number, f: number): void {
    const last = this.addressTail[a]!;
    this.nextOfAddress[f] = NONE;
    if (last === NONE) this.addressHead[a] = f;
    else {
      this.nextOfAddress[last] = f;
      if (this.compareFlows(last, f) > 0) this.dirty.add(a);
    }
    this.addressTail[a] = f;
  }

  private compareFlows(x: number, y: number): number {
    const tx = this.flowTx[x]!;
    const ty = this.flowTx[y]!;
    return (
      this.txHeight[tx]! - this.txHeight[ty]! ||
      this.txPosition[tx]! - this.txPosition[ty]! ||
      (tx === ty ? 0 : this.txNames[tx]! < this.txNames[ty]! ? -1 : 1) ||
      this.flowSide[x]! - this.flowSide[y]! ||
      this.flowIndex[x]! - this.flowIndex[y]!
    );
  }

  /** Flow ids of an address in chain order (re-linked in that order when the list was out of order). */
  private flowsOfAddressInt(a: number): number[] {
    const list: number[] = [];
    for (let f = this.addressHead[a]!; f !== NONE; f = this.nextOfAddress[f]!) list.push(f);
    if (this.dirty.delete(a)) {
      list.sort((x, y) => this.compareFlows(x, y));
      for (let i = 0; i < list.length; i++) this.nextOfAddress[list[i]!] = i + 1 < list.length ? list[i + 1]! : NONE;
      this.addressHead[a] = list.length > 0 ? list[0]! : NONE;
      this.addressTail[a] = list.length > 0 ? list[list.length - 1]! : NONE;
    }
    return list;
  }

  private toFlow(f: number): Flow {
    const t = this.flowTx[f]!;
    return {
      address: this.addressNames[this.flowAddress[f]!]!,
      txId: this.txNames[t]!,
      side: this.flowSide[f] === INPUT ? 'input' : 'output',
      index: this.flowIndex[f]!,
      value: this.valueOf(f),
      asset: this.assetNames[this.flowAsset[f]!]!,
      height: this.txHeight[t]!,
      time: this.txTime[t]!,
    };
  }

  /**
   * Flows of an address in chain order, those matching `query` only (the filter runs on the columns, so
   * that a narrow query on a busy address builds few objects); empty for an unknown address.
   */
  flowsOf(id: AddressId, query: FlowQuery = {}): Flow[] {
    const a = this.addressIds.get(id);
    if (a === undefined) return [];
    const list = this.flowsOfAddressInt(a);
    const side = query.side === 'input' ? INPUT : query.side === 'output' ? OUTPUT : null;
    const { minHeight, maxHeight, minTime, maxTime, minValue } = query;
    if (side === null && minHeight === undefined && maxHeight === undefined && minTime === undefined && maxTime === undefined && minValue === undefined) {
      return list.map((f) => this.toFlow(f));
    }
    const out: Flow[] = [];
    for (const f of list) {
      if (side !== null && this.flowSide[f] !== side) continue;
      const t = this.flowTx[f]!;
      if (minHeight !== undefined && !(this.txHeight[t]! >= minHeight)) continue;
      if (maxHeight !== undefined && !(this.txHeight[t]! <= maxHeight)) continue;
      if (minTime !== undefined && !(this.txTime[t]! >= minTime)) continue;
      if (maxTime !== undefined && !(this.txTime[t]! <= maxTime)) continue;
      if (minValue !== undefined) {
        const v = this.valueOf(f);
        if (v === null || v < minValue) continue;
      }
      out.push(this.toFlow(f));
    }
    return out;
  }

  /** Flows of a transaction (inputs with unknown address included, address ''). */
  flowsOfTx(id: TxId): Flow[] {
    const t = this.txIds.get(id);
    if (t === undefined) return [];
    const out: Flow[] = [];
    for (let f = this.txHead[t]!; f !== NONE; f = this.nextOfTx[f]!) if (this.flowAddress[f]! >= 0) out.push(this.toFlow(f));
    return out;
  }

  /**
   * The output `vout` of a stored transaction, for resolving the inputs that spend it without a disk read:
   * `undefined` when the transaction is not stored, `null` when it is but that output has no address (the
   * index keeps only address-carrying flows; the caller then asks SQLite).
   */
  outputOf(id: TxId, vout: number): { address: AddressId; value: bigint; asset: AssetId } | null | undefined {
    const t = this.txIds.get(id);
    if (t === undefined) return undefined;
    for (let f = this.txHead[t]!; f !== NONE; f = this.nextOfTx[f]!) {
      if (this.flowSide[f] === OUTPUT && this.flowIndex[f] === vout) {
        return { address: this.addressNames[this.flowAddress[f]!]!, value: this.valueOf(f)!, asset: this.assetNames[this.flowAsset[f]!]! };
      }
    }
    return null;
  }

  txMetaOf(id: TxId): TxMeta | undefined {
    const t = this.txIds.get(id);
    return t === undefined ? undefined : { height: this.txHeight[t]!, time: this.txTime[t]!, position: this.txPosition[t]! };
  }

  addresses(): IterableIterator<AddressId> {
    return this.addressIds.keys();
  }
}
