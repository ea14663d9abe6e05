/**
 * What every label importer returns, and the helpers they share: skip counting, de-duplication and the
 * merge of several files that make up one source.
 *
 * A source is replaced as a whole by `GraphWriter.importLabels(source, labels)`: labels of the source
 * missing from the new import are delisted. Two consequences for callers:
 * - files that together form one source (the per-currency OFAC lists `sanctioned_addresses_XBT.txt`,
 *   `..._ETH.txt`, all with source `ofac-sdn`) must be merged with `mergeLabelImports` and imported once;
 *   importing them one after the other would delist the previous file's addresses.
 * - an import whose file could not be read at all must never reach `importLabels`: the parsers throw in
 *   that case instead of returning an empty list (see `refuseEmptyImport`).
 */
import { type AriadneError, type ErrorContext, invalidInput } from '../../errors.js';
import type { Label } from '../../model/label.js';

export interface SkipCount {
  reason: string;
  count: number;
}

export interface LabelImport {
  /** The `source` every label carries, and the key `importLabels` replaces. */
  source: string;
  /** De-duplicated labels, in file order. */
  labels: Label[];
  /** Entries left out on purpose (unsupported currency, duplicate ...), counted per reason. */
  skipped: SkipCount[];
  /** Entries that could not be read (bad address, missing field); the other entries still load. */
  errors: AriadneError[];
}

/** Collects labels, skips and errors for one file, dropping duplicate labels. */
export class LabelCollector {
  readonly labels: Label[] = [];
  readonly errors: AriadneError[] = [];
  private readonly skips = new Map<string, number>();
  private readonly keys = new Set<string>();

  constructor(readonly source: string) {}

  /** Adds a label unless the same address, category and label text is already there (counted as a skip). */
  add(label: Label): void {
    const key = labelKey(label);
    if (this.keys.has(key)) {
      this.skip('duplicate entry (same address and label)');
      return;
    }
    this.keys.add(key);
    this.labels.push(label);
  }

  skip(reason: string): void {
    this.skips.set(reason, (this.skips.get(reason) ?? 0) + 1);
  }

  error(err: AriadneError): void {
    this.errors.push(err);
  }

  result(): LabelImport {
    const skipped = [...this.skips.entries()].map(([reason, count]) => ({ reason, count }));
    return { source: this.source, labels: this.labels, skipped, errors: this.errors };
  }
}

export function labelKey(label: Pick<Label, 'address' | 'category' | 'label'>): string {
  return `${label.address}\u0000${label.category}\u0000${label.label}`;
}

/**
 * Refuses an import that found no label but did find errors: the file is most likely of another format
 * or damaged, and importing an empty list would delist the whole source.
 */
export function refuseEmptyImport(result: LabelImport, context: ErrorContext): LabelImport {
  if (result.labels.length === 0 && result.errors.length > 0) {
    const first = result.errors[0]!;
    throw invalidInput(
      `no valid entry in the file (${result.errors.length} errors; first: ${first.message}); refusing an import that would delist every label of source "${result.source}"`,
      context,
    );
  }
  return result;
}

/**
 * Merges imports that share a source into one import per source (labels de-duplicated, skips summed,
 * errors concatenated), in first-seen order. Use it for files that together make up one list.
 */
export function mergeLabelImports(imports: readonly LabelImport[]): LabelImport[] {
  const bySource = new Map<string, { keys: Set<string>; labels: Label[]; skips: Map<string, number>; errors: AriadneError[] }>();
  for (const imp of imports) {
    let acc = bySource.get(imp.source);
    if (acc === undefined) {
      acc = { keys: new Set(), labels: [], skips: new Map(), errors: [] };
      bySource.set(imp.source, acc);
    }
    for (const label of imp.labels) {
      const key = labelKey(label);
      if (acc.keys.has(key)) {
        acc.skips.set('duplicate entry (same address and label)', (acc.skips.get('duplicate entry (same address and label)') ?? 0) + 1);
        continue;
      }
      acc.keys.add(key);
      acc.labels.push(label);
    }
    for (const s of imp.skipped) acc.skips.set(s.reason, (acc.skips.get(s.reason) ?? 0) + s.count);
    acc.errors.push(...imp.errors);
  }
  return [...bySource.entries()].map(([source, acc]) => ({
    source,
    labels: acc.labels,
    skipped: [...acc.skips.entries()].map(([reason, count]) => ({ reason, count })),
    errors: acc.errors,
  }));
}
