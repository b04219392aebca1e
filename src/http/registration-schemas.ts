// What the API reference says of dynamic client registration (RFC 7591/7592): the metadata a
// client sends and the client information it gets back, with an example. The handlers validate
// with platform/client-metadata.ts, which names the field at fault; these schemas document.
import { z } from 'zod';
import type { ExampleSpec } from '../docs/operation.ts';

const url = (description: string) => z.string().optional().meta({ description });

export const clientMetadataSchema = z
  .object({
    redirect_uris: z.array(z.string()).optional().meta({ description: 'Where authorization responses go: https, http only on loopback, or a reverse-domain private scheme; no fragments; at most 20. Required for authorization_code' }),
    token_endpoint_auth_method: z.enum(['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none']).optional().meta({ description: 'Default client_secret_basic (a secret is issued); none: a public client (PKCE)' }),
    grant_types: z.array(z.string()).optional().meta({ description: 'Default ["authorization_code"]; also refresh_token, and the device grant when the server has it' }),
    response_types: z.array(z.literal('code')).optional().meta({ description: 'code, with authorization_code (the default)' }),
    client_name: z.string().optional().meta({ description: 'Shown on the consent page, with the host of the redirect URI; at most 100 characters' }),
    client_uri: url('The client\'s home page'),
    logo_uri: url('Its logo (stored, not shown: the pages load nothing from elsewhere)'),
    tos_uri: url('Its terms of service'),
    policy_uri: url('Its privacy policy'),
    contacts: z.array(z.string()).optional().meta({ description: 'E-mail addresses of the people responsible' }),
    software_id: z.string().optional(),
    software_version: z.string().optional(),
    application_type: z.enum(['web', 'native']).optional().meta({ description: 'Default web' }),
    jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).optional().meta({ description: 'The public keys of private_key_jwt' }),
    jwks_uri: z.string().optional().meta({ description: 'Refused: a self-registered client sends its keys inline (jwks), since the server would fetch a URL anyone registered' }),
    post_logout_redirect_uris: z.array(z.string()).optional().meta({ description: 'OpenID Connect RP-initiated logout: where /oauth2/logout may send the browser back to (matched exactly): https, or http on localhost; no fragments; at most 10' }),
    backchannel_logout_uri: url('OpenID Connect back-channel logout: where logout tokens are POSTed (https, or http on localhost)'),
    backchannel_logout_session_required: z.boolean().optional().meta({ description: 'Accepted and echoed: Gatehouse\'s logout tokens always carry sid' }),
    subject_type: z.enum(['public', 'pairwise']).optional().meta({ description: 'The sub of its ID tokens: public (default, the user id) or pairwise (its own per user; every redirect URI must be on one host)' }),
    scope: z.string().optional().meta({ description: 'Accepted and not registered: the consent decides what a client gets' }),
  })
  .meta({ title: 'ClientMetadata' });

/** The update of RFC 7592 §2.2: the whole metadata again, with the client's id (and, optionally, its current secret). */
export const clientUpdateSchema = clientMetadataSchema
  .extend({ client_id: z.string(), client_secret: z.string().optional().meta({ description: 'When sent, the current secret; a client cannot choose its own' }) })
  .meta({ title: 'ClientUpdate' });

export const clientInformationSchema = clientMetadataSchema
  .omit({ scope: true })
  .extend({
    client_id: z.string(),
    client_secret: z.string().optional().meta({ description: 'Only in the answer that issued it (stored as a hash)' }),
    client_id_issued_at: z.number().int(),
    client_secret_expires_at: z.literal(0).optional().meta({ description: '0: the secret does not expire; present when the client has a secret' }),
    registration_access_token: z.string().optional().meta({ description: 'Bearer token for the registration_client_uri; only in the registration answer (stored as a hash)' }),
    registration_client_uri: z.string(),
    client_name: z.string(),
    redirect_uris: z.array(z.string()),
    token_endpoint_auth_method: z.string(),
    grant_types: z.array(z.string()),
    response_types: z.array(z.string()),
    application_type: z.enum(['web', 'native']),
  })
  .meta({ title: 'ClientInformation' });

export const registrationExample: ExampleSpec = {
  body: { client_name: 'Notes for VS Code', redirect_uris: ['http://127.0.0.1:33418/callback'], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] },
  response: {
    status: '201',
    body: {
      client_id: '5be0c2a19f8d7e6a4b31',
      client_id_issued_at: 1767225600,
      registration_access_token: 'ghreg_UmVnaXN0cmF0aW9uIGFjY2VzcyB0b2tlbiBleGFtcGxlIHZhbHVl',
      registration_client_uri: 'https://gatehouse.example.com/oauth2/register/5be0c2a19f8d7e6a4b31',
      client_name: 'Notes for VS Code',
      redirect_uris: ['http://127.0.0.1:33418/callback'],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      application_type: 'web',
    },
  },
};
