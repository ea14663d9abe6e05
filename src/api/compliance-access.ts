/**
 * The compliance domain as one request sees it: the compliance store with this request's audit actor
 * (`api-key:<key id>`), and per-request loaders for the batched reads. Personal-data reads go through
 * `readCustomers` / `readReports`, which append their audit entries themselves.
 */
import DataLoader from 'dataloader';
import type { App } from '../app.js';
import type { AddressId, TxId } from '../model/address.js';
import type { Alert, AuditContext, ComplianceStore, Customer, Report } from '../store/compliance-store.js';
import type { ComplianceService } from '../compliance/compliance-service.js';
import type { Principal } from './auth/api-keys.js';
import { fromMap } from './batch.js';

export interface ComplianceLoaders {
  customer: DataLoader<string, Customer | null>;
  alert: DataLoader<string, Alert | null>;
  report: DataLoader<string, Report | null>;
  customersOfAddress: DataLoader<AddressId, string[]>;
  alertsOfAddress: DataLoader<AddressId, string[]>;
  alertsOfTransaction: DataLoader<TxId, string[]>;
}

export interface ComplianceAccess {
  /** The compliance domain (onboarding, monitoring, alert lifecycle, SARs). */
  service: ComplianceService;
  store: ComplianceStore;
  audit: AuditContext;
  readonly loaders: ComplianceLoaders;
  clear(): void;
}

/** The actor recorded in the audit trail for a key. */
export const actorOf = (principal: Principal): string => `api-key:${principal.keyId}`;

/** The app's compliance service, when the app has one. */
export function complianceServiceOf(app: App): ComplianceService | null {
  return ((app as { compliance?: ComplianceService | null }).compliance ?? null) as ComplianceService | null;
}

export function createComplianceLoaders(app: App, principal: Principal | null, requestId: string): ComplianceAccess | null {
  const service = complianceServiceOf(app);
  if (!service || !principal) return null;
  const store = service.deps.store;
  const audit: AuditContext = { actor: actorOf(principal), purpose: `api request ${requestId}` };
  const make = (): ComplianceLoaders => ({
    customer: new DataLoader(fromMap((ids) => store.readCustomers(ids, audit), null)),
    alert: new DataLoader(fromMap((ids) => store.getAlerts(ids), null)),
    report: new DataLoader(fromMap((ids) => store.readReports(ids, audit), null)),
    customersOfAddress: new DataLoader(fromMap((ids) => store.linkedCustomers(ids), [] as string[])),
    alertsOfAddress: new DataLoader(fromMap((ids) => store.alertIdsByAddress(ids), [] as string[])),
    alertsOfTransaction: new DataLoader(fromMap((ids) => store.alertIdsByTransaction(ids), [] as string[])),
  });
  // Made on first use: most requests (screening, tracing) never read compliance data.
  let loaders: ComplianceLoaders | null = null;
  return {
    service,
    store,
    audit,
    get loaders() {
      return (loaders ??= make());
    },
    clear() {
      loaders = null;
    },
  };
}
