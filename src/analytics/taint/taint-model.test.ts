import { describe, expect, it } from 'vitest';
import { AriadneError } from '../../errors.js';
import { rational, ZERO, type Rational } from './rational.js';
import { createLedger, parseTaintModel, TAINT_MODELS, taintTransaction, taintTransactionBackward, type TaintModel } from './taint-model.js';

const r = (n: bigint, d = 1n): Rational => rational(n, d);
// The worked example: inputs [3 tainted, 7 clean], outputs [4, 6], no fee.
const WORKED_IN = [
  { value: 3n, taint: r(3n) },
  { value: 7n, taint: ZERO },
];
const WORKED_OUT = [{ value: 4n }, { value: 6n }];

describe('taint models on the worked example [3 tainted, 7 clean] -> [4, 6]', () => {
  const expected: Record<TaintModel, [Rational, Rational]> = {
    poison: [r(4n), r(6n)],
    haircut: [r(6n, 5n), r(9n, 5n)], // 4 * 3/10 = 1.2, 6 * 3/10 = 1.8
    fifo: [r(3n), ZERO], // output 0 takes the 3 tainted units first
    lifo: [ZERO, r(3n)], // output 0 takes 4 of the last input's 7 clean; output 1 gets 3 clean then 3 tainted
    tiho: [ZERO, r(3n)], // the 3 tainted go to the highest output (6)
  };
  for (const model of TAINT_MODELS) {
    it(`${model} gives ${expected[model].map((x) => `${x.num}/${x.den}`).join(' | ')}`, () => {
      const result = taintTransaction(model, WORKED_IN, WORKED_OUT, 0n);
      expect(result.outputs).toEqual(expected[model]);
      expect(result.fee).toEqual(ZERO);
    });
  }
});

describe('fee rule: inputs [3 tainted, 7 clean] -> outputs [4, 5] + fee 1', () => {
  const outputs = [{ value: 4n }, { value: 5n }];
  it('poison taints the fee too', () => {
    expect(taintTransaction('poison', WORKED_IN, outputs, 1n)).toEqual({ outputs: [r(4n), r(5n)], fee: r(1n) });
  });
  it('haircut charges the fee its proportional share (1 * 3/10)', () => {
    expect(taintTransaction('haircut', WORKED_IN, outputs, 1n)).toEqual({ outputs: [r(6n, 5n), r(3n, 2n)], fee: r(3n, 10n) });
  });
  it('FIFO pays the fee last, from the clean tail', () => {
    expect(taintTransaction('fifo', WORKED_IN, outputs, 1n)).toEqual({ outputs: [r(3n), ZERO], fee: ZERO });
  });
  it('LIFO pays the fee last, which is the bottom of the stack (the tainted first input)', () => {
    // stack [7 clean | 3 tainted]: output 0 <- 4 clean, output 1 <- 3 clean + 2 tainted, fee <- 1 tainted
    expect(taintTransaction('lifo', WORKED_IN, outputs, 1n)).toEqual({ outputs: [ZERO, r(2n)], fee: r(1n) });
  });
  it('TIHO fills the outputs by value and gives the fee only what they cannot hold', () => {
    expect(taintTransaction('tiho', WORKED_IN, outputs, 1n)).toEqual({ outputs: [ZERO, r(3n)], fee: ZERO });
    const allTainted = [{ value: 10n, taint: r(10n) }];
    expect(taintTransaction('tiho', allTainted, outputs, 1n)).toEqual({ outputs: [r(4n), r(5n)], fee: r(1n) });
  });
});

describe('partially tainted inputs', () => {
  it('FIFO spreads an input’s taint evenly over its units', () => {
    // input 0: 4 units, 1 tainted (density 1/4); input 1: 6 units all tainted. Output 0 covers 2 units of
    // input 0 -> 1/2; output 1 covers the other 2 units of input 0 (1/2) and all of input 1 (6) -> 13/2.
    const inputs = [
      { value: 4n, taint: r(1n) },
      { value: 6n, taint: r(6n) },
    ];
    expect(taintTransaction('fifo', inputs, [{ value: 2n }, { value: 8n }], 0n).outputs).toEqual([r(1n, 2n), r(13n, 2n)]);
  });

  it('TIHO ties between equal outputs go to the lower index', () => {
    const inputs = [{ value: 10n, taint: r(3n) }];
    expect(taintTransaction('tiho', inputs, [{ value: 5n }, { value: 5n }], 0n).outputs).toEqual([r(3n), ZERO]);
  });
});

