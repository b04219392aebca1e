// Housekeeping's part for self-registered clients: one that got no token for
// GATEHOUSE_REGISTRATION_PURGE_DAYS (never used: since it registered) is deleted with everything it
// was issued, so abandoned registrations of open or token mode do not pile up. A batch per run.
import { DEFAULT_REGISTRATION } from '../domain/registration.ts';
import type { OAuthContext } from '../oauth/context.ts';
import { tokenFamilies } from './audit.ts';

const DAY_MS = 86_400_000;

export async function purgeUnusedClients(ctx: Pick<OAuthContext, 'store' | 'clock'> & Partial<Pick<OAuthContext, 'registration' | 'audit'>>, batchSize = 100): Promise<number> {
  const days = ctx.registration?.purgeDays ?? DEFAULT_REGISTRATION.purgeDays;
  if (days <= 0) return 0;
  const now = ctx.clock.now();
  const cutoff = now.getTime() - days * DAY_MS;
  let purged = 0;
  for (const candidate of await ctx.store.apps.unusedSince('dynamic', new Date(cutoff), batchSize)) {
    // Read again just before deleting: a client that got a token meanwhile stays.
    const app = await ctx.store.apps.byId(candidate.id);
    if (!app || (app.lastUsedAt ?? app.createdAt).getTime() >= cutoff) continue;
    const families = await ctx.store.apps.delete(app.id, now);
    if (!families) continue;
    purged += 1;
    await ctx.audit?.record('app_deleted', { appId: app.id, detail: `self-registered client ${JSON.stringify(app.name)} (${app.clientId}) purged: unused for ${days} days, ${tokenFamilies(families.length)} revoked` });
  }
  return purged;
}
