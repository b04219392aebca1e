// Body and query parsing. Forms keep repeated names as arrays (so they can be rejected), and a
// form-typed body that holds JSON is read as JSON: axios 0.x sends ilert's documented snippets so.
import type { FastifyInstance } from 'fastify';
import { OAuthError } from '../oauth/errors.ts';

export const BODY_LIMIT = 64 * 1024;

/**
 * Parses `application/x-www-form-urlencoded` text (bodies and query strings) exactly as
 * URLSearchParams does, but in one pass without its iterator: token requests are a few short
 * fields whose values (tokens, client ids) rarely hold an escape, so most values are plain slices
 * of the text. Text with a malformed escape or a lone surrogate (which URLSearchParams decodes
 * leniently) goes to URLSearchParams itself.
 */
export function parseForm(text: string): Record<string, string | string[]> {
  if (!isWellFormed(text)) return parseFormLeniently(text);
  const out: Record<string, string | string[]> = Object.create(null);
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('&', start);
    if (end === -1) end = text.length;
    if (end > start) {
      const equals = text.indexOf('=', start);
      const nameEnd = equals === -1 || equals > end ? end : equals;
      const name = decodeFormComponent(text.slice(start, nameEnd));
      const value = nameEnd === end ? '' : decodeFormComponent(text.slice(nameEnd + 1, end));
      if (name === undefined || value === undefined) return parseFormLeniently(text);
      add(out, name, value);
    }
    start = end + 1;
  }
  return out;
}

// String.prototype.isWellFormed (Node 20) is newer than the ES2022 library types.
const isWellFormed = (text: string): boolean => (text as string & { isWellFormed(): boolean }).isWellFormed();

function add(out: Record<string, string | string[]>, name: string, value: string): void {
  const previous = out[name];
  if (previous === undefined) out[name] = value;
  else out[name] = Array.isArray(previous) ? [...previous, value] : [previous, value];
}

/** '+' is a space, `%XX` a UTF-8 byte; undefined for a malformed escape. */
function decodeFormComponent(raw: string): string | undefined {
  const text = raw.includes('+') ? raw.replaceAll('+', ' ') : raw;
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function parseFormLeniently(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [name, value] of new URLSearchParams(text)) add(out, name, value);
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
