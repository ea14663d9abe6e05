/**
 * Starts one real Neo4j 5.26 test server (test/neo4j-server) for the whole test run and hands its Bolt URI
 * to the Neo4j suites through `inject('neo4jUri')`. NEO4J_TEST_URI points the run at an existing server
 * instead. Without Java the Neo4j suites are skipped with the reason printed; under CI=true that is a failure.
 */
import type { TestProject } from 'vitest/node';
// @ts-expect-error plain ESM helper without types
import { startNeo4j } from './neo4j-server/launcher.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    neo4jUri: string | null;
    neo4jSkipReason: string | null;
  }
}

interface Started {
  uri?: string;
  skipped?: boolean;
  reason?: string;
  stop?: () => Promise<void>;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.NEO4J_TEST_URI;
  if (external) {
    project.provide('neo4jUri', external);
    project.provide('neo4jSkipReason', null);
    return async () => {};
  }
  if (process.env.ARIADNE_SKIP_NEO4J === '1' && process.env.CI !== 'true') {
    project.provide('neo4jUri', null);
    project.provide('neo4jSkipReason', 'ARIADNE_SKIP_NEO4J=1');
    process.stderr.write('\n[neo4j] Neo4j suites SKIPPED: ARIADNE_SKIP_NEO4J=1\n');
    return async () => {};
  }
  const started = (await startNeo4j({ log: (line: string) => process.stderr.write(`[neo4j] ${line}\n`) })) as Started;
  if (started.skipped) {
    const reason = started.reason ?? 'unknown reason';
    if (process.env.CI === 'true') throw new Error(`CI=true but the Neo4j test server cannot start: ${reason}. A skipped Neo4j suite fails CI.`);
    process.stderr.write(`\n[neo4j] Neo4j suites SKIPPED: ${reason}\n\n`);
    project.provide('neo4jUri', null);
    project.provide('neo4jSkipReason', reason);
    return async () => {};
  }
  process.stderr.write(`[neo4j] test server listening at ${started.uri}\n`);
  project.provide('neo4jUri', started.uri!);
  project.provide('neo4jSkipReason', null);
  return async () => {
    await started.stop?.();
  };
}
