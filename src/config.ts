// Configuration: flags, environment variables and an optional JSON file → one typed, validated
// Config. Precedence: flag > environment > file > default. SETTINGS names every setting once.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { PURGE_DAYS_RULE as DAYS_RULE, REGISTRATION_POLICIES, type RegistrationPolicy } from './domain/registration.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;

const PORT_RULE = 'must be a port number from 0 to 65535';
const POOL_RULE = 'must be a whole number of connections from 1 to 1000';
const WORKERS_RULE = 'must be a whole number from 1 to 256';
const SECONDS_RULE = 'must be a whole number of seconds from 0 to 86400 (0 turns it off)';
const GRACE_RULE = 'must be a whole number of seconds from 1 to 3600';
const seconds = (fallback: number) =>
  z.coerce.number({ error: SECONDS_RULE }).int(SECONDS_RULE).min(0, SECONDS_RULE).max(86_400, SECONDS_RULE).default(fallback);
const port = () => z.coerce.number({ error: PORT_RULE }).int(PORT_RULE).min(0, PORT_RULE).max(65535, PORT_RULE);

const configSchema = z.object({
  port: port().default(8080),
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
  logFormat: z.enum(LOG_FORMATS, { error: `must be one of ${LOG_FORMATS.join(', ')}` }).default('auto'),
  redisUrl: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional(),
  workers: z.coerce.number({ error: WORKERS_RULE }).int(WORKERS_RULE).min(1, WORKERS_RULE).max(256, WORKERS_RULE).optional(),
  rateLimits: z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'),
  keyReloadSeconds: seconds(60),
  housekeepingIntervalSeconds: seconds(600),
  trustProxy: z
    .string()
    .regex(/^(\d{1,2}|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/, 'must be a hop count (e.g. 1) or a comma-separated list of proxy addresses or CIDRs (e.g. 10.0.0.0/8)')
    .optional(),
  shutdownGraceSeconds: z.coerce.number({ error: GRACE_RULE }).int(GRACE_RULE).min(1, GRACE_RULE).max(3600, GRACE_RULE).default(10),
  metricsToken: z
    .string()
    .min(16, 'must be at least 16 characters')
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces (it is sent as a bearer token)')
    .optional(),
  metricsPort: port().optional(),
  metricsHost: z.string().min(1).default('127.0.0.1'),
  registration: z.enum(REGISTRATION_POLICIES, { error: `must be one of ${REGISTRATION_POLICIES.join(', ')}` }).default('off'),
  registrationPurgeDays: z.coerce.number({ error: DAYS_RULE }).int(DAYS_RULE).min(0, DAYS_RULE).max(3650, DAYS_RULE).default(30),
  cimdAllowLoopback: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
});

type SettingKey = keyof z.input<typeof configSchema>;

export interface SettingSpec {
  key: SettingKey;
  /** The environment variable. */
  env: string;
  /** The command-line flag, without its value (`--port`). */
  flag: `--${string}`;
  /** The flag's value placeholder in help text. */
  value: string;
  /** The default, as docs and `gatehouse config` show it. */
  default: string;
  description: string;
  /** `whole`: never shown; `url`: shown without its password. */
  secret?: 'whole' | 'url';
}

/** Every setting: its environment variable, flag, default and meaning (docs/configuration.md mirrors it). */
export const SETTINGS: readonly SettingSpec[] = [
  { key: 'port', env: 'PORT', flag: '--port', value: '<port>', default: '8080', description: 'TCP port to listen on' },
  { key: 'host', env: 'HOST', flag: '--host', value: '<address>', default: '127.0.0.1', description: 'address to bind (0.0.0.0 for all interfaces)' },
  { key: 'publicUrl', env: 'PUBLIC_URL', flag: '--public-url', value: '<url>', default: 'http://localhost:PORT', description: 'public base URL and token issuer' },
  { key: 'dataDir', env: 'GATEHOUSE_DATA_DIR', flag: '--data-dir', value: '<dir>', default: './data', description: 'SQLite database, generated secret, demo credentials' },
  { key: 'databaseUrl', env: 'DATABASE_URL', flag: '--database-url', value: '<url>', default: 'unset (SQLite)', description: 'postgres:// URL to run on PostgreSQL', secret: 'url' },
  { key: 'databasePoolSize', env: 'DATABASE_POOL_SIZE', flag: '--database-pool-size', value: '<n>', default: '10', description: 'PostgreSQL connections per process' },
  { key: 'secret', env: 'GATEHOUSE_SECRET', flag: '--secret', value: '<secret>', default: 'generated into the data dir', description: 'encrypts the private signing keys at rest', secret: 'whole' },
  { key: 'logLevel', env: 'LOG_LEVEL', flag: '--log-level', value: '<level>', default: 'info', description: LOG_LEVELS.join(', ') },
  { key: 'logFormat', env: 'GATEHOUSE_LOG_FORMAT', flag: '--log-format', value: '<format>', default: 'auto', description: 'json, pretty, or auto (pretty on a terminal)' },
  { key: 'redisUrl', env: 'REDIS_URL', flag: '--redis-url', value: '<url>', default: 'unset', description: 'rate-limit counters shared by every instance', secret: 'url' },
  { key: 'workers', env: 'GATEHOUSE_WORKERS', flag: '--workers', value: '<n>', default: 'one per CPU', description: 'processes serving requests (node:cluster)' },
  { key: 'rateLimits', env: 'GATEHOUSE_RATE_LIMITS', flag: '--rate-limits', value: '<on|off>', default: 'on', description: 'off only for benchmarks' },
  { key: 'keyReloadSeconds', env: 'GATEHOUSE_KEY_RELOAD_SECONDS', flag: '--key-reload-seconds', value: '<s>', default: '60', description: 'how often signing keys are reread; 0: only on an unknown kid' },
  { key: 'housekeepingIntervalSeconds', env: 'GATEHOUSE_HOUSEKEEPING_INTERVAL', flag: '--housekeeping-interval', value: '<s>', default: '600', description: 'mean seconds between purges of expired rows; 0: never' },
  { key: 'trustProxy', env: 'GATEHOUSE_TRUST_PROXY', flag: '--trust-proxy', value: '<hops|cidrs>', default: 'unset', description: 'proxies whose X-Forwarded-For names the client' },
  { key: 'shutdownGraceSeconds', env: 'GATEHOUSE_SHUTDOWN_GRACE_SECONDS', flag: '--shutdown-grace-seconds', value: '<s>', default: '10', description: 'how long in-flight requests may finish after SIGTERM' },
  { key: 'metricsToken', env: 'GATEHOUSE_METRICS_TOKEN', flag: '--metrics-token', value: '<token>', default: 'unset', description: 'bearer token that GET /metrics requires', secret: 'whole' },
  { key: 'metricsPort', env: 'GATEHOUSE_METRICS_PORT', flag: '--metrics-port', value: '<port>', default: 'unset', description: 'serve /metrics on this port instead of the main one' },
  { key: 'metricsHost', env: 'GATEHOUSE_METRICS_HOST', flag: '--metrics-host', value: '<address>', default: '127.0.0.1', description: 'address the metrics port binds' },
  { key: 'registration', env: 'GATEHOUSE_REGISTRATION', flag: '--registration', value: '<off|token|open>', default: 'off', description: 'dynamic client registration: off, with an initial access token, or open to anyone' },
  { key: 'registrationPurgeDays', env: 'GATEHOUSE_REGISTRATION_PURGE_DAYS', flag: '--registration-purge-days', value: '<days>', default: '30', description: 'delete dynamically registered clients unused this long; 0: never' },
  { key: 'cimdAllowLoopback', env: 'GATEHOUSE_CIMD_ALLOW_LOOPBACK', flag: '--cimd-allow-loopback', value: '<true|false>', default: 'false', description: 'development only: fetch client ID metadata documents from loopback (http://localhost client ids)' },
];

/** The optional config file: `--config` or GATEHOUSE_CONFIG. */
export const CONFIG_FILE_SETTING = { env: 'GATEHOUSE_CONFIG', flag: '--config' } as const;

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
  /** `auto`: pretty when stdout is a terminal, JSON lines otherwise. */
  logFormat: (typeof LOG_FORMATS)[number];
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
  /** Seconds in-flight requests get to finish after SIGTERM/SIGINT before the process exits anyway. */
  shutdownGraceSeconds: number;
  /** Bearer token GET /metrics requires. Metrics are off unless this or metricsPort is set. */
  metricsToken?: string;
  /** A separate port for /metrics (on metricsHost); the main port then serves no metrics. */
  metricsPort?: number;
  metricsHost: string;
  registration: RegistrationPolicy; registrationPurgeDays: number; // docs/registration.md
  /** Development only: client ID metadata documents may live on loopback (http://localhost, 127.0.0.1). */
  cimdAllowLoopback: boolean;
}

