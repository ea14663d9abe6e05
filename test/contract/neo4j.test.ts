/**
 * Every Neo4j-backed test lives in this one file: Neo4j Community has a single database, and test files run
 * in parallel workers, so two files would wipe each other's data. The server is the one global-setup starts
 * (`inject('neo4jUri')`); without it the Neo4j suites are skipped with the reason in their title.
 *
 * - the store contract (graph-store.contract.ts), the database wiped before each case;
 * - the analytics contract (analytics.contract.ts): the same analytics over the Neo4j read port;
 * - Neo4j-specific cases: start-up against a closed port, lost and restored connection (through a TCP proxy
 *   that the test cuts), parameters that look like Cypher, concurrent writes of one block, the number of
 *   queries of a writeBlocks batch (none per block or per element);
 * - the embedded store as an independent implementation: both stores ingest the same data (the demo
 *   scenario stripped to raw-block form in reverse order, and real mainnet blocks 1..255 in reverse order)
 *   and must give identical answers;
 * - the in-database analytics (src/store/neo4j/analytics): hop distance, the screening index as node
 *   properties, peel chains, cluster-id write-back and taint over Neo4j, each equal to its port-based twin.
 */
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import neo4j, { type Driver } from 'neo4j-driver';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { ClusterIndex } from '../../src/analytics/clustering/index.js';
import { detectPeelChains, scanPeelChains, type PeelChainOptions } from '../../src/analytics/peel-chain/index.js';
import { hopDistance, ProximityIndex } from '../../src/analytics/proximity/index.js';
import { propagateTaint, TAINT_MODELS } from '../../src/analytics/taint/index.js';
import { allTransactionIds } from '../../src/app.js';
import { loadPrevoutsCsv, readBitcoinFile } from '../../src/ingest/bitcoin/index.js';
import { parseOfacAddressList } from '../../src/ingest/labels/index.js';
import { readScenarioFile, type Scenario } from '../../src/ingest/scenario/load-scenario.js';
import type { Label } from '../../src/model/label.js';
import type { Block } from '../../src/model/transaction.js';
import { openEmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import type { GraphChange, GraphStore } from '../../src/store/graph-store.js';
import {
  followClusterIds,
  Neo4jProximityIndex,
  neo4jClusterMembers,
  neo4jClusterOf,
  neo4jDetectPeelChains,
  neo4jHopDistance,
  neo4jScanPeelChains,
  openNeo4jAnalytics,
  writeClusterIds,
  type OwnedNeo4jAnalyticsContext,
} from '../../src/store/neo4j/analytics/index.js';
import { Neo4jStore, openNeo4jStore, type Neo4jConfig, type Neo4jStoreOptions } from '../../src/store/neo4j/neo4j-store.js';
import { addr, coinbase, spend, tid, tinyGraph, type TinyGraph } from '../fixtures/tiny-graph.js';
import { referenceClustering } from '../fixtures/reference-clustering.js';
import { defineAnalyticsContract } from './analytics.contract.js';
import { defineGraphStoreContract } from './graph-store.contract.js';
import { defineNeo4jComplianceSuite } from './neo4j-compliance.suite.js';
import { prng } from '../fixtures/prng.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sharedData = path.resolve(repoRoot, '../shared/data');

const uri = inject('neo4jUri');
const skipReason = inject('neo4jSkipReason');

// The test server runs with auth disabled: any credentials are accepted.
const configFor = (boltUri: string): Neo4jConfig => ({ uri: boltUri, user: 'neo4j', password: 'ariadne-test', database: 'neo4j' });
const quiet: Neo4jStoreOptions = { connectAttempts: 2, retryBaseDelayMs: 200, log: () => undefined };

// Deletes every node in batches; constraints and indexes stay. IN TRANSACTIONS needs an auto-commit query.
const WIPE = 'MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS';

let admin: Driver | undefined;
async function wipe(): Promise<void> {
  admin ??= neo4j.driver(uri!, neo4j.auth.basic('neo4j', 'ariadne-test'));
  const session = admin.session({ database: 'neo4j' });
  try {
    await session.run(WIPE);
  } finally {
    await session.close();
  }
}
afterAll(async () => {
  await admin?.close();
});

const openFresh = async (options: Neo4jStoreOptions = quiet): Promise<GraphStore> => {
  await wipe();
  return openNeo4jStore(configFor(uri!), options);
};

/** A closed loopback port: bound by the OS for a moment, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('neo4j store start-up', () => {
  it('gives up after the configured attempts with STORE_UNAVAILABLE naming the URI, backing off between attempts', async () => {
    const deadUri = `bolt://127.0.0.1:${await closedPort()}`;
    const lines: string[] = [];
    const started = Date.now();
    const error = await openNeo4jStore(configFor(deadUri), { connectAttempts: 3, retryBaseDelayMs: 200, retryMaxDelayMs: 300, log: (l) => lines.push(l) }).then(
      () => null,
      (err: unknown) => err,
    );
    const elapsed = Date.now() - started;
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', retriable: true, context: { uri: deadUri, attempts: 3 } });
    expect((error as Error).message).toContain(deadUri);
    // Three attempts, two waits: 200 ms, then 400 ms capped at 300 ms.
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => /attempt (\d) of 3/.exec(l)?.[1])).toEqual(['1', '2', '3']);
    expect(lines[0]).toContain('retrying in 0.2 s');
    expect(lines[1]).toContain('retrying in 0.3 s');
    expect(lines[2]).toContain('giving up');
    expect(elapsed).toBeGreaterThanOrEqual(500);
    expect(elapsed).toBeLessThan(10_000);
  });

  it('refuses a URI that is not a Bolt URI', async () => {
    await expect(openNeo4jStore(configFor('http://127.0.0.1:7474'), quiet)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe.skipIf(!uri)(`neo4j store${uri ? '' : ` (SKIPPED: ${skipReason})`}`, () => {
  defineGraphStoreContract('neo4j', {
    open: () => openFresh(),
    async reopen(store) {
      await store.close();
      return openNeo4jStore(configFor(uri!), quiet);
    },
  });

  // Each case opens its store after the previous one is done with it, so the wipe never hits live data.
  defineAnalyticsContract('neo4j', { open: () => openFresh() });
  defineNeo4jComplianceSuite(uri!);

  describe('neo4j specifics', () => {
    let store: GraphStore;
    beforeEach(async () => {
      store = await openFresh();
      return async () => {
        await store.close();
      };
    });

    it('stores ids and label texts that look like Cypher verbatim, as parameters, harming nothing', async () => {
      const g = tinyGraph('btc');
      g.tx('mint', { height: 1, inputs: [coinbase()], outputs: [['A', 50n]] });
      for (const b of g.blocks()) await store.writeBlock(b);
      const evilAddress = `btc:'"}) MATCH (n) DETACH DELETE n //`;
      const evilTx = `btc:x"}) DETACH DELETE t RETURN 1 //'`;
      const block: Block = {
        chain: 'btc',
        height: 2,
        hash: `h'}) DETACH DELETE b //`,
        time: 1_600_001_200,
        transactions: [
          {
            id: evilTx,
            chain: 'btc',
            hash: 'x',
            blockHash: `h'}) DETACH DELETE b //`,
            height: 2,
            time: 1_600_001_200,
            position: 0,
            coinbase: false,
            status: 'ok',
            fee: null,
            inputs: [{ index: 0, address: null, value: null, asset: 'BTC', spends: { txId: tid('mint'), vout: 0 } }],
            outputs: [{ index: 0, address: evilAddress, value: 40n, asset: 'BTC', scriptType: 'nonstandard', detail: { note: "'}) $x" } }],
          },
        ],
      };
      const written = await store.writeBlock(block);
      // The input takes address A and 50 sat from mint's output: fee 50 - 40 = 10.
      expect(written).toMatchObject({ written: true, resolvedInputs: 1, fees: 10n, newAddresses: 1 });
      const label: Label = { address: evilAddress, category: 'scam', label: "$label'}) DETACH DELETE l //", source: "src'\"", confidence: 50, actor: '`actor`' };
      await store.addLabel(label);

      const tx = (await store.getTransactions([evilTx])).get(evilTx)!;
      expect(tx.inputs[0]).toMatchObject({ address: addr('A'), value: 50n });
      expect(tx.outputs[0]).toMatchObject({ address: evilAddress, value: 40n, detail: { note: "'}) $x" } });
      expect(await store.blockHeight('btc', block.hash)).toBe(2);
      expect((await store.getLabels([evilAddress])).get(evilAddress)).toEqual([expect.objectContaining({ ...label })]);
      expect(await store.findAddressesByCategory(['scam'])).toEqual([evilAddress]);
      // Nothing else was touched: 2 blocks, 2 transactions, addresses A and the quoted one.
      expect(await store.stats()).toMatchObject({ blocks: 2, transactions: 2, addresses: 2, inputs: 1, resolvedInputs: 1, outputs: 2, labels: 1 });
      expect((await store.getFlows([addr('A')])).get(addr('A'))!.map((f) => [f.side, f.value])).toEqual([
        ['output', 50n],
        ['input', 50n],
      ]);
    });

    it('writes a batch of 20 blocks with no more queries than a batch of one (no query per block or per element)', async () => {
      const g = tinyGraph('btc');
      g.tx('t1', { height: 1, inputs: [coinbase()], outputs: [['A1', 1_000_000n]] });
      for (let h = 2; h <= 21; h++) {
        g.tx(`cb${h}`, { height: h, inputs: [coinbase()], outputs: [[`M${h}`, 50n]] });
        // Each block spends the previous one's output (fee 1,000 sat) and pays a fresh address.
        g.tx(`t${h}`, { height: h, inputs: [spend(`t${h - 1}`, 0)], outputs: [[`A${h}`, 1_000_000n - 1_000n * BigInt(h - 1)]] });
      }
      // Raw and in reverse order: every input waits for a later block of the batch (backfilled in memory).
      const raw = g.blocks().map((b) => ({ ...b, transactions: b.transactions.map((t) => ({ ...t, fee: null, inputs: t.inputs.map((i) => ({ ...i, address: null, value: null })) })) }));
      const [first, ...rest] = raw;
      let queries = 0;
      const driver = neo4j.driver(uri!, neo4j.auth.basic('neo4j', 'ariadne-test'), { disableLosslessIntegers: true });
      const session = driver.session.bind(driver);
      driver.session = (config) => {
        const s = session(config);
        const executeWrite = s.executeWrite.bind(s);
        // The store only calls tx.run: count them.
        s.executeWrite = (work, cfg) => executeWrite((tx) => work({ run: (q: string, p: Record<string, unknown>) => (queries++, tx.run(q, p)) } as unknown as typeof tx), cfg);
        return s;
      };
      const counted = new Neo4jStore(driver, configFor(uri!));
      try {
        await counted.writeBlocks([first!]);
        const one = queries;
        queries = 0;
        const results = await counted.writeBlocks(rest.reverse());
        expect(queries).toBeLessThanOrEqual(one + 3);
        expect(queries).toBeLessThanOrEqual(8);
        // Hand: 21 blocks, 41 transactions, 20 inputs all resolved, fees 20 x 1,000 sat, addresses A1..A21, M2..M21.
        expect(results.every((r) => r.written)).toBe(true);
        const stats = await counted.stats();
        expect(stats).toMatchObject({ blocks: 21, transactions: 41, inputs: 20, resolvedInputs: 20, outputs: 41, addresses: 41 });
        expect(stats.perChain.btc!.fees).toBe(20_000n);
        expect((await counted.getTransactions([tid('t21')])).get(tid('t21'))!.fee).toBe(1_000n);
      } finally {
        await counted.close();
      }
    });

    it('stores a block written by several callers at once exactly once', async () => {
      const g = tinyGraph('btc');
      g.tx('mint', { height: 1, inputs: [coinbase()], outputs: [['A', 50n]] });
      g.tx('pay', { height: 2, inputs: [spend('mint', 0)], outputs: [['B', 30n], ['C', 15n]] });
      const [mint, pay] = g.blocks();
      await store.writeBlock(mint!);
      const results = await Promise.all([store.writeBlock(pay!), store.writeBlock(pay!), store.writeBlock(pay!)]);
      expect(results.filter((r) => r.written)).toHaveLength(1);
      // Hand count: 2 blocks, 2 transactions, 1 input, 3 outputs, addresses A B C, fee 50 - 45 = 5.
      const stats = await store.stats();
      expect(stats).toMatchObject({ blocks: 2, transactions: 2, inputs: 1, resolvedInputs: 1, outputs: 3, addresses: 3 });
      expect(stats.perChain.btc!.fees).toBe(5n);
    });

    it('keeps fee sums, backfills and label ids exact under concurrent writers', async () => {
      const g = tinyGraph('btc');
      g.tx('mint', { height: 1, inputs: [coinbase()], outputs: [['A', 100n], ['B', 200n], ['C', 300n]] });
      // Three spends with fees 1, 2 and 3 sat, in three blocks written at the same time.
      g.tx('s1', { height: 2, inputs: [spend('mint', 0)], outputs: [['D', 99n]] });
      g.tx('s2', { height: 3, inputs: [spend('mint', 1)], outputs: [['E', 198n]] });
      g.tx('s3', { height: 4, inputs: [spend('mint', 2)], outputs: [['F', 297n]] });
      const [mint, ...spends] = g.blocks();
      // Raw form: the spends carry no input value, address or fee, and race with mint: each spend's input is
      // resolved either at insert (mint committed first) or by mint's backfill, never both, never neither.
      const raw = spends.map((b) => ({ ...b!, transactions: b!.transactions.map((t) => ({ ...t, fee: null, inputs: t.inputs.map((i) => ({ ...i, address: null, value: null })) })) }));
      await Promise.all([
        ...raw.map((b) => store.writeBlock(b)),
        store.writeBlock(mint!),
        ...['X1', 'X2', 'X3', 'X4', 'X5'].map((n) => store.addLabel({ address: addr(n), category: 'scam', label: n, source: 'manual', confidence: 50, actor: null })),
      ]);
      const stats = await store.stats();
      expect(stats).toMatchObject({ blocks: 4, transactions: 4, inputs: 3, resolvedInputs: 3, labels: 5 });
      expect(stats.perChain.btc!.fees).toBe(6n);
      const labels = await store.getLabels(['X1', 'X2', 'X3', 'X4', 'X5'].map((n) => addr(n)));
      expect([...labels.values()].map((l) => l[0]!.id).sort()).toEqual([1, 2, 3, 4, 5]);
    });

    it('fails requests with STORE_UNAVAILABLE while Neo4j is unreachable and recovers by itself when it is back', async () => {
      const target = new URL(uri!.replace(/^bolt:/, 'http:'));
      const proxy = await startProxy(target.hostname, Number(target.port));
      const viaProxy = await openNeo4jStore(configFor(`bolt://127.0.0.1:${proxy.port}`), { ...quiet, requestRetryMs: 300 });
      try {
        const g = tinyGraph('btc');
        g.tx('mint', { height: 1, inputs: [coinbase()], outputs: [['A', 50n]] });
        await viaProxy.writeBlock(g.blocks()[0]!);
        const before = await viaProxy.stats();

        await proxy.stop();
        await expect(viaProxy.stats()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', retriable: true });
        await expect(viaProxy.writeBlock(tinyBlock(3))).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });

        await proxy.start();
        expect(await viaProxy.stats()).toEqual(before);
        expect((await viaProxy.writeBlock(tinyBlock(3))).written).toBe(true);
      } finally {
        await viaProxy.close();
        await proxy.stop();
      }
    });
  });

  describe('same answers as the embedded store', () => {
    it('on the demo scenario written as raw blocks in reverse order (every input resolved by backfill)', async () => {
      const scenario = await readScenarioFile(path.resolve(repoRoot, 'seed/demo-laundering.json'));
      // A raw block names the outpoint an input spends, not its value or address; fees are then unknown.
      const raw = scenario.blocks.map((b) => ({
        ...b,
        transactions: b.transactions.map((t) => ({ ...t, fee: null, inputs: t.inputs.map((i) => ({ ...i, address: null, value: null })) })),
      }));
      await compareEngines([...raw].reverse(), scenario.labels);
    });

    it('on mainnet blocks 1..255 written in reverse order', async () => {
      const blocks: Block[] = [];
      for await (const item of readBitcoinFile(path.join(sharedData, 'bitcoin/blocks1-255.framed.bz2'))) {
        if ('ok' in item && item.ok) blocks.push(item.block);
      }
      expect(blocks).toHaveLength(255);
      await compareEngines(blocks.reverse(), []);
    });
  });
});

/** Writes the same blocks and labels into both engines and compares every answer the read port gives. */
async function compareEngines(blocks: readonly Block[], labels: readonly Label[]): Promise<void> {
  const embedded = await openEmbeddedStore({ dir: ':memory:' });
  const graph = await openFresh();
  try {
    const events: [GraphChange[], GraphChange[]] = [[], []];
    embedded.onChange((c) => events[0].push(c));
    graph.onChange((c) => events[1].push(c));
    for (const block of blocks) {
      const [a, b] = [await embedded.writeBlock(block), await graph.writeBlock(block)];
      expect(b, `block ${block.height}`).toEqual(a);
    }
    // The same blocks again change nothing on either side.
    expect(await graph.writeBlock(blocks[0]!)).toEqual(await embedded.writeBlock(blocks[0]!));
    const sources = [...new Set(labels.map((l) => l.source))];
    for (const source of sources) {
      const mine = labels.filter((l) => l.source === source);
      expect(await graph.importLabels(source, mine)).toEqual(await embedded.importLabels(source, mine));
    }
    expect(events[1]).toEqual(events[0]);

    const txIds = blocks.flatMap((b) => b.transactions.map((t) => t.id));
    const addresses = [...new Set(blocks.flatMap((b) => b.transactions.flatMap((t) => [...t.inputs, ...t.outputs].map((x) => x.address))).filter((a): a is string => a !== null))];
    const txsA = await embedded.getTransactions(txIds);
    expect(await graph.getTransactions(txIds)).toEqual(txsA);
    for (const t of txsA.values()) addresses.push(...t.inputs.map((i) => i.address).filter((a): a is string => a !== null));
    const ids = [...new Set(addresses)];
    expect(await graph.stats()).toEqual(await embedded.stats());
    expect(await graph.getAddresses(ids)).toEqual(await embedded.getAddresses(ids));
    expect(await graph.getFlows(ids)).toEqual(await embedded.getFlows(ids));
    const heights = blocks.map((b) => b.height).sort((x, y) => x - y);
    const mid = heights[Math.floor(heights.length / 2)]!;
    const query = { side: 'output' as const, minHeight: mid, minValue: 1_000_000n };
    expect(await graph.getFlows(ids, query)).toEqual(await embedded.getFlows(ids, query));
    const chain = blocks[0]!.chain;
    expect(await graph.findTransactionsByHeight(chain, heights[0]!, mid)).toEqual(await embedded.findTransactionsByHeight(chain, heights[0]!, mid));
    if (labels.length > 0) {
      const cats = [...new Set(labels.map((l) => l.category))];
      expect(await graph.findAddressesByCategory(cats)).toEqual(await embedded.findAddressesByCategory(cats));
      const strip = (m: Map<string, { addedAt: number }[]>) => new Map([...m].map(([k, v]) => [k, v.map((l) => ({ ...l, addedAt: 0 }))]));
      expect(strip(await graph.getLabels(ids))).toEqual(strip(await embedded.getLabels(ids)));
    }
  } finally {
    await embedded.close();
    await graph.close();
  }
}

function tinyBlock(height: number): Block {
  const g = tinyGraph('btc');
  g.tx(`cb${height}`, { height, inputs: [coinbase()], outputs: [[`M${height}`, 1n]] });
  return g.blocks()[0]!;
}

/** A TCP relay in front of the Neo4j server; stop() drops every connection and closes the port, start() reopens it. */
async function startProxy(host: string, targetPort: number): Promise<{ port: number; stop(): Promise<void>; start(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let port = 0;
  const start = async () => {
    server = net.createServer((client) => {
      const upstream = net.connect(targetPort, host);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => {
          sockets.delete(s);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  };
  const stop = async () => {
    const s = server;
    server = null;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  await start();
  return {
    get port() {
      return port;
    },
    stop,
    start,
  };
}

// ------------------------------------------------------------------------------------------------
// In-database analytics (src/store/neo4j/analytics): each must give exactly the answer of its port-based twin
// in src/analytics (run here over the same Neo4j store, or over an embedded store holding the same data), on
// the demo scenario, on seeded random graphs (generator below), on hand-built peel chains and on block
// 413,567; hand-computed figures of seed/demo-laundering.md and of the peel-chain tests are checked too.


interface RandomGraph {
  blocks: Block[];
  labels: Label[];
  /** Every address id the graph mentions, sorted. */
  addresses: string[];
}

/**
 * A random graph on two ledgers that exercises every clause of the edge rule: Bitcoin transactions with 1-3
 * inputs and 1-4 outputs (outputs of 0 sat, several outputs to one address, change back to an input
 * address, OP_RETURN outputs), and Ethereum transactions with 1-3 paired transfers of up to 10^21 wei (the
 * same pair twice in one transaction, zero-value transfers, an unpaired output, failed transactions).
 * Labels: sanctioned targets and exchange stops on both chains, one address both.
 */
function randomGraph(seed: number, size = { btc: 26, eth: 14 }): RandomGraph {
  const rand = prng(seed);
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const btcNames = Array.from({ length: 14 }, (_, i) => `s${seed}b${i}`);
  const ethNames = Array.from({ length: 9 }, (_, i) => `s${seed}e${i}`);
  const btc = tinyGraph('btc');
  const unspent: { tx: string; vout: number; value: bigint; name: string }[] = [];
  for (let i = 0; i < 5; i++) {
    const name = pick(btcNames);
    btc.tx(`s${seed}cb${i}`, { height: 1 + (i % 2), inputs: [coinbase()], outputs: [[name, 100_000_000n]] });
    unspent.push({ tx: `s${seed}cb${i}`, vout: 0, value: 100_000_000n, name });
  }
  for (let i = 0; i < size.btc && unspent.length > 0; i++) {
    const n = Math.min(unspent.length, 1 + Math.floor(rand() * 3));
    const spent = Array.from({ length: n }, () => unspent.splice(Math.floor(rand() * unspent.length), 1)[0]!);
    const total = spent.reduce((t, s) => t + s.value, 0n);
    const outCount = 1 + Math.floor(rand() * 4);
    let left = total - (total > 1_000n ? 1_000n : 0n);
    const outs: ({ name: string | null; value: bigint })[] = [];
    for (let k = 0; k < outCount; k++) {
      const r = rand();
      const name = r < 0.15 ? spent[0]!.name : r < 0.22 ? null : r < 0.35 && outs.length > 0 && outs[0]!.name !== null ? outs[0]!.name : pick(btcNames);
      const value = k === outCount - 1 ? left : rand() < 0.15 ? 0n : (left * BigInt(1 + Math.floor(rand() * 60))) / 100n;
      left -= value;
      outs.push({ name, value });
    }
    const name = `s${seed}t${i}`;
    btc.tx(name, { height: 3 + Math.floor(i / 3), inputs: spent.map((s) => spend(s.tx, s.vout)), outputs: outs });
    outs.forEach((o, vout) => {
      if (o.name !== null && rand() < 0.9) unspent.push({ tx: name, vout, value: o.value, name: o.name });
    });
  }
  const eth = tinyGraph('eth');
  const wei = (): bigint => (rand() < 0.15 ? 0n : BigInt(Math.floor(rand() * 1_000)) * 10n ** 18n);
  for (let i = 0; i < size.eth; i++) {
    const n = 1 + Math.floor(rand() * 3);
    const from = pick(ethNames);
    const to = pick(ethNames);
    const inputs = Array.from({ length: n }, (_, k) => ({ kind: 'account' as const, name: k === 1 && rand() < 0.5 ? from : pick(ethNames), value: wei() }));
    const outputs: [string, bigint][] = inputs.map((x, k) => [k === 1 && x.name === from ? to : k === 0 ? to : pick(ethNames), x.value]);
    if (rand() < 0.15) outputs.push([pick(ethNames), wei()]);
    eth.tx(`s${seed}x${i}`, { height: 1 + i, inputs, outputs, status: rand() < 0.1 ? 'failed' : 'ok' });
  }
  const blocks = [...btc.blocks(), ...eth.blocks()];
  const mentioned = new Set<string>();
  for (const b of blocks) for (const t of b.transactions) for (const x of [...t.inputs, ...t.outputs]) if (x.address) mentioned.add(x.address);
  const btcIds = btcNames.map((n) => addr(n)).filter((a) => mentioned.has(a));
  const ethIds = ethNames.map((n) => addr(n, 'eth')).filter((a) => mentioned.has(a));
  const label = (address: string, category: Label['category']): Label => ({ address, category, label: `${category} ${address.slice(-4)}`, source: 'random', confidence: 90, actor: null });
  const labels = [
    label(btcIds[0]!, 'sanctioned'),
    label(btcIds[btcIds.length - 1]!, 'sanctioned'),
    label(btcIds[1]!, 'exchange'),
    label(btcIds[2]!, 'exchange'),
    label(btcIds[2]!, 'sanctioned'),
    label(ethIds[0]!, 'sanctioned'),
    label(ethIds[1]!, 'exchange'),
  ];
  return { blocks, labels, addresses: [...mentioned].sort() };
}

const SEEDS = [11, 23, 37];

/** Hops to the sanctioned LAZ following incoming funds, exchanges as stop points (seed/demo-laundering.md). */
const DEMO_DISTANCES_IN: Record<string, number> = {
  P0: 1, MIX1: 1, P1: 2, R1: 2, P2: 3, R2: 3, P3: 4, EX_D1: 4, P4: 5, R4: 5, P5: 6, R5: 6, P6: 7, R6: 7, C1: 2, MIX2: 2, EX_D2: 3, EX_HOT: 4,
};

describe.skipIf(!uri)(`in-database analytics${uri ? '' : ` (SKIPPED: ${skipReason})`}`, () => {
  let store: GraphStore;
  let ctx: OwnedNeo4jAnalyticsContext;
  let open = false;
  const openWithContext = async (): Promise<void> => {
    store = await openFresh();
    ctx = await openNeo4jAnalytics(configFor(uri!), store);
    open = true;
  };
  const closeAll = async (): Promise<void> => {
    if (!open) return;
    open = false;
    await ctx.close();
    await store.close();
  };

  describe('on the demo-laundering scenario', () => {
    let scenario: Scenario;
    const a = (name: string) => scenario.addresses.get(name)!;
    const t = (name: string) => scenario.graph.txs.get(name)!.id;
    beforeAll(async () => {
      await openWithContext();
      scenario = await readScenarioFile(path.resolve(repoRoot, 'seed/demo-laundering.json'));
      for (const b of scenario.blocks) await store.writeBlock(b);
      await store.importLabels(`seed:${scenario.name}`, scenario.labels);
    });
    afterAll(closeAll);

    it('neo4jHopDistance equals hopDistance for every address and every direction, and gives the hand-computed distances', async () => {
      for (const name of [...scenario.addresses.keys()].sort()) {
        for (const direction of ['in', 'out', 'both'] as const) {
          for (const options of [{ direction, maxHops: 8 }, { direction, maxHops: 8, stopAtCategories: [] }, { direction, maxHops: 2, maxPaths: 1 }]) {
            expect(await neo4jHopDistance(ctx, a(name), options), `${name} ${JSON.stringify(options)}`).toEqual(await hopDistance(store, a(name), options));
          }
        }
      }
      // seed/demo-laundering.md: hops to LAZ following incoming funds, exchanges as stop points.
      const got: Record<string, number | null> = {};
      for (const name of Object.keys(DEMO_DISTANCES_IN)) got[name] = (await neo4jHopDistance(ctx, a(name), { direction: 'in', maxHops: 8 })).distance;
      expect(got).toEqual(DEMO_DISTANCES_IN);
      // A cluster's members screened together, and the errors of the port version.
      expect(await neo4jHopDistance(ctx, [a('R6'), a('EX_HOT')], { direction: 'in', maxHops: 8 })).toEqual(await hopDistance(store, [a('R6'), a('EX_HOT')], { direction: 'in', maxHops: 8 }));
      await expect(neo4jHopDistance(ctx, addr('nobody'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(neo4jHopDistance(ctx, a('P0'), { maxHops: 11 })).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
      await expect(neo4jHopDistance(ctx, a('P0'), { minValue: 10n ** 27n })).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
    });

    it('Neo4jProximityIndex keeps the distances of ProximityIndex as node properties and screens alike', async () => {
      const embedded = await ProximityIndex.build(store, { maxHops: 8, maxHopsLimit: 8 });
      const index = await Neo4jProximityIndex.build(ctx, { maxHops: 8, maxHopsLimit: 8 });
      try {
        const ids = [...scenario.addresses.values()];
        for (const direction of ['in', 'out', 'both'] as const) {
          const stored = await index.distances(ids, direction);
          for (const id of ids) expect(stored.get(id), `${id} ${direction}`).toBe(embedded.distance(id, direction));
          for (const id of ids) expect(await index.screen(id, { direction }), `${id} ${direction}`).toEqual(await embedded.screen(id, { direction }));
        }
        for (const [name, d] of Object.entries(DEMO_DISTANCES_IN)) expect(await index.distance(a(name), 'in'), name).toBe(d);
        await expect(index.screen(addr('nobody'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
        await expect(index.screen(a('P0'), { maxHops: 9 })).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
      } finally {
        embedded.close();
        index.close();
      }
    });

    it('neo4jDetectPeelChains and neo4jScanPeelChains equal the port versions, budgets included', async () => {
      const cases: [{ txId: string } | { address: string }, Partial<PeelChainOptions>][] = [
        [{ address: a('P0') }, {}],
        [{ address: a('C1') }, {}],
        [{ address: a('LAZ') }, {}],
        [{ txId: t('peel1') }, {}],
        [{ txId: t('peel3') }, {}],
        [{ txId: t('peel3') }, { extendBackward: true }],
        [{ txId: t('split') }, {}],
        [{ txId: t('peel1') }, { maxHops: 4 }],
        [{ txId: t('peel1') }, { minLength: 7 }],
        [{ address: a('P0') }, { maxTransactions: 5, onBudget: 'truncate' }],
        [{ txId: t('peel4') }, { maxTransactions: 4, onBudget: 'truncate', extendBackward: true }],
      ];
      for (const [input, options] of cases) {
        expect(await neo4jDetectPeelChains(ctx, input, options), JSON.stringify([input, options])).toEqual(await detectPeelChains(store, input, options));
      }
      await expect(neo4jDetectPeelChains(ctx, { address: a('P0') }, { maxTransactions: 5 })).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
      await expect(neo4jDetectPeelChains(ctx, { txId: tid('nope') })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const range = { chain: 'btc', fromHeight: 2_000_000, toHeight: 2_000_100 };
      for (const options of [{}, { minLength: 1 }, { maxTransactions: 10, onBudget: 'truncate' as const }]) {
        expect(await neo4jScanPeelChains(ctx, range, options)).toEqual(await scanPeelChains(store, range, options));
      }
      // seed/demo-laundering.md: the 6-hop chain (620,000,000 sat peeled) and C1's 4 deposits to EX_D2.
      const scan = await neo4jScanPeelChains(ctx, range);
      expect(scan.chains.map((c) => [c.length, c.totalPeeled, c.changeAddressReused])).toEqual([
        [6, 620_000_000n, false],
        [4, 4n * 9_999_000n, true],
      ]);
    });

    it('propagateTaint over the Neo4j store equals the embedded result, every model, both directions', async () => {
      const embedded = await openEmbeddedStore({ dir: ':memory:' });
      try {
        for (const b of scenario.blocks) await embedded.writeBlock(b);
        await embedded.importLabels(`seed:${scenario.name}`, scenario.labels);
        for (const model of TAINT_MODELS) {
          for (const [direction, source] of [['forward', { address: a('LAZ') }], ['backward', { address: a('EX_HOT') }], ['backward', { txId: t('mixout'), index: 0 }]] as const) {
            const options = { model, direction, maxHops: 8 } as const;
            expect(await propagateTaint(store, source, options), `${model} ${direction}`).toEqual(await propagateTaint(embedded, source, options));
          }
        }
      } finally {
        await embedded.close();
      }
    });

    it('writes cluster ids back and keeps them in step block by block', async () => {
      // A fresh store fed block by block, followed by the index and by the write-back.
      await closeAll();
      await openWithContext();
      const index = new ClusterIndex(store);
      const unfollow = index.follow(store);
      await writeClusterIds(ctx, index);
      const follower = followClusterIds(ctx, index, store);
      try {
        for (const b of scenario.blocks) {
          await store.writeBlock(b);
          await follower.idle();
          const ids = [...scenario.addresses.values()];
          const written = await neo4jClusterOf(ctx, ids);
          for (const id of ids) expect(written.get(id) ?? null, `${id} after block ${b.height}`).toEqual(index.clusterOf(id));
        }
        // seed/demo-laundering.md: one cluster of two, {EX_D1, EX_D2}, swept together.
        const ref = (await neo4jClusterOf(ctx, [a('EX_D1')])).get(a('EX_D1'))!;
        expect(ref.size).toBe(2);
        expect(await neo4jClusterMembers(ctx, ref.id)).toEqual([a('EX_D1'), a('EX_D2')].sort());
      } finally {
        follower.close();
        unfollow();
      }
    });
  });

  describe('on hand-built value boundaries', () => {
    afterAll(closeAll);

    it('applies minValue exactly: sums of several outputs, amounts past 2^63, zero-value, unpaired and failed transfers', async () => {
      await openWithContext();
      const btc = tinyGraph('btc');
      btc.tx('m', { height: 1, inputs: [coinbase()], outputs: [['T', 100n]] });
      // X gets 30 + 20 = 50 in one transaction, Y gets 49 (fee 1).
      btc.tx('a', { height: 2, inputs: [spend('m', 0)], outputs: [['X', 30n], ['Y', 49n], ['X', 20n]] });
      const eth = tinyGraph('eth');
      const acct = (name: string, value: bigint) => ({ kind: 'account' as const, name, value });
      // ET pays EX twice in one transaction: 6 * 10^18 + 4 * 10^18 = 10^19 wei, past 2^63 (~9.22 * 10^18).
      eth.tx('big', { height: 1, inputs: [acct('ET', 6n * 10n ** 18n), acct('ET', 4n * 10n ** 18n)], outputs: [['EX', 6n * 10n ** 18n], ['EX', 4n * 10n ** 18n]] });
      eth.tx('zero', { height: 2, inputs: [acct('ET', 0n)], outputs: [['EZ', 0n]] });
      // Output index 1 has no input index 1: no edge to EV.
      eth.tx('unpaired', { height: 3, inputs: [acct('ET', 1n)], outputs: [['EU', 1n], ['EV', 7n]] });
      eth.tx('failed', { height: 4, inputs: [acct('ET', 5n)], outputs: [['EF', 5n]], status: 'failed' });
      for (const b of [...btc.blocks(), ...eth.blocks()]) await store.writeBlock(b);
      const target = (address: string): Label => ({ address, category: 'sanctioned', label: 'target', source: 'test', confidence: 90, actor: null });
      await store.importLabels('test', [target(addr('T')), target(addr('ET', 'eth'))]);
      // Hand-derived: the distance 'in' is 1 exactly when what the address received is at least minValue.
      const expected: [string, bigint, number | null][] = [
        [addr('X'), 50n, 1],
        [addr('X'), 51n, null],
        [addr('Y'), 49n, 1],
        [addr('Y'), 50n, null],
        [addr('EX', 'eth'), 10n ** 19n, 1],
        [addr('EX', 'eth'), 10n ** 19n + 1n, null],
        [addr('EX', 'eth'), 6n * 10n ** 18n + 1n, 1],
        [addr('EZ', 'eth'), 0n, 1],
        [addr('EZ', 'eth'), 1n, null],
        [addr('EU', 'eth'), 1n, 1],
        [addr('EV', 'eth'), 1n, null],
        [addr('EF', 'eth'), 0n, null],
      ];
      for (const [id, minValue, distance] of expected) {
        const got = await neo4jHopDistance(ctx, id, { direction: 'in', minValue });
        expect(got.distance, `${id} minValue ${minValue}`).toBe(distance);
        expect(got).toEqual(await hopDistance(store, id, { direction: 'in', minValue }));
      }
      for (const minValue of [50n, 51n, 10n ** 19n, 10n ** 19n + 1n]) {
        const reference = await ProximityIndex.build(store, { minValue });
        const index = await Neo4jProximityIndex.build(ctx, { minValue });
        try {
          const ids = expected.map(([id]) => id);
          for (const direction of ['in', 'out', 'both'] as const) {
            const stored = await index.distances(ids, direction);
            for (const id of ids) expect(stored.get(id), `${id} ${direction} ${minValue}`).toBe(reference.distance(id, direction));
          }
        } finally {
          reference.close();
          index.close();
        }
      }
    });
  });

  describe('on seeded random graphs', () => {
    afterAll(closeAll);

    it.each(SEEDS)('neo4jHopDistance equals hopDistance for every address, direction and value bound (seed %i)', async (seed) => {
      await closeAll();
      await openWithContext();
      const g = randomGraph(seed);
      for (const b of g.blocks) await store.writeBlock(b);
      await store.importLabels('random', g.labels);
      for (const id of g.addresses) {
        for (const direction of ['in', 'out', 'both'] as const) {
          for (const minValue of [1n, 0n, 30_000_000n, 1_500n * 10n ** 18n]) {
            const options = { direction, minValue, maxHops: 5 };
            expect(await neo4jHopDistance(ctx, id, options), `${id} ${direction} ${minValue}`).toEqual(await hopDistance(store, id, options));
          }
        }
      }
      // The search budget: the same truncation at the same level.
      const options = { direction: 'both' as const, maxVisited: 3, categories: ['ransomware' as const] };
      expect(await neo4jHopDistance(ctx, g.addresses[3]!, options)).toEqual(await hopDistance(store, g.addresses[3]!, options));
    });

    it.each(SEEDS)('Neo4jProximityIndex equals ProximityIndex (embedded) after out-of-order blocks and label changes (seed %i)', async (seed) => {
      await closeAll();
      await openWithContext();
      const embedded = await openEmbeddedStore({ dir: ':memory:' });
      const g = randomGraph(seed, { btc: 40, eth: 20 });
      const both = async (work: (s: GraphStore) => Promise<unknown>) => {
        await work(embedded);
        await work(store);
      };
      // Each chain's earlier half first, with every label but one Bitcoin target.
      const middle = (chain: string) => {
        const heights = g.blocks.filter((b) => b.chain === chain).map((b) => b.height);
        return heights[Math.floor(heights.length / 2)]!;
      };
      const early = g.blocks.filter((b) => b.height < middle(b.chain));
      const late = g.blocks.filter((b) => b.height >= middle(b.chain));
      for (const b of early) await both((s) => s.writeBlock(b));
      await both((s) => s.importLabels('random', g.labels.filter((_, i) => i !== 1)));
      const options = { maxHops: 5, maxHopsLimit: 5, minValue: seed === 37 ? 30_000_000n : 1n };
      const reference = await ProximityIndex.build(embedded, options);
      const index = await Neo4jProximityIndex.build(ctx, options);
      const compare = async (when: string) => {
        await reference.idle();
        for (const direction of ['in', 'out', 'both'] as const) {
          const stored = await index.distances(g.addresses, direction);
          for (const id of g.addresses) expect(stored.get(id), `${when}: ${id} ${direction}`).toBe(reference.distance(id, direction));
        }
        // Addresses of blocks not written yet: both refuse them alike (NOT_FOUND).
        const settle = (p: Promise<unknown>) => p.catch((err: unknown) => ({ code: (err as { code?: string }).code, message: (err as Error).message }));
        for (const id of g.addresses.slice(0, 12)) expect(await settle(index.screen(id)), `${when}: screen ${id}`).toEqual(await settle(reference.screen(id)));
      };
      try {
        await compare('built');
        // The rest of the Bitcoin blocks in raw form (inputs name only their outpoint) and in reverse order,
        // so that later writes resolve earlier inputs; account blocks as they are.
        const rest = late.map((b) =>
          b.chain === 'btc' ? { ...b, transactions: b.transactions.map((t) => ({ ...t, fee: null, inputs: t.inputs.map((i) => ({ ...i, address: null, value: null })) })) } : b,
        );
        for (const b of rest.reverse()) await both((s) => s.writeBlock(b));
        await compare('after blocks');
        await both((s) => s.importLabels('random', g.labels));
        await compare('after new labels');
        const target = (await store.getLabels([g.labels[0]!.address])).get(g.labels[0]!.address)![0]!;
        const targetE = (await embedded.getLabels([g.labels[0]!.address])).get(g.labels[0]!.address)![0]!;
        await store.removeLabel(target.id);
        await embedded.removeLabel(targetE.id);
        await compare('after a target label removed');
        await both((s) => s.addLabel({ address: g.addresses[5]!, category: 'exchange', label: 'new stop', source: 'manual', confidence: 80, actor: null }));
        await compare('after a stop added');
        await both((s) => s.importLabels('random', g.labels.filter((l) => l.category !== 'exchange')));
        await compare('after stops removed');
        await both((s) => s.addLabel({ address: g.addresses[7]!, category: 'sanctioned', label: 'new target', source: 'manual', confidence: 80, actor: null }));
        await compare('after a target added');
      } finally {
        reference.close();
        index.close();
        await embedded.close();
      }
    });

    it.each(SEEDS)('written cluster ids follow ClusterIndex block by block (seed %i)', async (seed) => {
      await closeAll();
      await openWithContext();
      const g = randomGraph(seed, { btc: 40, eth: 4 });
      const index = new ClusterIndex(store);
      const unfollow = index.follow(store);
      await writeClusterIds(ctx, index);
      const follower = followClusterIds(ctx, index, store);
      try {
        for (const b of g.blocks) {
          await store.writeBlock(b);
          await follower.idle();
        }
        const written = await neo4jClusterOf(ctx, g.addresses);
        for (const id of g.addresses) expect(written.get(id) ?? null, id).toEqual(index.clusterOf(id));
        // Full write-back gives the same, and deletes nothing more.
        expect((await writeClusterIds(ctx, index)).deleted).toBe(0);
        expect(await neo4jClusterOf(ctx, g.addresses)).toEqual(written);
      } finally {
        follower.close();
        unfollow();
      }
    });
  });

  describe('on hand-built peel chains', () => {
    afterAll(closeAll);
    /** S receives 10,000,000 sat; each hop peels 500,000 and pays a 10,000 fee (as in peel-chain.test.ts). */
    const addHops = (g: TinyGraph, changeName: (k: number) => string, prefix: string, start: number, hops: number): void => {
      g.tx(`${prefix}c0`, { height: start, inputs: [coinbase()], outputs: [[`${prefix}S`, 10_000_000n]] });
      let prev = `${prefix}c0`;
      let vout = 0;
      let value = 10_000_000n;
      for (let k = 1; k <= hops; k++) {
        value -= 510_000n;
        const change: [string, bigint] = [changeName(k), value];
        const peel: [string, bigint] = [`${prefix}P${k}`, 500_000n];
        g.tx(`${prefix}hop${k}`, { height: start + k, inputs: [spend(prev, vout)], outputs: k === 2 ? [change, peel] : [peel, change] });
        prev = `${prefix}hop${k}`;
        vout = k === 2 ? 0 : 1;
      }
    };
    const same = async (input: { txId: string } | { address: string }, options: Partial<PeelChainOptions> = {}) => {
      const got = await neo4jDetectPeelChains(ctx, input, options);
      expect(got, JSON.stringify([input, options])).toEqual(await detectPeelChains(store, input, options));
      return got;
    };

    it('follows a chain whose change returns to the same address every hop', async () => {
      await openWithContext();
      const g = tinyGraph('btc');
      addHops(g, () => 'S', '', 1, 6);
      for (const b of g.blocks()) await store.writeBlock(b);
      const r = await same({ address: addr('S') });
      // Hand-computed (peel-chain.test.ts): 500,000 / (peel + change) in ppm, floored.
      expect(r.chains[0]!.hops.map((h) => h.peelRatioPpm)).toEqual([50_050, 52_742, 55_741, 59_101, 62_893, 67_204]);
      expect(r.chains[0]).toMatchObject({ length: 6, totalPeeled: 3_000_000n, changeAddressReused: true, end: 'unspent' });
      await same({ txId: tid('hop4') }, { extendBackward: true });
      await same({ txId: tid('hop1') }, { maxHops: 6 });
      // Hop 1 is 500,000 / 9,990,000 = 50,050.05 ppm: in a band from 50,050 ppm, out of one from 50,051.
      expect((await same({ txId: tid('hop1') }, { minPeelRatioPpm: 50_050 })).chains[0]).toMatchObject({ length: 6 });
      expect((await same({ txId: tid('hop1') }, { minPeelRatioPpm: 50_051 })).note).toContain('outside [50051, 200000] ppm');
      // Hop 2 is 500,000 / 9,480,000 = 52,742.6 ppm: a band from 50,051 starts the chain there.
      expect((await same({ address: addr('S') }, { minPeelRatioPpm: 50_051 })).chains[0]).toMatchObject({ startTxId: tid('hop2'), length: 5 });
      await same({ txId: tid('hop1') }, { maxHops: 5 });
      for (const maxTransactions of [1, 2, 3, 4, 5, 6]) {
        await same({ txId: tid('hop1') }, { maxTransactions, onBudget: 'truncate' });
        await same({ address: addr('S') }, { maxTransactions, onBudget: 'truncate', extendBackward: true });
      }
      const range = { chain: 'btc', fromHeight: 0, toHeight: 100 };
      expect(await neo4jScanPeelChains(ctx, range)).toEqual(await scanPeelChains(store, range));
      await closeAll();
    });

    it('ends a chain exactly at the ratio band boundary, and shares a tail between two chains with maxInputs 2', async () => {
      await openWithContext();
      const g = tinyGraph('btc');
      addHops(g, (k) => `C${k}`, '', 1, 3);
      // hop3's change is 8,470,000 (vout 1). 1,694,000 + 6,776,000: ratio exactly 20%, a hop.
      g.tx('edge', { height: 5, inputs: [spend('hop3', 1)], outputs: [['E1', 1_694_000n], ['E2', 6_776_000n]] });
      // 1,355,201 + 5,420,799 = 6,776,000: ratio 0.2000001..., not a hop.
      g.tx('over', { height: 6, inputs: [spend('edge', 1)], outputs: [['F1', 1_355_201n], ['F2', 5_420_799n]] });
      // Chains b and d (3 hops each) joined by a 2-input hop that spends both changes, then one more hop.
      addHops(g, (k) => `bC${k}`, 'b', 10, 3);
      addHops(g, (k) => `dC${k}`, 'd', 10, 3);
      g.tx('join', { height: 20, inputs: [spend('bhop3', 1), spend('dhop3', 1)], outputs: [['J1', 100_000n], ['J2', 16_700_000n]] });
      g.tx('after', { height: 21, inputs: [spend('join', 1)], outputs: [['K1', 100_000n], ['K2', 16_590_000n]] });
      for (const b of g.blocks()) await store.writeBlock(b);
      const r = await same({ txId: tid('hop1') });
      expect(r.chains[0]).toMatchObject({ length: 4, end: 'not-a-hop', endTxId: tid('over') });
      expect(r.chains[0]!.hops[3]).toMatchObject({ txId: tid('edge'), peelRatioPpm: 200_000 });
      await same({ txId: tid('edge') }, { minLength: 1, maxPeelRatioPpm: 199_999 });
      await same({ txId: tid('over') }, { minLength: 1, maxPeelRatioPpm: 200_001 });
      for (const maxInputs of [1, 2]) {
        await same({ txId: tid('after') }, { maxInputs, extendBackward: true, minLength: 1 });
        await same({ txId: tid('bhop1') }, { maxInputs });
        for (const range of [{ chain: 'btc', fromHeight: 0, toHeight: 100 }, { chain: 'btc', fromHeight: 12, toHeight: 100 }]) {
          for (const options of [{ maxInputs }, { maxInputs, minLength: 1 }, { maxInputs, maxTransactions: 12, onBudget: 'truncate' as const }]) {
            expect(await neo4jScanPeelChains(ctx, range, options), JSON.stringify([range, options])).toEqual(await scanPeelChains(store, range, options));
          }
        }
      }
      // A hop of small total, where the exact bounds differ from rounded ones: 50,000 / 490,000 = 102,040.8 ppm.
      g.tx('small', { height: 30, inputs: [spend('after', 0)], outputs: [['M1', 50_000n], ['M2', 40_000n]] });
      await store.writeBlock(g.blocks().at(-1)!);
      g.tx('small2', { height: 31, inputs: [spend('hop1', 0)], outputs: [['M3', 50_000n], ['M4', 440_000n]] });
      await store.writeBlock(g.blocks().at(-1)!);
      const bands: [Partial<PeelChainOptions>, boolean][] = [
        [{ minPeelRatioPpm: 102_040 }, true],
        [{ minPeelRatioPpm: 102_041 }, false],
        [{ maxPeelRatioPpm: 102_041 }, true],
        [{ maxPeelRatioPpm: 102_040 }, false],
      ];
      for (const [band, isHop] of bands) {
        const r = await same({ txId: tid('small2') }, { ...band, minLength: 1 });
        expect(r.chains.length, JSON.stringify(band)).toBe(isHop ? 1 : 0);
        const range = { chain: 'btc', fromHeight: 31, toHeight: 31 };
        expect(await neo4jScanPeelChains(ctx, range, { ...band, minLength: 1 })).toEqual(await scanPeelChains(store, range, { ...band, minLength: 1 }));
      }
      await expect(neo4jScanPeelChains(ctx, { chain: 'eth', fromHeight: 0, toHeight: 1 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    });
  });

  describe('on Bitcoin block 413,567 (real data) with OFAC labels', () => {
    let addresses: string[];
    beforeAll(async () => {
      await openWithContext();
      const prevouts = await loadPrevoutsCsv(path.join(sharedData, 'bitcoin/block413567-prevouts.csv'));
      for await (const item of readBitcoinFile(path.join(sharedData, 'bitcoin/block413567.raw'), { prevouts })) {
        if ('total' in item) continue;
        if (!item.ok) throw item.error;
        await store.writeBlock(item.block);
      }
      const ofac = parseOfacAddressList(await readFile(path.join(sharedData, 'ofac/sanctioned_addresses_XBT.txt'), 'utf8'), 'sanctioned_addresses_XBT.txt');
      await store.importLabels(ofac.source, ofac.labels);
      const txs = await store.getTransactions(await allTransactionIds(store));
      addresses = [...new Set([...txs.values()].flatMap((t) => [...t.inputs, ...t.outputs].map((x) => x.address).filter((x): x is string => x !== null)))].sort();
      // The OFAC list of 2024 names none of these 2016 addresses: add stand-in targets and stops, every
      // 251st address sanctioned and every 397th an exchange, so that distances are not all null.
      const pickEvery = (n: number, offset: number) => addresses.filter((_, i) => i % n === offset);
      const stand = (address: string, category: Label['category']): Label => ({ address, category, label: `stand-in ${category}`, source: 'test-stand-in', confidence: 50, actor: null });
      await store.importLabels('test-stand-in', [...pickEvery(251, 7).map((x) => stand(x, 'sanctioned')), ...pickEvery(397, 3).map((x) => stand(x, 'exchange'))]);
    }, 600_000);
    afterAll(closeAll);

    it('neo4jHopDistance equals hopDistance on a sample of addresses', async () => {
      const sample = addresses.filter((_, i) => i % 211 === 5);
      expect(sample.length).toBeGreaterThan(20);
      for (const id of sample) {
        for (const direction of ['in', 'out', 'both'] as const) {
          expect(await neo4jHopDistance(ctx, id, { direction }), `${id} ${direction}`).toEqual(await hopDistance(store, id, { direction }));
        }
      }
    });

    it('Neo4jProximityIndex holds the distances of ProximityIndex for every address', async () => {
      const reference = await ProximityIndex.build(store);
      const index = await Neo4jProximityIndex.build(ctx);
      try {
        for (const direction of ['in', 'out', 'both'] as const) {
          const stored = await index.distances(addresses, direction);
          const differ = addresses.filter((id) => stored.get(id) !== reference.distance(id, direction));
          expect(differ, direction).toEqual([]);
        }
        for (const id of addresses.filter((_, i) => i % 401 === 9)) expect(await index.screen(id), id).toEqual(await reference.screen(id));
      } finally {
        reference.close();
        index.close();
      }
    });

    it('finds the peel chains of the block as the port versions do', async () => {
      const range = { chain: 'btc', fromHeight: 413_567, toHeight: 413_567 };
      const scan = await neo4jScanPeelChains(ctx, range, { minLength: 1 });
      expect(scan).toEqual(await scanPeelChains(store, range, { minLength: 1 }));
      expect(scan.chains.length).toBeGreaterThan(0);
      for (const id of addresses.filter((_, i) => i % 97 === 1)) {
        expect(await neo4jDetectPeelChains(ctx, { address: id }, { minLength: 1, extendBackward: true }), id).toEqual(await detectPeelChains(store, { address: id }, { minLength: 1, extendBackward: true }));
      }
    });

    it('writes back the clusters of ClusterIndex: every address, and the independent union-find sizes', async () => {
      const index = await ClusterIndex.build(store, await allTransactionIds(store));
      const result = await writeClusterIds(ctx, index);
      expect(result.clusters).toBe(index.stats().clusters);
      const written = await neo4jClusterOf(ctx, addresses);
      const differ = addresses.filter((id) => JSON.stringify(written.get(id) ?? null) !== JSON.stringify(index.clusterOf(id)));
      expect(differ).toEqual([]);
      // Sizes read back from Neo4j, against the reference union-find that parses the raw block itself.
      const expected = referenceClustering(path.join(sharedData, 'bitcoin/block413567.raw'), path.join(sharedData, 'bitcoin/block413567-prevouts.csv'));
      const counts = new Map<string, number>();
      for (const ref of written.values()) if (ref) counts.set(ref.id, (counts.get(ref.id) ?? 0) + 1);
      const inputClusters = [...counts.values()].filter((n) => n >= 2).sort((x, y) => y - x);
      expect(inputClusters).toEqual(expected.multiSizes);
    });
  });
});
