// The app form's client authentication fields read into the core's settings: the select's
// 'default' is ilert's rule (null), empty key fields are none. A form without the select (an
// older form, a script) leaves the app's method as it is.
import { TOKEN_ENDPOINT_AUTH_METHODS, type TokenEndpointAuthMethod } from '../../domain/app.ts';
import { parseJwks, type AuthMethodSettings } from '../../platform/app-auth-method.ts';
import type { Problem } from '../../platform/apps.ts';
import { DEFAULT_AUTH_METHOD, type AuthMethodFormValues } from '../../pages/console/auth-method-fields.ts';

export const AUTH_METHOD_FORM_FIELDS = {
  token_endpoint_auth_method: `${TOKEN_ENDPOINT_AUTH_METHODS.join(', ')} or ${DEFAULT_AUTH_METHOD} (the secret optional per request); absent: unchanged`,
  jwks_uri: 'private_key_jwt: the https URL of its public keys (http on loopback)',
  jwks: 'private_key_jwt: its public keys as a JWK Set (JSON)',
};

/** The form's values as typed. */
export function authMethodFormValues(values: Record<keyof typeof AUTH_METHOD_FORM_FIELDS, string>): AuthMethodFormValues {
  return { authMethod: values.token_endpoint_auth_method, jwksUri: values.jwks_uri.trim(), jwks: values.jwks.replace(/\r\n/g, '\n') };
}

/** The settings the fields name, or the problems found reading them. */
export function authMethodFromForm(values: AuthMethodFormValues): { settings: Partial<AuthMethodSettings>; problems: Problem[] } {
  const method = values.authMethod ?? '';
  if (method === '') return { settings: {}, problems: [] };
  const known = method === DEFAULT_AUTH_METHOD || (TOKEN_ENDPOINT_AUTH_METHODS as readonly string[]).includes(method);
  if (!known) return { settings: {}, problems: [{ message: 'Choose one of the authentication methods', field: 'tokenEndpointAuthMethod' }] };
  const jwksText = (values.jwks ?? '').trim();
  const parsed = jwksText === '' ? { jwks: null } : parseJwks(jwksText);
  if ('problem' in parsed) return { settings: {}, problems: [parsed.problem] };
  return {
    settings: {
      tokenEndpointAuthMethod: method === DEFAULT_AUTH_METHOD ? null : (method as TokenEndpointAuthMethod),
      jwksUri: values.jwksUri ? values.jwksUri : null,
      jwks: parsed.jwks,
    },
    problems: [],
  };
}
