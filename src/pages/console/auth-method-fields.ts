// The app form's client authentication part: the method (RFC 7591 token_endpoint_auth_method, or
// ilert's rule), and for private_key_jwt where its public keys are: a JWKS URI or a pasted JWKS.
import { html, type Html } from '../html.ts';
import { select, textArea, textField, type FieldErrors } from './parts.ts';

/** Element ids by field name (RegistrationError.field names the field). */
export const AUTH_METHOD_FIELD_IDS: Record<string, string> = {
  tokenEndpointAuthMethod: 'app-auth-method',
  jwksUri: 'app-jwks-uri',
  jwks: 'app-jwks',
};

/** The select's value for ilert's rule (an app that names no method). */
export const DEFAULT_AUTH_METHOD = 'default';

export interface AuthMethodFormValues {
  /** A method, or DEFAULT_AUTH_METHOD. */
  authMethod?: string;
  jwksUri?: string;
  /** The JWK Set as JSON text. */
  jwks?: string;
}

const OPTIONS = [
  { value: DEFAULT_AUTH_METHOD, label: 'Client secret, optional per request (as on ilert)' },
  { value: 'client_secret_basic', label: 'client_secret_basic: the secret in HTTP Basic' },
  { value: 'client_secret_post', label: 'client_secret_post: the secret in the request body' },
  { value: 'private_key_jwt', label: 'private_key_jwt: a JWT signed with the app\'s private key' },
  { value: 'none', label: 'none: a public client (PKCE, no secret)' },
];

export function authMethodFields(values: AuthMethodFormValues, errors: FieldErrors): Html {
  return html`<fieldset>
  <legend>Client authentication</legend>
  ${select({
    id: AUTH_METHOD_FIELD_IDS.tokenEndpointAuthMethod ?? '',
    name: 'token_endpoint_auth_method',
    label: 'Authentication method',
    hint: html`How the app proves itself at the token and introspection endpoints. Apps using <code>none</code> or <code>private_key_jwt</code> have no client secret.`,
    value: values.authMethod || DEFAULT_AUTH_METHOD,
    error: errors.tokenEndpointAuthMethod,
    options: OPTIONS,
  })}
  ${textField({
    id: AUTH_METHOD_FIELD_IDS.jwksUri ?? '',
    name: 'jwks_uri',
    label: 'JWKS URI (private_key_jwt)',
    hint: html`Where the app publishes its public keys: <code>https</code>, or <code>http</code> on localhost. Leave empty when you paste the keys below.`,
    value: values.jwksUri ?? '',
    error: errors.jwksUri,
    autocomplete: 'off',
    attrs: html` spellcheck="false" autocapitalize="none" maxlength="2000"`,
  })}
  ${textArea({
    id: AUTH_METHOD_FIELD_IDS.jwks ?? '',
    name: 'jwks',
    label: 'JWKS (private_key_jwt)',
    hint: html`Or the public keys themselves, as a JWK Set: <code>{"keys": [ … ]}</code>. Never a private key.`,
    value: values.jwks ?? '',
    error: errors.jwks,
    rows: 4,
    attrs: html` spellcheck="false" autocapitalize="none"`,
  })}
</fieldset>`;
}
