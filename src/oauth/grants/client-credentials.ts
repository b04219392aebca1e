// grant_type=client_credentials (RFC 6749 §4.4): an app acting for itself — a backend service,
// no user at the keyboard — within the service scopes an admin of its account chose. Only a
// confidential app that proved itself, registered in an account (it acts for that account), may
// use it. The token's subject is the app (RFC 9068 §2.2: `sub` is its client id, `tenant` its
// owner account, no username); there is no refresh token: the service asks again.
import { randomBytes } from 'node:crypto';
import { secondsFrom } from '../context.ts';
import { OAuthError } from '../errors.ts';
import { accessTokenResponse } from '../issue-tokens.ts';
import { serviceScope } from '../service-scope.ts';
import { defineGrant } from './grant.ts';

export const clientCredentialsGrant = defineGrant({
  type: 'client_credentials',
  title: 'Client credentials: a service acting for its own account, without a user (confidential apps, within their service scopes)',
  parameters: {
    scope: "optional; at most the app's service scopes for the resource (none: all of them)",
    resource: "optional (RFC 8707): the resource the token is for; none: the app's default resource",
  },
  required: [],
  async handle({ params, client }, ctx) {
    const { app } = client;
    // RFC 6749 §4.4.2 and §5.2: a client that is not confidential is not authorized for the
    // grant (unauthorized_client); a confidential one that sent no proof failed to authenticate
    // (invalid_client).
    if (app.tenantId === null) {
      throw new OAuthError('unauthorized_client', 'client_credentials is for apps registered in an account, which their tokens act for; this client belongs to no account (it registered itself)');
    }
    if (app.tokenEndpointAuthMethod === 'none' || (app.clientSecretHash === null && app.jwks === null && app.jwksUri === null)) {
      throw new OAuthError('unauthorized_client', 'client_credentials is for confidential clients; this app is registered as a public client');
    }
    if (!client.secretVerified) {
      throw new OAuthError('invalid_client', 'client_credentials needs client authentication: send the client secret (HTTP Basic or client_secret) or the app\'s client assertion', { status: 401 });
    }

    const { resource, allowed, scope } = await serviceScope(app, { resource: params.resource, scope: params.scope }, ctx);
    const now = ctx.clock.now();
    // One family per app and resource, reused while live (see store/areas/client-families.ts):
    // revoking it stops every token the app holds for the resource, and rows do not grow per request.
    const familyId = await ctx.store.clientFamilies.claim({
      appId: app.id,
      resourceId: resource.id,
      scope: allowed.toString(),
      newFamilyId: randomBytes(16).toString('hex'),
      now,
      tokensUntil: secondsFrom(now, resource.accessTokenLifetime),
    });
    if (familyId === undefined) throw new OAuthError('invalid_client', 'This app is disabled or no longer exists', { status: 401 });
    return accessTokenResponse({ app, subject: { kind: 'client', appId: app.id }, familyId, resource, scope: scope.toString() }, ctx);
  },
});
