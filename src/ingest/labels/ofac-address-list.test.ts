import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AriadneError } from '../../errors.js';
import { mergeLabelImports } from './label-import.js';
import { parseOfacAddressList } from './ofac-address-list.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dataDir = path.resolve(repoRoot, '../shared/data');
const read = (rel: string): string => readFileSync(path.join(dataDir, rel), 'utf8');
const nonEmptyLines = (text: string): { line: number; text: string }[] =>
  text
    .split(/\r?\n/)
    .map((t, i) => ({ line: i + 1, text: t.trim() }))
    .filter((l) => l.text !== '');

describe('OFAC XBT list (real, 2024-09-27)', () => {
  const text = read('ofac/sanctioned_addresses_XBT.txt');
  const result = parseOfacAddressList(text, 'sanctioned_addresses_XBT.txt');
  const lines = nonEmptyLines(text);

  it('has the 435 unique lines of the data README', () => {
    expect(lines).toHaveLength(435);
    expect(new Set(lines.map((l) => l.text)).size).toBe(435);
  });

  it('labels the 434 lines of Bitcoin form and reports the one Tron address OFAC filed under XBT', () => {
    // Mainnet Bitcoin addresses start with 1 (P2PKH), 3 (P2SH) or bc1 (segwit); a leading T is Tron.
    const bitcoinForm = lines.filter((l) => /^(1|3|bc1)/.test(l.text));
    const other = lines.filter((l) => !/^(1|3|bc1)/.test(l.text));
    expect(bitcoinForm).toHaveLength(434);
    expect(other.map((l) => l.text)).toEqual(['TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq']);

    expect(result.labels.map((l) => l.address).sort()).toEqual(bitcoinForm.map((l) => `btc:${l.text}`).sort());
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.context).toMatchObject({ file: 'sanctioned_addresses_XBT.txt', line: other[0]!.line });
    expect(result.errors[0]!.message).toContain(`line ${other[0]!.line}: invalid bitcoin address "TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq"`);
  });

  it('gives every label the OFAC fields', () => {
    for (const l of result.labels) {
      expect(l).toMatchObject({ category: 'sanctioned', label: 'OFAC SDN', source: 'ofac-sdn-list:XBT', confidence: 100, actor: null });
    }
  });
});

describe('OFAC ETH list (real, 2024-09-27)', () => {
  const text = read('ofac/sanctioned_addresses_ETH.txt');
  const result = parseOfacAddressList(text, path.join(dataDir, 'ofac/sanctioned_addresses_ETH.txt'));
  const lines = nonEmptyLines(text);

  it('labels the 152 addresses of the data README, keeping the list’s own EIP-55 spelling', () => {
    expect(new Set(lines.map((l) => l.text.toLowerCase())).size).toBe(152);
    expect(result.labels).toHaveLength(152);
    expect(result.errors).toEqual([]);
    const ids = new Set(result.labels.map((l) => l.address));
    for (const { text: a } of lines) {
      const mixed = a !== a.toLowerCase() && a.slice(2) !== a.slice(2).toUpperCase();
      if (mixed) expect(ids.has(`eth:${a}`)).toBe(true);
      else expect([...ids].some((id) => id.toLowerCase() === `eth:${a.toLowerCase()}`)).toBe(true);
    }
  });

  it('holds exactly the Tornado Cash addresses that the derived Tornado CSV flags for this list', () => {
    const csv = read('ethereum/tornado-cash-addresses.csv').trim().split('\n').slice(1);
    // Columns: address first, the flag "in_ofac_eth_list_2024-09-27" second to last.
    const rows = csv.map((line) => {
      const cells = line.split(',');
      return { address: cells[0]!.toLowerCase(), listed: cells[cells.length - 2] === '1' };
    });
    const ours = new Set(result.labels.map((l) => l.address.toLowerCase()));
    const flagged = rows.filter((r) => r.listed);
    expect(flagged).toHaveLength(56);
    for (const r of rows) expect(ours.has(`eth:${r.address}`)).toBe(r.listed);
  });
});

