/**
 * CLI mirrors of the analytics: screen, cluster, taint, peel. Each prints a readable summary, or the full
 * result as one JSON object with --json (amounts as decimal strings, exact taint as "num/den").
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { ClusterIndex, clusterLabels } from '../analytics/clustering/index.js';
import { detectPeelChains, scanPeelChains, type PeelChain } from '../analytics/peel-chain/index.js';
import { exposure, hopDistance, type ProximityDirection } from '../analytics/proximity/index.js';
import { parseTaintModel, propagateTaint, type TaintSource } from '../analytics/taint/index.js';
import { allTransactionIds } from '../app.js';
import type { Config } from '../config.js';
import { invalidInput } from '../errors.js';
import { parseAddressId, parseTxId } from '../model/address.js';
import { isChainKey } from '../model/chain.js';
import type { GraphStore } from '../store/graph-store.js';

export interface AnalyticsCommandDeps {
  config: () => Config;
  withStore<T>(run: (store: GraphStore) => Promise<T>): Promise<T>;
  print(value: unknown): void;
}

const int = (what: string) => (value: string): number => {
  if (!/^-?[0-9]+$/.test(value)) throw new InvalidArgumentError(`${what} must be an integer, got ${JSON.stringify(value)}`);
  return Number(value);
};

function direction(value: string): ProximityDirection {
  if (value === 'in' || value === 'out' || value === 'both') return value;
  throw new InvalidArgumentError(`expected in, out or both, got ${JSON.stringify(value)}`);
}

/** JSON form of analytics results: bigints as strings, rationals as "num/den". */
export function toJson(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_k, v: unknown) => {
      if (typeof v === 'bigint') return v.toString();
      if (v && typeof v === 'object' && 'num' in v && 'den' in v && typeof (v as { num: unknown }).num === 'bigint') {
        const r = v as { num: bigint; den: bigint };
        return r.den === 1n ? r.num.toString() : `${r.num}/${r.den}`;
      }
      return v;
    }),
  );
}

