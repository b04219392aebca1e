// Disabling an app stops it at once: it gets no tokens (the token endpoint answers invalid_client,
// authorize shows an error page), and every token it holds — its users' and its own — is revoked,
// so resource servers hear of it through the revocation feed. Enabling lets it ask again; what
// disabling revoked stays revoked. Both are audited.
import type { App } from '../domain/app.ts';
import type { OAuthContext } from '../oauth/context.ts';
import type { Actor } from './app-management.ts';
import { RegistrationError } from './apps.ts';
import { tokenFamilies } from './audit.ts';

export async function setAppDisabled(app: App, disabled: boolean, actor: Actor, ctx: OAuthContext): Promise<{ app: App; revokedFamilies: number }> {
  const now = ctx.clock.now();
  const revoked = await ctx.store.apps.setDisabled(app.id, disabled ? now : null, now);
  const updated = revoked && (await ctx.store.apps.byId(app.id));
  if (!revoked || !updated) throw new RegistrationError(`The app "${app.name}" no longer exists`);
  const detail = disabled ? `app ${JSON.stringify(app.name)} disabled, ${tokenFamilies(revoked.length)} revoked` : `app ${JSON.stringify(app.name)} enabled`;
  await ctx.audit?.record(disabled ? 'app_disabled' : 'app_enabled', { tenantId: app.tenantId ?? undefined, userId: actor.userId, appId: app.id, origin: actor.origin, detail });
  return { app: updated, revokedFamilies: revoked.length };
}
