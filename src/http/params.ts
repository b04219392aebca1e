// Reads named string parameters from a parsed body or query. Repeated, non-string, oversized or
// NUL-containing values are a problem (invalid_request); an empty value counts as absent.
import { z } from 'zod';
import { OAuthError } from '../oauth/errors.ts';

export const MAX_PARAM_LENGTH = 4096;

const param = z
  .string()
  .max(MAX_PARAM_LENGTH, `is longer than ${MAX_PARAM_LENGTH} characters`)
  .refine((v) => !v.includes('\0'), 'contains a NUL byte');

export type RawParams = Record<string, unknown>;

export interface ReadParams<K extends string> {
  values: Partial<Record<K, string>>;
  /** The first problem found, if any; values with problems are left out. */
  problem?: OAuthError;
}

export function readParams<K extends string>(raw: unknown, names: readonly K[]): ReadParams<K> {
  const source: RawParams = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as RawParams) : {};
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
    const checked = param.safeParse(value);
    if (!checked.success) {
      note(`Parameter ${name} ${checked.error.issues[0]?.message ?? 'is invalid'}`);
      continue;
    }
    values[name] = checked.data;
  }
  return problem ? { values, problem } : { values };
}

/** Like readParams, but a problem is thrown. */
export function requireValidParams<K extends string>(raw: unknown, names: readonly K[]): Partial<Record<K, string>> {
  const { values, problem } = readParams(raw, names);
  if (problem) throw problem;
  return values;
}
