// Start-up failures as one clear line each, naming the setting to fix: an unreachable database,
// a data dir that cannot be written, a port that is taken. Never shows a password.
import type { Config } from '../config.ts';
import { withoutPassword } from '../config-masking.ts';

export class StartupError extends Error {}

interface SystemError {
  code?: unknown;
  message?: unknown;
  errors?: unknown;
  path?: unknown;
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  ENOTDIR: 'a part of the path is not a directory',
  // PostgreSQL's own codes for the usual set-up mistakes.
  '28P01': 'password authentication failed',
  '28000': 'the role may not connect',
  '3D000': 'the database does not exist',
  '57P03': 'the server is starting up',
  '53300': 'too many connections',
};

/** The most telling code and message of an error (a connection to several addresses fails with an AggregateError). */
function reasonOf(error: unknown): string {
  const e = (error ?? {}) as SystemError;
  const inner = Array.isArray(e.errors) && e.errors.length > 0 ? (e.errors[0] as SystemError) : undefined;
  const code = typeof e.code === 'string' ? e.code : typeof inner?.code === 'string' ? inner.code : undefined;
  if (code && REASONS[code]) return REASONS[code];
  const message = typeof e.message === 'string' && e.message !== '' ? e.message : typeof inner?.message === 'string' ? inner.message : 'unknown error';
  return message.replace(/\s+/g, ' ').trim();
}

/** host:port/database of a PostgreSQL URL, never its password. */
function postgresWhere(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
  } catch {
    // The config checked the scheme; an unparsable rest is shown masked.
    return withoutPassword(databaseUrl);
  }
}

/** Why the store could not be opened, as one line naming DATABASE_URL or GATEHOUSE_DATA_DIR. */
export function storeOpenError(error: unknown, config: Pick<Config, 'databaseUrl' | 'dataDir'>): StartupError {
  if (config.databaseUrl !== undefined) return new StartupError(`DATABASE_URL: cannot use PostgreSQL at ${postgresWhere(config.databaseUrl)}: ${reasonOf(error)}`);
  return new StartupError(`GATEHOUSE_DATA_DIR: cannot open the SQLite database in ${config.dataDir}: ${reasonOf(error)}`);
}

/**
 * A command that only works on existing data met a missing or empty database: most likely a
 * mistyped data dir or URL, so it says which one it looked at and how to start a new one there.
 */
export function noDatabaseError(config: Pick<Config, 'databaseUrl' | 'dataDir'>): StartupError {
  if (config.databaseUrl !== undefined) {
    return new StartupError(
      `no Gatehouse schema in the PostgreSQL database at ${postgresWhere(config.databaseUrl)} (--database-url / DATABASE_URL); check the URL, or add --create to create the schema there`,
    );
  }
  return new StartupError(`no database in ${config.dataDir} (--data-dir / GATEHOUSE_DATA_DIR); give the data dir that holds gatehouse.sqlite, or add --create to start a new one there`);
}

/** The database holds signing keys, but no secret is set to decrypt them with (a new one could not). */
export function missingSecretError(config: Pick<Config, 'dataDir'>): StartupError {
  return new StartupError(
    `GATEHOUSE_SECRET: unset, and ${config.dataDir} holds no gatehouse.secret, but the database's signing keys are encrypted with one; set GATEHOUSE_SECRET (--secret) or give the data dir that holds gatehouse.secret`,
  );
}

/** Why the configured Redis could not be used, naming REDIS_URL without its password. */
export function redisOpenError(error: unknown, redisUrl: string): StartupError {
  let where = withoutPassword(redisUrl);
  try {
    const url = new URL(redisUrl);
    where = `${url.hostname}:${url.port || '6379'}`;
  } catch {
    // Shown masked.
  }
  return new StartupError(`REDIS_URL: cannot reach Redis at ${where}: ${reasonOf(error)}`);
}

/** Why a listener could not start. */
export function listenError(error: unknown, setting: string, host: string, port: number): StartupError {
  const code = (error as SystemError | undefined)?.code;
  if (code === 'EADDRINUSE') return new StartupError(`${setting}: ${host}:${port} is already in use`);
  if (code === 'EADDRNOTAVAIL') return new StartupError(`${setting}: cannot bind ${host}: no such address on this machine`);
  if (code === 'EACCES') return new StartupError(`${setting}: not allowed to listen on ${host}:${port} (ports below 1024 need privileges)`);
  return new StartupError(`${setting}: cannot listen on ${host}:${port}: ${reasonOf(error)}`);
}
