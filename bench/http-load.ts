/**
 * GraphQL `screen` over HTTP under load: autocannon (the Node HTTP load generator) keeps `connections`
 * connections busy for `durationS` seconds, each request screening one address picked round-robin from a
 * sample, and reports requests per second and latency percentiles. One request is checked first: an answer
 * with GraphQL errors stops the run (a fast error is not a screening). `runHttpLoadForked` runs the load
 * generator in a child process (http-load-process.ts), so that it does not share the service's event loop.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';

export interface HttpLoadOptions {
  url: string;
  apiKey: string;
  addresses: readonly string[];
  connections: number;
  durationS: number;
  /** GraphQL selection of each ScreeningResult. */
  selection: string;
}

export interface HttpLoadResult {
  requestsPerSecond: number;
  requests: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  connections: number;
  durationS: number;
}

export async function runHttpLoad(o: HttpLoadOptions): Promise<HttpLoadResult> {
  const query = `query Screen($a: [String!]!) { screen(addresses: $a) { ${o.selection} } }`;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${o.apiKey}` };
  const probe = await fetch(o.url, { method: 'POST', headers, body: JSON.stringify({ query, variables: { a: [o.addresses[0]] } }) });
  const answer = (await probe.json()) as { errors?: unknown[]; data?: unknown };
  if (!probe.ok || answer.errors) throw new Error(`screen over HTTP failed (status ${probe.status}): ${JSON.stringify(answer).slice(0, 500)}`);

  let next = 0;
  const result = await autocannon({
    url: o.url,
    connections: o.connections,
    duration: o.durationS,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: new URL(o.url).pathname,
        headers,
        setupRequest: (request) => {
          const address = o.addresses[next++ % o.addresses.length];
          return { ...request, body: JSON.stringify({ query, variables: { a: [address] } }) };
        },
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.total / result.duration,
    requests: result.requests.total,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    connections: o.connections,
    durationS: result.duration,
  };
}

/** runHttpLoad in a child process of its own (the service under test keeps this process to itself). */
export function runHttpLoadForked(o: HttpLoadOptions): Promise<HttpLoadResult> {
  const child = fork(path.join(import.meta.dirname, 'http-load-process.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return new Promise((resolve, reject) => {
    let settled = false;
    child.on('message', (m: { ready?: boolean; ok?: boolean; result?: HttpLoadResult; error?: string }) => {
      if (m.ready) {
        child.send(o);
        return;
      }
      settled = true;
      if (m.ok) resolve(m.result!);
      else reject(new Error(m.error));
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!settled) reject(new Error(`the load process exited (${code}) before it reported`));
    });
  });
}
