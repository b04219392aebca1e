// The resource server's data: escalation policies and alert sources, always scoped to a tenant.
import type { Kysely, Selectable } from 'kysely';
import type { AlertSourcesTable, Database, EscalationPoliciesTable } from '../schema.ts';
import type { AlertSource, AlertSourceInput, EscalationPolicy } from '../../domain/alert-source.ts';
import type { Store } from '../store.ts';
import { flag, isSet, ms, toDate } from '../sql/rows.ts';

const MAX_ID = 2_147_483_647;

const toAlertSource = (row: Selectable<AlertSourcesTable>): AlertSource => ({
  id: Number(row.id),
  tenantId: Number(row.tenant_id),
  name: row.name,
  integrationType: row.integration_type,
  integrationKey: row.integration_key,
  escalationPolicyId: Number(row.escalation_policy_id),
  active: isSet(row.active),
  alertCreation: row.alert_creation,
  alertPriorityRule: row.alert_priority_rule,
  autoResolutionTimeout: row.auto_resolution_timeout,
  alertGroupingWindow: row.alert_grouping_window,
  teams: JSON.parse(row.teams) as AlertSource['teams'],
  createdAt: toDate(row.created_at),
  updatedAt: toDate(row.updated_at),
});

const columns = (input: AlertSourceInput) => ({
  name: input.name,
  integration_type: input.integrationType,
  escalation_policy_id: input.escalationPolicyId,
  active: flag(input.active),
  alert_creation: input.alertCreation,
  alert_priority_rule: input.alertPriorityRule,
  auto_resolution_timeout: input.autoResolutionTimeout,
  alert_grouping_window: input.alertGroupingWindow,
  teams: JSON.stringify(input.teams),
});

/** One page of a tenant's rows of a resource table, in id order (ilert's startIndex/maxResults). */
function tenantPage<T extends 'escalation_policies' | 'alert_sources'>(db: Kysely<Database>, table: T, tenantId: number, startIndex: number, maxResults: number) {
  return db
    .selectFrom(table as 'escalation_policies' | 'alert_sources')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('id')
    .offset(startIndex)
    .limit(maxResults)
    .execute() as Promise<Selectable<Database[T]>[]>;
}

const toEscalationPolicy = (row: Selectable<EscalationPoliciesTable>): EscalationPolicy => ({ id: Number(row.id), tenantId: Number(row.tenant_id), name: row.name });

export function escalationPolicyStore(db: Kysely<Database>): Store['escalationPolicies'] {
  return {
    async create(tenantId, name) {
      const row = await db.insertInto('escalation_policies').values({ tenant_id: tenantId, name }).returningAll().executeTakeFirstOrThrow();
      return toEscalationPolicy(row);
    },
    async byId(tenantId, id) {
      // Ids are int32 columns; PostgreSQL would reject a larger number rather than find nothing.
      if (id > MAX_ID) return undefined;
      const row = await db
        .selectFrom('escalation_policies')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toEscalationPolicy(row);
    },
    async list(tenantId, startIndex, maxResults) {
      return (await tenantPage(db, 'escalation_policies', tenantId, startIndex, maxResults)).map(toEscalationPolicy);
    },
  };
}

export function alertSourceStore(db: Kysely<Database>): Store['alertSources'] {
  return {
    async list(tenantId, startIndex, maxResults) {
      return (await tenantPage(db, 'alert_sources', tenantId, startIndex, maxResults)).map(toAlertSource);
    },
    async byIdOrKey(tenantId, idOrKey) {
      const query = db.selectFrom('alert_sources').selectAll().where('tenant_id', '=', tenantId);
      if (/^\d+$/.test(idOrKey)) {
        // Ids are int32 columns; PostgreSQL would reject a larger number rather than find nothing.
        const id = Number(idOrKey);
        if (id > MAX_ID) return undefined;
        const row = await query.where('id', '=', id).executeTakeFirst();
        return row && toAlertSource(row);
      }
      const row = await query.where('integration_key', '=', idOrKey).executeTakeFirst();
      return row && toAlertSource(row);
    },
    async create(tenantId, input, integrationKey, now) {
      const row = await db
        .insertInto('alert_sources')
        .values({ ...columns(input), tenant_id: tenantId, integration_key: integrationKey, created_at: ms(now), updated_at: ms(now) })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toAlertSource(row);
    },
    async update(tenantId, id, input, now) {
      const row = await db
        .updateTable('alert_sources')
        .set({ ...columns(input), updated_at: ms(now) })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row && toAlertSource(row);
    },
    async delete(tenantId, id) {
      const result = await db.deleteFrom('alert_sources').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
