import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseTagPack } from './tagpack.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dataDir = path.resolve(repoRoot, '../shared/data');
const pack = (name: string): string => readFileSync(path.join(dataDir, 'tagpacks', name), 'utf8');
/** Occurrences of a whole line (after indentation and "- "), the test's own count of a YAML field. */
const countLines = (text: string, line: string): number => text.split('\n').filter((l) => l.replace(/^[\s-]+/, '').trimEnd() === line).length;

describe('header inheritance (literal TagPack)', () => {
  const yaml = `
title: Test pack
creator: test
source: https://example.org/list
currency: BTC
category: exchange
confidence: service_data
label: example exchange
actor: example
is_public: true
lastmod: 2024-01-02
tags:
- address: 1BoatSLRHtKNngkdXEeobR76b53LETtpyT
- address: '0x8589427373d6d84e98730d7795d8f6f8731fda16'
  currency: ETH
  label: example hot wallet hacker
  abuse: service_hack
  confidence: web_crawl
  actor: thief
  source: https://example.org/incident
`;
  const r = parseTagPack(yaml, '/some/dir/test-pack.yaml');

  it('gives a tag without fields of its own every header field', () => {
    expect(r.source).toBe('tagpack:test-pack.yaml');
    expect(r.labels[0]).toEqual({
      address: 'btc:1BoatSLRHtKNngkdXEeobR76b53LETtpyT',
      category: 'exchange',
      label: 'example exchange',
      source: 'tagpack:test-pack.yaml',
      confidence: 50, // service_data in confidence.csv
      actor: 'example',
      detail: {
        tagpack: 'Test pack',
        creator: 'test',
        sourceUrl: 'https://example.org/list',
        currency: 'BTC',
        graphsenseCategory: 'exchange',
        confidenceId: 'service_data',
        lastmod: '2024-01-02',
        isPublic: true,
      },
    });
  });

  it('lets a tag override header fields (currency, label, confidence, actor, source) and adds its abuse', () => {
    expect(r.labels[1]).toMatchObject({
      address: 'eth:0x8589427373D6D84E98730D7795D8f6f8731FDA16',
      // header category exchange + tag abuse service_hack: the riskier one wins
      category: 'hack',
      label: 'example hot wallet hacker',
      confidence: 20, // web_crawl
      actor: 'thief',
      detail: { sourceUrl: 'https://example.org/incident', graphsenseCategory: 'exchange', abuse: 'service_hack', currency: 'ETH' },
    });
    expect(r.errors).toEqual([]);
  });
});

describe('parseTagPack on small packs', () => {
  it('maps an unknown concept to other and keeps the original', () => {
    const r = parseTagPack('title: t\ncreator: c\nconfidence: forensic\ncurrency: BTC\ntags:\n- address: 1BoatSLRHtKNngkdXEeobR76b53LETtpyT\n  label: x\n  category: faucet\n', 'p.yaml');
    expect(r.labels[0]).toMatchObject({ category: 'other', confidence: 50, detail: { graphsenseCategory: 'faucet' } });
  });

  it('skips a tag on a currency we do not model, and reports a tag without confidence or with a bad address', () => {
    const yaml = [
      'title: t',
      'creator: c',
      'currency: BTC',
      'label: x',
      'tags:',
      '- address: 1BoatSLRHtKNngkdXEeobR76b53LETtpyT',
      '  confidence: heuristic',
      '- address: 44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A',
      '  currency: XMR',
      '  confidence: heuristic',
      '- address: 1BoatSLRHtKNngkdXEeobR76b53LETtpyT',
      '- address: 1BoatSLRHtKNngkdXEeobR76b53LETtpyX',
      '  confidence: unknown',
    ].join('\n');
    const r = parseTagPack(yaml, 'p.yaml');
    expect(r.labels.map((l) => [l.address, l.confidence])).toEqual([['btc:1BoatSLRHtKNngkdXEeobR76b53LETtpyT', 10]]);
    expect(r.skipped).toEqual([{ reason: 'unsupported currency XMR', count: 1 }]);
    expect(r.errors.map((e) => [e.context.tag, e.context.line])).toEqual([
      [2, 11],
      [3, 12],
    ]);
    expect(r.errors[0]!.message).toMatch(/expected a confidence id/);
    expect(r.errors[1]!.message).toMatch(/invalid bitcoin address/);
  });

  it('keeps an unquoted 0x address exact (the YAML is read as text, not as a number)', () => {
    const r = parseTagPack('title: t\ncreator: c\nconfidence: 80\nnetwork: ETH\nlabel: x\ntags:\n- address: 0x8589427373d6d84e98730d7795d8f6f8731fda16\n', 'p.yaml');
    expect(r.labels.map((l) => [l.address, l.confidence])).toEqual([['eth:0x8589427373D6D84E98730D7795D8f6f8731FDA16', 80]]);
  });

  it('refuses text that is not a TagPack', () => {
    expect(() => parseTagPack('title: [unclosed', 'p.yaml')).toThrow(/not YAML/);
    expect(() => parseTagPack('title: no tags here\n', 'p.yaml')).toThrow(/with a "tags" list/);
  });
});

