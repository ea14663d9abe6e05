/**
 * Malformed and oversized requests, over HTTP: each gets a clear code and status, nothing leaks (no stack
 * traces, no internal messages), and the limits (depth, cost, tokens, maxHops, batch and page sizes, body
 * size) are enforced with LIMIT_EXCEEDED.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AriadneError } from '../../src/errors.js';
import type { Scenario } from '../../src/ingest/scenario/load-scenario.js';
import type { GraphStore } from '../../src/store/graph-store.js';
import { loadDemoScenario, startTestService, type TestService } from './harness.js';

let t: TestService;
let s: Scenario;
/** Set by a test to make the next store reads fail. */
let failure: Error | null = null;
const a = (name: string) => s.addresses.get(name)!;

beforeAll(async () => {
  s = await loadDemoScenario();
  t = await startTestService({
    blocks: s.blocks,
    labels: [{ source: `seed:${s.name}`, labels: s.labels }],
    wrapStore: (store) =>
      new Proxy(store, {
        get(target, prop, receiver) {
          const value = Reflect.get(target, prop, receiver) as unknown;
          if (prop !== 'getTransactions' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
          return (...args: unknown[]) => {
            if (failure) return Promise.reject(failure);
            return (value as (...x: unknown[]) => unknown).apply(target, args);
          };
        },
      }) as GraphStore,
  });
});

afterAll(async () => {
  await t?.close();
});

async function post(body: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; json: () => { errors?: { message: string; extensions?: Record<string, unknown> }[] } }> {
  const res = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${t.keys.admin}`, ...headers }, body });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) };
}

const code = (r: { body: { errors?: { extensions?: Record<string, unknown> }[] } }) => r.body.errors?.[0]?.extensions?.code;

describe('malformed requests', () => {
  it('refuses a body that is not JSON with 400 BAD_REQUEST', async () => {
    const r = await post('{"query": "{ stats { transactions } }"');
    expect(r.status).toBe(400);
    expect(r.json().errors![0]!.extensions!.code).toBe('BAD_REQUEST');
  });

  it('refuses a body over 1 MB with 413 LIMIT_EXCEEDED (32 MB for admin keys, which may send blocks)', async () => {
    const r = await post(JSON.stringify({ query: `{ stats { transactions } } # ${'x'.repeat(1_100_000)}` }), { authorization: `Bearer ${t.keys.investigator}` });
    expect(r.status).toBe(413);
    expect(r.json().errors![0]!.extensions!.code).toBe('LIMIT_EXCEEDED');
    const admin = await post(JSON.stringify({ query: `{ stats { transactions } } # ${'x'.repeat(1_100_000)}` }));
    expect(admin.status).toBe(200);
    const huge = await post(JSON.stringify({ query: `{ stats { transactions } } # ${'x'.repeat(33_000_000)}` }));
    expect(huge.status).toBe(413);
  });

  it('refuses a syntax error with 400 GRAPHQL_PARSE_FAILED', async () => {
    const r = await t.gql('{ stats { transactions }');
    expect(r.status).toBe(400);
    expect(code(r)).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('refuses an unknown field with 400 GRAPHQL_VALIDATION_FAILED', async () => {
    const r = await t.gql('{ stats { nonsense } }');
    expect(r.status).toBe(400);
    expect(code(r)).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses a batched (array) request', async () => {
    const r = await post(JSON.stringify([{ query: '{ stats { transactions } }' }, { query: '{ stats { blocks } }' }]));
    expect(r.status).toBe(400);
  });

  it('refuses a BigInt that is not an integer with 400 BAD_USER_INPUT', async () => {
    const r = await t.gql('query($m: BigInt) { trace(from: "x", minAmount: $m) { maxHops } }', { variables: { m: '1.5' } });
    expect(r.status).toBe(400);
    expect(code(r)).toBe('BAD_USER_INPUT');
    expect(r.body.errors![0]!.message).toContain('BigInt expects an integer');
  });

  it('names the bad address and what was expected', async () => {
    const r = await t.gql('{ address(id: "1BoatSLRHtKNngkdXEeobR76b53LETtpyX") { id } }');
    expect(code(r)).toBe('BAD_USER_INPUT');
    expect(r.body.errors![0]!.message).toMatch(/invalid bitcoin address "1BoatSLRHtKNngkdXEeobR76b53LETtpyX"/);
  });

  it('refuses a screening batch with invalid entries, listing each with its position', async () => {
    const r = await t.gql<null>(`{ screen(addresses: ["${a('C1')}", "nope", "${a('P0')}", "0x12"]) { distance } }`);
    expect(code(r)).toBe('BAD_USER_INPUT');
    expect(r.body.errors![0]!.message).toContain('2 of 4 addresses are invalid; the first is #1');
    const invalid = (r.body.errors![0]!.extensions!.details as { invalid: { index: number; input: string }[] }).invalid;
    expect(invalid.map((x) => [x.index, x.input])).toEqual([
      [1, 'nope'],
      [3, '0x12'],
    ]);
  });

  it('refuses a cursor from another list, or one that is not a cursor', async () => {
    const page = await t.gql<{ address: { transactions: { pageInfo: { endCursor: string } } } }>(`{ address(id: "${a('C1')}") { transactions(first: 1) { pageInfo { endCursor } } } }`);
    const cursor = page.body.data!.address.transactions.pageInfo.endCursor;
    const other = await t.gql(`{ address(id: "${a('P0')}") { transactions(first: 1, after: "${cursor}") { totalCount } } }`);
    expect(code(other)).toBe('BAD_USER_INPUT');
    const junk = await t.gql(`{ address(id: "${a('C1')}") { transactions(first: 1, after: "!!!") { totalCount } } }`);
    expect(code(junk)).toBe('BAD_USER_INPUT');
  });

  it('refuses a taint source with both an address and a transaction', async () => {
    const r = await t.gql(`{ taint(sources: [{ address: "${a('LAZ')}", transaction: "${s.graph.txs.get('mint')!.id}" }]) { model } }`);
    expect(code(r)).toBe('BAD_USER_INPUT');
    expect(r.body.errors![0]!.message).toContain('expected either "address" or "transaction"');
  });

  it('answers NOT_FOUND for a subgraph around an address the graph does not know', async () => {
    const r = await t.gql('{ subgraph(center: "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa") { nodes { id } } }');
    expect(code(r)).toBe('NOT_FOUND');
  });
});

