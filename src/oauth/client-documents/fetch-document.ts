// Fetches a client ID metadata document with the defences the draft asks for: the host's
// addresses checked before connecting and the socket pinned to them, GET with Accept JSON, no
// redirects followed, at most 5 kB read, 3 s in all, JSON objects only.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressRules } from './address-policy.ts';
import { checkedAddresses, pinnedLookup, systemResolver, type Resolver } from './checked-address.ts';
import { DocumentFetchError } from './fetch-errors.ts';

export const DOCUMENT_LIMITS = { maxBytes: 5 * 1024, timeoutMs: 3000 } as const;

export interface FetchOptions extends AddressRules {
  resolver?: Resolver;
  maxBytes?: number;
  timeoutMs?: number;
  /** The Accept header (a JWK Set fetch asks for application/jwk-set+json too). */
  accept?: string;
  /** Certificate authorities to trust instead of the system's (tests serving https on loopback). */
  ca?: string | Buffer;
}

export interface FetchedDocument {
  /** The parsed JSON object, not yet validated as client metadata. */
  body: Record<string, unknown>;
  /** The response's Cache-Control, which decides how long it is kept. */
  cacheControl: string | undefined;
}

const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i;

/** The document at `url` (already checked to be a document URL), or a DocumentFetchError saying why not. */
export const fetchClientDocument = (url: URL, options: FetchOptions): Promise<FetchedDocument> => fetchGuardedJson(url, options);

/**
 * A JSON object from a URL someone else chose, with every defence above (the same guard suits a
 * client's jwks_uri, which a metadata document names); a DocumentFetchError saying why not.
 */
export async function fetchGuardedJson(url: URL, options: FetchOptions): Promise<FetchedDocument> {
  const maxBytes = options.maxBytes ?? DOCUMENT_LIMITS.maxBytes;
  const signal = AbortSignal.timeout(options.timeoutMs ?? DOCUMENT_LIMITS.timeoutMs);
  const timedOut = () => new DocumentFetchError(`no answer within ${options.timeoutMs ?? DOCUMENT_LIMITS.timeoutMs} ms`, 'unreachable');
  const addresses = await withSignal(checkedAddresses(url.hostname, options, options.resolver ?? systemResolver), signal, timedOut);
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    // Host and TLS server name stay the URL's; only the address to connect to is fixed.
    const outgoing = send(url, { method: 'GET', headers: { accept: options.accept ?? 'application/json', 'user-agent': 'Gatehouse' }, lookup: pinnedLookup(addresses), signal, ...(options.ca === undefined ? {} : { ca: options.ca }) });
    outgoing.on('response', resolve);
    outgoing.on('error', (error) => reject(signal.aborted ? timedOut() : new DocumentFetchError(`the connection failed (${(error as NodeJS.ErrnoException).code ?? error.message})`, 'unreachable')));
    outgoing.end();
  });
  try {
    checkResponse(response, maxBytes);
    const text = await readAtMost(response, maxBytes, signal, timedOut);
    return { body: parseObject(text), cacheControl: response.headers['cache-control'] };
  } finally {
    response.destroy();
  }
}

function checkResponse(response: IncomingMessage, maxBytes: number): void {
  const status = response.statusCode ?? 0;
  if (status >= 300 && status < 400) throw new DocumentFetchError(`it answered with a redirect (HTTP ${status}), and redirects are not followed`, 'refused');
  // A server in trouble may come back; a document that is gone, or forbidden, is gone.
  if (status >= 500 || status === 429 || status === 408) throw new DocumentFetchError(`it answered HTTP ${status}`, 'unreachable');
  if (status !== 200) throw new DocumentFetchError(`it answered HTTP ${status}`, 'refused');
  const type = response.headers['content-type'] ?? '';
  if (!JSON_TYPE.test(type)) throw new DocumentFetchError(`it is not JSON (Content-Type ${type === '' ? 'missing' : type})`, 'refused');
  const length = Number(response.headers['content-length']);
  if (Number.isFinite(length) && length > maxBytes) throw new DocumentFetchError(`it is larger than ${maxBytes} bytes`, 'refused');
}

/** The body as text, refusing (and reading no further) once it passes `maxBytes`. */
function readAtMost(response: IncomingMessage, maxBytes: number, signal: AbortSignal, timedOut: () => Error): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (error: Error) => {
      response.destroy();
      reject(error);
    };
    signal.addEventListener('abort', () => fail(timedOut()), { once: true });
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) return fail(new DocumentFetchError(`it is larger than ${maxBytes} bytes`, 'refused'));
      chunks.push(chunk);
    });
    response.on('error', () => fail(signal.aborted ? timedOut() : new DocumentFetchError('the connection broke while reading it', 'unreachable')));
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function parseObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new DocumentFetchError('it is not valid JSON', 'refused');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new DocumentFetchError('it is not a JSON object', 'refused');
  return value as Record<string, unknown>;
}

/** The promise, or the timeout's error once the signal fires first (a resolver that hangs). */
export function withSignal<T>(promise: Promise<T>, signal: AbortSignal, timedOut: () => Error): Promise<T> {
  if (signal.aborted) return Promise.reject(timedOut());
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(timedOut());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
