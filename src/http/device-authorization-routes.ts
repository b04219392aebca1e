// The device authorization endpoint (RFC 8628 §3.1): parse → call the core → write, with client
// authentication, its guessing limits and its errors exactly as at the token endpoint.
import { z } from 'zod';
import type { RateLimiter } from '../limits/rate-limiter.ts';
import type { OAuthContext } from '../oauth/context.ts';
import { DEVICE_CODE_LIFETIME, DEVICE_POLL_INTERVAL, handleDeviceAuthorization, type DeviceAuthorizationResponse } from '../oauth/device-authorization.ts';
import { OAUTH_PATHS } from '../oauth/metadata.ts';
import { clientAuthenticated } from './client-authenticated.ts';
import { CLIENT_ASSERTION, oauthErrorSchema, oauthErrors, same } from './oauth-schemas.ts';
import { paramsSchema, readParams } from './params.ts';
import type { Route } from './route.ts';

export const deviceAuthorizationRequestSchema = paramsSchema({
  client_id: "The app's client_id (or in HTTP Basic); public clients send it alone",
  client_secret: "The app's client_secret (or in HTTP Basic); public clients send none",
  scope: 'Space-separated scopes, as at the authorization endpoint, e.g. "profile offline_access"',
  resource: "Optional, repeatable (RFC 8707): the identifier of each API the tokens are for; none: the app's default resource",
  ...CLIENT_ASSERTION,
}, ['scope']);

export const deviceAuthorizationResponseSchema = z
  .object({
    device_code: z.string().meta({ description: 'ghd_…: what the device polls the token endpoint with (grant_type urn:ietf:params:oauth:grant-type:device_code); keep it secret' }),
    user_code: z.string().meta({ description: 'What the user types on the verification page: 8 letters, shown XXXX-XXXX', examples: ['BCDF-GHJK'] }),
    verification_uri: z.string().meta({ description: '{PUBLIC_URL}/device' }),
    verification_uri_complete: z.string().meta({ description: 'The page with the code filled in (for a QR code or a link)' }),
    expires_in: z.int().meta({ description: `Seconds the codes live (${DEVICE_CODE_LIFETIME})` }),
    interval: z.int().meta({ description: `Seconds to wait between polls (${DEVICE_POLL_INTERVAL}; add 5 after every slow_down)` }),
  })
  .meta({ title: 'DeviceAuthorizationResponse' });
same<z.output<typeof deviceAuthorizationResponseSchema>, DeviceAuthorizationResponse>(true);

const example = {
  body: { client_id: '3f9a1c0e5b7d2a4c6e80', scope: 'profile offline_access' },
  response: {
    status: '200',
    body: {
      device_code: 'ghd_RGV2aWNlIGNvZGUgZXhhbXBsZSB2YWx1ZSBmb3IgdGhlIGRvY3M',
      user_code: 'BCDF-GHJK',
      verification_uri: 'https://gatehouse.example/device',
      verification_uri_complete: 'https://gatehouse.example/device?user_code=BCDF-GHJK',
      expires_in: DEVICE_CODE_LIFETIME,
      interval: DEVICE_POLL_INTERVAL,
    },
  },
};

export function deviceAuthorizationRoutes(ctx: OAuthContext, limiter: RateLimiter): Route[] {
  const authenticated = clientAuthenticated(limiter);
  return [
    {
      method: 'POST',
      path: OAUTH_PATHS.deviceAuthorization,
      // As the token endpoint: OAuth errors, CORS for browser-less and browser apps alike, the API's rate.
      surface: 'oauth',
      cors: 'public',
      rateLimit: 'apiPerIp',
      operation: {
        id: 'deviceAuthorization',
        tag: 'OAuth',
        summary: 'Device authorization (RFC 8628)',
        description:
          'For a device or command-line tool without a browser: returns a device code to poll the token endpoint with, and a user code for its user to enter at `verification_uri`. Client authentication as at the token endpoint; the app must allow the grant type `urn:ietf:params:oauth:grant-type:device_code`. See docs/device-flow.md.',
        body: { schema: deviceAuthorizationRequestSchema, types: ['form', 'json'] },
        example,
        security: ['clientSecretBasic', 'none'],
        responses: { '200': { description: 'The codes', body: deviceAuthorizationResponseSchema }, ...oauthErrors({ '401': { description: 'invalid_client', body: oauthErrorSchema } }) },
      },
      handler: (request, reply) =>
        authenticated(
          request,
          reply,
          () => {
            // `resource` may repeat (RFC 8707); every other parameter comes at most once.
            const read = readParams(request.body, deviceAuthorizationRequestSchema, { lists: ['resource'] });
            if (read.problem) throw read.problem;
            return { ...read.values, resources: read.lists.resource ?? [] };
          },
          (params, client) => handleDeviceAuthorization({ scope: params.scope, resource: params.resources, client }, ctx),
        ),
    },
  ];
}
