// The OpenID Connect documents as the API reference shows them: discovery and UserInfo.
import { z } from 'zod';
import { ACR_VALUES_SUPPORTED } from '../oauth/acr.ts';
import type { openIdConfiguration } from '../oauth/oidc-metadata.ts';
import type { UserInfo } from '../oauth/userinfo.ts';
import { metadataSchema, same } from './oauth-schemas.ts';

export const openIdConfigurationSchema = metadataSchema
  .extend({
    userinfo_endpoint: z.string(),
    end_session_endpoint: z.string().meta({ description: "RP-Initiated Logout 1.0: where a relying party sends the browser to sign out" }),
    subject_types_supported: z.array(z.enum(['public', 'pairwise'])).meta({ description: "public: the user's id; pairwise: an opaque sub per redirect host (the app's subject type)" }),
    id_token_signing_alg_values_supported: z.array(z.enum(['RS256', 'ES256', 'EdDSA'])).meta({ description: "The key ring's signing algorithm" }),
    claims_supported: z.array(z.string()),
    acr_values_supported: z.array(z.enum(ACR_VALUES_SUPPORTED)).meta({ description: 'The authentication context classes: password sign-in only, so far' }),
    ui_locales_supported: z.array(z.literal('en')).meta({ description: 'ui_locales is accepted; the pages are in English' }),
    request_parameter_supported: z.literal(false),
    request_uri_parameter_supported: z.literal(false).meta({ description: 'Said outright: left out, it would mean true' }),
    claims_parameter_supported: z.literal(true).meta({ description: 'The claims request parameter (Core §5.5) is honoured' }),
    backchannel_logout_supported: z.literal(true).meta({ description: "Logout tokens are POSTed to apps' backchannel_logout_uri when a session ends" }),
    backchannel_logout_session_supported: z.literal(true).meta({ description: 'Every logout token carries the sid' }),
  })
  .meta({ title: 'OpenIdConfiguration', description: 'OpenID Connect Discovery 1.0: the OAuth metadata plus what an OpenID provider declares' });
same<z.output<typeof openIdConfigurationSchema>, ReturnType<typeof openIdConfiguration>>(true);

export const userInfoSchema = z
  .object({
    sub: z.string().meta({ description: "The ID token's sub: the user's id, or for a pairwise app an opaque value per redirect host" }),
    name: z.string().optional(),
    given_name: z.string().optional(),
    family_name: z.string().optional(),
    preferred_username: z.string().optional().meta({ description: 'The username (scope profile)' }),
    picture: z.string().optional().meta({ description: 'Scope profile: the picture URL, when the user has one' }),
    locale: z.string().optional(),
    zoneinfo: z.string().optional(),
    updated_at: z.int().optional(),
    email: z.string().optional().meta({ description: 'Scope email' }),
    email_verified: z.boolean().optional().meta({ description: 'false: addresses are not verified' }),
    phone_number: z.string().optional().meta({ description: 'Scope phone: the number in E.164 form (+4915112345678), when the user has one' }),
    phone_number_verified: z.boolean().optional().meta({ description: 'false: numbers are not verified (only with phone_number)' }),
    tenant: z.string().meta({ description: "The user's account, as the access token's tenant claim" }),
  })
  .meta({ title: 'UserInfo' });
same<z.output<typeof userInfoSchema>, UserInfo>(true);
