/**
 * Admin operations over HTTP: ingesting real blocks sent in the request (Bitcoin block 413,567, 1,557
 * transactions, and Ethereum block 14,151,203, 12 transactions: /work/shared/data/README.md), importing a
 * sanctions list that screening sees at once, labels, and keys.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, startTestService, type TestService } from './harness.js';

let t: TestService;
const seed = (...p: string[]) => path.join(repoRoot, 'seed', 'data', ...p);

beforeAll(async () => {
  t = await startTestService();
});

afterAll(async () => {
  await t?.close();
});

const INGEST = 'mutation($input: IngestBlocksInput!) { ingestBlocks(input: $input) { written skipped transactions failures { index code message } } }';

describe('ingestBlocks', () => {
  it('writes a raw Bitcoin block sent as hex, once', async () => {
    const hex = readFileSync(seed('bitcoin', 'block413567.raw')).toString('hex');
    const r = await t.gql(INGEST, { variables: { input: { format: 'BITCOIN_RAW_HEX', blocks: [hex] } } });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data).toEqual({ ingestBlocks: { written: 1, skipped: 0, transactions: 1557, failures: [] } });
    const again = await t.gql(INGEST, { variables: { input: { format: 'BITCOIN_RAW_HEX', blocks: [hex] } } });
    expect(again.body.data).toEqual({ ingestBlocks: { written: 0, skipped: 1, transactions: 0, failures: [] } });
  });

  it('writes an Ethereum block and reports a bad one by its position, writing the good ones', async () => {
    const json = readFileSync(seed('ethereum', 'block-14151203.json'), 'utf8');
    const r = await t.gql<{ ingestBlocks: { written: number; transactions: number; failures: { index: number; code: string }[] } }>(INGEST, {
      variables: { input: { format: 'EVM_BLOCK_JSON', blocks: ['{"not": "a block"}', json] } },
    });
    expect(r.body.data!.ingestBlocks).toMatchObject({ written: 1, transactions: 12 });
    expect(r.body.data!.ingestBlocks.failures.map((f) => [f.index, f.code])).toEqual([[0, 'BAD_USER_INPUT']]);
    const stats = await t.gql<{ stats: { chains: { chain: string; transactions: number }[] } }>('{ stats { chains { chain transactions } } }');
    expect(stats.body.data!.stats.chains.sort((x, y) => (x.chain < y.chain ? -1 : 1))).toEqual([
      { chain: 'btc', transactions: 1557 },
      { chain: 'eth', transactions: 12 },
    ]);
  });

  it('caps the blocks per call', async () => {
    const r = await t.gql(INGEST, { variables: { input: { format: 'EVM_BLOCK_JSON', blocks: Array.from({ length: 101 }, () => '{}') } } });
    expect(r.body.errors![0]!.extensions!.code).toBe('LIMIT_EXCEEDED');
  });
});

describe('sanctions lists and labels', () => {
  it('imports an OFAC address list that screening sees at once, and refuses an empty one', async () => {
    const satoshi = 'btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa';
    const r = await t.gql('mutation { importSanctionsList(input: { format: ADDRESS_LIST, currency: "XBT", content: "# list\\n1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa\\n" }) { source added removed unchanged errors } }');
    expect(r.body.data).toEqual({ importSanctionsList: { source: 'ofac-sdn-list:XBT', added: 1, removed: 0, unchanged: 0, errors: [] } });
    const screened = await t.gql<{ screen: { distance: number; decision: string }[] }>(`{ screen(addresses: ["${satoshi}"]) { distance decision } }`, { role: 'screening' });
    expect(screened.body.data!.screen).toEqual([{ distance: 0, decision: 'REJECT' }]);
    const empty = await t.gql('mutation { importSanctionsList(input: { format: ADDRESS_LIST, currency: "XBT", content: "# nothing\\n" }) { added } }');
    expect(empty.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(empty.body.errors![0]!.message).toContain('would delist every address of source ofac-sdn-list:XBT');
  });

  it('adds and removes a manual label', async () => {
    const address = 'btc:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2';
    const added = await t.gql<{ addLabel: { id: string; source: string } }>(`mutation { addLabel(input: { address: "${address}", category: HACK, label: "test hack", confidence: 70 }) { id source } }`);
    expect(added.body.data!.addLabel.source).toBe(`manual:${t.keyIds.admin}`);
    const id = added.body.data!.addLabel.id;
    expect((await t.gql(`mutation { removeLabel(id: "${id}") }`)).body.data).toEqual({ removeLabel: true });
    expect((await t.gql(`mutation { removeLabel(id: "${id}") }`)).body.data).toEqual({ removeLabel: false });
    expect((await t.store.getLabels([address])).get(address)).toBeUndefined();
  });
});

describe('API keys', () => {
  it('lists keys without hashes and revokes them', async () => {
    const created = await t.gql<{ createApiKey: { key: string; apiKey: { id: string } } }>('mutation { createApiKey(role: COMPLIANCE, name: "ops") { key apiKey { id } } }');
    const { key, apiKey } = created.body.data!.createApiKey;
    const list = await t.gql<{ apiKeys: { nodes: { id: string; role: string; name: string; revokedAt: string | null }[] } }>('{ apiKeys(first: 100) { nodes { id role name revokedAt } } }');
    expect(list.body.data!.apiKeys.nodes).toContainEqual({ id: apiKey.id, role: 'COMPLIANCE', name: 'ops', revokedAt: null });
    expect(JSON.stringify(list.body)).not.toContain(key);
    const revoked = await t.gql<{ revokeApiKey: { revokedAt: string } }>(`mutation { revokeApiKey(id: "${apiKey.id}") { revokedAt } }`);
    expect(Date.parse(revoked.body.data!.revokeApiKey.revokedAt)).toBeGreaterThan(0);
    expect((await t.gql('{ me { role } }', { key })).status).toBe(401);
    expect((await t.gql('mutation { revokeApiKey(id: "key_000000000000") { id } }')).body.errors![0]!.extensions!.code).toBe('NOT_FOUND');
  });
});