describe('backward attribution', () => {
  // inputs A=3, B=7; outputs X=4, Y=6; trace Y in full
  const inputs = [{ value: 3n }, { value: 7n }];
  const traced = [
    { value: 4n, taint: ZERO },
    { value: 6n, taint: r(6n) },
  ];
  const expected: Record<TaintModel, [Rational, Rational]> = {
    poison: [r(3n), r(7n)],
    haircut: [r(9n, 5n), r(21n, 5n)], // 3 * 6/10, 7 * 6/10
    fifo: [ZERO, r(6n)], // Y is line units [4, 10), all inside B = [3, 10)
    lifo: [r(3n), r(3n)], // stack B = [0, 7), A = [7, 10); Y = [4, 10) covers 3 of B and 3 of A
    tiho: [ZERO, r(6n)], // the 6 traced units go to the highest input, B
  };
  for (const model of TAINT_MODELS) {
    it(`${model} traces Y to the inputs`, () => {
      expect(taintTransactionBackward(model, inputs, traced, 0n)).toEqual(expected[model]);
    });
  }

  it('treats the fee as an untraced last slot', () => {
    // outputs X=4, Y=5, fee 1: line X [0,4), Y [4,9), fee [9,10); A [0,3), B [3,10)
    const withFee = [
      { value: 4n, taint: ZERO },
      { value: 5n, taint: r(5n) },
    ];
    expect(taintTransactionBackward('fifo', inputs, withFee, 1n)).toEqual([ZERO, r(5n)]);
    // stack B [0,7), A [7,10): Y [4,9) covers B [4,7) = 3 and A [7,9) = 2
    expect(taintTransactionBackward('lifo', inputs, withFee, 1n)).toEqual([r(2n), r(3n)]);
    expect(taintTransactionBackward('haircut', inputs, withFee, 1n)).toEqual([r(3n, 2n), r(7n, 2n)]);
  });
});

describe('argument checks', () => {
  it('refuses an unbalanced transaction', () => {
    expect(() => taintTransaction('fifo', WORKED_IN, [{ value: 4n }], 0n)).toThrow(/inputs sum to 10 but outputs \(4\) plus fee \(0\) sum to 4/);
  });
  it('refuses taint above an input’s value and a negative fee', () => {
    expect(() => taintTransaction('haircut', [{ value: 3n, taint: r(4n) }], [{ value: 3n }], 0n)).toThrow(AriadneError);
    expect(() => taintTransaction('haircut', WORKED_IN, WORKED_OUT, -1n)).toThrow(/non-negative/);
  });
  it('names the models it knows', () => {
    expect(parseTaintModel(' FIFO ')).toBe('fifo');
    expect(() => parseTaintModel('lottery')).toThrow(/expected one of poison, haircut, fifo, lifo, tiho/);
  });
});

describe('account ledgers: receipts 3 tainted then 7 clean, then transfers of 4 and 6', () => {
  const run = (model: TaintModel): Rational[] => {
    const ledger = createLedger(model, 'forward');
    ledger.receive({ key: 'r1', amount: 3n, taint: r(3n) });
    ledger.receive({ key: 'r2', amount: 7n, taint: ZERO });
    return [ledger.draw(4n).taint, ledger.draw(6n).taint];
  };
  it('FIFO draws the oldest lot first', () => expect(run('fifo')).toEqual([r(3n), ZERO]));
  it('LIFO draws the newest lot first', () => expect(run('lifo')).toEqual([ZERO, r(3n)]));
  it('haircut takes the tainted share of the balance', () => expect(run('haircut')).toEqual([r(6n, 5n), r(9n, 5n)]));
  it('poison taints everything after the first tainted receipt', () => expect(run('poison')).toEqual([r(4n), r(6n)]));
  it('TIHO draws the tainted part of the balance first', () => expect(run('tiho')).toEqual([r(3n), ZERO]));

  it('reports a draw beyond the known balance as a clean shortfall', () => {
    const ledger = createLedger('fifo', 'forward');
    ledger.receive({ key: 'r1', amount: 3n, taint: r(3n) });
    const draw = ledger.draw(5n);
    expect(draw.taint).toEqual(r(3n));
    expect(draw.shortfall).toBe(2n);
    expect(draw.parts).toEqual([{ key: 'r1', amount: r(3n), taint: r(3n) }]);
  });

  it('explains a traced transfer by the lots it drew from (backward FIFO)', () => {
    const ledger = createLedger('fifo', 'backward');
    ledger.receive({ key: 'r1', amount: 3n, taint: ZERO });
    ledger.receive({ key: 'r2', amount: 7n, taint: ZERO });
    const d1 = ledger.draw(4n);
    const d2 = ledger.draw(6n);
    // d2 took 6 of r2; trace all of it
    expect(ledger.attributeBack(d2, r(6n))).toEqual([{ key: 'r2', taint: r(6n) }]);
    // d1 took 3 of r1 and 1 of r2; trace half of it: 3/2 and 1/2
    expect(ledger.attributeBack(d1, r(2n))).toEqual([
      { key: 'r1', taint: r(3n, 2n) },
      { key: 'r2', taint: r(1n, 2n) },
    ]);
  });
});
