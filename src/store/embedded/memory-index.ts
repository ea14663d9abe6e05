/**
 * The embedded store's in-memory adjacency index: every value-carrying edge (flow), grouped by address and
 * by transaction, so that traversals never go to disk per hop. It is loaded from SQLite at start and updated
 * after each committed write, in the same call, so that readers always see committed state.
 *
 * Layout: addresses and transactions get dense integer ids; flows live in column arrays indexed by a
 * flow id. Per-address flow lists are kept in chain order (height, position, side, index); a list touched by
 * an out-of-order block is re-sorted lazily on its next read.
 */
import type { AddressId, TxId } from '../../model/address.js';
import type { AssetId } from '../../model/transaction.js';
import type { Flow } from '../graph-store.js';

const INPUT = 0;
const OUTPUT = 1;

interface TxMeta {
  height: number;
  time: number;
  position: number;
}

export class MemoryIndex {
  private readonly addressIds = new Map<AddressId, number>();
  private readonly addressNames: AddressId[] = [];
  private readonly addressFlows: number[][] = [];
  private readonly dirty = new Set<number>();

  private readonly txIds = new Map<TxId, number>();
  private readonly txNames: TxId[] = [];
  private readonly txMeta: TxMeta[] = [];
  private readonly txFlows: number[][] = [];

  private readonly assets = new Map<AssetId, number>();
  private readonly assetNames: AssetId[] = [];

  // Flow columns.
  private readonly flowAddress: number[] = [];
  private readonly flowTx: number[] = [];
  private readonly flowSide: number[] = [];
  private readonly flowIndex: number[] = [];
  private readonly flowValue: (bigint | null)[] = [];
  private readonly flowAsset: number[] = [];
  private readonly freeFlows: number[] = [];

  /** (tx, input index) -> flow id, so that a backfilled input updates its flow in place. */
  private readonly inputFlow = new Map<string, number>();

  get addressCount(): number {
    return this.addressNames.length;
  }

  hasAddress(id: AddressId): boolean {
    return this.addressIds.has(id);
  }

  hasTx(id: TxId): boolean {
    return this.txIds.has(id);
  }

  addTx(id: TxId, meta: TxMeta): number {
    let t = this.txIds.get(id);
    if (t === undefined) {
      t = this.txNames.length;
      this.txIds.set(id, t);
      this.txNames.push(id);
      this.txMeta.push(meta);
      this.txFlows.push([]);
    }
    return t;
  }

  private addressInt(id: AddressId): number {
    let a = this.addressIds.get(id);
    if (a === undefined) {
      a = this.addressNames.length;
      this.addressIds.set(id, a);
      this.addressNames.push(id);
      this.addressFlows.push([]);
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

  /** Adds one flow. Inputs without an address are tracked too, so that a later backfill can attach them. */
  addFlow(tx: TxId, side: 'input' | 'output', index: number, address: AddressId | null, value: bigint | null, asset: AssetId): void {
    const t = this.txIds.get(tx);
    if (t === undefined) throw new Error(`memory index: flow for unknown transaction ${tx}`);
    const f = this.freeFlows.pop() ?? this.flowTx.length;
    const a = address === null ? -1 : this.addressInt(address);
    this.flowAddress[f] = a;
    this.flowTx[f] = t;
    this.flowSide[f] = side === 'input' ? INPUT : OUTPUT;
    this.flowIndex[f] = index;
    this.flowValue[f] = value;
    this.flowAsset[f] = this.assetInt(asset);
    this.txFlows[t]!.push(f);
    if (a >= 0) this.appendToAddress(a, f);
    if (side === 'input') this.inputFlow.set(`${t}:${index}`, f);
  }

  /** Sets the address and value of an input once its spent output is known. */
  resolveInput(tx: TxId, index: number, address: AddressId | null, value: bigint): void {
    const t = this.txIds.get(tx);
    if (t === undefined) return;
    const f = this.inputFlow.get(`${t}:${index}`);
    if (f === undefined) return;
    const newAddress = address === null ? -1 : this.addressInt(address);
    const oldAddress = this.flowAddress[f]!;
    if (oldAddress !== newAddress) {
      if (oldAddress >= 0) {
        const list = this.addressFlows[oldAddress]!;
        list.splice(list.indexOf(f), 1);
      }
      this.flowAddress[f] = newAddress;
      if (newAddress >= 0) this.appendToAddress(newAddress, f);
    }
    this.flowValue[f] = value;
  }

  private appendToAddress(a: number, f: number): void {
    const list = this.addressFlows[a]!;
    const last = list[list.length - 1];
    list.push(f);
    if (last !== undefined && this.compareFlows(last, f) > 0) this.dirty.add(a);
  }

  private compareFlows(x: number, y: number): number {
    const mx = this.txMeta[this.flowTx[x]!]!;
    const my = this.txMeta[this.flowTx[y]!]!;
    return (
      mx.height - my.height ||
      mx.position - my.position ||
      (this.flowTx[x]! === this.flowTx[y]! ? 0 : this.txNames[this.flowTx[x]!]! < this.txNames[this.flowTx[y]!]! ? -1 : 1) ||
      this.flowSide[x]! - this.flowSide[y]! ||
      this.flowIndex[x]! - this.flowIndex[y]!
    );
  }

  private flowsOfAddressInt(a: number): number[] {
    const list = this.addressFlows[a]!;
    if (this.dirty.delete(a)) list.sort((x, y) => this.compareFlows(x, y));
    return list;
  }

  private toFlow(f: number): Flow {
    const t = this.flowTx[f]!;
    const meta = this.txMeta[t]!;
    const a = this.flowAddress[f]!;
    return {
      address: this.addressNames[a]!,
      txId: this.txNames[t]!,
      side: this.flowSide[f] === INPUT ? 'input' : 'output',
      index: this.flowIndex[f]!,
      value: this.flowValue[f]!,
      asset: this.assetNames[this.flowAsset[f]!]!,
      height: meta.height,
      time: meta.time,
    };
  }

  /** Flows of an address in chain order; empty for an unknown address. */
  flowsOf(id: AddressId): Flow[] {
    const a = this.addressIds.get(id);
    if (a === undefined) return [];
    return this.flowsOfAddressInt(a).map((f) => this.toFlow(f));
  }

  /** Flows of a transaction (inputs with unknown address included, address ''). */
  flowsOfTx(id: TxId): Flow[] {
    const t = this.txIds.get(id);
    if (t === undefined) return [];
    return this.txFlows[t]!.filter((f) => this.flowAddress[f]! >= 0).map((f) => this.toFlow(f));
  }

  txMetaOf(id: TxId): TxMeta | undefined {
    const t = this.txIds.get(id);
    return t === undefined ? undefined : this.txMeta[t];
  }

  addresses(): IterableIterator<AddressId> {
    return this.addressIds.keys();
  }
}