export function registerAnalyticsCommands(program: Command, deps: AnalyticsCommandDeps): void {
  program
    .command('screen')
    .description('hop distance to the nearest sanctioned address (or other categories), with evidence paths and exposure')
    .argument('<addresses...>', 'addresses (btc:..., eth:0x..., or bare)')
    .option('--direction <dir>', 'in (where funds came from), out (where they went) or both', direction, 'both')
    .option('--max-hops <n>', 'most hops searched', int('--max-hops'), 6)
    .option('--categories <list>', 'comma-separated categories searched for', 'sanctioned')
    .option('--json', 'print as JSON')
    .action(async (addresses: string[], opts: { direction: ProximityDirection; maxHops: number; categories: string; json?: boolean }) => {
      const config = deps.config();
      const ids = addresses.map((a) => parseAddressId(a));
      const categories = opts.categories.split(',').map((c) => c.trim()) as never[];
      const results = await deps.withStore(async (store) => {
        const out = [];
        for (const id of ids) {
          const distance = await hopDistance(store, id, { direction: opts.direction, maxHops: opts.maxHops, maxHopsLimit: config.limits.maxHops, categories });
          const exp = await exposure(store, id, { direction: opts.direction === 'out' ? 'out' : 'in', maxHops: Math.min(opts.maxHops, config.limits.maxHops) });
          out.push({ address: id, ...distance, exposure: exp });
        }
        return out;
      });
      if (opts.json) return deps.print(toJson(results));
      for (const r of results) {
        const d = r.distance === null ? `no ${categories.join('/')} address within ${opts.maxHops} hops` : `${r.distance} hop(s) from ${r.targets.map((t) => t.address).join(', ')}`;
        process.stdout.write(`${r.address}: ${d}\n`);
        for (const p of r.paths.slice(0, 1)) {
          for (const h of p.hops) process.stdout.write(`  ${h.from} -> ${h.to}  via ${h.txId}  (${h.received} base units of ${h.asset})\n`);
        }
      }
    });

  program
    .command('cluster')
    .description('the entity (multi-input cluster) of an address, its labels and the evidence that formed it')
    .argument('<address>')
    .option('--limit <n>', 'members and evidence shown', int('--limit'), 50)
    .option('--json', 'print as JSON')
    .action(async (address: string, opts: { limit: number; json?: boolean }) => {
      const id = parseAddressId(address);
      const result = await deps.withStore(async (store) => {
        const clusters = await ClusterIndex.build(store, await allTransactionIds(store));
        const ref = clusters.clusterOf(id);
        if (!ref) throw invalidInput(`address ${id} is not in the store: expected an address that appears in an ingested transaction`);
        const members = clusters.members(ref.id, { offset: 0, limit: opts.limit });
        const evidence = clusters.explainCluster(ref.id, { offset: 0, limit: opts.limit });
        const labels = await clusterLabels(store, { clusters, clusterId: ref.id });
        return { cluster: ref, members, evidence, labels };
      });
      if (opts.json) return deps.print(toJson(result));
      process.stdout.write(`cluster ${result.cluster.id}: ${result.cluster.size} address(es)\n`);
      for (const e of result.evidence.items) process.stdout.write(`  ${JSON.stringify(toJson(e))}\n`);
    });

  program
    .command('taint')
    .description('propagate taint from sources (addresses, transactions, or txid:vout outputs)')
    .argument('<sources...>', 'address, transaction id, or <txid>:<index>')
    .requiredOption('--model <model>', 'poison, haircut, fifo, lifo or tiho')
    .option('--direction <dir>', 'forward (where the funds went) or backward (where they came from)', 'forward')
    .option('--max-hops <n>', 'most hops', int('--max-hops'), 4)
    .option('--min-amount <units>', 'drop taint below this many base units', '0')
    .option('--json', 'print as JSON')
    .action(async (sources: string[], opts: { model: string; direction: string; maxHops: number; minAmount: string; json?: boolean }) => {
      const config = deps.config();
      if (opts.direction !== 'forward' && opts.direction !== 'backward') throw invalidInput(`--direction must be forward or backward, got ${JSON.stringify(opts.direction)}`);
      if (!/^[0-9]+$/.test(opts.minAmount)) throw invalidInput(`--min-amount must be a non-negative integer in base units, got ${JSON.stringify(opts.minAmount)}`);
      const parsed: TaintSource[] = sources.map(parseTaintSource);
      const result = await deps.withStore((store) =>
        propagateTaint(store, parsed, { model: parseTaintModel(opts.model), direction: opts.direction as 'forward' | 'backward', maxHops: opts.maxHops, maxHopsLimit: config.limits.maxHops, minAmount: BigInt(opts.minAmount) }),
      );
      if (opts.json) return deps.print(toJson(result));
      process.stdout.write(`${result.model} ${result.direction}, ${result.addresses.length} address(es), ${result.visitedTransactions} transaction(s)${result.truncated ? `, truncated (${result.truncated.reason})` : ''}\n`);
      for (const a of result.addresses.slice(0, 50)) process.stdout.write(`  ${JSON.stringify(toJson(a))}\n`);
    });

  program
    .command('peel')
    .description('peel chains from a transaction or address, or --scan <from-height> <to-height>')
    .argument('<start...>', 'txid or address; with --scan: <from-height> <to-height>')
    .option('--scan', 'find every peel chain starting in a height range')
    .option('--chain <chain>', 'chain for --scan', 'btc')
    .option('--min-length <n>', 'shortest chain reported', int('--min-length'))
    .option('--json', 'print as JSON')
    .action(async (start: string[], opts: { scan?: boolean; chain: string; minLength?: number; json?: boolean }) => {
      const options = opts.minLength === undefined ? {} : { minLength: opts.minLength };
      const result = await deps.withStore(async (store) => {
        if (opts.scan) {
          if (start.length !== 2) throw invalidInput(`peel --scan takes <from-height> <to-height>, got ${start.length} argument(s)`);
          const [from, to] = start.map(int('height'));
          if (!isChainKey(opts.chain)) throw invalidInput(`unknown chain ${JSON.stringify(opts.chain)}`);
          return scanPeelChains(store, { chain: opts.chain, fromHeight: from!, toHeight: to! }, options);
        }
        if (start.length !== 1) throw invalidInput(`peel takes one txid or address, got ${start.length}`);
        const s = start[0]!;
        return detectPeelChains(store, looksLikeTx(s) ? { txId: parseTxId(s) } : { address: parseAddressId(s) }, options);
      });
      if (opts.json) return deps.print(toJson(result));
      if (result.chains.length === 0) process.stdout.write('no peel chain found\n');
      for (const c of result.chains as PeelChain[]) {
        process.stdout.write(`peel chain from ${c.startTxId}: ${c.length} hop(s), ${c.totalPeeled} peeled of ${c.startValue}${c.changeAddressReused ? ', change address reused' : ''}\n`);
      }
    });
}

function looksLikeTx(text: string): boolean {
  return /^(?:[a-z0-9-]+:)?(?:0x)?[0-9a-fA-F]{64}$/.test(text.trim());
}

function parseTaintSource(text: string): TaintSource {
  const m = /^(.*[0-9a-fA-F]{64}):([0-9]+)$/.exec(text.trim());
  if (m) return { txId: parseTxId(m[1]!), index: Number(m[2]) };
  if (looksLikeTx(text)) return { txId: parseTxId(text) };
  return { address: parseAddressId(text) };
}
