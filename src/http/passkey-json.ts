// What the passkey endpoints read and answer (JSON, for our script in src/pages/passkeys.js):
// WebAuthn responses checked for shape and size at the edge, the CSRF token from the
// X-CSRF-Token header or the body's `csrf`, and refusals as one line of plain text (these are
// page routes: their errors are never JSON).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ResponseSpec } from '../docs/operation.ts';
import { CSRF_FIELD, type SessionCookies } from './sessions.ts';

const b64url = (max: number) => z.string().max(max).regex(/^[A-Za-z0-9_-]*$/, 'is not base64url');

const credentialBase = {
  id: b64url(1400),
  rawId: b64url(1400),
  type: z.literal('public-key'),
  clientExtensionResults: z.record(z.string(), z.unknown()).optional().default({}),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
};

/** navigator.credentials.create's answer, as @simplewebauthn/browser hands it over. */
export const registrationResponseSchema = z
  .object({
    ...credentialBase,
    response: z.object({
      clientDataJSON: b64url(4096),
      attestationObject: b64url(16_384),
      transports: z.array(z.string().max(20)).max(8).optional(),
    }).loose(),
  })
  .meta({ title: 'WebAuthn registration response', description: 'RegistrationResponseJSON (WebAuthn Level 3)' });

/** navigator.credentials.get's answer. */
export const authenticationResponseSchema = z
  .object({
    ...credentialBase,
    response: z.object({
      clientDataJSON: b64url(4096),
      authenticatorData: b64url(4096),
      signature: b64url(1024),
      userHandle: b64url(200).optional(),
    }).loose(),
  })
  .meta({ title: 'WebAuthn authentication response', description: 'AuthenticationResponseJSON (WebAuthn Level 3)' });

export const CSRF_BODY = z.string().max(100).optional().meta({ description: `${CSRF_FIELD}; or send it as the X-CSRF-Token header` });

/** PublicKeyCredential{Creation,Request}OptionsJSON, as @simplewebauthn/server makes them. */
export const webauthnOptionsSchema = z.object({ challenge: z.string() }).loose().meta({ title: 'WebAuthn options', description: 'The options for navigator.credentials.create or .get (JSON form)' });

/** Where the browser goes next after a ceremony succeeded. */
export const nextSchema = z.object({ redirect: z.string().meta({ description: 'A path on this server' }) }).meta({ title: 'Next page' });

/** A refusal: one line saying what is wrong. */
export const refusal = (description: string): ResponseSpec => ({ description, body: 'text' });

export function sendRefusal(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.status(status).type('text/plain; charset=utf-8').send(message);
}

/** The body as an object (absent, or not JSON: empty). */
export const bodyOf = (request: FastifyRequest): Record<string, unknown> =>
  request.body !== null && typeof request.body === 'object' && !Array.isArray(request.body) ? (request.body as Record<string, unknown>) : {};

/** A text field of the body, or undefined. */
export function stringField(request: FastifyRequest, name: string): string | undefined {
  const value = bodyOf(request)[name];
  return typeof value === 'string' ? value : undefined;
}

/** This browser's CSRF token when the request carries it (the header, else the body's `csrf`); otherwise undefined, and 403 was sent. */
export function jsonCsrf(request: FastifyRequest, reply: FastifyReply, sessions: SessionCookies): string | undefined {
  const header = request.headers['x-csrf-token'];
  const field = bodyOf(request).csrf;
  const posted = typeof header === 'string' ? header : typeof field === 'string' ? field : undefined;
  if (posted !== undefined && sessions.csrfValid(request, posted)) return posted;
  sendRefusal(reply, 403, 'This page has expired or the request did not come from this site (CSRF). Reload the page and try again.');
  return undefined;
}

/** Reads `field` of the body with the schema; a clear message (field and problem) when it does not fit. */
export function readJson<T>(request: FastifyRequest, field: string, schema: z.ZodType<T>): { value: T } | { problem: string } {
  const parsed = schema.safeParse(bodyOf(request)[field]);
  if (parsed.success) return { value: parsed.data };
  const issue = parsed.error.issues[0];
  return { problem: `The ${[field, ...(issue?.path ?? [])].join('.')} is not valid: ${issue?.message ?? 'missing'}` };
}
