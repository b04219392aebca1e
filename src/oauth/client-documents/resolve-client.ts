// The one way the protocol finds a request's client: a registered app by its client_id, or, for
// a client_id that is the URL of a client ID metadata document, the app that document describes.
// The first use materializes the document as an app (of no account, without a secret) so that
// codes, token families, grants, consent and the connections page work as for any app; later
// uses bring the app up to date whenever the (cached) document has changed.
import type { App, NewApp } from '../../domain/app.ts';
import type { OAuthContext } from '../context.ts';
import { OAuthError } from '../errors.ts';
import { ClientDocumentError } from './document-cache.ts';
import { isDocumentClientId } from './document-url.ts';
import type { ClientDocument } from './validate-document.ts';

/** The app fields a document decides; compared with the stored app to see whether it changed. */
function documentFields(document: ClientDocument) {
  return {
    name: document.name,
    redirectUris: document.redirectUris,
    tokenEndpointAuthMethod: document.tokenEndpointAuthMethod,
    jwks: document.jwks,
    jwksUri: document.jwksUri,
    grantTypes: document.grantTypes,
    clientMetadata: Object.keys(document.metadata).length > 0 ? document.metadata : null,
    ...document.oidc,
  };
}

type DocumentFields = ReturnType<typeof documentFields>;

/** What resolving needs of the context. */
type ResolveContext = Pick<OAuthContext, 'store' | 'clock' | 'clientDocuments'> & Partial<Pick<OAuthContext, 'audit'>>;

function changedFields(app: App, wanted: DocumentFields): Partial<DocumentFields> | undefined {
  const changes: Partial<Record<keyof DocumentFields, unknown>> = {};
  for (const key of Object.keys(wanted) as (keyof DocumentFields)[]) {
    if (JSON.stringify(app[key]) !== JSON.stringify(wanted[key])) changes[key] = wanted[key];
  }
  return Object.keys(changes).length > 0 ? (changes as Partial<DocumentFields>) : undefined;
}

function newDocumentApp(document: ClientDocument): NewApp {
  return {
    ...documentFields(document),
    tenantId: null,
    clientId: document.clientId,
    clientSecretHash: null,
    description: '',
    limitToAccount: false,
    registration: 'metadata_document',
    // Nothing but the document vouches for the client: every refresh rotates (OAuth 2.1, MCP).
    refreshRotation: 'always',
  };
}

/**
 * The client a client_id names, or undefined when there is none; a ClientDocumentError when it
 * is a document URL whose document cannot be had or used (nothing is stored then).
 */
export async function resolveClient(clientId: string, ctx: ResolveContext): Promise<App | undefined> {
  const stored = await ctx.store.apps.byClientId(clientId);
  const documents = ctx.clientDocuments;
  if (!documents || !isDocumentClientId(clientId)) return stored;
  // A disabled client stays as the operator left it; an app the console made is not a document's.
  if (stored && (stored.registration !== 'metadata_document' || stored.disabledAt !== null)) return stored;
  const document = await documents.get(clientId);
  const now = ctx.clock.now();
  if (!stored) {
    let created: App;
    try {
      created = await ctx.store.apps.create(newDocumentApp(document), now);
    } catch (error) {
      // Another request materialized it first (client_id is unique): use theirs.
      const raced = await ctx.store.apps.byClientId(clientId);
      if (!raced) throw error;
      return refreshed(raced, document, ctx);
    }
    await ctx.audit?.record('app_created', { appId: created.id, detail: `from its client ID metadata document ${JSON.stringify(clientId)}` });
    return created;
  }
  return refreshed(stored, document, ctx);
}

async function refreshed(app: App, document: ClientDocument, ctx: ResolveContext): Promise<App> {
  const changes = changedFields(app, documentFields(document));
  if (!changes) return app;
  const updated = await ctx.store.apps.update(app.id, changes, ctx.clock.now());
  await ctx.audit?.record('app_updated', { appId: app.id, detail: `its client ID metadata document changed (${Object.keys(changes).join(', ')})` });
  return updated ?? app;
}

/** For the authorization endpoint: the client, or the reason to show on the error page. */
export async function resolveClientOrReason(clientId: string, ctx: ResolveContext): Promise<{ app: App } | { reason: string }> {
  try {
    const app = await resolveClient(clientId, ctx);
    return app ? { app } : { reason: 'No app with this client_id is registered.' };
  } catch (error) {
    if (error instanceof ClientDocumentError) return { reason: error.reason };
    throw error;
  }
}

/** For the token endpoint and its kin: a document that cannot be used is an invalid_client (401). */
export function asInvalidClient(error: unknown): never {
  if (error instanceof ClientDocumentError) throw new OAuthError('invalid_client', error.reason, { status: 401 });
  throw error;
}