describe('real GraphSense TagPacks', () => {
  it('tornado_cash.yaml: 39 tags, 38 distinct addresses (one repeated with a trailing space), all on the GraphSense pack list', () => {
    const text = pack('tornado_cash.yaml');
    const addresses = [...text.matchAll(/- address: '([^']*)'/g)].map((m) => m[1]!.trim().toLowerCase());
    expect(addresses).toHaveLength(39);
    expect(new Set(addresses).size).toBe(38);
    const r = parseTagPack(text, 'tornado_cash.yaml');
    expect(r.labels).toHaveLength(38);
    expect(r.skipped).toEqual([{ reason: 'duplicate entry (same address and label)', count: 1 }]);
    // Independent list: the derived Tornado CSV flags the addresses of this pack (column 6).
    const flagged = readFileSync(path.join(dataDir, 'ethereum/tornado-cash-addresses.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','))
      .filter((c) => c[c.length - 3] === '1')
      .map((c) => `eth:${c[0]!.toLowerCase()}`);
    expect(r.labels.map((l) => l.address.toLowerCase()).sort()).toEqual(flagged.sort());
    for (const l of r.labels) {
      expect(l).toMatchObject({ category: 'mixer', label: 'tornado.cash', actor: 'tornado', confidence: 60, source: 'tagpack:tornado_cash.yaml' });
    }
  });

  it('hacks.yaml: 608 BTC tags; abuse service_hack -> hack, category exchange -> exchange; web_crawl -> 20', () => {
    const text = pack('hacks.yaml');
    const r = parseTagPack(text, 'hacks.yaml');
    const count = (cat: string): number => r.labels.filter((l) => l.category === cat).length;
    expect(r.labels).toHaveLength(text.split('\n').filter((l) => l.startsWith('- address:')).length);
    expect(r.labels).toHaveLength(608);
    expect(count('hack')).toBe(countLines(text, 'abuse: service_hack'));
    expect(count('exchange')).toBe(countLines(text, 'category: exchange'));
    expect(count('gambling')).toBe(countLines(text, 'category: gambling'));
    expect(r.labels.every((l) => l.address.startsWith('btc:') && l.confidence === 20)).toBe(true);
  });

  it('exchange-wallets-binance.yaml: ETH, BTC and BEP20 labelled, TRX and BEP2 skipped, counted from the file', () => {
    const text = pack('exchange-wallets-binance.yaml');
    const r = parseTagPack(text, 'exchange-wallets-binance.yaml');
    const onChain = (prefix: string): number => r.labels.filter((l) => l.address.startsWith(prefix)).length;
    // grep -c gives 32 ETH, 4 BTC, 16 BEP20, 9 TRX and 25 BEP2 tags.
    expect([onChain('eth:'), onChain('btc:'), onChain('evm-56:')]).toEqual([32, 4, 16]);
    expect(onChain('eth:')).toBe(countLines(text, 'currency: ETH'));
    expect(onChain('btc:')).toBe(countLines(text, 'currency: BTC'));
    expect(onChain('evm-56:')).toBe(countLines(text, 'currency: BEP20'));
    expect(r.skipped).toEqual(
      expect.arrayContaining([
        { reason: 'unsupported currency TRX', count: countLines(text, 'currency: TRX') },
        { reason: 'unsupported currency BEP2', count: countLines(text, 'currency: BEP2') },
      ]),
    );
    expect(r.labels.every((l) => l.category === 'exchange' && l.actor === 'binance' && l.confidence === 50)).toBe(true);
  });

  it('mixing_fc2021.yaml: 66 BTC mixer tags at the forensic level (50)', () => {
    const r = parseTagPack(pack('mixing_fc2021.yaml'), 'mixing_fc2021.yaml');
    expect(r.labels).toHaveLength(66);
    expect(r.labels.every((l) => l.category === 'mixer' && l.confidence === 50 && l.address.startsWith('btc:'))).toBe(true);
    expect(new Set(r.labels.map((l) => l.label))).toContain('ChipMixer');
  });
});
