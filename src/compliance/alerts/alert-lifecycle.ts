/**
 * Alerts: how a rule hit becomes an alert, and the lifecycle an investigator moves it through.
 *
 *   OPEN -> IN_REVIEW -> ESCALATED -> CLOSED
 *                    \-------------> CLOSED
 *
 * - review:   OPEN -> IN_REVIEW (someone works on it)
 * - escalate: IN_REVIEW -> ESCALATED (to the MLRO / compliance officer)
 * - close:    IN_REVIEW or ESCALATED -> CLOSED with a disposition: FALSE_POSITIVE, NO_ACTION, or SAR_FILED
 *             (SAR_FILED only from ESCALATED: a SAR is the compliance officer's decision)
 * - assign and note: any time before CLOSED (notes also after, for the file)
 * Each change returns the new alert (version unchanged: the store sets it) and the audit note that the
 * store records with it; the alert's own history gets the same event. Pure.
 */
import { invalidInput, UnreachableCaseError } from '../../errors.js';
import {
  ALERT_DISPOSITIONS,
  type Alert,
  type AlertDisposition,
  type AlertEvent,
  type AlertStatus,
  type AuditNote,
} from '../../store/compliance-store.js';
import type { RuleHit } from '../monitoring/rule.js';

export const ALERT_TRANSITIONS: Readonly<Record<AlertStatus, readonly AlertStatus[]>> = {
  OPEN: ['IN_REVIEW'],
  IN_REVIEW: ['ESCALATED', 'CLOSED'],
  ESCALATED: ['CLOSED'],
  CLOSED: [],
};

export type AlertCommand =
  | { kind: 'assign'; assignee: string | null }
  | { kind: 'note'; text: string }
  | { kind: 'review'; note?: string }
  | { kind: 'escalate'; note?: string }
  | { kind: 'close'; disposition: AlertDisposition; note?: string };

/** The dedup key of a hit: same customer and same facts (the rule's key names the rule). */
export function alertDedupKey(customerId: string | null, hitKey: string): string {
  return `${customerId ?? '-'}|${hitKey}`;
}

/** A new OPEN alert from a rule hit. */
export function alertFromHit(input: { id: string; ruleId: string; ruleName: string; customerId: string | null; hit: RuleHit; at: number; actor: string }): Alert {
  const { hit } = input;
  return {
    id: input.id,
    dedupKey: alertDedupKey(input.customerId, hit.key),
    ruleId: input.ruleId,
    ruleName: input.ruleName,
    customerId: input.customerId,
    score: hit.score,
    summary: hit.summary,
    status: 'OPEN',
    disposition: null,
    assignee: null,
    evidence: hit.evidence,
    notes: [],
    history: [{ at: input.at, actor: input.actor, action: 'created', from: null, to: 'OPEN' }],
    createdAt: input.at,
    updatedAt: input.at,
    version: 0,
  };
}

/**
 * Applies one command. Throws INVALID_INPUT when the lifecycle forbids it, naming the current
 * status and what is allowed.
 */
export function applyAlertCommand(alert: Alert, command: AlertCommand, actor: string, at: number): { alert: Alert; audit: AuditNote } {
  const event = (e: Omit<AlertEvent, 'at' | 'actor'>): AlertEvent => ({ at, actor, ...e });
  const move = (to: AlertStatus, note?: string): { alert: Alert; audit: AuditNote } => {
    if (!ALERT_TRANSITIONS[alert.status].includes(to)) {
      const allowed = ALERT_TRANSITIONS[alert.status];
      throw invalidInput(
        `alert ${alert.id} is ${alert.status}: cannot move to ${to}; ${allowed.length > 0 ? `allowed next: ${allowed.join(', ')}` : 'a closed alert stays closed'}`,
        { alert: alert.id },
      );
    }
    const notes = note ? [...alert.notes, { at, actor, text: note }] : alert.notes;
    return {
      alert: { ...alert, status: to, notes, history: [...alert.history, event({ action: 'status', from: alert.status, to, ...(note ? { note } : {}) })], updatedAt: at },
      audit: { action: 'alert.status', details: { from: alert.status, to, ...(note ? { noted: true } : {}) } },
    };
  };
  switch (command.kind) {
    case 'assign': {
      if (alert.status === 'CLOSED') throw invalidInput(`alert ${alert.id} is CLOSED: it cannot be assigned`, { alert: alert.id });
      const assignee = command.assignee?.trim() || null;
      return {
        alert: { ...alert, assignee, history: [...alert.history, event({ action: 'assign', from: alert.assignee, to: assignee })], updatedAt: at },
        audit: { action: 'alert.assign', details: { from: alert.assignee, to: assignee } },
      };
    }
    case 'note': {
      const text = command.text?.trim() ?? '';
      if (text === '') throw invalidInput(`a note on alert ${alert.id} needs text, got an empty note`);
      return {
        alert: { ...alert, notes: [...alert.notes, { at, actor, text }], history: [...alert.history, event({ action: 'note', note: text })], updatedAt: at },
        audit: { action: 'alert.note', details: { length: text.length } },
      };
    }
    case 'review':
      return move('IN_REVIEW', command.note);
    case 'escalate':
      return move('ESCALATED', command.note);
    case 'close': {
      if (!(ALERT_DISPOSITIONS as readonly string[]).includes(command.disposition)) {
        throw invalidInput(`closing alert ${alert.id} takes a disposition: one of ${ALERT_DISPOSITIONS.join(', ')}, got ${JSON.stringify(command.disposition)}`);
      }
      if (command.disposition === 'SAR_FILED' && alert.status !== 'ESCALATED') {
        throw invalidInput(`alert ${alert.id} is ${alert.status}: SAR_FILED closes an ESCALATED alert (escalate it first)`, { alert: alert.id });
      }
      const moved = move('CLOSED', command.note);
      return {
        alert: { ...moved.alert, disposition: command.disposition, history: moved.alert.history.map((h, i, all) => (i === all.length - 1 ? { ...h, action: 'close', note: command.note ?? `disposition ${command.disposition}` } : h)) },
        audit: { action: 'alert.status', details: { ...moved.audit.details, disposition: command.disposition } },
      };
    }
    default:
      throw new UnreachableCaseError(command);
  }
}
