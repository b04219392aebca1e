// `gatehouse audit`: the audit log, newest first, as a table or as JSON.
import { type Command, InvalidArgumentError, Option } from 'commander';
import { printable } from '../../platform/audit.ts';
import type { StoredAuditEvent } from '../../domain/audit.ts';
import { print } from '../output.ts';
import { dataDirOption, jsonOption, tenantId, withRuntime } from '../shared.ts';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** `24h`, `30m`, `7d` (a span back from now) or an ISO 8601 date or time. */
export function parseSince(value: string, now: Date): Date {
  const span = /^(\d{1,9})([smhdw])$/.exec(value.trim());
  if (span?.[1] && span[2]) return new Date(now.getTime() - Number(span[1]) * (UNIT_SECONDS[span[2]] ?? 0) * 1000);
  // Only ISO forms: Date.parse would also take "March 7" or "1", which are too easy to misread.
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim())) {
    const date = new Date(value.trim());
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new InvalidArgumentError('expected a duration like 24h, 30m, 7d or an ISO date like 2030-01-31 or 2030-01-31T08:00:00Z');
}

function parseLimit(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) throw new InvalidArgumentError('expected a whole number from 1 to 100000');
  return limit;
}

function toJson(event: StoredAuditEvent) {
  return {
    id: event.id,
    at: event.at.toISOString(),
    type: event.type,
    tenant: event.tenantSlug,
    tenantId: event.tenantId,
    user: event.username,
    userId: event.userId,
    app: event.appName,
    appId: event.appId,
    ip: event.ip,
    userAgent: event.userAgent,
    detail: event.detail,
  };
}

/** A name, or `#id` when what it named is gone, or `-`. */
const named = (name: string | null, id: number | null) => name ?? (id === null ? '-' : `#${id}`);
const short = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function table(events: StoredAuditEvent[]): string {
  if (events.length === 0) return 'no audit events';
  const header = ['TIME', 'TYPE', 'TENANT', 'USER', 'APP', 'IP', 'USER AGENT', 'DETAIL'];
  const rows = events.map((e) =>
    [
      e.at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      e.type,
      named(e.tenantSlug, e.tenantId),
      named(e.username, e.userId),
      named(e.appName, e.appId),
      e.ip ?? '-',
      short(e.userAgent ?? '-', 40),
      e.detail || '-',
    ].map(printable),
  );
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]?.length ?? 0)));
  // The last column is not padded: no trailing blanks.
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

export function registerAuditCommand(program: Command): void {
  program
    .command('audit')
    .description('list audit events (sign-ins, consents, revocations, replays), newest first')
    .option('--tenant <slug>', 'only events in this account')
    .addOption(new Option('--since <when>', 'only events since a duration ago (24h, 30m, 7d) or an ISO date').argParser((v: string) => parseSince(v, new Date())))
    .addOption(new Option('--limit <n>', 'at most this many events').default(100).argParser(parseLimit))
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (o: { tenant?: string; since?: Date; limit: number; json?: boolean; dataDir?: string }) =>
      withRuntime(o, async (runtime) => {
        const filter = {
          tenantId: o.tenant === undefined ? undefined : await tenantId(runtime, o.tenant, o),
          since: o.since,
          limit: o.limit,
        };
        const events = await runtime.ctx.store.audit.list(filter);
        print(o, events.map(toJson), () => table(events));
      }),
    );
}
