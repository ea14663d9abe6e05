import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MONITORING_CONFIG, loadMonitoringConfig, parseMonitoringConfig } from './monitoring-config.js';
import { RULE_IDS } from './rule.js';
import { formatUsd, usdValue } from './usd.js';

const raw = JSON.parse(readFileSync(DEFAULT_MONITORING_CONFIG, 'utf8')) as Record<string, any>;

describe('config/monitoring-rules.json', () => {
  const config = loadMonitoringConfig();

  it('names every rule with the parameters written in the file', () => {
    expect(config.rules.map((r) => r.rule.id)).toEqual([...RULE_IDS]);
    for (const { rule, params } of config.rules) expect(params, rule.id).toEqual(raw.rules[rule.id]);
  });

  it('prices BTC at 100,000 USD, as the demo scenario assumes', () => {
    expect(formatUsd(usdValue(config.prices, 'BTC', 9_999_000n)!)).toBe('9999.00');
  });

  it('reads screening, EDD and risk settings', () => {
    expect(config.screening.nameThreshold).toBe(0.88);
    expect(config.screening.sdnFile.endsWith('seed/data/ofac/sdn-digital-currency-addresses-2025-11-19.csv')).toBe(true);
    expect(config.edd.dueDays).toEqual({ HIGH: 30, VERY_HIGH: 10 });
    expect(config.lookbackDays).toBe(120);
  });

  it('uses the rule defaults for parameters the file leaves out', () => {
    const c = parseMonitoringConfig({ ...raw, rules: { structuring: { minCount: 4 } } });
    expect(c.rules.find((r) => r.rule.id === 'structuring')!.params).toMatchObject({ minCount: 4, windowHours: 24, thresholdUsd: '10000' });
    expect(c.rules.find((r) => r.rule.id === 'mule-pattern')!.params).toMatchObject({ minSenders: 5 });
  });

  it('refuses an unknown rule, a bad parameter and a bad threshold, naming the file', () => {
    expect(() => parseMonitoringConfig({ ...raw, rules: { smurfing: {} } }, 'x.json')).toThrow(/unknown rule "smurfing"/);
    expect(() => parseMonitoringConfig({ ...raw, rules: { 'peel-chain': { minLength: 'three' } } }, 'x.json')).toThrow(/peel-chain: parameter minLength/);
    expect(() => parseMonitoringConfig({ ...raw, screening: { nameThreshold: 1.5 } }, 'x.json')).toThrow(/nameThreshold/);
    try {
      parseMonitoringConfig({ ...raw, counterpartyJurisdictions: { byActor: { nobitex: 'Iran' } } }, 'x.json');
      throw new Error('expected a throw');
    } catch (err) {
      expect((err as { context: { file: string } }).context.file).toBe('x.json');
    }
  });
});
