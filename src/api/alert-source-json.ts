// ilert's AlertSource JSON. The integration key and URL work like credentials for sending events,
// so, as ilert does, callers who may not edit alert sources see them as null.
import type { AlertSource, EscalationPolicy } from '../domain/alert-source.ts';

export interface AlertSourceView {
  /** The public URL the integration URL starts with. */
  issuer: string;
  /** Whether the caller may see the integration key (write access to alert sources). */
  showIntegrationKey: boolean;
}

/** ilert's EscalationPolicy shape; Gatehouse keeps only the name, so the rest are ilert's defaults. */
export function escalationPolicyJson(policy: EscalationPolicy) {
  return {
    id: policy.id,
    name: policy.name,
    escalationRules: [],
    teams: [],
    repeating: false,
    frequency: 1,
    delayMin: 0,
    routingKey: null,
  };
}

export function integrationUrl(issuer: string, source: Pick<AlertSource, 'integrationType' | 'integrationKey'>): string {
  return `${issuer}/api/v1/events/${source.integrationType.toLowerCase()}/${source.integrationKey}`;
}

export function alertSourceJson(source: AlertSource, policy: EscalationPolicy, view: AlertSourceView) {
  return {
    id: source.id,
    name: source.name,
    iconUrl: null,
    integrationType: source.integrationType,
    integrationKey: view.showIntegrationKey ? source.integrationKey : null,
    integrationUrl: view.showIntegrationKey ? integrationUrl(view.issuer, source) : null,
    escalationPolicy: escalationPolicyJson(policy),
    status: source.active ? 'ALL_RESOLVED' : 'DISABLED',
    active: source.active,
    alertCreation: source.alertCreation,
    alertPriorityRule: source.alertPriorityRule,
    autoResolutionTimeout: source.autoResolutionTimeout,
    alertGroupingWindow: source.alertGroupingWindow,
    teams: source.teams,
    createdAt: source.createdAt.toISOString(),
    updatedAt: source.updatedAt.toISOString(),
  };
}
