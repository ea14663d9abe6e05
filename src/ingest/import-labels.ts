/**
 * Imports label files into a store. Each import of a source (an OFAC list of one currency, the OFAC SDN
 * CSV, a TagPack file) replaces that source's active labels, so that delisted addresses lose their label
 * (history kept). Files of one run that share a source are merged first and imported once, so that they
 * never delist each other. Bad lines are reported with their line numbers; the good ones still load. A
 * file that cannot be read at all is reported and its source is left untouched.
 */
import path from 'node:path';
import { AriadneError } from '../errors.js';
import type { GraphStore, LabelImportResult } from '../store/graph-store.js';
import { mergeLabelImports, readLabelFile, type LabelImport, type SkipCount } from './labels/index.js';

export interface LabelSourceSummary extends LabelImportResult {
  files: string[];
  skipped: SkipCount[];
  errors: string[];
}

export interface LabelImportSummary {
  sources: LabelSourceSummary[];
  failures: { file: string; code: string; message: string }[];
}

export async function importLabelFiles(store: GraphStore, kind: 'ofac' | 'tagpack', files: readonly string[]): Promise<LabelImportSummary> {
  const summary: LabelImportSummary = { sources: [], failures: [] };
  const parsed: { file: string; result: LabelImport }[] = [];
  const unreadable = new Set<string>();
  for (const file of files) {
    try {
      parsed.push({ file, result: await readLabelFile(file, kind) });
    } catch (err) {
      if (!(err instanceof AriadneError)) throw err;
      summary.failures.push({ file, code: err.code, message: err.describe() });
      unreadable.add(file);
    }
  }
  for (const merged of mergeLabelImports(parsed.map((p) => p.result))) {
    const sourceFiles = parsed.filter((p) => p.result.source === merged.source).map((p) => p.file);
    const result = await store.importLabels(merged.source, merged.labels);
    const errors = merged.errors.map((e) => e.describe());
    summary.sources.push({ ...result, files: sourceFiles, skipped: merged.skipped, errors });
    for (const message of errors) summary.failures.push({ file: sourceFiles.join(', '), code: 'INVALID_INPUT', message });
  }
  return summary;
}

export function formatLabelSummary(summary: LabelImportSummary): string {
  const lines = summary.sources.map((s) => {
    const skipped = s.skipped.map((k) => `${k.count} skipped (${k.reason})`).join(', ');
    return `${s.source} (${s.files.map((f) => path.basename(f)).join(', ')}): ${s.added} added, ${s.updated} updated, ${s.removed} removed, ${s.unchanged} unchanged${skipped ? `; ${skipped}` : ''}`;
  });
  for (const f of summary.failures) lines.push(`FAILED ${f.file.split(', ').map((x) => path.basename(x)).join(', ')}: ${f.message}`);
  return lines.join('\n');
}
