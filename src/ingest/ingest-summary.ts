/**
 * The summary an ingest run prints: per chain, what was read and written, with fees in base units.
 */
import type { AriadneError } from '../errors.js';
import type { WriteBlockResult } from '../store/graph-store.js';

export interface ChainSummary {
  blocks: number;
  /** Blocks already in the store: skipped, nothing changed. */
  skippedBlocks: number;
  transactions: number;
  inputs: number;
  resolvedInputs: number;
  outputs: number;
  newAddresses: number;
  /** Known fees of the written transactions, in base units of the chain's native asset. */
  fees: bigint;
  /** Written transactions whose fee is not known yet (unresolved inputs or no receipt). */
  unknownFees: number;
}

export interface IngestFailure {
  file: string;
  block?: string;
  tx?: string;
  code: string;
  message: string;
}

export interface IngestSummary {
  files: number;
  chains: Record<string, ChainSummary>;
  failures: IngestFailure[];
  /** Wall-clock seconds. */
  seconds: number;
}

export function emptySummary(): IngestSummary {
  return { files: 0, chains: {}, failures: [], seconds: 0 };
}

export function addWrite(summary: IngestSummary, result: WriteBlockResult): void {
  const c = (summary.chains[result.chain] ??= {
    blocks: 0,
    skippedBlocks: 0,
    transactions: 0,
    inputs: 0,
    resolvedInputs: 0,
    outputs: 0,
    newAddresses: 0,
    fees: 0n,
    unknownFees: 0,
  });
  if (!result.written) {
    c.skippedBlocks++;
    return;
  }
  c.blocks++;
  c.transactions += result.transactions;
  c.inputs += result.inputs;
  c.resolvedInputs += result.resolvedInputs;
  c.outputs += result.outputs;
  c.newAddresses += result.newAddresses;
  c.fees += result.fees;
  c.unknownFees += result.unknownFees;
}

export function addFailure(summary: IngestSummary, file: string, error: AriadneError): void {
  summary.failures.push({
    file,
    ...(error.context.block !== undefined ? { block: String(error.context.block) } : {}),
    ...(error.context.tx !== undefined ? { tx: String(error.context.tx) } : {}),
    code: error.code,
    message: error.message,
  });
}

/** JSON-safe form: bigints become decimal strings. */
export function summaryToJson(summary: IngestSummary): unknown {
  return JSON.parse(JSON.stringify(summary, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
}

export function formatSummary(summary: IngestSummary): string {
  const lines: string[] = [];
  const chains = Object.entries(summary.chains);
  if (chains.length > 0) {
    const head = ['chain', 'blocks', 'skipped', 'txs', 'inputs', 'resolved', 'outputs', 'new addresses', 'fees (base units)'];
    const rows = chains.map(([chain, c]) => [
      chain,
      c.blocks,
      c.skippedBlocks,
      c.transactions,
      c.inputs,
      c.resolvedInputs,
      c.outputs,
      c.newAddresses,
      `${c.fees}${c.unknownFees > 0 ? ` (+${c.unknownFees} unknown)` : ''}`,
    ].map(String));
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const fmt = (r: string[]) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
    lines.push(fmt(head), ...rows.map(fmt));
  } else {
    lines.push('nothing ingested');
  }
  for (const f of summary.failures) {
    lines.push(`FAILED ${[f.file, f.block && `block ${f.block}`, f.tx && `tx ${f.tx}`].filter(Boolean).join(', ')}: ${f.message}`);
  }
  lines.push(`${summary.files} file(s) in ${summary.seconds.toFixed(1)} s${summary.failures.length ? `, ${summary.failures.length} failure(s)` : ''}`);
  return lines.join('\n');
}
