// The resource API's parameters and answers as zod schemas: the routes validate with these, and
// the OpenAPI document (src/docs/openapi.ts) is generated from them. `same` holds each answer's
// schema and the type of the function that builds it together at compile time.
import { z } from 'zod';
import { same } from '../http/oauth-schemas.ts';
import type { User } from '../domain/identity.ts';
import { ALERT_CREATION, ALERT_PRIORITY_RULES } from './alert-source-body.ts';
import type { alertSourceJson, escalationPolicyJson } from './alert-source-json.ts';
import type { userJson } from './user-json.ts';
import type { ResponseSpec } from '../docs/operation.ts';

export { alertSourceBodySchema } from './alert-source-body.ts';

export const MAX_RESULTS = 50;
const MAX_START_INDEX = 2_147_483_647;
/** Ids are int32 in our schema. */
const MAX_ID = 2_147_483_647;

/** A query parameter holding a plain integer in [min, max]; anything else is refused, never clamped. */
function integerParam(name: string, min: number, max: number, description: string) {
  const range = `${name} must be an integer between ${min} and ${max}`;
  return z
    .string({ error: `${name} must be given once` })
    .regex(/^\d{1,10}$/, range)
    .transform(Number)
    .pipe(z.number().min(min, range).max(max, range))
    .optional()
    .meta({ description });
}

/** ilert's paging parameters. */
export const pageQuerySchema = z.object({
  'start-index': integerParam('start-index', 0, MAX_START_INDEX, '0-based index of the first item; default 0'),
  'max-results': integerParam('max-results', 1, MAX_RESULTS, `Items per page, 1 to ${MAX_RESULTS}; default ${MAX_RESULTS}`),
});

/** A numeric id (int32, as stored) or something shaped like an integration key. */
export const alertSourceIdSchema = z
  .string()
  .regex(/^(?:[1-9]\d{0,9}|[A-Za-z0-9_-]{1,64})$/)
  .refine((id) => !/^\d+$/.test(id) || Number(id) <= MAX_ID)
  .meta({ description: 'The alert source\'s id, or its integration key' });

export const apiErrorSchema = z
  .object({
    status: z.int(),
    message: z.string(),
    code: z.string().meta({ examples: ['BAD_REQUEST', 'UNAUTHORIZED', 'OAUTH2_SCOPE_ERROR', 'NOT_FOUND'] }),
    field: z.string().optional().meta({ description: 'The request body field a 400 is about' }),
    scope: z.string().optional().meta({ description: 'The scope a 403 asks for' }),
  })
  .meta({ title: 'ApiError' });

/** The errors every protected route may answer besides its own, for the API reference. */
export function apiErrors(extra: Record<string, ResponseSpec> = {}): Record<string, ResponseSpec> {
  const always: Record<string, ResponseSpec> = {
    '401': { description: 'No, an invalid, an expired or a revoked access token (WWW-Authenticate says which)', body: apiErrorSchema },
    '403': { description: 'The token lacks the scope (OAUTH2_SCOPE_ERROR; `scope` names it)', body: apiErrorSchema },
    '429': { description: 'Too many requests, with Retry-After', body: apiErrorSchema },
  };
  // A route's own description of one of these statuses wins.
  return { ...extra, ...Object.fromEntries(Object.entries(always).filter(([status]) => !(status in extra))) };
}

const timestamp = z.iso.datetime();

export const userSchema = z
  .object({
    id: z.int(),
    username: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    email: z.string(),
    timezone: z.string(),
    position: z.string(),
    department: z.string(),
    avatarUrl: z.string().nullable(),
    language: z.enum(['de', 'en']),
    region: z.string(),
    role: z.enum(['STAKEHOLDER', 'GUEST', 'RESPONDER', 'USER', 'ADMIN']),
    shiftColor: z.string(),
    mutedUntil: timestamp.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ title: 'User' });
same<z.output<typeof userSchema>, ReturnType<typeof userJson>>(true);
same<z.output<typeof userSchema>['role'], User['role']>(true);

export const escalationPolicySchema = z
  .object({
    id: z.int(),
    name: z.string(),
    escalationRules: z.array(z.never()),
    teams: z.array(z.never()),
    repeating: z.boolean(),
    frequency: z.int(),
    delayMin: z.int(),
    routingKey: z.null(),
  })
  .meta({ title: 'EscalationPolicy' });
same<z.output<typeof escalationPolicySchema>, ReturnType<typeof escalationPolicyJson>>(true);

export const escalationPolicyListSchema = z.array(escalationPolicySchema).meta({ title: 'EscalationPolicyList' });

/** An escalation policy's numeric id (int32, as stored). */
export const escalationPolicyIdSchema = z
  .string()
  .regex(/^[1-9]\d{0,9}$/)
  .transform(Number)
  .pipe(z.number().max(MAX_ID))
  .meta({ description: "The escalation policy's id" });

export const alertSourceSchema = z
  .object({
    id: z.int(),
    name: z.string(),
    iconUrl: z.null(),
    integrationType: z.string(),
    integrationKey: z.string().nullable().meta({ description: 'null unless the token may edit alert sources (source:w)' }),
    integrationUrl: z.string().nullable().meta({ description: 'null unless the token may edit alert sources (source:w)' }),
    escalationPolicy: escalationPolicySchema,
    status: z.enum(['ALL_RESOLVED', 'DISABLED']),
    active: z.boolean(),
    alertCreation: z.enum(ALERT_CREATION),
    alertPriorityRule: z.enum(ALERT_PRIORITY_RULES),
    autoResolutionTimeout: z.string().nullable(),
    alertGroupingWindow: z.string().nullable(),
    teams: z.array(z.object({ id: z.int(), name: z.string() })),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ title: 'AlertSource' });
// The enums are plain strings in the code; the schema names the values the API writes.
type Enumerated = 'alertCreation' | 'alertPriorityRule' | 'status' | 'escalationPolicy';
same<Omit<z.output<typeof alertSourceSchema>, Enumerated>, Omit<ReturnType<typeof alertSourceJson>, Enumerated>>(true);

export const alertSourceListSchema = z.array(alertSourceSchema).meta({ title: 'AlertSourceList' });
