// Reads named string parameters from a parsed body or query. Repeated, non-string, oversized or
// NUL-containing values are a problem (invalid_request); an empty value counts as absent.
import { z } from 'zod';
import { OAuthError, invalidTarget } from '../oauth/errors.ts';

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
  /** The values of the parameters read as lists (`options.lists`), each present as a list, maybe empty. */
  lists: Partial<Record<K, string[]>>;
  /** The first problem found, if any; values with problems are left out. */
  problem?: OAuthError;
}

/**
 * A repeated parameter that may appear only once is invalid_request, except `resource`, which
 * only the authorization endpoint lets repeat (RFC 8707): elsewhere each token is for one resource.
 */
const repeated = (name: string): OAuthError =>
  name === 'resource'
    ? invalidTarget('Name one resource per token request: each access token is for one resource (ask again for another)')
    : new OAuthError('invalid_request', `Parameter ${name} is repeated`);

export function readParams<K extends string>(raw: unknown, wanted: readonly K[] | ParamsSchema<K>, options: { lists?: readonly NoInfer<K>[] } = {}): ReadParams<K> {
  const source: RawParams = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as RawParams) : {};
  const names: readonly K[] = Array.isArray(wanted) ? wanted : (Object.keys((wanted as ParamsSchema<K>).shape) as K[]);
  const schemaOf = (name: K): z.ZodType<string | undefined> => (Array.isArray(wanted) ? param : (wanted as ParamsSchema<K>).shape[name]);
  const values: Partial<Record<K, string>> = {};
  const lists: Partial<Record<K, string[]>> = {};
  const listed = new Set<string>(options.lists ?? []);
  let problem: OAuthError | undefined;
  const note = (message: string | OAuthError) => {
    problem ??= typeof message === 'string' ? new OAuthError('invalid_request', message) : message;
  };
  /** One value checked against the parameter's schema, or undefined after noting the problem. */
  const checkedValue = (name: K, value: unknown): string | undefined => {
    if (typeof value !== 'string') {
      note(`Parameter ${name} must be a string`);
      return undefined;
    }
    const checked = schemaOf(name).safeParse(value);
    if (!checked.success) {
      note(`Parameter ${name} ${checked.error.issues[0]?.message ?? 'is invalid'}`);
      return undefined;
    }
    return checked.data;
  };
  for (const name of names) {
    const value = Object.hasOwn(source, name) ? source[name] : undefined;
    if (listed.has(name)) {
      const all = value === undefined || value === null ? [] : Array.isArray(value) ? (value as unknown[]) : [value];
      // Listed values are checked for type and NUL only: their endpoint judges their length (a
      // `resource` too long is invalid_target, not invalid_request).
      lists[name] = all.filter((v) => v !== '').flatMap((v) => {
        if (typeof v === 'string' && !v.includes('\0')) return [v];
        note(`Parameter ${name} must be a string without NUL bytes`);
        return [];
      });
      continue;
    }
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      note(repeated(name));
      continue;
    }
    const checked = checkedValue(name, value);
    if (checked !== undefined) values[name] = checked;
  }
  return problem ? { values, lists, problem } : { values, lists };
}

/** Like readParams, but a problem is thrown. */
export function requireValidParams<K extends string>(raw: unknown, wanted: readonly K[] | ParamsSchema<K>): Partial<Record<K, string>> {
  const { values, problem } = readParams(raw, wanted);
  if (problem) throw problem;
  return values;
}
