// The app form's service scopes as posted: one `service_scope_ID` checkbox field per resource,
// repeated for each ticked scope, and the hidden `service_scopes` field saying the form listed
// them (so a form or script without them leaves the app's as they are). What the scopes mean is
// the platform's to check (platform/service-scopes.ts).
import { z } from 'zod';
import type { ResourceScope } from '../../domain/resource-server.ts';
import type { ServiceScopeChoice } from '../../platform/service-scopes.ts';

const FIELD = /^service_scope_([1-9][0-9]{0,14})$/;
// A browser sends text; anything else (or text with NUL) is no browser's and is left out.
const values = z.union([z.string(), z.array(z.unknown())]).transform((value) => (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && !v.includes('\0')));

/** The ticked scopes by resource, in the order the form lists them; undefined when the form did not carry them. */
export function serviceScopesFromBody(raw: unknown, shown: string): ResourceScope[] | undefined {
  if (shown === '') return undefined;
  const body = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const scopes: ResourceScope[] = [];
  for (const [name, value] of Object.entries(body)) {
    const resourceId = FIELD.exec(name)?.[1];
    const parsed = resourceId === undefined ? undefined : values.safeParse(value);
    if (resourceId !== undefined && parsed?.success && parsed.data.length > 0) scopes.push({ resourceId: Number(resourceId), scope: parsed.data.join(' ') });
  }
  return scopes;
}

/** The form's service scopes as the platform takes them. */
export const serviceScopeChoicesOf = (scopes: readonly ResourceScope[] | undefined): ServiceScopeChoice[] | undefined =>
  scopes?.map((part) => ({ resource: part.resourceId, scope: part.scope }));
