// Reading the console's form posts: named string fields (zod at the edge), and the app form's
// fields turned into the core's settings, with the core's refusals mapped to their form fields.
import { z } from 'zod';
import type { AppSettings } from '../../platform/app-management.ts';
import { RegistrationError, appRegistrationProblems, type Problem } from '../../platform/apps.ts';
import { CSRF_FIELD } from '../sessions.ts';
import { grantField, type AppFormValues } from '../../pages/console/app-form.ts';
import { GRANTS } from '../../oauth/grants/index.ts';
import type { FieldErrors } from '../../pages/console/parts.ts';
import { REFRESH_ROTATIONS, type RefreshRotation } from '../../domain/app.ts';
import { AUTH_METHOD_FORM_FIELDS, authMethodFormValues, authMethodFromForm } from './auth-method-form.ts';
import { serviceScopeChoicesOf, serviceScopesFromBody } from './service-scope-form.ts';
import { OIDC_FORM_FIELDS, oidcFormValues, oidcFromForm, urlLines } from './oidc-form.ts';

// A browser sends each field once, as text; the body limit (64 kB) bounds the length.
const field = z.string().refine((value) => !value.includes('\0'), 'contains a NUL byte');

/** A form's fields as the API reference describes them: what readForm checks of each. */
export type FormSchema<K extends string> = z.ZodObject<{ [P in K]: z.ZodOptional<typeof field> }>;

/** Named fields, each described. */
export function formFields<K extends string>(descriptions: Record<K, string>): FormSchema<K> {
  return z.object(Object.fromEntries(Object.entries<string>(descriptions).map(([name, description]) => [name, field.optional().meta({ description })]))) as FormSchema<K>;
}

/** A console form's fields, its CSRF token first. */
export const consoleForm = <K extends string>(descriptions: Record<K, string>): FormSchema<K | 'csrf'> =>
  formFields({ csrf: CSRF_FIELD, ...descriptions } as Record<K | 'csrf', string>);

/** A form of one button: nothing but the CSRF token. */
export const BUTTON_FORM = consoleForm({});

/**
 * The fields a form's schema names, from a form body, absent ones as ''. A repeated, non-text or
 * NUL-holding field is no browser's doing: `problem` says which, and the caller answers 400.
 */
export function readForm<K extends string>(raw: unknown, form: FormSchema<K>): { values: Record<K, string>; problem?: string } {
  const names = Object.keys(form.shape) as K[];
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

/** The app form: registering an app, and (its name fixed) changing its settings. */
export const APP_FORM = consoleForm({
  name: 'The app\'s name, unique on this server (it cannot change later)',
  description: 'What the app does, shown on the consent page',
  redirect_uris: 'Redirect URLs, one per line',
  limit_to_account: 'Any value: only users of this account may authorize the app',
  refresh_rotation: 'always, public or never: when a refresh returns a new refresh token',
  default_resource: "The id of the resource a token request that names none is for; blank: the built-in API",
  ...Object.fromEntries(GRANTS.map((grant) => [grantField(grant.type), `Any value: the app may use ${grant.type}`])),
  ...AUTH_METHOD_FORM_FIELDS,
  ...OIDC_FORM_FIELDS,
  service_scopes: 'Any value: the form lists the service scopes, so the ticked `service_scope_ID` fields (one per scope of the resource with that id, repeated) replace the app\'s; without it they stay as they are',
});

/**
 * The form's values. Grant types are the ticked boxes; with none ticked (an app needs at least
 * one, and an older form or a script sends none) they stay `grantTypes`: the app's own, or the
 * default for a new app.
 */
export function appFormFromBody(values: Record<keyof typeof APP_FORM.shape, string>, grantTypes: readonly string[], raw?: unknown): AppFormValues {
  const ticked = GRANTS.map((grant) => grant.type).filter((type) => (values as Record<string, string>)[grantField(type)] !== '');
  return {
    name: values.name,
    description: values.description.replace(/\r\n/g, '\n'),
    redirectUris: values.redirect_uris.replace(/\r\n/g, '\n'),
    limitToAccount: values.limit_to_account !== '',
    refreshRotation: values.refresh_rotation || 'public',
    grantTypes: ticked.length > 0 ? ticked : grantTypes,
    defaultResource: values.default_resource,
    ...authMethodFormValues(values),
    ...oidcFormValues(values),
    serviceScopes: serviceScopesFromBody(raw, values.service_scopes),
  };
}

const rotation = z.enum(REFRESH_ROTATIONS as readonly [RefreshRotation, ...RefreshRotation[]]);

/**
 * The settings the core checks, or the field errors found before asking it. A rotation policy no
 * radio button sends, or a default resource no option sends, is refused here, alongside whatever
 * else the core would refuse.
 */
export function appSettingsFrom(values: AppFormValues): { settings: AppSettings } | { errors: FieldErrors } {
  const redirectUris = urlLines(values.redirectUris);
  const base = { description: values.description, redirectUris, limitToAccount: values.limitToAccount, grantTypes: [...values.grantTypes] };
  const refreshRotation = rotation.safeParse(values.refreshRotation);
  // The select sends '' (the built-in API) or a resource's id; whether that resource exists is the core's to say.
  const defaultResourceId = values.defaultResource === '' ? null : /^[1-9][0-9]{0,14}$/.test(values.defaultResource) ? Number(values.defaultResource) : undefined;
  const own: Problem[] = [
    ...(refreshRotation.success ? [] : [{ message: 'Choose one of the rotation policies', field: 'refreshRotation' }]),
    ...(defaultResourceId === undefined ? [{ message: 'Choose one of the resources', field: 'defaultResourceId' }] : []),
  ];
  const auth = authMethodFromForm(values);
  const oidc = oidcFromForm(values);
  own.push(...auth.problems, ...oidc.problems);
  if (!refreshRotation.success || defaultResourceId === undefined || own.length > 0) return { errors: errorsByField([...appRegistrationProblems({ tenantId: 0, name: values.name, ...base, ...oidc.settings }), ...own]) };
  return { settings: { ...base, refreshRotation: refreshRotation.data, defaultResourceId, serviceScopes: serviceScopeChoicesOf(values.serviceScopes), ...auth.settings, ...oidc.settings } };
}

/** Problems by form field (`form` when one names none); a field's several problems in one line. */
export function errorsByField(problems: readonly Problem[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const { field = 'form', message } of problems) errors[field] = errors[field] === undefined ? message : `${errors[field]}; ${message}`;
  return errors;
}

/** A refusal of the core as errors by form field. */
export function fieldErrorsOf(error: RegistrationError): FieldErrors {
  return errorsByField(error.problems);
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
