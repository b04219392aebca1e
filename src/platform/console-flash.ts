// Single-use messages from a console action to the page it redirects to (Post/Redirect/Get): the
// notice, and a new client secret, which must be shown exactly once and never travel in a URL.
// They live in the store (any worker may serve the page), sealed under a key derived from the
// session id: the store keeps only the id's hash, so its rows alone open nothing.
import { z } from 'zod';
import type { Flash } from '../domain/session.ts';
import { decrypt, encrypt, type Purpose } from '../keys/encryption.ts';
import { secondsFrom, type OAuthContext } from '../oauth/context.ts';
import { sha256Hex } from '../oauth/secrets.ts';

/** The redirect is followed at once; a flash nobody came for is gone after this (as long as a code lives). */
export const FLASH_SECONDS = 120;

const FLASHES: Purpose = { info: 'gatehouse console flash v1', failure: 'the flash was sealed for another session' };
const flashSchema = z.object({ notice: z.string(), secret: z.string().optional(), recoveryCodes: z.array(z.string()).optional() });

/** Leaves the flash for the session's next visit to `path` (a path, without a query). */
export async function leaveFlash(sessionId: string, path: string, flash: Flash, ctx: OAuthContext): Promise<void> {
  await ctx.store.consoleFlashes.put({
    sessionIdHash: sha256Hex(sessionId),
    path,
    sealed: encrypt(JSON.stringify(flash), sessionId, FLASHES),
    expiresAt: secondsFrom(ctx.clock.now(), FLASH_SECONDS),
  });
}

/** The flash left for this session on `path`, removed as it is read; undefined when there is none. */
export async function takeFlash(sessionId: string, path: string, ctx: OAuthContext): Promise<Flash | undefined> {
  const sealed = await ctx.store.consoleFlashes.take(sha256Hex(sessionId), path, ctx.clock.now());
  if (sealed === undefined) return undefined;
  try {
    const parsed = flashSchema.safeParse(JSON.parse(decrypt(sealed, sessionId, FLASHES)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
