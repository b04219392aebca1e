// The documents of this process, fetched on first use and kept per their Cache-Control. A
// refetch that finds a changed document replaces the copy (the change is honoured); one that
// cannot reach the host serves the stale copy for a bounded time; one that finds the document
// refused or invalid drops it. Concurrent requests for one URL share one fetch.
import { LruMap } from '../../lru-map.ts';
import type { Clock } from '../clock.ts';
import { CACHE_BOUNDS, cacheSeconds } from './cache-policy.ts';
import type { Resolver } from './checked-address.ts';
import { documentUrl } from './document-url.ts';
import { fetchClientDocument, type FetchedDocument } from './fetch-document.ts';
import { DocumentFetchError } from './fetch-errors.ts';
import { DocumentProblem, validateClientDocument, type ClientDocument } from './validate-document.ts';

export interface ClientDocumentSettings {
  /** GATEHOUSE_CIMD_ALLOW_LOOPBACK: loopback hosts and http://localhost client ids, for development. */
  allowLoopback: boolean;
  clock: Clock;
  /** Tests resolve names themselves. */
  resolver?: Resolver;
  /** Tests shorten the 3 s limit. */
  timeoutMs?: number;
  /** Replaces the network fetch (tests of the cache alone). */
  fetch?: (url: URL) => Promise<FetchedDocument>;
}

interface Entry {
  document: ClientDocument;
  expiresAt: number;
  /** While its host is unreachable, a stale copy is served without retrying until then. */
  retryAt?: number;
}

/** Why a client_id's document cannot be used, in words for an error page or error_description. */
export class ClientDocumentError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'ClientDocumentError';
  }
}

const CAPACITY = 1000;
/** How long a stale copy is served before the unreachable host is tried again. */
const RETRY_SECONDS = 10;

export class ClientDocuments {
  readonly #entries = new LruMap<string, Entry>(CAPACITY);
  readonly #inFlight = new Map<string, Promise<ClientDocument>>();

  constructor(readonly settings: ClientDocumentSettings) {}

  get allowLoopback(): boolean {
    return this.settings.allowLoopback;
  }

  /** The validated document of a URL client_id, from the cache while fresh; throws ClientDocumentError. */
  async get(clientId: string): Promise<ClientDocument> {
    const now = this.settings.clock.now().getTime();
    const entry = this.#entries.get(clientId);
    if (entry && (entry.expiresAt > now || (entry.retryAt !== undefined && entry.retryAt > now && this.#staleUsable(entry, now)))) return entry.document;
    let pending = this.#inFlight.get(clientId);
    if (!pending) {
      pending = this.#refetch(clientId, entry).finally(() => this.#inFlight.delete(clientId));
      this.#inFlight.set(clientId, pending);
    }
    return pending;
  }

  #staleUsable(entry: Entry, now: number): boolean {
    return now < entry.expiresAt + CACHE_BOUNDS.staleIfErrorSeconds * 1000;
  }

  async #refetch(clientId: string, stale: Entry | undefined): Promise<ClientDocument> {
    const located = documentUrl(clientId, this.settings);
    if ('problem' in located) throw new ClientDocumentError(`The client_id is not a usable client ID metadata document URL: ${located.problem}.`);
    let fetched: FetchedDocument;
    try {
      fetched = await (this.settings.fetch ?? ((url) => fetchClientDocument(url, this.settings)))(located.url);
    } catch (error) {
      if (!(error instanceof DocumentFetchError)) throw error;
      const now = this.settings.clock.now().getTime();
      if (error.kind === 'unreachable' && stale && this.#staleUsable(stale, now)) {
        this.#entries.set(clientId, { ...stale, retryAt: now + RETRY_SECONDS * 1000 });
        return stale.document;
      }
      this.#entries.delete(clientId);
      throw new ClientDocumentError(`The client ID metadata document ${clientId} could not be fetched: ${error.reason}.`);
    }
    try {
      const document = validateClientDocument(fetched.body, clientId);
      this.#entries.set(clientId, { document, expiresAt: this.settings.clock.now().getTime() + cacheSeconds(fetched.cacheControl) * 1000 });
      return document;
    } catch (error) {
      if (!(error instanceof DocumentProblem)) throw error;
      this.#entries.delete(clientId);
      throw new ClientDocumentError(`The client ID metadata document ${clientId} cannot be used: ${error.reason}.`);
    }
  }
}
