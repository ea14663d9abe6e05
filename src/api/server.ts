/**
 * The HTTP service: Apollo Server (graphql-js) behind a small node:http front that also serves a landing
 * page at / and a health check at /healthz. Request bodies are capped; malformed JSON gets a 400.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ApolloServer, HeaderMap } from '@apollo/server';
import type { App } from '../app.js';
import { createContext, type ApiContext } from './context.js';
import { formatError } from './format-error.js';
import { landingPage } from './landing-page.js';
import { resolvers } from './resolvers/index.js';

const MAX_BODY_BYTES = 1_000_000;

export const schemaPath = path.resolve(import.meta.dirname, '../../schema.graphql');

export interface ServiceOptions {
  app: App;
  host: string;
  port: number;
  log?: (line: string) => void;
}

export interface RunningService {
  url: string;
  graphqlUrl: string;
  apollo: ApolloServer<ApiContext>;
  close(): Promise<void>;
}

export function createApollo(log: (line: string) => void = console.error): ApolloServer<ApiContext> {
  return new ApolloServer<ApiContext>({
    typeDefs: readFileSync(schemaPath, 'utf8'),
    resolvers,
    formatError: (formatted, error) => formatError(formatted, error, log),
    includeStacktraceInErrorResponses: false,
    introspection: true,
  });
}

export async function startService(options: ServiceOptions): Promise<RunningService> {
  const log = options.log ?? console.error;
  const apollo = createApollo(log);
  await apollo.start();

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`[http] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.end();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/healthz') {
      const stats = await options.app.store.stats().then(
        (s) => ({ ok: true, store: options.app.store.engine, transactions: s.transactions }),
        (e: unknown) => ({ ok: false, store: options.app.store.engine, error: e instanceof Error ? e.message : String(e) }),
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
    let body: unknown;
    if (req.method === 'POST') {
      const raw = await readBody(req);
      if (raw === null) {
        sendJson(res, 413, { errors: [{ message: `request body exceeds ${MAX_BODY_BYTES} bytes`, extensions: { code: 'LIMIT_EXCEEDED' } }] });
        return;
      }
      try {
        body = raw.length === 0 ? {} : JSON.parse(raw);
      } catch {
        sendJson(res, 400, { errors: [{ message: 'request body is not valid JSON: expected {"query": "...", "variables": {...}}', extensions: { code: 'BAD_REQUEST' } }] });
        return;
      }
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body },
      context: async () => createContext(options.app),
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
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await apollo.stop();
    },
  };
}

function readBody(req: http.IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooBig = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooBig ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(value));
}
