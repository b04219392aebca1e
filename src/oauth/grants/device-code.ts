// grant_type=urn:ietf:params:oauth:grant-type:device_code (RFC 8628 §3.4): the device polls with
// its device code until the person approves or denies it on /device; an approved code yields
// tokens once, exactly as an authorization code would for that person.
import { OAuthError, invalidGrant } from '../errors.ts';
import { tokenScope } from '../grant-scope.ts';
import { newRefreshToken, tokenResponse, type Issuance } from '../issue-tokens.ts';
import { withIdToken } from '../id-token.ts';
import { hasOpenId } from '../oidc-scopes.ts';
import { grantedResource } from '../resources.ts';
import { sha256Hex } from '../secrets.ts';
import { defineGrant } from './grant.ts';

export const DEVICE_CODE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code';
/** What the interval grows by with every slow_down (RFC 8628 §3.5). */
export const SLOW_DOWN_SECONDS = 5;

export const deviceCodeGrant = defineGrant({
  type: DEVICE_CODE_GRANT_TYPE,
  title: 'Device code (RFC 8628): a device without a browser polls while its user approves it on /device',
  parameters: {
    device_code: 'the device code from the device authorization endpoint (ghd_…), valid 10 minutes, redeemed once',
    resource: "optional (RFC 8707): which of the requested resources the access token is for; none: the app's default resource if requested, else the first",
  },
  required: ['device_code'],
  async handle({ params, client }, ctx) {
    const { app, secretVerified } = client;
    if (params.device_code === undefined) throw new OAuthError('invalid_request', 'device_code is required');

    const now = ctx.clock.now();
    const deviceCodeHash = sha256Hex(params.device_code);
    const polled = await ctx.store.deviceCodes.poll(deviceCodeHash, app.id, now, SLOW_DOWN_SECONDS);
    if (polled.status === 'unknown') throw invalidGrant('Provided device code is unknown');
    if (polled.status === 'other_client') throw invalidGrant('Provided device code was issued to another client');
    const { code, tooSoon } = polled;
    if (code.expiresAt <= now) throw new OAuthError('expired_token', 'The device code has expired; start again with a new device authorization request');
    switch (code.status) {
      case 'pending':
        if (tooSoon) throw new OAuthError('slow_down', `Polling too fast: wait ${code.interval} seconds between requests`);
        throw new OAuthError('authorization_pending', 'The user has not yet approved or denied the request');
      case 'denied':
        throw new OAuthError('access_denied', 'The user denied the request');
      case 'redeemed':
        throw invalidGrant('Provided device code was already used');
      case 'approved':
        break;
    }
    if (code.userId === null || code.familyId === null) throw invalidGrant('Provided device code was not approved');

    const { resource, part } = await grantedResource(params.resource, code.resources, app, ctx);
    // The sign-in is the browser session that approved, recorded on the family (amr/acr, and OpenID Connect's ID token).
    const session = (await ctx.store.families.byId(code.familyId))?.session;
    const issuance: Issuance = { app, subject: { kind: 'user', userId: code.userId }, familyId: code.familyId, resource, scope: tokenScope(part, code.scope), grantScope: code.scope, session };
    // A device signs in to keep working: a refresh token whenever the app may refresh.
    const refreshToken = app.grantTypes.includes('refresh_token') ? newRefreshToken(issuance, now, ctx) : undefined;
    const redeemed = await ctx.store.deviceCodes.redeem(deviceCodeHash, now, {
      confidential: secretVerified,
      refreshToken: refreshToken?.record,
      maxLivePerAppUser: ctx.maxRefreshTokensPerAppUser,
    });
    if (redeemed.status === 'revoked') throw new OAuthError('access_denied', 'The user revoked this access before the device collected its tokens');
    if (redeemed.status !== 'redeemed') throw invalidGrant('Provided device code was already used');
    const response = await tokenResponse(issuance, refreshToken && { value: refreshToken.value, expiresAt: refreshToken.record.expiresAt, asOf: now }, ctx);
    return withIdToken(response, { app, userId: code.userId, grantScope: code.scope, session: hasOpenId(code.scope) ? session : undefined }, ctx);
  },
});
