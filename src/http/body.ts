// Body and query parsing. Forms keep repeated names as arrays (so they can be rejected), and a
// form-typed body that holds JSON is read as JSON: axios 0.x sends ilert's documented snippets so.
import type { FastifyInstance } from 'fastify';
import { OAuthError } from '../oauth/errors.ts';

export const BODY_LIMIT = 64 * 1024;

export function parseForm(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [name, value] of new URLSearchParams(text)) {
    const previous = out[name];
    if (previous === undefined) out[name] = value;
    else out[name] = Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return out;
}

function parseJsonObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new OAuthError('invalid_request', 'The request body is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new OAuthError('invalid_request', 'The request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

export function registerBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => {
    const text = String(body);
    try {
      done(null, text.trimStart().startsWith('{') ? parseJsonObject(text) : parseForm(text));
    } catch (error) {
      done(error as Error);
    }
  });
  app.addContentTypeParser(/^application\/([\w.+-]+\+)?json$/, { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => {
    const text = String(body);
    try {
      done(null, text.trim() === '' ? {} : parseJsonObject(text));
    } catch (error) {
      done(error as Error);
    }
  });
}
