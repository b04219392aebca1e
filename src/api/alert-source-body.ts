// The request body of POST and PUT /api/alert-sources (ilert's AlertSourceRel), checked with zod.
// Unknown and read-only fields are ignored; every problem becomes one message naming the field.
import { z } from 'zod';
import { INTEGRATION_TYPES } from './integration-types.ts';

export const ALERT_CREATION = [
  'ONE_ALERT_PER_EMAIL',
  'ONE_ALERT_PER_EMAIL_SUBJECT',
  'ONE_PENDING_ALERT_ALLOWED',
  'ONE_OPEN_ALERT_ALLOWED',
  'OPEN_RESOLVE_ON_EXTRACTION',
  'ONE_ALERT_GROUPED_PER_WINDOW',
  'INTELLIGENT_GROUPING',
] as const;

export const ALERT_PRIORITY_RULES = ['HIGH', 'LOW', 'HIGH_DURING_SUPPORT_HOURS', 'LOW_DURING_SUPPORT_HOURS'] as const;

/** Ids are int32 in our schema; anything larger cannot exist and must not reach the database. */
const MAX_ID = 2_147_483_647;
const MAX_TEAMS = 50;

// Control characters have no place in names; lone surrogates would break PostgreSQL's UTF-8.
const text = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !v.includes('\0'), 'must not contain NUL bytes')
    .refine((v) => !/[\u0001-\u001f\u007f]/.test(v), 'must not contain control characters')
    // With the u flag this matches only unpaired surrogates.
    .refine((v) => !/[\uD800-\uDFFF]/u.test(v), 'must be valid Unicode');

const id = z.int().min(1, 'must be a positive integer').max(MAX_ID, 'is not a known id');

// Java's Duration format, as ilert's API (a JVM service) reads it: days and time parts, e.g. PT4H.
const DURATION = /^P(?=\d|T\d)(?:\d{1,6}D)?(?:T(?=\d)(?:\d{1,6}H)?(?:\d{1,6}M)?(?:\d{1,6}(?:\.\d{1,9})?S)?)?$/;
const duration = z
  .string()
  .max(40, 'must be at most 40 characters')
  .regex(DURATION, 'must be an ISO-8601 duration such as PT4H')
  .nullish()
  .transform((v) => v ?? null);

export const alertSourceBodySchema = z.object({
  name: text(255)
    .transform((v) => v.trim())
    .refine((v) => v.length > 0, 'must not be blank'),
  integrationType: z.enum(INTEGRATION_TYPES, { error: 'is not a known integration type' }),
  escalationPolicy: z.object({ id }),
  active: z.boolean().default(true),
  alertCreation: z.enum(ALERT_CREATION).default('ONE_ALERT_PER_EMAIL'),
  alertPriorityRule: z.enum(ALERT_PRIORITY_RULES).default('HIGH'),
  autoResolutionTimeout: duration,
  alertGroupingWindow: duration,
  teams: z
    .array(z.object({ id, name: text(255).optional() }))
    .max(MAX_TEAMS, `must list at most ${MAX_TEAMS} teams`)
    .default([])
    .transform((teams) => teams.map((team) => ({ id: team.id, name: team.name ?? '' }))),
});

export type AlertSourceBody = z.output<typeof alertSourceBodySchema>;

export type BodyCheck = { ok: true; body: AlertSourceBody } | { ok: false; field: string; message: string };

function fieldName(path: readonly PropertyKey[]): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`)).join('') || 'body';
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${issue.expected === 'int' ? 'an integer' : `a${/^[aeiou]/.test(issue.expected) ? 'n' : ''} ${issue.expected}`}`;
    case 'invalid_value':
      if (issue.message && !issue.message.startsWith('Invalid')) return issue.message;
      return `must be one of ${issue.values.map(String).join(', ')}`;
    default:
      return issue.message;
  }
}

/** Checks a parsed request body; the first problem is reported, naming its field. */
export function readAlertSourceBody(raw: unknown): BodyCheck {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, field: 'body', message: 'The request body must be a JSON object (Content-Type: application/json)' };
  }
  const result = alertSourceBodySchema.safeParse(raw, { reportInput: true });
  if (result.success) return { ok: true, body: result.data };
  const issue = result.error.issues[0];
  if (!issue) return { ok: false, field: 'body', message: 'The request body is invalid' };
  const field = fieldName(issue.path);
  return { ok: false, field, message: `${field} ${describeIssue(issue)}` };
}