describe('limits', () => {
  it('refuses a query deeper than 12 before running it', async () => {
    // address 1 > cluster 2 > addresses 3 > nodes 4 > cluster 5 > addresses 6 > nodes 7 > cluster 8 > addresses 9 > nodes 10 > cluster 11 > addresses 12 > nodes 13 > id 14
    const r = await t.gql(`{ address(id: "${a('C1')}") { cluster { addresses { nodes { cluster { addresses { nodes { cluster { addresses { nodes { cluster { addresses { nodes { id } } } } } } } } } } } } } }`);
    expect(r.status).toBe(400);
    expect(code(r)).toBe('LIMIT_EXCEEDED');
    expect(r.body.errors![0]!.message).toBe('query depth 14 is above the limit of 12');
  });

  it('refuses a query whose estimated cost is too high (nested pages)', async () => {
    const r = await t.gql(`{ cluster(id: "${a('C1')}") { addresses(first: 500) { nodes { neighbours(first: 500) { nodes { address { id } } } } } } }`);
    expect(r.status).toBe(400);
    expect(code(r)).toBe('LIMIT_EXCEEDED');
    expect(r.body.errors![0]!.message).toMatch(/^estimated query cost \d+ is above the limit of 100000/);
  });

  it('refuses many aliases of a full screening batch (cost counts every address screened)', async () => {
    const list = JSON.stringify(Array.from({ length: 1000 }, () => a('C1')));
    const aliases = Array.from({ length: 101 }, (_, i) => `s${i}: screen(addresses: $list) { distance }`).join(' ');
    const r = await t.gql(`query($list: [String!]!) { ${aliases} }`, { variables: { list: JSON.parse(list) } });
    expect(code(r)).toBe('LIMIT_EXCEEDED');
  });

  it('refuses a document with more than 20,000 tokens before parsing it in full', async () => {
    const r = await t.gql(`{ ${Array.from({ length: 10_001 }, (_, i) => `a${i}: __typename`).join(' ')} }`);
    expect(r.status).toBe(400);
    expect(code(r)).toBe('GRAPHQL_PARSE_FAILED');
    expect(r.body.errors![0]!.message).toContain('tokens');
  });

  it('caps maxHops at the configured limit (10)', async () => {
    const r = await t.gql(`{ screen(addresses: ["${a('C1')}"], maxHops: 11) { distance } }`);
    expect(code(r)).toBe('LIMIT_EXCEEDED');
    expect(r.body.errors![0]!.message).toBe('maxHops 11 is above the configured limit of 10');
    const trace = await t.gql(`{ trace(from: "${a('LAZ')}", maxHops: 11) { maxHops } }`);
    expect(code(trace)).toBe('LIMIT_EXCEEDED');
    const ok = await t.gql(`{ screen(addresses: ["${a('C1')}"], maxHops: 10) { distance } }`);
    expect(ok.body.errors).toBeUndefined();
  });

  it('caps a screening batch at 1,000 addresses', async () => {
    const r = await t.gql('query($list: [String!]!) { screen(addresses: $list) { distance } }', { variables: { list: Array.from({ length: 1001 }, () => a('C1')) } });
    expect(code(r)).toBe('LIMIT_EXCEEDED');
    expect(r.body.errors![0]!.message).toBe('screen takes at most 1000 addresses per call, got 1001');
    const ok = await t.gql<{ screen: { distance: number }[] }>('query($list: [String!]!) { screen(addresses: $list) { distance } }', { variables: { list: Array.from({ length: 1000 }, () => a('C1')) } });
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data!.screen).toHaveLength(1000);
  });

  it('caps page sizes at 500 and refuses negative ones', async () => {
    const big = await t.gql(`{ address(id: "${a('C1')}") { transactions(first: 501) { totalCount } } }`);
    expect(code(big)).toBe('LIMIT_EXCEEDED');
    const negative = await t.gql(`{ address(id: "${a('C1')}") { transactions(first: -1) { totalCount } } }`);
    expect(code(negative)).toBe('BAD_USER_INPUT');
  });

  it('caps subgraph limit and trace work budget', async () => {
    expect(code(await t.gql(`{ subgraph(center: "${a('C1')}", limit: 1001) { hops } }`))).toBe('LIMIT_EXCEEDED');
    expect(code(await t.gql(`{ trace(from: "${a('LAZ')}", maxTransactions: 5001) { maxHops } }`))).toBe('LIMIT_EXCEEDED');
  });
});

