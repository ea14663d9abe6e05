import { describe, expect, it } from 'vitest';
import type { Alert } from '../../store/compliance-store.js';
import { alertFromHit, applyAlertCommand, type AlertCommand } from './alert-lifecycle.js';

const base = (): Alert =>
  alertFromHit({
    id: 'a1',
    ruleId: 'structuring',
    ruleName: 'Structuring',
    customerId: 'c1',
    hit: { key: 'structuring:in:t1', score: 70, summary: 's', evidence: { transactions: [], paths: [], addresses: [], facts: {} } },
    at: 100,
    actor: 'system:monitor',
  });

function apply(alert: Alert, ...commands: AlertCommand[]): Alert {
  let a = alert;
  let t = 200;
  for (const c of commands) a = applyAlertCommand(a, c, 'cli:ann', t++).alert;
  return a;
}

describe('alert lifecycle', () => {
  it('starts OPEN with a dedup key made of the customer and the hit key', () => {
    expect(base()).toMatchObject({ status: 'OPEN', dedupKey: 'c1|structuring:in:t1', disposition: null, history: [{ at: 100, actor: 'system:monitor', action: 'created', from: null, to: 'OPEN' }] });
  });

  it('goes OPEN -> IN_REVIEW -> ESCALATED -> CLOSED with SAR_FILED, recording each step', () => {
    const a = apply(base(), { kind: 'review' }, { kind: 'escalate', note: 'pattern matches structuring' }, { kind: 'close', disposition: 'SAR_FILED' });
    expect(a.status).toBe('CLOSED');
    expect(a.disposition).toBe('SAR_FILED');
    expect(a.history.map((h) => [h.action, h.from, h.to, h.at])).toEqual([
      ['created', null, 'OPEN', 100],
      ['status', 'OPEN', 'IN_REVIEW', 200],
      ['status', 'IN_REVIEW', 'ESCALATED', 201],
      ['close', 'ESCALATED', 'CLOSED', 202],
    ]);
    expect(a.notes).toEqual([{ at: 201, actor: 'cli:ann', text: 'pattern matches structuring' }]);
  });

  it('closes from IN_REVIEW as a false positive, and returns the audit note', () => {
    const reviewing = apply(base(), { kind: 'review' });
    const { alert, audit } = applyAlertCommand(reviewing, { kind: 'close', disposition: 'FALSE_POSITIVE', note: 'payroll' }, 'cli:ann', 300);
    expect(alert).toMatchObject({ status: 'CLOSED', disposition: 'FALSE_POSITIVE' });
    expect(audit).toEqual({ action: 'alert.status', details: { from: 'IN_REVIEW', to: 'CLOSED', noted: true, disposition: 'FALSE_POSITIVE' } });
  });

  it('refuses skipped or backward steps, closing without a disposition, and SAR_FILED before escalation', () => {
    expect(() => apply(base(), { kind: 'escalate' })).toThrow('alert a1 is OPEN: cannot move to ESCALATED; allowed next: IN_REVIEW');
    expect(() => apply(base(), { kind: 'close', disposition: 'NO_ACTION' })).toThrow(/OPEN: cannot move to CLOSED/);
    expect(() => apply(base(), { kind: 'review' }, { kind: 'close', disposition: 'SAR_FILED' })).toThrow(/SAR_FILED closes an ESCALATED alert/);
    expect(() => apply(base(), { kind: 'review' }, { kind: 'close', disposition: 'MAYBE' as never })).toThrow(/one of FALSE_POSITIVE, SAR_FILED, NO_ACTION/);
    const closed = apply(base(), { kind: 'review' }, { kind: 'close', disposition: 'NO_ACTION' });
    expect(() => apply(closed, { kind: 'review' })).toThrow(/a closed alert stays closed/);
    expect(() => apply(closed, { kind: 'assign', assignee: 'x' })).toThrow(/CLOSED: it cannot be assigned/);
  });

  it('assigns and notes at any open step, and keeps notes after closing', () => {
    const a = apply(base(), { kind: 'assign', assignee: 'cli:ann' }, { kind: 'note', text: 'called the customer' });
    expect(a.assignee).toBe('cli:ann');
    expect(a.history.map((h) => h.action)).toEqual(['created', 'assign', 'note']);
    const closed = apply(a, { kind: 'review' }, { kind: 'close', disposition: 'NO_ACTION' }, { kind: 'note', text: 'filed' });
    expect(closed.notes.map((n) => n.text)).toEqual(['called the customer', 'filed']);
    expect(() => apply(base(), { kind: 'note', text: '  ' })).toThrow(/needs text/);
  });
});
