/**
 * Test harness for the API: a real service on a free loopback port over an in-memory embedded store
 * (optionally loaded with a seed scenario), an API key per role, and a small GraphQL client over fetch.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createApiKey } from '../../src/api/auth/api-keys.js';
import { ROLES, type Role } from '../../src/api/auth/roles.js';
import { SqliteApiKeyStore } from '../../src/api/auth/sqlite-api-key-store.js';
import { startService, type RunningService, type ServiceOptions } from '../../src/api/server.js';
import { readScenarioFile, type Scenario } from '../../src/ingest/scenario/load-scenario.js';
import { openEmbeddedStore, type EmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import type { GraphStore } from '../../src/store/graph-store.js';
import type { Block } from '../../src/model/transaction.js';
import type { Label } from '../../src/model/label.js';
import { createComplianceService, type ComplianceService } from '../../src/compliance/compliance-service.js';
import { EmbeddedComplianceStore } from '../../src/store/embedded/compliance/index.js';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const demoScenarioFile = path.join(repoRoot, 'seed', 'demo-laundering.json');

export interface GqlResponse<T = Record<string, unknown>> {
  status: number;
  body: { data?: T | null; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] };
}

export interface TestService {
  app: App;
  store: EmbeddedStore;
  service: RunningService;
  url: string;
  keys: Record<Role, string>;
  keyIds: Record<Role, string>;
  /** The development key the first start printed. */
  devKey: string | null;
  logs: string[];
  gql<T = Record<string, unknown>>(query: string, options?: { variables?: Record<string, unknown>; operationName?: string; key?: string | null; role?: Role; headers?: Record<string, string> }): Promise<GqlResponse<T>>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  blocks?: readonly Block[];
  labels?: { source: string; labels: readonly Label[] }[];
  /** Wraps the store the app sees (call counting). */
  wrapStore?: (store: EmbeddedStore) => GraphStore;
  limits?: ServiceOptions['limits'];
  env?: Record<string, string>;
  /** Called with the app before the service starts (to attach extra domain objects). */
  prepareApp?: (app: App, store: EmbeddedStore) => Promise<void> | void;
  /** Attach a compliance service over the same SQLite file (default true), unless the app has one. */
  compliance?: boolean;
  /** Pins the compliance clock (unix ms). */
  clock?: () => number;
}

export async function loadDemoScenario(): Promise<Scenario> {
  return readScenarioFile(demoScenarioFile);
}

export async function startTestService(options: HarnessOptions = {}): Promise<TestService> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ariadne-api-'));
  const store = await openEmbeddedStore({ dir: ':memory:' });
  for (const b of options.blocks ?? []) await store.writeBlock(b);
  for (const l of options.labels ?? []) await store.importLabels(l.source, l.labels);
  const config = loadConfig({ ARIADNE_DATA_DIR: dir, ...(options.env ?? {}) });
  const app = await createApp(config, { store: options.wrapStore ? options.wrapStore(store) : store });
  const withCompliance = app as App & { compliance?: ComplianceService };
  if ((options.compliance ?? true) && !withCompliance.compliance) {
    withCompliance.compliance = await createComplianceService(app.store, new EmbeddedComplianceStore(store.db, options.clock ? { now: options.clock } : {}), options.clock ? { clock: options.clock } : {});
  }
  await options.prepareApp?.(app, store);
  const keyStore = new SqliteApiKeyStore(store.db);
  const logs: string[] = [];
  let devKey: string | null = null;
  const service = await startService({ app, host: '127.0.0.1', port: 0, keys: keyStore, log: (l) => logs.push(l), onDevelopmentKey: (k) => (devKey = k), ...(options.limits ? { limits: options.limits } : {}) });
  const keys = {} as Record<Role, string>;
  const keyIds = {} as Record<Role, string>;
  for (const role of ROLES) {
    const { key, record } = await createApiKey(keyStore, role, { name: `test ${role}` });
    keys[role] = key;
    keyIds[role] = record.id;
  }
  const t: TestService = {
    app,
    store,
    service,
    url: service.graphqlUrl,
    keys,
    keyIds,
    devKey,
    logs,
    async gql(query, o = {}) {
      const key = o.key !== undefined ? o.key : keys[o.role ?? 'admin'];
      const res = await fetch(service.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...(o.headers ?? {}) },
        body: JSON.stringify({ query, variables: o.variables ?? {}, ...(o.operationName ? { operationName: o.operationName } : {}) }),
      });
      const text = await res.text();
      return { status: res.status, body: JSON.parse(text) };
    },
    async close() {
      await service.close();
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return t;
}

/** Wraps a store in a Proxy that counts the calls of each method. */
export function countingStore<S extends object>(store: S): { store: S; calls: Map<string, number>; reset(): void; total(): number } {
  const calls = new Map<string, number>();
  const proxy = new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      return (...args: unknown[]) => {
        calls.set(prop, (calls.get(prop) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return {
    store: proxy,
    calls,
    reset: () => calls.clear(),
    total: () => [...calls.values()].reduce((a, b) => a + b, 0),
  };
}
