// The audit log: append-only events, listed newest first with the names of what they refer to.
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { AuditEventType } from '../../domain/audit.ts';
import type { Store } from '../store.ts';
import { ms, toDate } from '../sql/rows.ts';

/** Column widths of 004-audit-log; PostgreSQL refuses longer text, so it is cut here. */
const WIDTH = { ip: 64, userAgent: 200, detail: 500 } as const;

/** Cuts by code points (as varchar counts), so no surrogate pair is split in half. */
function cut(text: string, width: number): string {
  if (text.length <= width) return text;
  return Array.from(text).slice(0, width).join('');
}

const cutOrNull = (text: string | null, width: number) => (text === null ? null : cut(text, width));
const idOrNull = (value: number | string | null) => (value === null ? null : Number(value));

export function auditStore(db: Kysely<Database>): Store['audit'] {
  return {
    async record(event) {
      await db
        .insertInto('audit_events')
        .values({
          at: ms(event.at),
          type: event.type,
          tenant_id: event.tenantId,
          user_id: event.userId,
          app_id: event.appId,
          ip: cutOrNull(event.ip, WIDTH.ip),
          user_agent: cutOrNull(event.userAgent, WIDTH.userAgent),
          detail: cut(event.detail, WIDTH.detail),
        })
        .execute();
    },

    async list(filter) {
      const rows = await db
        .selectFrom('audit_events as e')
        .leftJoin('tenants as t', 't.id', 'e.tenant_id')
        .leftJoin('users as u', 'u.id', 'e.user_id')
        .leftJoin('apps as a', 'a.id', 'e.app_id')
        .select([
          'e.id',
          'e.at',
          'e.type',
          'e.tenant_id',
          'e.user_id',
          'e.app_id',
          'e.ip',
          'e.user_agent',
          'e.detail',
          't.slug as tenant_slug',
          'u.username',
          'a.name as app_name',
        ])
        .$if(filter.tenantId !== undefined, (q) => q.where('e.tenant_id', '=', filter.tenantId as number))
        .$if(filter.since !== undefined, (q) => q.where('e.at', '>=', ms(filter.since as Date)))
        .orderBy('e.at', 'desc')
        .orderBy('e.id', 'desc')
        .limit(Math.max(0, Math.floor(filter.limit)))
        .execute();
      return rows.map((row) => ({
        id: Number(row.id),
        at: toDate(row.at),
        type: row.type as AuditEventType,
        tenantId: idOrNull(row.tenant_id),
        userId: idOrNull(row.user_id),
        appId: idOrNull(row.app_id),
        ip: row.ip,
        userAgent: row.user_agent,
        detail: row.detail,
        tenantSlug: row.tenant_slug ?? null,
        username: row.username ?? null,
        appName: row.app_name ?? null,
      }));
    },
  };
}