/** Flag values as commander hands them over, plus the config file to read. */
export type ConfigFlags = { [K in SettingKey]?: string | number } & { config?: string };

export class ConfigError extends Error {}

export type SettingSource = 'flag' | 'env' | 'file' | 'default';

export interface ResolvedConfig {
  config: Config;
  /** Where each setting's value came from. */
  sources: Record<SettingKey, SettingSource>;
  /** The config file read, if any (absolute path). */
  file?: string;
}

function parseTrustProxy(value: string | undefined): number | string[] | undefined {
  if (value === undefined) return undefined;
  return /^\d+$/.test(value) ? Number(value) : value.split(',').map((part) => part.trim());
}

const KEYS = new Set<string>(SETTINGS.map((s) => s.key));

/** The settings of a JSON config file as strings, keyed like Config; problems are thrown one per line. */
function readConfigFile(path: string, label: string): Partial<Record<SettingKey, string>> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new ConfigError(`${label}: cannot read ${path}${code === 'ENOENT' ? ': no such file' : code ? ` (${code})` : ''}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${label}: ${path} is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new ConfigError(`${label}: ${path} must hold a JSON object of settings`);
  const values: Partial<Record<SettingKey, string>> = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (!KEYS.has(key)) {
      problems.push(`${path}: unknown setting "${key}" (known: ${[...KEYS].join(', ')})`);
      continue;
    }
    if (value === null) continue;
    if (typeof value === 'boolean' && key === 'rateLimits') values[key] = value ? 'on' : 'off';
    else if (typeof value === 'boolean' && key === 'cimdAllowLoopback') values[key] = String(value);
    else if (Array.isArray(value) && key === 'trustProxy' && value.every((v) => typeof v === 'string')) values[key] = value.join(',');
    else if (typeof value === 'string' || typeof value === 'number') values[key as SettingKey] = String(value);
    else problems.push(`${path}: "${key}" must be a string or a number`);
  }
  if (problems.length > 0) throw new ConfigError(problems.join('\n'));
  // Paths in a file are relative to the file, as in most tools' config files.
  if (values.dataDir !== undefined && !isAbsolute(values.dataDir)) values.dataDir = resolve(dirname(path), values.dataDir);
  return values;
}

/** Flags win over the environment, the environment over the file; empty values count as unset. */
export function resolveConfig(env: NodeJS.ProcessEnv, flags: ConfigFlags = {}): ResolvedConfig {
  const given = (value: string | number | undefined): string | undefined =>
    value === undefined || value === '' ? undefined : String(value);
  const fileFlag = given(flags.config);
  const fileEnv = given(env[CONFIG_FILE_SETTING.env]);
  const filePath = fileFlag ?? fileEnv;
  const fileLabel = fileFlag !== undefined ? CONFIG_FILE_SETTING.flag : CONFIG_FILE_SETTING.env;
  const file = filePath === undefined ? undefined : resolve(filePath);
  const fromFile = file === undefined ? {} : readConfigFile(file, fileLabel);

  const raw: Partial<Record<SettingKey, string>> = {};
  const sources = {} as Record<SettingKey, SettingSource>;
  const labels = {} as Record<SettingKey, string>;
  for (const setting of SETTINGS) {
    const candidates: [SettingSource, string | undefined, string][] = [
      ['flag', given(flags[setting.key]), setting.flag],
      ['env', given(env[setting.env]), setting.env],
      ['file', fromFile[setting.key], `${file}: "${setting.key}"`],
    ];
    const chosen = candidates.find(([, value]) => value !== undefined);
    sources[setting.key] = chosen?.[0] ?? 'default';
    labels[setting.key] = chosen?.[2] ?? setting.env;
    if (chosen) raw[setting.key] = chosen[1];
  }
  if (raw.rateLimits !== undefined) raw.rateLimits = raw.rateLimits.toLowerCase();
  if (raw.cimdAllowLoopback !== undefined) raw.cimdAllowLoopback = raw.cimdAllowLoopback.toLowerCase();
  if (raw.trustProxy !== undefined) raw.trustProxy = raw.trustProxy.trim();

  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    // Each line names what the user actually typed: the flag, the variable, or the file's key.
    const lines = parsed.error.issues.map((issue) => {
      const key = issue.path.join('.');
      return `${labels[key as SettingKey] ?? (key || 'config')}: ${issue.message}`;
    });
    throw new ConfigError(lines.join('\n'));
  }
  const c = parsed.data;
  const likeLocalhost = c.host === '0.0.0.0' || c.host === '::' || c.host === '127.0.0.1';
  // An IPv6 literal needs brackets in a URL (http://[::1]:8080).
  const defaultHost = likeLocalhost ? 'localhost' : c.host.includes(':') ? `[${c.host}]` : c.host;
  const publicUrl = (c.publicUrl ?? `http://${defaultHost}:${c.port}`).replace(/\/+$/, '');
  const config: Config = {
    ...c,
    dataDir: resolve(c.dataDir),
    publicUrl,
    workers: c.workers ?? availableParallelism(),
    rateLimits: c.rateLimits === 'on',
    trustProxy: parseTrustProxy(c.trustProxy),
    cimdAllowLoopback: c.cimdAllowLoopback === 'true',
  };
  return { config, sources, file };
}

export function loadConfig(env: NodeJS.ProcessEnv, flags: ConfigFlags = {}): Config {
  return resolveConfig(env, flags).config;
}
