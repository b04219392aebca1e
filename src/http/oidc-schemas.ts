// The OpenID Connect documents as the API reference shows them: discovery and UserInfo.
import { z } from 'zod';
import type { openIdConfiguration } from '../oauth/oidc-metadata.ts';
import type { UserInfo } from '../oauth/userinfo.ts';
import { metadataSchema, same } from './oauth-schemas.ts';

export const openIdConfigurationSchema = metadataSchema
  .extend({
    userinfo_endpoint: z.string(),
    end_session_endpoint: z.string().meta({ description: "RP-Initiated Logout 1.0: where a relying party sends the browser to sign out" }),
    subject_types_supported: z.array(z.literal('public')),
    id_token_signing_alg_values_supported: z.array(z.enum(['RS256', 'ES256', 'EdDSA'])).meta({ description: "The key ring's signing algorithm" }),
    claims_supported: z.array(z.string()),
  })
  .meta({ title: 'OpenIdConfiguration', description: 'OpenID Connect Discovery 1.0: the OAuth metadata plus what an OpenID provider declares' });
same<z.output<typeof openIdConfigurationSchema>, ReturnType<typeof openIdConfiguration>>(true);

export const userInfoSchema = z
  .object({
    sub: z.string().meta({ description: "The user's id, as the access token's and ID token's sub" }),
    name: z.string().optional(),
    given_name: z.string().optional(),
    family_name: z.string().optional(),
    preferred_username: z.string().optional().meta({ description: 'The username (scope profile)' }),
    locale: z.string().optional(),
    zoneinfo: z.string().optional(),
    updated_at: z.int().optional(),
    email: z.string().optional().meta({ description: 'Scope email' }),
    email_verified: z.boolean().optional().meta({ description: 'false: addresses are not verified' }),
    tenant: z.string().meta({ description: "The user's account, as the access token's tenant claim" }),
  })
  .meta({ title: 'UserInfo' });
same<z.output<typeof userInfoSchema>, UserInfo>(true);
