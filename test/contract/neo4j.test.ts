/**
 * Every Neo4j-backed test lives in this one file: Neo4j Community has a single database, and test files run
 * in parallel workers, so two files would wipe each other's data. The server is the one global-setup starts
 * (`inject('neo4jUri')`); without it the Neo4j suites are skipped with the reason in their title.
 *
 * - the store contract (graph-store.contract.ts), the database wiped before each case;
 * - the analytics contract (analytics.contract.ts): the same analytics over the Neo4j read port;
 * - Neo4j-specific cases: start-up against a closed port, lost and restored connection (through a TCP proxy
 *   that the test cuts), parameters that look like Cypher, concurrent writes of one block;
 * - the embedded store as an independent implementation: both stores ingest the same data (the demo
 *   scenario stripped to raw-block form in reverse order, and real mainnet blocks 1..255 in reverse order)
 *   and must give identical answers.
 */
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import neo4j, { type Driver } from 'neo4j-driver';
import { afterAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { readBitcoinFile } from '../../src/ingest/bitcoin/index.js';
import { readScenarioFile } from '../../src/ingest/scenario/load-scenario.js';
import type { Label } from '../../src/model/label.js';
import type { Block } from '../../src/model/transaction.js';
import { openEmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import type { GraphChange, GraphStore } from '../../src/store/graph-store.js';
import { openNeo4jStore, type Neo4jConfig, type Neo4jStoreOptions } from '../../src/store/neo4j/neo4j-store.js';
import { addr, coinbase, spend, tid, tinyGraph } from '../fixtures/tiny-graph.js';
import { defineAnalyticsContract } from './analytics.contract.js';
import { defineGraphStoreContract } from './graph-store.contract.js';

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
