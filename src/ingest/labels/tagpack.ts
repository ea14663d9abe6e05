/**
 * GraphSense TagPacks: YAML files of attribution tags (graphsense/graphsense-tagpacks, schema in
 * graphsense/graphsense-tagpack-tool `src/tagpack/conf/tagpack_schema.yaml`).
 *
 * A TagPack has header fields (title, creator, description, source, currency/network, category, abuse,
 * concepts, confidence, label, actor, is_public, lastmod ...) and a `tags` list. Every header field
 * other than `tags` applies to each tag unless the tag sets the same field itself. Each tag becomes a
 * label:
 *   address     tag `address`, on the chain of `network` (newer packs) or else `currency`, mapped by
 *               `chainForCurrency`; other chains are skipped with a count. Tags on a transaction
 *               (`tx_hash`, no address) are skipped too.
 *   category    from `category`, `abuse` and `concepts` through `categoryOfConcepts` (riskiest wins;
 *               'other' when none maps; the originals are kept in `detail`)
 *   confidence  the GraphSense confidence id through its documented table (`GRAPHSENSE_CONFIDENCE`),
 *               or a number in [0, 100]
 *   source      `tagpack:<file name>`; the tag's own `source` (a URL) goes to `detail.sourceUrl`
 *
 * The YAML is read with the failsafe schema (every scalar is a string), so that an unquoted
 * `0x...` address is not turned into a number.
 */
import path from 'node:path';
import { LineCounter, isSeq, parseDocument } from 'yaml';
import { AriadneError, invalidInput, preview } from '../../errors.js';
import { addressId } from '../../model/address.js';
import { chainForCurrency } from './currency-chain.js';
import { type LabelImport, LabelCollector, refuseEmptyImport } from './label-import.js';
import { GRAPHSENSE_CONFIDENCE, categoryOfConcepts } from './tagpack-taxonomy.js';

type YamlValue = string | YamlValue[] | { [key: string]: YamlValue };

/** `tagpack:<basename>`, the source of every label of a TagPack file. */
export function tagPackSource(fileName: string): string {
  return `tagpack:${path.basename(fileName)}`;
}

/**
 * Parses one TagPack. Throws INVALID_INPUT when the text is not YAML, has no `tags` list, or yields no
 * label but some errors. Tag-level problems (no label, unknown confidence, invalid address) are returned
 * in `errors` with the tag's position (`tag`, 0-based) and `line`. Deterministic; labels are in file order.
 */
export function parseTagPack(text: string, fileName: string): LabelImport {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { schema: 'failsafe', lineCounter });
  const yamlError = document.errors[0];
  if (yamlError !== undefined) {
    throw invalidInput(`expected a TagPack (YAML), got text that is not YAML: ${yamlError.message}`, { file: fileName });
  }
  const doc: unknown = document.toJS();
  if (!isMap(doc) || !Array.isArray(doc.tags)) {
    throw invalidInput(`expected a TagPack: a YAML mapping with a "tags" list, got ${preview(doc)}`, { file: fileName });
  }
  const { tags, ...header } = doc;
  const out = new LabelCollector(tagPackSource(fileName));

  const tagsNode = document.get('tags', true);
  const lineOf = (i: number): number | undefined => {
    const start = isSeq(tagsNode) ? (tagsNode.items[i] as { range?: [number, number, number] } | undefined)?.range?.[0] : undefined;
    return start === undefined ? undefined : lineCounter.linePos(start).line;
  };

  (tags as YamlValue[]).forEach((rawTag, i) => {
    const line = lineOf(i);
    const where = line === undefined ? { file: fileName, tag: i } : { file: fileName, tag: i, line };
    const at = line === undefined ? `tag ${i}` : `tag ${i} (line ${line})`;
    const fail = (message: string): void => out.error(invalidInput(`${at}: ${message}`, where));
    if (!isMap(rawTag)) {
      fail(`expected a mapping, got ${preview(rawTag)}`);
      return;
    }
    const tag: Record<string, YamlValue> = { ...header, ...rawTag };
    const text = (key: string): string | null => {
      const v = tag[key];
      if (typeof v !== 'string') return null;
      const t = v.trim();
      return t === '' || t === '~' || t.toLowerCase() === 'null' ? null : t;
    };
    const list = (key: string): string[] => {
      const v = tag[key];
      if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string').map((x) => x.trim());
      const t = text(key);
      return t === null ? [] : [t];
    };

    const address = text('address');
    if (address === null) {
      if (text('tx_hash') !== null) out.skip('transaction tag (no address)');
      else fail('expected an "address" field, found none in the tag or the header');
      return;
    }
    const label = text('label');
    if (label === null) {
      fail(`address ${JSON.stringify(address)}: expected a "label" field, found none in the tag or the header`);
      return;
    }
    const network = text('network') ?? text('currency');
    if (network === null) {
      fail(`address ${JSON.stringify(address)}: expected a "network" or "currency" field, found none in the tag or the header`);
      return;
    }
    const confidenceText = text('confidence');
    const confidence = confidenceText === null ? undefined : confidenceLevel(confidenceText);
    if (confidence === undefined) {
      const known = Object.keys(GRAPHSENSE_CONFIDENCE).join(', ');
      fail(`address ${JSON.stringify(address)}: expected a confidence id (${known}) or a number 0-100, got ${preview(tag.confidence)}`);
      return;
    }
    const resolved = chainForCurrency(network, address);
    if (!resolved.ok) {
      out.skip(resolved.reason);
      return;
    }

    const category = text('category');
    const abuse = text('abuse');
    const concepts = list('concepts');
    const detail: Record<string, unknown> = {};
    const put = (key: string, value: unknown): void => {
      if (value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0)) detail[key] = value;
    };
    put('tagpack', text('title'));
    put('creator', text('creator'));
    put('sourceUrl', text('source'));
    put('currency', text('currency'));
    put('network', text('network'));
    put('graphsenseCategory', category);
    put('abuse', abuse);
    put('concepts', concepts);
    put('confidenceId', confidenceText);
    put('context', text('context'));
    put('lastmod', text('lastmod'));
    put('isPublic', bool(text('is_public')));
    put('isClusterDefiner', bool(text('is_cluster_definer')));

    try {
      out.add({
        address: addressId(resolved.chain, address),
        category: categoryOfConcepts([category, abuse, ...concepts].filter((c): c is string => c !== null)),
        label,
        source: out.source,
        confidence,
        actor: text('actor'),
        detail,
      });
    } catch (err) {
      if (!(err instanceof AriadneError)) throw err;
      fail(err.message);
    }
  });
  return refuseEmptyImport(out.result(), { file: fileName });
}

/** A GraphSense confidence id through its table, or an integer 0-100; undefined otherwise. */
function confidenceLevel(value: string): number | undefined {
  const level = GRAPHSENSE_CONFIDENCE[value.toLowerCase()];
  if (level !== undefined) return level;
  if (/^(100|[1-9]?[0-9])$/.test(value)) return Number(value);
  return undefined;
}

function bool(value: string | null): boolean | null {
  if (value === null) return null;
  const v = value.toLowerCase();
  if (v === 'true' || v === 'yes') return true;
  if (v === 'false' || v === 'no') return false;
  return null;
}

function isMap(v: unknown): v is Record<string, YamlValue> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
