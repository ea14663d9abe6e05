/**
 * Reads a label file from disk and picks its parser: for 'ofac', a `.csv` file or text whose first line
 * is a header starting with `currency,address` is the entity CSV, anything else a one-address-per-line
 * list; for 'tagpack', a TagPack YAML.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { invalidInput } from '../../errors.js';
import type { LabelImport } from './label-import.js';
import { parseOfacAddressList } from './ofac-address-list.js';
import { parseOfacCsv } from './ofac-csv.js';
import { parseTagPack } from './tagpack.js';

export type LabelFileKind = 'ofac' | 'tagpack';

/** Which OFAC format a file holds, from its extension, else its first line. */
export function detectOfacFormat(fileName: string, text: string): 'csv' | 'address-list' {
  if (path.extname(fileName).toLowerCase() === '.csv') return 'csv';
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0]?.trim().toLowerCase() ?? '';
  return firstLine.startsWith('currency,address') ? 'csv' : 'address-list';
}

/**
 * Reads and parses one file. Throws INVALID_INPUT when the file cannot be read or is not of the format
 * at all; entry-level problems come back in `errors`. Remember that per-currency OFAC lists share the
 * source 'ofac-sdn' and must be merged (`mergeLabelImports`) before they are imported.
 */
export async function readLabelFile(filePath: string, kind: LabelFileKind): Promise<LabelImport> {
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (err) {
    throw invalidInput(`cannot read label file: ${(err as Error).message}`, { file: filePath });
  }
  switch (kind) {
    case 'ofac':
      return detectOfacFormat(filePath, text) === 'csv' ? parseOfacCsv(text, filePath) : parseOfacAddressList(text, filePath);
    case 'tagpack':
      return parseTagPack(text, filePath);
    default: {
      const never: never = kind;
      throw invalidInput(`unknown label file kind ${JSON.stringify(never)}: expected "ofac" or "tagpack"`, { file: filePath });
    }
  }
}
