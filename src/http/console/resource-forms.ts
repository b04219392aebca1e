// Reading the resource form: its fields (zod at the edge, see forms.ts), the scope lines and the
// lifetime turned into the core's settings, and every problem — the form's and the core's — by
// field, so the page shows them all at once.
import type { ResourceServer } from '../../domain/resource-server.ts';
import type { OAuthContext } from '../../oauth/context.ts';
import type { Problem } from '../../platform/apps.ts';
import { resourceChangeProblems, resourceRegistrationProblems, type ResourceRegistration, type ResourceSettings } from '../../platform/resources.ts';
import type { FieldErrors } from '../../pages/console/parts.ts';
import type { ResourceFormValues } from '../../pages/console/resource-form.ts';
import { parseScopeLines } from '../../pages/console/scope-lines.ts';
import { consoleForm, errorsByField } from './forms.ts';

export const RESOURCE_FORM = consoleForm({
  identifier: 'The resource identifier (RFC 8707): an absolute URI without fragment or query; only when registering',
  name: 'What the consent page and the console call the API',
  description: 'What the API is',
  scopes: 'One scope a line: "family NAME = NOUN" or "scope NAME = DESCRIPTION" (ignored for the built-in API)',
  token_lifetime: 'Seconds its access tokens live, 60 to 86400; blank: 3600 (ignored for the built-in API)',
});

export function resourceFormFromBody(values: Record<keyof typeof RESOURCE_FORM.shape, string>): ResourceFormValues {
  const text = (value: string) => value.replace(/\r\n/g, '\n');
  return { identifier: values.identifier.trim(), name: values.name, description: text(values.description), scopes: text(values.scopes), tokenLifetime: values.token_lifetime.trim() };
}

/** The settings the form gives; the built-in API's are its name and description only (its other fields are not shown). */
function settingsOf(values: ResourceFormValues, builtIn: boolean): { settings: ResourceSettings; lineProblems: Problem[] } {
  if (builtIn) return { settings: { name: values.name, description: values.description }, lineProblems: [] };
  const { scopes, problems } = parseScopeLines(values.scopes);
  // Not digits: NaN, which the core refuses with its bounds.
  const accessTokenLifetime = values.tokenLifetime === '' ? undefined : /^\d+$/.test(values.tokenLifetime) ? Number(values.tokenLifetime) : Number.NaN;
  return { settings: { name: values.name, description: values.description, scopes, accessTokenLifetime }, lineProblems: problems.map((message) => ({ message, field: 'scopes' })) };
}

const orErrors = <T>(value: T, problems: Problem[]): { value: T } | { errors: FieldErrors } =>
  problems.length === 0 ? { value } : { errors: errorsByField(problems) };

/** A registration the core will accept as far as it can tell before the store, or every problem found. */
export function registrationFrom(values: ResourceFormValues, ctx: OAuthContext): { value: ResourceRegistration } | { errors: FieldErrors } {
  const { settings, lineProblems } = settingsOf(values, false);
  const registration: ResourceRegistration = { identifier: values.identifier, name: values.name, description: values.description, scopes: settings.scopes ?? [], accessTokenLifetime: settings.accessTokenLifetime };
  return orErrors(registration, [...lineProblems, ...resourceRegistrationProblems(registration, ctx)]);
}

/** A change of this resource, or every problem found. */
export function changeFrom(values: ResourceFormValues, resource: ResourceServer): { value: ResourceSettings } | { errors: FieldErrors } {
  const { settings, lineProblems } = settingsOf(values, resource.builtIn);
  return orErrors(settings, [...lineProblems, ...resourceChangeProblems(resource, settings)]);
}
