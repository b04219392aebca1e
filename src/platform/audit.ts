// Records security events (sign-ins, consents, revocations, replays) in the store's audit log.
// Recording never breaks the request it describes: a failure is counted and reported, not thrown.
import type { AuditEventType, AuditFields, AuditLog } from '../domain/audit.ts';
import type { Store } from '../store/store.ts';
import type { Clock } from '../oauth/clock.ts';

/**
 * C0/C1 control characters (NUL, escape sequences) become "?": PostgreSQL refuses NUL, and the
 * `gatehouse audit` table must not let a crafted user agent drive the operator's terminal.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** A quoted value for `detail`, cut short so a huge form field stays a short line. */
export function quoted(value: string, max = 100): string {
  const chars = Array.from(value);
  return JSON.stringify(chars.length > max ? `${chars.slice(0, max).join('')}…` : value);
}

/** "1 token family", "3 token families": a count for `detail`, in the right number. */
export function tokenFamilies(count: number): string {
  return `${count} ${count === 1 ? 'token family' : 'token families'}`;
}

export type AuditFailureReporter = (error: unknown, type: AuditEventType) => void;

const reportToStderr: AuditFailureReporter = (error, type) => {
  process.stderr.write(`gatehouse: could not record audit event ${type}: ${error instanceof Error ? error.message : String(error)}\n`);
};

export class Audit implements AuditLog {
  #failures = 0;
  #report: AuditFailureReporter = reportToStderr;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** Events that could not be recorded since start. */
  get failures(): number {
    return this.#failures;
  }

  /** Where recording failures go (by default one line on stderr, without the event's fields). */
  reportFailuresTo(report: AuditFailureReporter): void {
    this.#report = report;
  }

  async record(type: AuditEventType, fields: AuditFields = {}): Promise<void> {
    try {
      const tenantId = fields.tenantId ?? (fields.userId === undefined ? undefined : (await this.store.users.byId(fields.userId))?.tenantId);
      await this.store.audit.record({
        at: this.clock.now(),
        type,
        tenantId: tenantId ?? null,
        userId: fields.userId ?? null,
        appId: fields.appId ?? null,
        ip: fields.origin?.ip ? printable(fields.origin.ip) : null,
        userAgent: fields.origin?.userAgent ? printable(fields.origin.userAgent) : null,
        detail: printable(fields.detail ?? ''),
      });
    } catch (error) {
      this.#failures += 1;
      try {
        this.#report(error, type);
      } catch {
        // A broken reporter must not break the request either.
      }
    }
  }
}
