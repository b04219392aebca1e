// A user's own passkeys in the console: listed, renamed, removed — each change audited.
import type { Passkey } from '../../domain/passkey.ts';
import type { User } from '../../domain/identity.ts';
import type { OAuthContext } from '../../oauth/context.ts';
import type { Actor } from '../app-management.ts';
import { quoted } from '../audit.ts';
import { lastFactorRefusal } from '../second-factor.ts';
import { passkeyName } from './names.ts';

export const listPasskeys = (user: User, ctx: OAuthContext): Promise<Passkey[]> => ctx.store.passkeys.listForUser(user.id);

/** One of the user's passkeys, or undefined (someone else's counts as none). */
export async function ownPasskey(user: User, id: number, ctx: OAuthContext): Promise<Passkey | undefined> {
  return (await listPasskeys(user, ctx)).find((p) => p.id === id);
}

/** Renames one of the user's passkeys; the stored name, or undefined when there is no such passkey. */
export async function renamePasskey(user: User, id: number, raw: string, actor: Actor, ctx: OAuthContext): Promise<string | undefined> {
  const before = await ownPasskey(user, id, ctx);
  const name = passkeyName(raw, ctx.clock.now());
  if (!before || !(await ctx.store.passkeys.rename(user.id, id, name))) return undefined;
  await ctx.audit?.record('passkey_renamed', { tenantId: user.tenantId, userId: actor.userId ?? user.id, origin: actor.origin, detail: `passkey ${quoted(before.name)} is now ${quoted(name)}` });
  return name;
}

/**
 * Removes one of the user's passkeys; it can no longer sign in. The removed passkey; a refusal
 * when it is the last second factor of a user the MFA policy covers; undefined when there is no such passkey.
 */
export async function removePasskey(user: User, id: number, actor: Actor, ctx: OAuthContext): Promise<Passkey | { refused: string } | undefined> {
  if (!(await ctx.store.passkeys.listForUser(user.id)).some((passkey) => passkey.id === id)) return undefined;
  const refusal = await lastFactorRefusal(user, ctx);
  if (refusal !== undefined) return { refused: refusal };
  const removed = await ctx.store.passkeys.remove(user.id, id);
  if (removed) await ctx.audit?.record('passkey_removed', { tenantId: user.tenantId, userId: actor.userId ?? user.id, origin: actor.origin, detail: `passkey ${quoted(removed.name)}` });
  return removed;
}
