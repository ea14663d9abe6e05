/**
 * Named synthetic scenarios (seed/*.json): transactions between named addresses, labels, and the
 * customers of the compliance part. They seed the demo and double as test fixtures; each has its ground
 * truth written beside it (seed/<name>.md).
 */
import { readFile } from 'node:fs/promises';
import { AriadneError, invalidInput } from '../../errors.js';
import { parseAmount } from '../../model/amount.js';
import { isChainKey, type ChainKey } from '../../model/chain.js';
import { parseCategory, type Label } from '../../model/label.js';
import type { Block } from '../../model/transaction.js';
import { addr, coinbase, spend, tinyGraph, type TinyGraph } from './tiny-graph.js';

export interface ScenarioCustomer {
  id: string;
  type: 'individual' | 'entity';
  legalName: string;
  country: string;
  /** Address names of the scenario, resolved to ids by `loadScenario`. */
  addresses: string[];
  [field: string]: unknown;
}

export interface Scenario {
  name: string;
  chain: ChainKey;
  blocks: Block[];
  labels: Label[];
  customers: ScenarioCustomer[];
  /** Name -> address id, for every address the scenario mentions. */
  addresses: Map<string, string>;
  graph: TinyGraph;
  prices: Record<string, string>;
}

interface RawScenario {
  name: string;
  chain: string;
  startHeight: number;
  startTime: number;
  secondsPerBlock: number;
  labels: { address: string; category: string; label: string; actor?: string; confidence: number }[];
  transactions: { name: string; height: number; inputs: string[]; outputs: [string, string][] }[];
  customers?: ScenarioCustomer[];
  prices?: Record<string, string>;
}

export async function readScenarioFile(file: string): Promise<Scenario> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw invalidInput(`cannot read scenario: ${(err as Error).message}`, { file });
  }
  try {
    return buildScenario(json);
  } catch (err) {
    throw err instanceof AriadneError ? err.withContext({ file }) : err;
  }
}

export function buildScenario(json: unknown): Scenario {
  const raw = json as RawScenario;
  if (!raw || typeof raw !== 'object' || typeof raw.name !== 'string' || !Array.isArray(raw.transactions)) {
    throw invalidInput('scenario must be an object with "name" and a "transactions" array');
  }
  if (!isChainKey(raw.chain) || raw.chain !== 'btc') throw invalidInput(`scenario chain must be "btc" (UTXO scenarios), got ${JSON.stringify(raw.chain)}`);
  const chain = raw.chain;
  const graph = tinyGraph(chain);
  const names = new Set<string>();
  for (const t of raw.transactions) {
    if (typeof t.name !== 'string' || !Number.isSafeInteger(t.height) || !Array.isArray(t.inputs) || !Array.isArray(t.outputs)) {
      throw invalidInput(`scenario transaction ${JSON.stringify(t?.name)}: expected {name, height, inputs[], outputs[]}`);
    }
    const inputs = t.inputs.map((ref) => {
      if (ref === 'coinbase') return coinbase();
      const m = /^(.+):([0-9]+)$/.exec(ref);
      if (!m) throw invalidInput(`scenario transaction ${t.name}: input ${JSON.stringify(ref)} must be "coinbase" or "<tx name>:<vout>"`);
      return spend(m[1]!, Number(m[2]));
    });
    const outputs = t.outputs.map(([name, value]) => {
      names.add(name);
      return [name, parseAmount(value, `output value of ${t.name}`)] as [string, bigint];
    });
    const time = raw.startTime + (t.height - raw.startHeight) * raw.secondsPerBlock;
    graph.tx(t.name, { height: t.height, time, inputs, outputs });
  }
  const source = `seed:${raw.name}`;
  const labels: Label[] = raw.labels.map((l) => {
    names.add(l.address);
    return { address: addr(l.address, chain), category: parseCategory(l.category), label: l.label, source, confidence: l.confidence, actor: l.actor ?? null };
  });
  const customers = (raw.customers ?? []).map((c) => {
    c.addresses.forEach((a) => names.add(a));
    return { ...c, addresses: c.addresses.map((a) => addr(a, chain)) };
  });
  return {
    name: raw.name,
    chain,
    blocks: graph.blocks(),
    labels,
    customers,
    addresses: new Map([...names].sort().map((n) => [n, addr(n, chain)])),
    graph,
    prices: raw.prices ?? {},
  };
}
