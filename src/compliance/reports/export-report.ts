/**
 * Exports a report (SAR draft or CTR) as JSON or as plain text for filing systems and reviewers.
 * JSON: the report object, keys in a fixed order, 2-space indentation. Text: a header block, the
 * narrative, and the structured data as indented JSON. Deterministic.
 */
import { UnreachableCaseError } from '../../errors.js';
import type { Report } from '../../store/compliance-store.js';

export type ReportFormat = 'json' | 'text';

export function exportReport(report: Report, format: ReportFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'text': {
      const rule = '='.repeat(72);
      const header = [
        rule,
        report.title,
        rule,
        `Report:    ${report.id} (${report.kind}, ${report.status})`,
        `Customer:  ${report.customerId}`,
        `Alerts:    ${report.alertIds.join(', ') || '-'}`,
        `Drafted:   ${new Date(report.createdAt).toISOString()} by ${report.createdBy}`,
        `Reviewed:  ${report.reviewedAt === null ? 'not yet' : `${new Date(report.reviewedAt).toISOString()} by ${report.reviewedBy}${report.reviewNote ? ` (${report.reviewNote})` : ''}`}`,
        '',
        'NARRATIVE',
        '-'.repeat(72),
        report.narrative,
        '',
        'DATA',
        '-'.repeat(72),
        JSON.stringify(report.data, null, 2),
        '',
      ];
      return header.join('\n');
    }
    default:
      throw new UnreachableCaseError(format);
  }
}
