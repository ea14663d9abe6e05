import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addressFactorNames, DEFAULT_RISK_CONFIG, DEFAULT_RISK_CONFIG_FILE, loadRiskConfig, parseRiskConfig } from './risk-config.js';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const file = path.join(repoRoot, 'config/risk.json');
const raw = async (): Promise<Record<string, any>> => JSON.parse(await readFile(file, 'utf8'));

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('config/risk.json', () => {
  it('is the file the service reads and equals the built-in defaults', async () => {
    expect(DEFAULT_RISK_CONFIG_FILE).toBe(file);
    expect(await loadRiskConfig()).toEqual(DEFAULT_RISK_CONFIG);
  });

  it('holds the bands of the source material: 0-30 approve, 31-70 review, 71-100 reject, SAR from 85', () => {
    expect(DEFAULT_RISK_CONFIG.bands).toEqual({ approveMax: 30, reviewMax: 70, sarMin: 85 });
  });

  it('names the factors: two per exposure category, then the fixed ones', () => {
    expect(addressFactorNames(DEFAULT_RISK_CONFIG)).toEqual([
      'sanctioned_proximity',
      'sanctioned_exposure',
      'mixer_proximity',
      'mixer_exposure',
      'darknet_proximity',
      'darknet_exposure',
      'taint',
      'peel_chain',
      'cluster_labels',
      'fan_in',
      'fan_out',
      'round_amounts',
      'burstiness',
      'intermediary',
      'flow_sink',
    ]);
    expect(DEFAULT_RISK_CONFIG.transaction.largeAmount.BTC).toEqual({ from: 100_000_000n, to: 10_000_000_000n });
  });
});

describe('risk config validation', () => {
  const bad = async (mutate: (j: Record<string, any>) => void): Promise<() => unknown> => {
    const j = await raw();
    mutate(j);
    return () => parseRiskConfig(j, 'test.json');
  };

  it('refuses bands out of order, naming the key and the value', async () => {
    expect(await bad((j) => (j.bands.reviewMax = 20))).toThrow(/risk config bands.reviewMax: expected an integer between 31 and 99, got 20/);
    expect(await bad((j) => (j.bands.sarMin = 70))).toThrow(/bands.sarMin: expected an integer between 71 and 100, got 70/);
    expect(await bad((j) => (j.bands.approveMax = '30'))).toThrow(/bands.approveMax: expected an integer between 0 and 98, got "30"/);
  });

  it('refuses a missing weight and an unknown key', async () => {
    expect(await bad((j) => delete j.address.weights.taint)).toThrow(/address.weights.taint: expected a value \(the key is missing\)/);
    expect(await bad((j) => (j.address.weights.color = 3))).toThrow(/address.weights.color: expected no such key/);
    expect(await bad((j) => (j.address.weights.fan_in = 101))).toThrow(/address.weights.fan_in: expected an integer between 0 and 100, got 101/);
  });

  it('needs a weight for each exposure category it lists', async () => {
    expect(await bad((j) => j.address.exposureCategories.push('ransomware'))).toThrow(/address.weights.ransomware_proximity: expected a value/);
    expect(await bad((j) => (j.address.exposureCategories = ['mixer']))).toThrow(/exposureCategories: expected a list that includes "sanctioned"/);
    expect(await bad((j) => (j.address.taintCategories = ['sanctioned', 'piracy']))).toThrow(/taintCategories\[1\]: expected one of sanctioned/);
  });

  it('refuses a hop table that grows with distance', async () => {
    expect(await bad((j) => (j.hopSignalBps = [10000, 5000, 6000]))).toThrow(/hopSignalBps\[2\]: expected a signal no larger than at 1 hops \(5000\)/);
  });

  it('refuses weights under which a direct sanctioned counterparty would not be rejected', async () => {
    // 70 points at 1 hop is the top of the review band.
    expect(await bad((j) => (j.address.weights.sanctioned_proximity = 70))).toThrow(/1-hop sanctioned counterparty above bands.reviewMax \(70\) on its own; with hopSignalBps\[1\] = 10000 it scores 70/);
    expect(await bad((j) => (j.hopSignalBps = [10000, 9000]))).toThrow(/it scores 67/);
  });

  it('refuses amounts that are not decimal strings of base units', async () => {
    expect(await bad((j) => (j.transaction.largeAmount.BTC.from = 100000000))).toThrow(/largeAmount.BTC.from: expected a non-negative integer in base units as a decimal string, got 100000000/);
    expect(await bad((j) => (j.transaction.largeAmount.BTC.to = '1'))).toThrow(/largeAmount.BTC.to: expected an amount above "from"/);
  });

  it('ignores "$" comment keys', async () => {
    const j = await raw();
    j.address.$comment = 'why these weights';
    expect(parseRiskConfig(j)).toEqual(DEFAULT_RISK_CONFIG);
  });

  it('names the file when it cannot be read or parsed', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ariadne-risk-'));
    dirs.push(dir);
    const broken = path.join(dir, 'risk.json');
    await writeFile(broken, '{ "version": 1,');
    await expect(loadRiskConfig(broken)).rejects.toMatchObject({ code: 'INVALID_INPUT', context: { file: broken } });
    await writeFile(broken, JSON.stringify({ ...(await raw()), version: 2 }));
    await expect(loadRiskConfig(broken)).rejects.toThrow(/risk config version: expected 1, got 2/);
    await expect(loadRiskConfig(path.join(dir, 'missing.json'))).rejects.toThrow(/cannot read risk config/);
  });
});