describe('parseOfacAddressList on small lists', () => {
  it('reports a bad line with its number and still loads the good ones', () => {
    const text = ['# comment', '1BoatSLRHtKNngkdXEeobR76b53LETtpyT', '', '1BoatSLRHtKNngkdXEeobR76b53LETtpyX', '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy'].join('\r\n');
    const r = parseOfacAddressList(text, 'sanctioned_addresses_XBT.txt');
    expect(r.labels.map((l) => l.address)).toEqual(['btc:1BoatSLRHtKNngkdXEeobR76b53LETtpyT', 'btc:3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy']);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.context.line).toBe(4);
    expect(r.errors[0]!.message).toMatch(/^line 4: invalid bitcoin address "1BoatSLRHtKNngkdXEeobR76b53LETtpyX"/);
  });

  it('counts the same EVM address in two letter cases once', () => {
    const text = '0x8589427373D6D84E98730D7795D8f6f8731FDA16\n0x8589427373d6d84e98730d7795d8f6f8731fda16\n';
    const r = parseOfacAddressList(text, 'sanctioned_addresses_ETH.txt');
    expect(r.labels.map((l) => l.address)).toEqual(['eth:0x8589427373D6D84E98730D7795D8f6f8731FDA16']);
    expect(r.skipped).toEqual([{ reason: 'duplicate entry (same address and label)', count: 1 }]);
  });

  it('reads USDT addresses by form: 0x on eth, Bitcoin (Omni) on btc, Tron skipped with a count', () => {
    const text = [
      '0xdac17f958d2ee523a2206206994597c13d831ec7',
      '1BoatSLRHtKNngkdXEeobR76b53LETtpyT',
      'TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq',
      'TA3ZKpLB5kvp6ZKpk5ZAtpuvBJxtfTxCzE',
    ].join('\n');
    const r = parseOfacAddressList(text, 'sanctioned_addresses_USDT.txt');
    expect(r.labels.map((l) => l.address)).toEqual(['eth:0xdAC17F958D2ee523a2206206994597C13D831ec7', 'btc:1BoatSLRHtKNngkdXEeobR76b53LETtpyT']);
    expect(r.skipped).toEqual([{ reason: 'USDT address on a ledger we do not model (e.g. Tron)', count: 2 }]);
    expect(r.errors).toEqual([]);
  });

  it('skips a currency we do not model, counting every line', () => {
    const r = parseOfacAddressList('addr1\naddr2\naddr3\n', 'sanctioned_addresses_XMR.txt');
    expect(r.labels).toEqual([]);
    expect(r.skipped).toEqual([{ reason: 'unsupported currency XMR', count: 3 }]);
  });

  it('refuses a file name without a currency, and a list with no valid line', () => {
    expect(() => parseOfacAddressList('1BoatSLRHtKNngkdXEeobR76b53LETtpyT', 'addresses.txt')).toThrow(/cannot tell the currency/);
    expect(() => parseOfacAddressList('not-an-address\n', 'sanctioned_addresses_XBT.txt')).toThrow(AriadneError);
    expect(() => parseOfacAddressList('not-an-address\n', 'sanctioned_addresses_XBT.txt')).toThrow(/refusing an import that would delist/);
  });

  it('keeps each per-currency list its own source, so that a newer list replaces only its currency', () => {
    const btc = parseOfacAddressList(read('ofac/sanctioned_addresses_XBT.txt'), 'sanctioned_addresses_XBT.txt');
    const eth = parseOfacAddressList(read('ofac/sanctioned_addresses_ETH.txt'), 'sanctioned_addresses_ETH.txt');
    const merged = mergeLabelImports([btc, eth]);
    expect(merged.map((m) => [m.source, m.labels.length, m.errors.length])).toEqual([
      ['ofac-sdn-list:XBT', 434, 1],
      ['ofac-sdn-list:ETH', 152, 0],
    ]);
  });
});
