/**
 * Builds small literal graphs: a few lines of edge lists become real `Block`s that any store can ingest.
 * Tests use it for hand-drawn graphs, and the seed scenarios (seed/*.json) are loaded through it.
 * Addresses are short names ("A", "mixer") turned into valid ids deterministically (a P2WPKH address of
 * sha256("addr:" + name), or the EVM address of the same hash), so that scenarios read like the drawing.
 *
 *   const g = tinyGraph('btc');
 *   g.tx('t1', { height: 1, inputs: [coinbase()], outputs: [['A', 10n]] });
 *   g.tx('t2', { height: 2, inputs: [spend('t1', 0)], outputs: [['B', 4n], ['C', 6n]] });
 *   await store.writeBlock(...g.blocks());
 */
import { createHash } from 'node:crypto';
import { payments } from 'bitcoinjs-lib';
import { getAddress } from 'ethers';
import { invalidInput } from '../../errors.js';
import type { AddressId, TxId } from '../../model/address.js';
import type { ChainKey } from '../../model/chain.js';
import type { Block, Transaction, TxInput, TxOutput } from '../../model/transaction.js';

const sha = (text: string): Buffer => createHash('sha256').update(text).digest();

/** The address id a test name stands for: a P2WPKH address on btc, a checksummed 0x address on EVM chains. */
export function addr(name: string, chain: ChainKey = 'btc'): AddressId {
  if (chain === 'btc') {
    const hash = sha(`addr:${name}`).subarray(0, 20);
    return `btc:${payments.p2wpkh({ hash }).address!}`;
  }
  return `${chain}:${getAddress(`0x${sha(`addr:${name}`).subarray(0, 20).toString('hex')}`)}`;
}

/** The transaction id a test name stands for (btc: 64 hex; EVM: 0x + 64 hex). */
export function tid(name: string, chain: ChainKey = 'btc'): TxId {
  const hex = sha(`tx:${name}`).toString('hex');
  return chain === 'btc' ? `btc:${hex}` : `${chain}:0x${hex}`;
}

type OutputSpec = [name: string, value: bigint] | { name?: string | null; value: bigint };
type InputSpec =
  | { kind: 'coinbase' }
  | { kind: 'spend'; tx: string; vout: number }
  | { kind: 'account'; name: string; value: bigint };

export const coinbase = (): InputSpec => ({ kind: 'coinbase' });
/** Spends output `vout` of the earlier test transaction `tx`; address and value come from that output. */
export const spend = (tx: string, vout: number): InputSpec => ({ kind: 'spend', tx, vout });

export interface TxSpec {
  height: number;
  time?: number;
  inputs: InputSpec[];
  outputs: OutputSpec[];
  /** Account chains: asset of the transfer (defaults to the native asset). */
  asset?: string;
  status?: Transaction['status'];
}

export interface TinyGraph {
  chain: ChainKey;
  tx(name: string, spec: TxSpec): Transaction;
  /** Account chains: a plain native transfer `from -> to` of `value` in its own transaction. */
  transfer(name: string, from: string, to: string, value: bigint, height: number, options?: { asset?: string; time?: number }): Transaction;
  /** The transactions grouped into blocks by height, in height order. */
  blocks(): Block[];
  /** Every transaction by test name. */
  txs: Map<string, Transaction>;
}

export function tinyGraph(chain: ChainKey = 'btc'): TinyGraph {
  const txs = new Map<string, Transaction>();
  const native = chain === 'btc' ? 'BTC' : 'ETH';
  const defaultTime = (height: number): number => 1_600_000_000 + height * 600;

  function tx(name: string, spec: TxSpec): Transaction {
    if (txs.has(name)) throw invalidInput(`scenario: transaction ${name} defined twice`);
    const id = tid(name, chain);
    const asset = spec.asset ?? native;
    let isCoinbase = false;
    const inputs: TxInput[] = [];
    spec.inputs.forEach((input, index) => {
      if (input.kind === 'coinbase') {
        isCoinbase = true;
        return;
      }
      if (input.kind === 'account') {
        inputs.push({ index, address: addr(input.name, chain), value: input.value, asset, addressSource: 'account' });
        return;
      }
      const prev = txs.get(input.tx);
      const out = prev?.outputs.find((o) => o.index === input.vout);
      if (!prev || !out) throw invalidInput(`scenario: ${name} spends unknown output ${input.tx}:${input.vout}`);
      inputs.push({ index, address: out.address, value: out.value, asset, spends: { txId: prev.id, vout: input.vout }, addressSource: 'prevout' });
    });
    const outputs: TxOutput[] = spec.outputs.map((o, index) => {
      const { name: outName, value } = Array.isArray(o) ? { name: o[0], value: o[1] } : o;
      return {
        index,
        address: outName == null ? null : addr(outName, chain),
        value,
        asset,
        scriptType: outName == null ? 'nulldata' : chain === 'btc' ? 'p2wpkh' : 'account',
      };
    });
    const known = inputs.every((i) => i.value !== null);
    const inSum = inputs.reduce((s, i) => s + (i.value ?? 0n), 0n);
    const outSum = outputs.reduce((s, o) => s + o.value, 0n);
    const position = [...txs.values()].filter((t) => t.height === spec.height).length;
    const t: Transaction = {
      id,
      chain,
      hash: id.slice(id.indexOf(':') + 1),
      blockHash: blockHash(chain, spec.height),
      height: spec.height,
      time: spec.time ?? defaultTime(spec.height),
      position,
      coinbase: isCoinbase,
      status: spec.status ?? (chain === 'btc' ? 'ok' : 'ok'),
      fee: isCoinbase ? null : chain === 'btc' ? (known ? inSum - outSum : null) : 0n,
      inputs,
      outputs,
    };
    txs.set(name, t);
    return t;
  }

  function transfer(name: string, from: string, to: string, value: bigint, height: number, options: { asset?: string; time?: number } = {}): Transaction {
    return tx(name, { height, time: options.time, asset: options.asset, inputs: [{ kind: 'account', name: from, value }], outputs: [[to, value]] });
  }

  function blocks(): Block[] {
    const byHeight = new Map<number, Transaction[]>();
    for (const t of txs.values()) byHeight.set(t.height, [...(byHeight.get(t.height) ?? []), t]);
    return [...byHeight.entries()]
      .sort(([a], [b]) => a - b)
      .map(([height, list]) => ({ chain, height, hash: blockHash(chain, height), time: list[0]!.time, transactions: list }));
  }

  return { chain, tx, transfer, blocks, txs };
}

function blockHash(chain: ChainKey, height: number): string {
  const hex = sha(`block:${chain}:${height}`).toString('hex');
  return chain === 'btc' ? hex : `0x${hex}`;
}
