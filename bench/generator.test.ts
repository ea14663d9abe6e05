import { payments } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { normalizeBitcoinAddress } from '../src/model/address.js';
import type { Block } from '../src/model/transaction.js';
import { validateBlock } from '../src/store/validate-block.js';
import { wordsToBytes } from './bech32.js';
import { benchAddress, ChainGenerator } from './generator.js';
import { hashWords } from './random.js';

const collect = (g: ChainGenerator): Block[] => [...g.blocks()];
const fingerprint = (blocks: Block[]): string => JSON.stringify(blocks, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

describe('benchmark chain generator', () => {
  it('writes the P2WPKH address bitcoinjs-lib writes for the same hash, and the store model accepts it', () => {
    for (let i = 0; i < 500; i++) {
      const ours = benchAddress(7, i);
      const reference = payments.p2wpkh({ hash: wordsToBytes(hashWords(7, 2, i, 5)) }).address;
      expect(ours).toBe(`btc:${reference}`);
      expect(normalizeBitcoinAddress(ours.slice(4))).toBe(ours.slice(4));
    }
  });

  it('gives the same blocks for the same seed and different blocks for another seed', () => {
    const a = fingerprint(collect(new ChainGenerator({ size: 2_000, seed: 3 })));
    const b = fingerprint(collect(new ChainGenerator({ size: 2_000, seed: 3 })));
    const c = fingerprint(collect(new ChainGenerator({ size: 2_000, seed: 4 })));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('makes valid blocks whose inputs spend earlier unspent outputs with their address and value, with exact fees', () => {
    const g = new ChainGenerator({ size: 5_000, seed: 11, txsPerBlock: 300 });
    const unspent = new Map<string, { address: string | null; value: bigint }>();
    const addresses = new Set<string>();
    let transfers = 0;
    let lastHeight = -1;
    for (const block of g.blocks()) {
      validateBlock(block);
      expect(block.height).toBe(lastHeight === -1 ? 1 : lastHeight + 1);
      lastHeight = block.height;
      block.transactions.forEach((tx, position) => {
        expect(tx.position).toBe(position);
        expect(tx.coinbase).toBe(tx.inputs.length === 0);
        let inSum = 0n;
        for (const input of tx.inputs) {
          const key = `${input.spends!.txId}:${input.spends!.vout}`;
          const prev = unspent.get(key);
          expect(prev, `input ${key} of ${tx.id} spends an unknown or spent output`).toBeDefined();
          expect(input.address).toBe(prev!.address);
          expect(input.value).toBe(prev!.value);
          unspent.delete(key);
          inSum += prev!.value;
        }
        let outSum = 0n;
        for (const out of tx.outputs) {
          expect(out.value >= 1n).toBe(true);
          unspent.set(`${tx.id}:${out.index}`, { address: out.address, value: out.value });
          addresses.add(out.address!);
          outSum += out.value;
          transfers++;
        }
        if (tx.coinbase) expect(tx.fee).toBeNull();
        else {
          expect(tx.fee).toBe(inSum - outSum);
          expect(tx.fee! >= 0n).toBe(true);
        }
      });
    }
    const facts = g.facts!;
    // 3 transfers per address by default; the last transaction may overshoot by its outputs.
    expect(transfers).toBeGreaterThanOrEqual(15_000);
    expect(transfers).toBe(facts.transfers);
    expect(addresses.size).toBeLessThanOrEqual(5_000);
    expect(addresses.size).toBeGreaterThan(4_500);
  });

  it('reports peel-chain starts shaped like peel hops and sanctioned addresses carrying labels', () => {
    const g = new ChainGenerator({ size: 5_000, seed: 5 });
    const byId = new Map(collect(g).flatMap((b) => b.transactions.map((t) => [t.id, t] as const)));
    const facts = g.facts!;
    expect(facts.peelStarts.length).toBeGreaterThan(0);
    for (const id of facts.peelStarts) {
      const tx = byId.get(id)!;
      expect(tx.inputs).toHaveLength(1);
      expect(tx.outputs).toHaveLength(2);
      const [small, large] = [...tx.outputs.map((o) => o.value)].sort((x, y) => (x < y ? -1 : 1));
      // Peel of at most 15% of what the hop sends on (the generator's upper bound), so within the 20% rule.
      expect(small! * 100n <= (small! + large!) * 20n).toBe(true);
    }
    const sdn = g.labels().find((l) => l.source === 'bench-sdn')!.labels;
    expect(sdn.map((l) => l.address).sort()).toEqual([...facts.sanctioned].sort());
    expect(sdn.every((l) => l.category === 'sanctioned')).toBe(true);
    // Cash-outs spend sanctioned outputs.
    for (const id of facts.cashouts.slice(0, 20)) {
      expect(byId.get(id)!.inputs.every((i) => facts.sanctioned.includes(i.address!))).toBe(true);
    }
  });
});
