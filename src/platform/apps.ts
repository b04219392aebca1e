// Registering apps: a 20-hex client id, a 64-hex secret shown once and stored only as its hash,
// a unique name, redirect URIs that pass the same rules authorize enforces, and a refresh-token
// rotation policy ('public' unless told otherwise), and the grant types it may use (ilert's two
// unless told otherwise).
import { DEFAULT_GRANT_TYPES, REFRESH_ROTATIONS, type App, type RefreshRotation } from '../domain/app.ts';
import { GRANT_TYPES, isGrantType } from '../oauth/grants/index.ts';
import type { OAuthContext } from '../oauth/context.ts';
import { redirectUriProblem } from '../oauth/redirect-uri.ts';
import { randomHex, sha256Hex } from '../oauth/secrets.ts';

export interface AppRegistration {
  tenantId: number;
  name: string;
  description?: string;
  redirectUris: string[];
  limitToAccount?: boolean;
  /** Default 'public': refreshes without the client secret rotate the refresh token. */
  refreshRotation?: RefreshRotation;
  /** The grant types it may use; default ilert's two (authorization_code, refresh_token). */
  grantTypes?: string[];
}

/** A registration or change that breaks a rule; `field` names the form field at fault. */
export class RegistrationError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function checkAppRegistration(input: AppRegistration): void {
  const name = input.name.trim();
  if (name.length < 1 || name.length > 100) throw new RegistrationError('The name must be 1 to 100 characters', 'name');
  checkAppSettings(input);
}

/** The rules for what can change after registration too. */
export function checkAppSettings(input: Omit<AppRegistration, 'tenantId' | 'name'>): void {
  if ((input.description ?? '').length > 2000) throw new RegistrationError('The description must be at most 2000 characters', 'description');
  if (input.redirectUris.length === 0) throw new RegistrationError('At least one redirect URL is required', 'redirectUris');
  if (input.redirectUris.length > 20) throw new RegistrationError('At most 20 redirect URLs are allowed', 'redirectUris');
  if (input.refreshRotation !== undefined && !REFRESH_ROTATIONS.includes(input.refreshRotation)) {
    throw new RegistrationError(`The refresh-token rotation must be one of ${REFRESH_ROTATIONS.join(', ')}`, 'refreshRotation');
  }
  if (input.grantTypes !== undefined) checkGrantTypes(input.grantTypes);
  for (const uri of input.redirectUris) {
    const problem = redirectUriProblem(uri);
    if (problem) throw new RegistrationError(`Redirect URL ${uri} ${problem}`, 'redirectUris');
  }
}

/** Grant types must be ones the token endpoint serves (the grant registry), at least one. */
function checkGrantTypes(types: readonly string[]): void {
  if (types.length === 0) throw new RegistrationError('Choose at least one grant type', 'grantTypes');
  const unknown = types.filter((type) => !isGrantType(type));
  if (unknown.length > 0) throw new RegistrationError(`Unknown grant type ${unknown.join(', ')}; the grant types are ${GRANT_TYPES.join(', ')}`, 'grantTypes');
}

export async function registerApp(input: AppRegistration, ctx: OAuthContext): Promise<{ app: App; clientSecret: string }> {
  checkAppRegistration(input);
  const name = input.name.trim();
  if (await ctx.store.apps.byName(name)) throw new RegistrationError(`An app named "${name}" already exists; app names are unique`, 'name');
  const clientSecret = randomHex(32);
  const app = await ctx.store.apps.create(
    {
      tenantId: input.tenantId,
      clientId: randomHex(10),
      clientSecretHash: sha256Hex(clientSecret),
      name,
      description: input.description ?? '',
      redirectUris: [...new Set(input.redirectUris)],
      limitToAccount: input.limitToAccount ?? false,
      refreshRotation: input.refreshRotation ?? 'public',
      grantTypes: [...new Set(input.grantTypes ?? DEFAULT_GRANT_TYPES)],
    },
    ctx.clock.now(),
  );
  return { app, clientSecret };
}
