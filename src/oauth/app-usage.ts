// When an app last obtained tokens (App.lastUsedAt): housekeeping deletes self-registered clients
// unused for GATEHOUSE_REGISTRATION_PURGE_DAYS. Recorded at most once an hour per app, so a busy
// app costs one small write an hour, not one per token request.
import type { App } from '../domain/app.ts';
import type { OAuthContext } from './context.ts';

const RECORD_EVERY_MS = 3_600_000;

export async function recordAppUse(app: App, ctx: Pick<OAuthContext, 'store' | 'clock'>): Promise<void> {
  const now = ctx.clock.now();
  if (app.lastUsedAt !== null && now.getTime() - app.lastUsedAt.getTime() < RECORD_EVERY_MS) return;
  await ctx.store.apps.markUsed(app.id, now);
}
