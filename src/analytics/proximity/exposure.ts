/**
 * exposure: which share of the value an address (or a cluster's members) received ('in') or sent ('out')
 * comes from / goes to each category of labelled counterparty, split into direct exposure (the labelled
 * address is the immediate counterparty, 1 hop) and indirect exposure (reached through unlabelled
 * intermediaries, 2..maxHops hops).
 *
 * [Reference]: Chainalysis, "Indirect Exposure: Why You Need to Look Beyond Direct Counterparties to
 * Understand Cryptocurrency Address Risk" (2020): direct exposure counts services that are direct
 * counterparties; indirect exposure follows the funds through non-service addresses until they reach a
 * known service or entity.
 *
 * Attribution rule (value-weighted along the path): the subject's funds are traced with the haircut model
 * (propagateTaint; Möser, Böhme, Breuker 2014), forward for 'out' and backward for 'in', so every amount
 * is split in proportion to value at each transaction (UTXO) or each account balance, and stays exact.
 * A trace ends at the first address labelled with a reported category or a stop category (a service's
 * funds are pooled: tracing through it would blame its other customers); the amount reaching it is
 * attributed to its category (the first in `categories` order when it has several), as direct exposure
 * at 1 hop and indirect beyond.
 *
 * The total (denominator) is what the subject exchanged with others at the first hop: 'out', the
 * haircut value of the first-hop outputs paid to other addresses plus the first-hop fees; 'in', the value
 * of the first-hop sources of the subject's receipts (other addresses' spent outputs, or the senders of
 * its incoming transfers on account chains) plus coins it mined. Change to itself is not counted.
 * Whatever is not attributed (funds that stopped at unlabelled addresses, went past maxHops, came back to
 * the subject, or whose origin predates the ingested history) is reported as `unattributed`.
 */
import { invalidInput, limitExceeded } from '../../errors.js';
import { chainOfId, type AddressId } from '../../model/address.js';
import { chainInfo, type ChainKey } from '../../model/chain.js';
import { CATEGORIES, type Category } from '../../model/label.js';
import type { AssetId } from '../../model/transaction.js';
import type { GraphReader } from '../../store/graph-store.js';
import { propagateTaint } from '../taint/propagate-taint.js';
import { add, floor, isZero, largestRemainder, type Rational, scale, sub, sum, ZERO } from '../taint/rational.js';
import type { TaintResult } from '../taint/taint-result.js';
import { cmp } from './edges.js';
import { resolveSources } from './hop-distance.js';

export interface ExposureOptions {
  direction: 'in' | 'out';
  /** Most hops between the subject and a counterparty (1 = direct exposure only). */
  maxHops: number;
  maxHopsLimit: number;
  /** Categories reported; the default is every category. */
  categories: readonly Category[];
  /** Further categories that end a trace without being reported (their amount goes to `stopped`). */
  stopAtCategories: readonly Category[];
  /** Work budget passed to the trace. */
  maxTransactions: number;
  /** Account chains: the asset (default: native). */
  asset: AssetId | undefined;
}

export const DEFAULTS: ExposureOptions = {
  direction: 'in',
  maxHops: 3,
  maxHopsLimit: 10,
  categories: CATEGORIES,
  stopAtCategories: ['exchange'],
  maxTransactions: 10_000,
  asset: undefined,
};

export interface Share {
  /** Exact amount in base units. */
  amount: Rational;
  /** Integer base units (largest remainder over all shares: they sum to the floor of the total). */
  units: bigint;
  /** Basis points of the total (largest remainder: all shares sum to 10000 when the total is not 0). */
  bps: number;
}

export interface CategoryExposure {
  category: Category;
  direct: Share;
  indirect: Share;
  /** The labelled counterparties, by distance, then amount (largest first), then address. */
  counterparties: { address: AddressId; distance: number; amount: Rational }[];
}

export interface ExposureResult {
  addresses: AddressId[];
  direction: 'in' | 'out';
  chain: ChainKey;
  asset: AssetId;
  maxHops: number;
  total: Rational;
  totalUnits: bigint;
  /** Categories with a non-zero share, in `categories` order. */
  categories: CategoryExposure[];
  /** Reached an address of a stop category that is not reported. */
  stopped: Share;
  /** 'out': paid as transaction fees on the way. */
  fees: Share;
  /** 'in': newly mined coins. */
  coinbase: Share;
  unattributed: Share;
  truncated: TaintResult['truncated'];
}

/**
 * Direct and indirect exposure by category. Amounts are base units of the traced asset, exact; shares are
 * integer units and basis points by largest remainder. Deterministic. Limits: maxHops (<= maxHopsLimit),
 * maxTransactions. Errors: INVALID_INPUT, LIMIT_EXCEEDED, NOT_FOUND.
 */
