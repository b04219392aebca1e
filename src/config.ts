// Configuration: environment variables and CLI flags → one typed, validated Config.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const PORT_RULE = 'must be a port number from 0 to 65535';
const POOL_RULE = 'must be a whole number of connections from 1 to 1000';
const WORKERS_RULE = 'must be a whole number from 1 to 256';
const SECONDS_RULE = 'must be a whole number of seconds from 0 to 86400 (0 turns it off)';
const seconds = (fallback: number) =>
  z.coerce.number({ error: SECONDS_RULE }).int(SECONDS_RULE).min(0, SECONDS_RULE).max(86_400, SECONDS_RULE).default(fallback);

const configSchema = z.object({
  port: z.coerce.number({ error: PORT_RULE }).int(PORT_RULE).min(0, PORT_RULE).max(65535, PORT_RULE).default(8080),
  host: z.string().min(1).default('127.0.0.1'),
  publicUrl: z
    .string()
    .superRefine((value, ctx) => {
      for (const message of publicUrlProblems(value)) ctx.addIssue({ code: 'custom', message });
    })
    .optional(),
  dataDir: z.string().min(1).default('./data'),
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL (unset it to use the embedded SQLite store)')
    .optional(),
  databasePoolSize: z.coerce
    .number({ error: POOL_RULE })
    .int(POOL_RULE)
    .min(1, POOL_RULE)
    .max(1000, POOL_RULE)
    .default(10),
  secret: z.string().min(16, 'must be at least 16 characters').optional(),
  logLevel: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  redisUrl: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional(),
  workers: z.coerce.number({ error: WORKERS_RULE }).int(WORKERS_RULE).min(1, WORKERS_RULE).max(256, WORKERS_RULE).optional(),
  rateLimits: z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'),
  keyReloadSeconds: seconds(60),
  housekeepingIntervalSeconds: seconds(600),
  trustProxy: z
    .string()
    .regex(/^(\d{1,2}|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/, 'must be a hop count (e.g. 1) or a comma-separated list of proxy addresses or CIDRs (e.g. 10.0.0.0/8)')
    .optional(),
});

/** The issuer must be a bare origin: clients compare it byte for byte with `iss`. */
function publicUrlProblems(value: string): string[] {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return ['must be an absolute http or https URL, such as https://auth.example.com'];
  }
  const problems: string[] = [];
  if (url.protocol !== 'http:' && url.protocol !== 'https:') problems.push('must be an http or https URL');
  if (url.username !== '' || url.password !== '') problems.push('must not contain credentials');
  if (!/^\/*$/.test(url.pathname)) problems.push('must not have a path');
  if (url.search !== '' || value.includes('?')) problems.push('must not have a query');
  if (url.hash !== '' || value.includes('#')) problems.push('must not have a fragment');
  return problems;
}

export interface Config {
  port: number;
  host: string;
  /** The issuer and base of every link, without a trailing slash. */
  publicUrl: string;
  dataDir: string;
  databaseUrl?: string;
  /** PostgreSQL connections per process (each instance and each worker has its own pool). */
  databasePoolSize: number;
  secret?: string;
  logLevel: (typeof LOG_LEVELS)[number];
  /** Shared rate-limit counters; without it each process counts for itself. */
  redisUrl?: string;
  /** Processes serving requests (node:cluster); 1 serves from the main process. */
  workers: number;
  /** Rate limits on (the default) or off (benchmarks only). */
  rateLimits: boolean;
  /** How often a running instance rereads the signing keys; 0: only on an unknown kid. */
  keyReloadSeconds: number;
  /** Mean seconds between purges of expired codes, sessions and tokens; 0: never. */
  housekeepingIntervalSeconds: number;
  /**
   * Which proxies may name the client in X-Forwarded-For: a hop count or addresses/CIDRs.
   * Unset: none, and the client is the socket's peer.
   */
  trustProxy?: number | string[];
}

export interface ConfigFlags {
  port?: string | number;
  host?: string;
  publicUrl?: string;
  dataDir?: string;
  workers?: string | number;
}

export class ConfigError extends Error {}

function parseTrustProxy(value: string | undefined): number | string[] | undefined {
  if (value === undefined) return undefined;
  return /^\d+$/.test(value) ? Number(value) : value.split(',').map((part) => part.trim());
}

/** Where each setting comes from, so an error names what the user actually typed. */
const SOURCES: Record<string, string> = {
  port: 'PORT (--port)',
  host: 'HOST (--host)',
  publicUrl: 'PUBLIC_URL (--public-url)',
  dataDir: 'GATEHOUSE_DATA_DIR (--data-dir)',
  databaseUrl: 'DATABASE_URL',
  databasePoolSize: 'DATABASE_POOL_SIZE',
  secret: 'GATEHOUSE_SECRET',
  logLevel: 'LOG_LEVEL',
  redisUrl: 'REDIS_URL',
  workers: 'GATEHOUSE_WORKERS (--workers)',
  rateLimits: 'GATEHOUSE_RATE_LIMITS',
  keyReloadSeconds: 'GATEHOUSE_KEY_RELOAD_SECONDS',
  housekeepingIntervalSeconds: 'GATEHOUSE_HOUSEKEEPING_INTERVAL',
  trustProxy: 'GATEHOUSE_TRUST_PROXY',
};

/** Flags win over the environment; empty environment values count as unset. */
export function loadConfig(env: NodeJS.ProcessEnv, flags: ConfigFlags = {}): Config {
  const pick = (...values: (string | number | undefined)[]) => values.find((v) => v !== undefined && v !== '');
  const parsed = configSchema.safeParse({
    port: pick(flags.port, env.PORT),
    host: pick(flags.host, env.HOST),
    publicUrl: pick(flags.publicUrl, env.PUBLIC_URL),
    dataDir: pick(flags.dataDir, env.GATEHOUSE_DATA_DIR),
    databaseUrl: pick(env.DATABASE_URL),
    databasePoolSize: pick(env.DATABASE_POOL_SIZE),
    secret: pick(env.GATEHOUSE_SECRET),
    logLevel: pick(env.LOG_LEVEL),
    redisUrl: pick(env.REDIS_URL),
    workers: pick(flags.workers, env.GATEHOUSE_WORKERS),
    rateLimits: pick(env.GATEHOUSE_RATE_LIMITS)?.toString().toLowerCase(),
    keyReloadSeconds: pick(env.GATEHOUSE_KEY_RELOAD_SECONDS),
    housekeepingIntervalSeconds: pick(env.GATEHOUSE_HOUSEKEEPING_INTERVAL),
    trustProxy: pick(env.GATEHOUSE_TRUST_PROXY)?.toString().trim(),
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = issue.path.join('.');
      return `${SOURCES[key] ?? (key || 'config')}: ${issue.message}`;
    });
    throw new ConfigError(lines.join('\n'));
  }
  const c = parsed.data;
  const likeLocalhost = c.host === '0.0.0.0' || c.host === '::' || c.host === '127.0.0.1';
  // An IPv6 literal needs brackets in a URL (http://[::1]:8080).
  const defaultHost = likeLocalhost ? 'localhost' : c.host.includes(':') ? `[${c.host}]` : c.host;
  const publicUrl = (c.publicUrl ?? `http://${defaultHost}:${c.port}`).replace(/\/+$/, '');
  return {
    ...c,
    dataDir: resolve(c.dataDir),
    publicUrl,
    workers: c.workers ?? availableParallelism(),
    rateLimits: c.rateLimits === 'on',
    trustProxy: parseTrustProxy(c.trustProxy),
  };
}