describe('errors that reach clients', () => {
  it('turns an unexpected failure into INTERNAL_SERVER_ERROR with an id, logged with its stack, without leaking it', async () => {
    failure = new TypeError('secret detail at /internal/path.ts');
    try {
      const r = await t.gql(`{ transaction(id: "${s.graph.txs.get('mint')!.id}") { id } }`);
      const err = r.body.errors![0]!;
      expect(err.extensions!.code).toBe('INTERNAL_SERVER_ERROR');
      const id = err.extensions!.errorId as string;
      expect(err.message).toBe(`Internal server error (id ${id})`);
      expect(JSON.stringify(r.body)).not.toContain('secret');
      expect(JSON.stringify(r.body)).not.toContain('stacktrace');
      expect(t.logs.some((l) => l.includes(id) && l.includes('secret detail') && l.includes('    at '))).toBe(true);
    } finally {
      failure = null;
    }
  });

  it('passes STORE_UNAVAILABLE through, marked retriable, with the driver detail only in the log', async () => {
    failure = new AriadneError('STORE_UNAVAILABLE', 'bolt://db.internal:7687 refused (test)');
    try {
      const r = await t.gql(`{ transaction(id: "${s.graph.txs.get('mint')!.id}") { id } }`);
      const { errorId, ...rest } = r.body.errors![0]!.extensions as { errorId: string };
      expect(rest).toEqual({ code: 'STORE_UNAVAILABLE', retriable: true });
      expect(r.body.errors![0]!.message).toBe(`The store is unavailable; retry later (id ${errorId})`);
      expect(JSON.stringify(r.body)).not.toContain('db.internal');
      expect(t.logs.some((l) => l.includes(errorId) && l.includes('bolt://db.internal:7687'))).toBe(true);
    } finally {
      failure = null;
    }
  });
});

