// Configuration: environment variables and CLI flags → one typed, validated Config.
import { resolve } from 'node:path';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const configSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  host: z.string().min(1).default('127.0.0.1'),
  publicUrl: z
    .string()
    .url()
    .refine((u) => /^https?:$/.test(new URL(u).protocol), 'must be an http or https URL')
    .refine((u) => new URL(u).pathname === '/' || new URL(u).pathname === '', 'must not have a path')
    .optional(),
  dataDir: z.string().min(1).default('./data'),
  databaseUrl: z.string().optional(),
  secret: z.string().min(16, 'must be at least 16 characters').optional(),
  logLevel: z.enum(LOG_LEVELS).default('info'),
  redisUrl: z.string().optional(),
});

export interface Config {
  port: number;
  host: string;
  /** The issuer and base of every link, without a trailing slash. */
  publicUrl: string;
  dataDir: string;
  databaseUrl?: string;
  secret?: string;
  logLevel: (typeof LOG_LEVELS)[number];
  redisUrl?: string;
}

export interface ConfigFlags {
  port?: string | number;
  host?: string;
  publicUrl?: string;
  dataDir?: string;
}

export class ConfigError extends Error {}

/** Flags win over the environment; empty environment values count as unset. */
export function loadConfig(env: NodeJS.ProcessEnv, flags: ConfigFlags = {}): Config {
  const pick = (...values: (string | number | undefined)[]) => values.find((v) => v !== undefined && v !== '');
  const parsed = configSchema.safeParse({
    port: pick(flags.port, env.PORT),
    host: pick(flags.host, env.HOST),
    publicUrl: pick(flags.publicUrl, env.PUBLIC_URL),
    dataDir: pick(flags.dataDir, env.GATEHOUSE_DATA_DIR),
    databaseUrl: pick(env.DATABASE_URL),
    secret: pick(env.GATEHOUSE_SECRET),
    logLevel: pick(env.LOG_LEVEL),
    redisUrl: pick(env.REDIS_URL),
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'config'}: ${issue.message}`);
    throw new ConfigError(lines.join('\n'));
  }
  const c = parsed.data;
  const defaultHost = c.host === '0.0.0.0' || c.host === '::' ? 'localhost' : c.host === '127.0.0.1' ? 'localhost' : c.host;
  const publicUrl = (c.publicUrl ?? `http://${defaultHost}:${c.port}`).replace(/\/+$/, '');
  return { ...c, dataDir: resolve(c.dataDir), publicUrl };
}
