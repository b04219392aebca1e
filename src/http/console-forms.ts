// Reading the console's form posts: named string fields (zod at the edge), and the app form's
// fields turned into the core's settings, with the core's refusals mapped to their form fields.
import { z } from 'zod';
import type { AppSettings } from '../oauth/app-management.ts';
import { RegistrationError } from '../oauth/apps.ts';
import type { AppFormValues } from '../pages/console/app-form.ts';
import type { FieldErrors } from '../pages/console/parts.ts';
import { REFRESH_ROTATIONS, type RefreshRotation } from '../store/types.ts';

// A browser sends each field once, as text; the body limit (64 kB) bounds the length.
const field = z.string().refine((value) => !value.includes('\0'), 'contains a NUL byte');

/**
 * The named fields of a form body, absent ones as ''. A repeated, non-text or NUL-holding field
 * is no browser's doing: `problem` says which, and the caller answers 400.
 */
export function readForm<K extends string>(raw: unknown, names: readonly K[]): { values: Record<K, string>; problem?: string } {
  const source = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const values = {} as Record<K, string>;
  let problem: string | undefined;
  for (const name of names) {
    const value = Object.hasOwn(source, name) ? source[name] : undefined;
    const parsed = field.optional().safeParse(value);
    if (!parsed.success) problem ??= `The field ${name} ${Array.isArray(value) ? 'is repeated' : 'is not valid text'}`;
    values[name] = parsed.success ? (parsed.data ?? '') : '';
  }
  return problem === undefined ? { values } : { values, problem };
}

export const APP_FORM_FIELDS = ['csrf', 'name', 'description', 'redirect_uris', 'limit_to_account', 'refresh_rotation'] as const;

export function appFormFromBody(values: Record<(typeof APP_FORM_FIELDS)[number], string>): AppFormValues {
  return {
    name: values.name,
    description: values.description.replace(/\r\n/g, '\n'),
    redirectUris: values.redirect_uris.replace(/\r\n/g, '\n'),
    limitToAccount: values.limit_to_account !== '',
    refreshRotation: values.refresh_rotation || 'public',
  };
}

/** The redirect URL lines, trimmed, blank lines dropped. */
export function redirectUriLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

const rotation = z.enum(REFRESH_ROTATIONS as readonly [RefreshRotation, ...RefreshRotation[]]);

/** The settings the core checks, or the field errors found before asking it. */
export function appSettingsFrom(values: AppFormValues): { settings: AppSettings } | { errors: FieldErrors } {
  const refreshRotation = rotation.safeParse(values.refreshRotation);
  if (!refreshRotation.success) return { errors: { refreshRotation: 'Choose one of the rotation policies' } };
  return {
    settings: {
      description: values.description,
      redirectUris: redirectUriLines(values.redirectUris),
      limitToAccount: values.limitToAccount,
      refreshRotation: refreshRotation.data,
    },
  };
}

/** A refusal of the core as errors by form field (`form` when it names none). */
export function fieldErrorsOf(error: RegistrationError): FieldErrors {
  return { [error.field ?? 'form']: error.message };
}

/** Runs a core call; a RegistrationError becomes field errors, anything else is thrown on. */
export async function attempt<T>(work: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; errors: FieldErrors }> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (error instanceof RegistrationError) return { ok: false, errors: fieldErrorsOf(error) };
    throw error;
  }
}
