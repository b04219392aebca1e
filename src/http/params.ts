// Reads named string parameters from a parsed body or query. Repeated, non-string, oversized or
// NUL-containing values are a problem (invalid_request); an empty value counts as absent.
import { z } from 'zod';
import { OAuthError } from '../oauth/errors.ts';

export const MAX_PARAM_LENGTH = 4096;

export const param = z
  .string()
  .max(MAX_PARAM_LENGTH, `is longer than ${MAX_PARAM_LENGTH} characters`)
  .refine((v) => !v.includes('\0'), 'contains a NUL byte');

export type RawParams = Record<string, unknown>;

/** The parameters an endpoint reads, each a described `param`: what validates them also documents them (OpenAPI). */
export type ParamsSchema<K extends string> = z.ZodObject<{ [P in K]: z.ZodOptional<typeof param> | typeof param }>;

/**
 * The parameters and what each means; those in `required` are marked so in the schema (and the
 * reference). Reading still treats every one as optional — the endpoint answers a missing one in
 * its own words (`code is required`) — so the mark documents, it does not change what is read.
 */
export function paramsSchema<K extends string>(descriptions: Record<K, string>, required: readonly NoInfer<K>[] = []): ParamsSchema<K> {
  const must = new Set<string>(required);
  const shape = Object.fromEntries(Object.entries<string>(descriptions).map(([name, description]) => [name, (must.has(name) ? param : param.optional()).meta({ description })]));
  return z.object(shape) as ParamsSchema<K>;
}

export interface ReadParams<K extends string> {
  values: Partial<Record<K, string>>;
  /** The first problem found, if any; values with problems are left out. */
  problem?: OAuthError;
}

export function readParams<K extends string>(raw: unknown, wanted: readonly K[] | ParamsSchema<K>): ReadParams<K> {
  const source: RawParams = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as RawParams) : {};
  const names: readonly K[] = Array.isArray(wanted) ? wanted : (Object.keys((wanted as ParamsSchema<K>).shape) as K[]);
  const schemaOf = (name: K): z.ZodType<string | undefined> => (Array.isArray(wanted) ? param : (wanted as ParamsSchema<K>).shape[name]);
  const values: Partial<Record<K, string>> = {};
  let problem: OAuthError | undefined;
  const note = (message: string) => {
    problem ??= new OAuthError('invalid_request', message);
  };
  for (const name of names) {
    const value = Object.hasOwn(source, name) ? source[name] : undefined;
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      note(`Parameter ${name} is repeated`);
      continue;
    }
    if (typeof value !== 'string') {
      note(`Parameter ${name} must be a string`);
      continue;
    }
    const checked = schemaOf(name).safeParse(value);
    if (!checked.success) {
      note(`Parameter ${name} ${checked.error.issues[0]?.message ?? 'is invalid'}`);
      continue;
    }
    if (checked.data !== undefined) values[name] = checked.data;
  }
  return problem ? { values, problem } : { values };
}

/** Like readParams, but a problem is thrown. */
export function requireValidParams<K extends string>(raw: unknown, wanted: readonly K[] | ParamsSchema<K>): Partial<Record<K, string>> {
  const { values, problem } = readParams(raw, wanted);
  if (problem) throw problem;
  return values;
}
