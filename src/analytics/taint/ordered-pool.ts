/**
 * Shared structures of the ordered taint models (FIFO, LIFO) and of the account ledgers.
 *
 * `lineTaint` lays the inputs end to end on a line of base units in the given order and cuts that line
 * into consecutive slots (outputs, then the fee): a slot's taint is the taint of the part of the line it
 * covers. Inside one input the taint is spread evenly (density taint/value), because nothing records
 * which of its units are the tainted ones; a wholly tainted or wholly clean input is therefore exact.
 * This is the "pool" reading of Anderson et al.'s FIFO rule (Bitcoin Redux, 2019, section on taint).
 *
 * `LotBook` is the account-chain counterpart: received lots in receipt order, drawn oldest first, newest
 * first, largest first or proportionally.
 */
import { invalidInput } from '../../errors.js';
import { add, compare, fromBigint, isZero, min, type Rational, rational, scale, sub, sum, ZERO } from './rational.js';
import type { DrawPart, LedgerDraw, Lot, TaintInput } from './taint-model.js';

/** Taint of each slot when `inputs` (in line order) are cut into `slots` (in order). Needs equal totals. */
export function lineTaint(inputs: readonly TaintInput[], slots: readonly bigint[]): Rational[] {
  const result: Rational[] = [];
  let i = 0;
  let usedOfInput = 0n; // units of inputs[i] already handed out
  for (const slot of slots) {
    let need = slot;
    let taint = ZERO;
    while (need > 0n) {
      const input = inputs[i];
      if (input === undefined) throw invalidInput(`invalid pool: the slots need ${need} more units than the inputs hold`);
      const left = input.value - usedOfInput;
      if (left === 0n) {
        i += 1;
        usedOfInput = 0n;
        continue;
      }
      const take = left < need ? left : need;
      if (!isZero(input.taint)) taint = add(taint, scale(input.taint, take, input.value));
      usedOfInput += take;
      need -= take;
    }
    result.push(taint);
  }
  return result;
}

interface BookLot {
  key: string;
  seq: number;
  remaining: Rational;
  taint: Rational;
}

/** Proportional backward attribution: each part explains `traced * part / drawn` (shortfall explains the rest). */
export function attributeProportionally(draw: LedgerDraw, traced: Rational): { key: string; taint: Rational }[] {
  if (draw.amount === 0n || isZero(traced)) return [];
  return draw.parts.map((p) => ({ key: p.key, taint: scale({ num: traced.num * p.amount.num, den: traced.den * p.amount.den }, 1n, draw.amount) }));
}

/** Attribution that fills the parts in draw order with the traced amount, each up to its own amount. */
export function attributeInOrder(draw: LedgerDraw, traced: Rational): { key: string; taint: Rational }[] {
  const out: { key: string; taint: Rational }[] = [];
  let left = traced;
  for (const p of draw.parts) {
    if (isZero(left)) break;
    const t = min(left, p.amount);
    out.push({ key: p.key, taint: t });
    left = sub(left, t);
  }
  return out;
}

export class LotBook {
  private lots: BookLot[] = [];
  private seq = 0;

  receive(lot: Lot): void {
    if (lot.amount <= 0n) return;
    this.lots.push({ key: lot.key, seq: this.seq++, remaining: fromBigint(lot.amount), taint: lot.taint });
  }

  total(): Rational {
    return sum(this.lots.map((l) => l.remaining));
  }

  taint(): Rational {
    return sum(this.lots.map((l) => l.taint));
  }

  /** Adds a lot whose amount may be a fraction (the split halves of a lot in the TIHO ledger). */
  receiveExact(key: string, amount: Rational, taint: Rational): void {
    if (amount.num <= 0n) return;
    this.lots.push({ key, seq: this.seq++, remaining: amount, taint });
  }

  /** Draws whole pieces of lots in the given order; each piece takes its share of the lot's taint. */
  drawOrdered(amount: bigint, order: 'oldest' | 'newest' | 'largest'): LedgerDraw {
    const { parts, taint, left } = this.take(fromBigint(amount), order);
    return { amount, taint, parts, shortfall: ceilWhole(left) };
  }

  /** Takes up to `need` from the lots in the given order; returns the pieces and what was left uncovered. */
  take(need: Rational, order: 'oldest' | 'newest' | 'largest'): { parts: DrawPart[]; taint: Rational; left: Rational } {
    const sequence = [...this.lots];
    if (order === 'newest') sequence.reverse();
    if (order === 'largest') sequence.sort((a, b) => compare(b.remaining, a.remaining) || a.seq - b.seq);
    let left = need;
    let taint = ZERO;
    const parts: DrawPart[] = [];
    for (const lot of sequence) {
      if (isZero(left)) break;
      const piece = min(lot.remaining, left);
      if (isZero(piece)) continue;
      // the piece carries the lot's taint density: taint * piece / remaining
      const pieceTaint = isZero(lot.taint) ? ZERO : rational(lot.taint.num * piece.num * lot.remaining.den, lot.taint.den * piece.den * lot.remaining.num);
      lot.remaining = sub(lot.remaining, piece);
      lot.taint = sub(lot.taint, pieceTaint);
      left = sub(left, piece);
      taint = add(taint, pieceTaint);
      parts.push({ key: lot.key, amount: piece, taint: pieceTaint });
    }
    this.lots = this.lots.filter((l) => !isZero(l.remaining));
    return { parts, taint, left };
  }

  /** Draws the same fraction amount/total of every lot (haircut); what the lots cannot cover is shortfall. */
  drawProportional(amount: bigint): LedgerDraw {
    const total = this.total();
    if (isZero(total) || amount === 0n) return { amount, taint: ZERO, parts: [], shortfall: amount };
    const covered = min(fromBigint(amount), total);
    // fraction f = covered / total of every lot
    const f = rational(covered.num * total.den, covered.den * total.num);
    let taint = ZERO;
    const parts: DrawPart[] = [];
    for (const lot of this.lots) {
      const take = rational(lot.remaining.num * f.num, lot.remaining.den * f.den);
      const pieceTaint = rational(lot.taint.num * f.num, lot.taint.den * f.den);
      lot.remaining = sub(lot.remaining, take);
      lot.taint = sub(lot.taint, pieceTaint);
      taint = add(taint, pieceTaint);
      if (!isZero(take)) parts.push({ key: lot.key, amount: take, taint: pieceTaint });
    }
    this.lots = this.lots.filter((l) => !isZero(l.remaining));
    return { amount, taint, parts, shortfall: ceilWhole(sub(fromBigint(amount), covered)) };
  }
}

/** A remaining need is whole when every lot is whole; proportional draws may leave fractions, reported rounded up. */
function ceilWhole(r: Rational): bigint {
  const q = r.num / r.den;
  return q * r.den === r.num ? q : q + 1n;
}