export async function exposure(
  graph: GraphReader,
  addresses: AddressId | readonly AddressId[],
  options: Partial<ExposureOptions> = {},
): Promise<ExposureResult> {
  const o: ExposureOptions = { ...DEFAULTS, ...options };
  if (o.direction !== 'in' && o.direction !== 'out') throw invalidInput(`invalid exposure direction ${JSON.stringify(o.direction)}: expected "in" or "out"`);
  if (!Number.isSafeInteger(o.maxHops) || o.maxHops < 1) throw invalidInput(`invalid maxHops ${String(o.maxHops)}: expected an integer >= 1`);
  if (o.maxHops > o.maxHopsLimit) throw limitExceeded(`maxHops ${o.maxHops} is above the configured limit of ${o.maxHopsLimit}`);
  for (const c of [...o.categories, ...o.stopAtCategories]) {
    if (!(CATEGORIES as readonly string[]).includes(c)) throw invalidInput(`unknown category ${JSON.stringify(c)}: expected one of ${CATEGORIES.join(', ')}`);
  }
  const subjects = await resolveSources(graph, addresses);
  const chains = new Set(subjects.map((a) => chainOfId(a)));
  if (chains.size > 1) throw invalidInput(`exposure addresses span several chains (${[...chains].join(', ')}): expected one chain`);
  const chain = [...chains][0]!;
  const account = chainInfo(chain).kind === 'account';
  const backward = o.direction === 'in';
  // On account chains traced backward, a transfer's counterparty is its sender, one hop further than the
  // transfer itself: the subject's own receipts (hop 0) name its direct counterparties.
  const senderSide = account && backward;
  const stopCategories = [...new Set([...o.categories, ...o.stopAtCategories])];

  const trace = await propagateTaint(
    graph,
    subjects.map((address) => ({ address })),
    {
      model: 'haircut',
      direction: backward ? 'backward' : 'forward',
      maxHops: senderSide ? o.maxHops - 1 : o.maxHops,
      maxHopsLimit: o.maxHopsLimit,
      stopAtCategories: stopCategories,
      maxTransactions: o.maxTransactions,
      asset: o.asset,
    },
  );

  const self = new Set(subjects);
  const entries = trace.outputs
    .filter((x) => (senderSide ? true : !x.source))
    .map((x) => ({ owner: senderSide ? (x.from ?? null) : x.address, distance: senderSide ? x.hop + 1 : x.hop, amount: x.taint }))
    .filter((e) => e.owner === null || !self.has(e.owner));

  let total = sum(entries.filter((e) => e.distance === 1).map((e) => e.amount));
  let fees = ZERO;
  let minted = ZERO;
  for (const t of trace.transactions) {
    if (!backward) {
      fees = add(fees, t.feeTaint);
      if (t.hop === 1) total = add(total, t.feeTaint);
    } else if (t.coinbase) {
      minted = add(minted, t.taintIn);
      if (t.hop === 1) total = add(total, t.taintIn);
    }
  }

  // Category of each labelled owner: the first reported category it carries, else "stopped".
  const owners = [...new Set(entries.map((e) => e.owner).filter((a): a is AddressId => a !== null))];
  const labels = owners.length > 0 ? await graph.getLabels(owners) : new Map();
  const reported = new Set<string>(o.categories);
  const stopOnly = new Set<string>(o.stopAtCategories);
  const bucketOf = new Map<AddressId, Category | 'stopped'>();
  for (const a of owners) {
    const cats = new Set<string>((labels.get(a) ?? []).map((l: { category: Category }) => l.category));
    const hit = o.categories.find((c) => cats.has(c) && reported.has(c));
    if (hit) bucketOf.set(a, hit);
    else if ([...cats].some((c) => stopOnly.has(c))) bucketOf.set(a, 'stopped');
  }

  const perCategory = new Map<Category, { direct: Rational; indirect: Rational; counterparties: Map<string, { address: AddressId; distance: number; amount: Rational }> }>();
  let stopped = ZERO;
  for (const e of entries) {
    if (e.owner === null || isZero(e.amount)) continue;
    const bucket = bucketOf.get(e.owner);
    if (bucket === undefined) continue;
    if (bucket === 'stopped') {
      stopped = add(stopped, e.amount);
      continue;
    }
    let c = perCategory.get(bucket);
    if (!c) perCategory.set(bucket, (c = { direct: ZERO, indirect: ZERO, counterparties: new Map() }));
    if (e.distance <= 1) c.direct = add(c.direct, e.amount);
    else c.indirect = add(c.indirect, e.amount);
    const key = `${e.owner}\n${e.distance}`;
    const cp = c.counterparties.get(key);
    if (cp) cp.amount = add(cp.amount, e.amount);
    else c.counterparties.set(key, { address: e.owner, distance: e.distance, amount: e.amount });
  }

  const cats = o.categories.filter((c) => perCategory.has(c));
  const attributed = sum([...cats.flatMap((c) => [perCategory.get(c)!.direct, perCategory.get(c)!.indirect]), stopped, fees, minted]);
  let unattributed = sub(total, attributed);
  // Only funds looping back into a first-hop transaction can make this negative; show it as nothing left.
  if (unattributed.num < 0n) unattributed = ZERO;

  const amounts = [...cats.flatMap((c) => [perCategory.get(c)!.direct, perCategory.get(c)!.indirect]), stopped, fees, minted, unattributed];
  const units = largestRemainder(amounts);
  const bps = isZero(total) ? amounts.map(() => 0n) : largestRemainder(amounts.map((a) => scale(a, 10_000n * total.den, total.num)));
  const share = (i: number): Share => ({ amount: amounts[i]!, units: units[i]!, bps: Number(bps[i]!) });

  const categories: CategoryExposure[] = cats.map((category, i) => ({
    category,
    direct: share(2 * i),
    indirect: share(2 * i + 1),
    counterparties: [...perCategory.get(category)!.counterparties.values()].sort(
      (a, b) => a.distance - b.distance || (a.amount.num * b.amount.den > b.amount.num * a.amount.den ? -1 : a.amount.num * b.amount.den < b.amount.num * a.amount.den ? 1 : 0) || cmp(a.address, b.address),
    ),
  }));
  const k = 2 * cats.length;
  return {
    addresses: subjects,
    direction: o.direction,
    chain,
    asset: trace.asset,
    maxHops: o.maxHops,
    total,
    totalUnits: floor(total),
    categories,
    stopped: share(k),
    fees: share(k + 1),
    coinbase: share(k + 2),
    unattributed: share(k + 3),
    truncated: trace.truncated,
  };
}
