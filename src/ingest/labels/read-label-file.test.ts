import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectOfacFormat, readLabelFile } from './read-label-file.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const data = (rel: string): string => path.resolve(repoRoot, '../shared/data', rel);
const tmp = mkdtempSync(path.join(tmpdir(), 'ariadne-labels-'));

describe('readLabelFile', () => {
  it('detects the OFAC format by extension, then by the header line', () => {
    expect(detectOfacFormat('list.csv', '1BoatSLRHtKNngkdXEeobR76b53LETtpyT')).toBe('csv');
    expect(detectOfacFormat('sanctioned_addresses_XBT.txt', '1BoatSLRHtKNngkdXEeobR76b53LETtpyT\n')).toBe('address-list');
    expect(detectOfacFormat('export.txt', '\uFEFFcurrency,address,sdn_primary_name\n')).toBe('csv');
  });

  it('reads the real OFAC files and a TagPack with the right parser', async () => {
    const eth = await readLabelFile(data('ofac/sanctioned_addresses_ETH.txt'), 'ofac');
    expect(eth.labels).toHaveLength(152);
    expect(eth.labels[0]!.label).toBe('OFAC SDN');
    const csv = await readLabelFile(data('ofac/sdn-digital-currency-addresses-2025-11-19.csv'), 'ofac');
    expect(csv.labels.every((l) => l.label.startsWith('OFAC SDN: '))).toBe(true);
    const tp = await readLabelFile(data('tagpacks/mixing_fc2021.yaml'), 'tagpack');
    expect(tp.source).toBe('tagpack:mixing_fc2021.yaml');
    expect(tp.labels).toHaveLength(66);
  });

  it('reads an OFAC CSV saved under another extension by its header', async () => {
    const file = path.join(tmp, 'ofac-export.txt');
    writeFileSync(file, 'currency,address,sdn_primary_name\nXBT,1BoatSLRHtKNngkdXEeobR76b53LETtpyT,Someone\n');
    const r = await readLabelFile(file, 'ofac');
    expect(r.labels.map((l) => [l.address, l.label])).toEqual([['btc:1BoatSLRHtKNngkdXEeobR76b53LETtpyT', 'OFAC SDN: Someone']]);
  });

  it('names the file it cannot read', async () => {
    await expect(readLabelFile(path.join(tmp, 'missing.yaml'), 'tagpack')).rejects.toThrow(/cannot read label file/);
  });
});
