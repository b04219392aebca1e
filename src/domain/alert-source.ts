// The built-in resource API's data (ilert's alert sources and escalation policies).

/** The escalation policy every account has from its creation, as on ilert. */
export const DEFAULT_ESCALATION_POLICY = 'Default';

export interface EscalationPolicy {
  id: number;
  tenantId: number;
  name: string;
}

export interface AlertSource {
  id: number;
  tenantId: number;
  name: string;
  integrationType: string;
  integrationKey: string;
  escalationPolicyId: number;
  active: boolean;
  alertCreation: string;
  alertPriorityRule: string;
  autoResolutionTimeout: string | null;
  alertGroupingWindow: string | null;
  teams: { id: number; name: string }[];
  createdAt: Date;
  updatedAt: Date;
}

export type AlertSourceInput = Omit<AlertSource, 'id' | 'tenantId' | 'integrationKey' | 'createdAt' | 'updatedAt'>;

