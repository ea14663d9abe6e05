/**
 * The HTTP service: Apollo Server (graphql-js) behind a small node:http front that also serves a landing
 * page at / and a health check at /healthz. A presented API key that is malformed, unknown or revoked gets a
 * 401 before the body is read; bodies are capped at 1 MB (32 MB for admin keys, which may send blocks) with
 * a 413; malformed JSON gets a 400. Authorization,
 * query depth and cost limits and the audit of customer and SAR access run in the request guard
 * (request-guard.ts). On a first start (no key ever created) an admin development key is printed once.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { buildSchema } from './graphql-js.js';
import type { App } from '../app.js';
import { AriadneError, isAriadneError } from '../errors.js';
import type { ApiKeyStore } from './auth/api-key-store.js';
import { authenticate, ensureDevelopmentKey, openApiKeyStore, presentedKey, type Principal } from './auth/api-keys.js';
import { permissionProblems } from './auth/permissions.js';
import { createContext, type ApiContext } from './context.js';
import { formatError, PUBLIC_CODES } from './format-error.js';
import { landingPage } from './landing-page.js';
import { API_LIMITS } from './limits.js';
import { requestGuard, type GuardOptions } from './request-guard.js';
import { resolvers } from './resolvers/index.js';

export const MAX_BODY_BYTES = 1_000_000;
/** Admin keys may send whole blocks (a Bitcoin block is up to 4 MB, 8 MB as hex). */
export const ADMIN_MAX_BODY_BYTES = 32_000_000;

const GRAPHQL_PATH = { pathname: '/graphql', search: '' } as const;

export const schemaPath = path.resolve(import.meta.dirname, '../../schema.graphql');

export interface ServiceOptions {
  app: App;
  host: string;
  port: number;
  log?: (line: string) => void;
  /** Where API keys live (default: the app's store, see openApiKeyStore). */
  keys?: ApiKeyStore;
  /** Called with the development key on a first start (default: printed on stdout). */
  onDevelopmentKey?: (key: string) => void;
  /** Override the depth and cost limits (tests). */
  limits?: GuardOptions;
}

export interface RunningService {
  url: string;
  graphqlUrl: string;
  apollo: ApolloServer<ApiContext>;
  keys: ApiKeyStore;
  close(): Promise<void>;
}

export function readTypeDefs(): string {
  return readFileSync(schemaPath, 'utf8');
}

/** The Apollo server of the API. Throws at start when the permission map does not cover the schema. */
export function createApollo(log: (line: string) => void = console.error, limits: GuardOptions = {}): ApolloServer<ApiContext> {
  const typeDefs = readTypeDefs();
  const problems = permissionProblems(buildSchema(typeDefs));
  if (problems.length > 0) throw new AriadneError('INTERNAL', `the permission map does not match schema.graphql: ${problems.join('; ')}`);
  return new ApolloServer<ApiContext>({
    typeDefs,
    resolvers: resolvers as never,
    formatError: (formatted, error) => formatError(formatted, error, log),
    includeStacktraceInErrorResponses: false,
    introspection: true,
    // Cache control is on by default: it wraps every field resolver to compute cache hints the schema never
    // sets (no @cacheControl), a cost on every field of every request.
    plugins: [requestGuard(limits), ApolloServerPluginCacheControlDisabled()],
    parseOptions: { maxTokens: API_LIMITS.maxTokens },
    allowBatchedHttpRequests: false,
  });
}

/** A GraphQL-shaped error body for refusals that happen before GraphQL runs. */
function errorBody(err: AriadneError): unknown {
  return { errors: [{ message: err.message, extensions: { code: PUBLIC_CODES[err.code] } }] };
}

export async function startService(options: ServiceOptions): Promise<RunningService> {
  const log = options.log ?? console.error;
  const keys = options.keys ?? openApiKeyStore(options.app);
  const devKey = await ensureDevelopmentKey(keys);
  if (devKey) {
    (options.onDevelopmentKey ?? ((key: string) => process.stdout.write(`\nDevelopment API key (admin; shown once, only its hash is stored):\n  ${key}\nUse it as: Authorization: Bearer ${key}\n\n`)))(devKey);
  }
  const apollo = createApollo(log, options.limits);
  await apollo.start();

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const id = randomUUID();
      log(`[http ${id}] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: `Internal server error (id ${id})`, extensions: { code: 'INTERNAL_SERVER_ERROR', errorId: id } }] });
      else res.end();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // The usual POST target needs no parsing (a URL parse is a few µs of every request).
    const url = req.url === '/graphql' ? GRAPHQL_PATH : new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/healthz') {
      // A stale screening index still answers (from its last good state, while it rebuilds): reported, not a 503.
      const { version, stale } = options.app.proximity.stats();
      const screeningIndex = { version, stale };
      const stats = await options.app.store.stats().then(
        (s) => ({ ok: true, store: options.app.store.engine, transactions: s.transactions, screeningIndex }),
        (e: unknown) => ({ ok: false, store: options.app.store.engine, error: isAriadneError(e) ? e.code : 'STORE_UNAVAILABLE', screeningIndex }),
      );
      sendJson(res, stats.ok ? 200 : 503, stats);
      return;
    }
    if (url.pathname === '/' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(landingPage(`${publicUrl()}graphql`));
      return;
    }
    if (url.pathname !== '/graphql') {
      sendJson(res, 404, { error: `no route ${url.pathname}: the GraphQL endpoint is /graphql` });
      return;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    let principal: Principal | null = null;
    try {
      const key = presentedKey(headers);
      if (key !== null) principal = await authenticate(keys, key);
    } catch (err) {
      if (!isAriadneError(err)) throw err;
      req.resume();
      sendJson(res, err.code === 'UNAUTHENTICATED' ? 401 : 503, errorBody(err), err.code === 'UNAUTHENTICATED' ? { 'www-authenticate': 'Bearer realm="ariadne"' } : {});
      return;
    }
    let body: unknown;
    if (req.method === 'POST') {
      const cap = principal?.role === 'admin' ? ADMIN_MAX_BODY_BYTES : MAX_BODY_BYTES;
      const raw = await readBody(req, cap);
      if (raw === null) {
        sendJson(res, 413, { errors: [{ message: `request body exceeds ${cap} bytes`, extensions: { code: 'LIMIT_EXCEEDED' } }] });
        return;
      }
      try {
        body = raw.length === 0 ? {} : JSON.parse(raw);
      } catch {
        sendJson(res, 400, { errors: [{ message: 'request body is not valid JSON: expected {"query": "...", "variables": {...}}', extensions: { code: 'BAD_REQUEST' } }] });
        return;
      }
    }
    const requestId = randomUUID();
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body },
      context: async () => createContext({ app: options.app, keys, principal, log, requestId }),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const publicUrl = () => `http://${host === '0.0.0.0' ? 'localhost' : host}:${address.port}/`;
  return {
    url: publicUrl(),
    graphqlUrl: `${publicUrl()}graphql`,
    apollo,
    keys,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await apollo.stop();
    },
  };
}

function readBody(req: http.IncomingMessage, cap: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > cap) tooBig = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooBig ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, value: unknown, extraHeaders: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...extraHeaders });
  res.end(JSON.stringify(value));
}