describe('authentication', () => {
  const stats = '{ stats { transactions } }';

  it('asks for a key when none is sent (401), but serves introspection without one', async () => {
    const none = await t.gql(stats, { key: null });
    expect(none.status).toBe(401);
    expect(code(none)).toBe('UNAUTHENTICATED');
    const schema = await t.gql<{ __schema: { queryType: { name: string } } }>('{ __schema { queryType { name } } }', { key: null });
    expect(schema.status).toBe(200);
    expect(schema.body.data!.__schema.queryType.name).toBe('Query');
  });

  it('refuses malformed, unknown and revoked keys with 401, whatever the query', async () => {
    for (const key of ['ariadne_short', `ariadne_${'A'.repeat(43)}`]) {
      const r = await t.gql('{ __typename }', { key });
      expect(r.status).toBe(401);
      expect(code(r)).toBe('UNAUTHENTICATED');
    }
    const created = await t.gql<{ createApiKey: { key: string; apiKey: { id: string } } }>('mutation { createApiKey(role: INVESTIGATOR, name: "short-lived") { key apiKey { id } } }');
    const { key, apiKey } = created.body.data!.createApiKey;
    expect((await t.gql(stats, { key })).status).toBe(200);
    await t.gql(`mutation { revokeApiKey(id: "${apiKey.id}") { revokedAt } }`);
    const revoked = await t.gql(stats, { key });
    expect(revoked.status).toBe(401);
    expect(revoked.body.errors![0]!.message).toMatch(new RegExp(`^API key ${apiKey.id} was revoked at \\d{4}-`));
  });

  it('accepts the key in x-api-key, and refuses other schemes and two different keys', async () => {
    const viaHeader = await t.gql<{ me: { role: string } }>('{ me { role } }', { key: null, headers: { 'x-api-key': t.keys.investigator } });
    expect(viaHeader.body.data!.me.role).toBe('INVESTIGATOR');
    expect((await t.gql(stats, { key: null, headers: { authorization: `Basic ${t.keys.admin}` } })).status).toBe(401);
    expect((await t.gql(stats, { headers: { 'x-api-key': t.keys.screening } })).status).toBe(401);
  });

  it('stores only hashes: no key text is in the database', () => {
    const rows = t.store.db.prepare('SELECT * FROM api_keys').all() as Record<string, unknown>[];
    expect(rows.length).toBeGreaterThanOrEqual(5);
    const dump = JSON.stringify(rows);
    for (const key of Object.values(t.keys)) expect(dump).not.toContain(key);
    expect(dump).not.toContain('ariadne_');
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(String(r.hash)))).toBe(true);
  });

  it('printed a development admin key on the first start, and it works', async () => {
    expect(t.devKey).toMatch(/^ariadne_[A-Za-z0-9_-]{43}$/);
    const r = await t.gql<{ me: { role: string; name: string } }>('{ me { role name } }', { key: t.devKey });
    expect(r.body.data!.me).toEqual({ role: 'ADMIN', name: 'development key (created on first start)' });
  });
});
