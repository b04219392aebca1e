// Session and CSRF cookies. The session cookie is host-only, HttpOnly and SameSite=Lax, so a
// tenant host keeps its own sign-in. CSRF uses a double-submit cookie checked in constant time.
import '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OAuthContext } from '../oauth/context.ts';
import { endSession, resolveSession, startSession, type SignedIn } from '../platform/login.ts';
import { leaveFlash, takeFlash } from '../platform/console-flash.ts';
import { mustEnrol } from '../platform/second-factor.ts';
import { resolvePendingSignIn, startPendingSignIn, type ResolvedPendingSignIn } from '../platform/pending-sign-in.ts';
import type { Flash } from '../domain/session.ts';
import { randomHex, safeEqual } from '../oauth/secrets.ts';
import type { User } from '../domain/identity.ts';
import { requestOrigin } from './request-origin.ts';
import { tenantFromHost } from './tenant-host.ts';

/** How the API reference describes every form's `csrf` field. */
export const CSRF_FIELD = "The form's CSRF token (double-submit cookie)";

export interface CookieSettings {
  secure: boolean;
  publicHostname: string;
}

const names = (secure: boolean) =>
  secure
    ? { session: '__Host-gh_session', csrf: '__Host-gh_csrf', pending: '__Host-gh_pending' }
    : { session: 'gh_session', csrf: 'gh_csrf', pending: 'gh_pending' };

export class SessionCookies {
  private readonly names: { session: string; csrf: string; pending: string };

  constructor(
    private readonly settings: CookieSettings,
    private readonly ctx: OAuthContext,
  ) {
    this.names = names(settings.secure);
  }

  hostTenant(request: FastifyRequest): string | undefined {
    return tenantFromHost(request.hostname, this.settings.publicHostname);
  }

  /** The session id the browser sent, if it looks like one. */
  private sessionId(request: FastifyRequest): string | undefined {
    const id = request.cookies[this.names.session];
    return id && id.length <= 200 ? id : undefined;
  }

  /** The account this host names when no such account exists (a mistyped or deleted one), else undefined. */
  async unknownHostTenant(request: FastifyRequest): Promise<string | undefined> {
    const slug = this.hostTenant(request);
    return slug !== undefined && !(await this.ctx.store.tenants.bySlug(slug)) ? slug : undefined;
  }

  /** The signed-in user, if the session is valid for this host's tenant. */
  async current(request: FastifyRequest): Promise<SignedIn | undefined> {
    const id = this.sessionId(request);
    if (!id) return undefined;
    const signedIn = await resolveSession(id, this.ctx);
    const hostTenant = this.hostTenant(request);
    if (!signedIn || (hostTenant !== undefined && signedIn.tenant.slug !== hostTenant)) return undefined;
    return { ...signedIn, mustEnrol: await mustEnrol(signedIn.user, this.ctx) };
  }

  /** Starts a session for the user, who signed in by `amr` (a password unless told). */
  async signIn(reply: FastifyReply, user: User, amr?: readonly string[]): Promise<void> {
    const { id, expiresAt } = await startSession(user, this.ctx, amr);
    reply.setCookie(this.names.session, id, { ...this.base(), expires: expiresAt });
    // A fresh CSRF token with every new session.
    this.setCsrf(reply, randomHex(32));
  }

  /** Starts the second step of signing the user in (platform/pending-sign-in.ts), remembered in its own cookie, set like the session's. */
  async startSecondStep(reply: FastifyReply, user: User, returnTo: string): Promise<void> {
    const { id, expiresAt } = await startPendingSignIn(user, returnTo, this.ctx);
    reply.setCookie(this.names.pending, id, { ...this.base(), expires: expiresAt });
  }

  /** The pending sign-in's id the browser sent, if it looks like one. */
  pendingSignInId(request: FastifyRequest): string | undefined {
    const id = request.cookies[this.names.pending];
    return id && id.length <= 200 ? id : undefined;
  }

  /** The browser's live pending sign-in, if it is for this host's tenant. */
  async pendingSignIn(request: FastifyRequest): Promise<(ResolvedPendingSignIn & { id: string }) | undefined> {
    const id = this.pendingSignInId(request);
    const resolved = id ? await resolvePendingSignIn(id, this.ctx) : undefined;
    const hostTenant = this.hostTenant(request);
    if (!id || !resolved || (hostTenant !== undefined && resolved.tenant.slug !== hostTenant)) return undefined;
    return { ...resolved, id };
  }

  forgetPendingSignIn(reply: FastifyReply): void {
    reply.clearCookie(this.names.pending, this.base());
  }

  /** Leaves a single-use flash for this session's next visit to `path` (sealed under its id). */
  async leaveFlash(request: FastifyRequest, path: string, flash: Flash): Promise<void> {
    const id = this.sessionId(request);
    if (id) await leaveFlash(id, path, flash, this.ctx);
  }

  /** Takes the flash this session left for `path`, if any: it is gone once read. */
  async takeFlash(request: FastifyRequest, path: string): Promise<Flash | undefined> {
    const id = this.sessionId(request);
    return id ? takeFlash(id, path, this.ctx) : undefined;
  }

  /**
   * Ends the browser's session, the one way a session ends (the sign-out forms, RP-initiated
   * logout, a new sign-in replacing it), and audits a live one as `logout` with `detail`.
   */
  async signOut(request: FastifyRequest, reply: FastifyReply, detail = 'signed out'): Promise<void> {
    const id = request.cookies[this.names.session];
    if (id) {
      const live = id.length <= 200 ? await resolveSession(id, this.ctx) : undefined;
      await endSession(id, this.ctx);
      if (live) await this.ctx.audit?.record('logout', { tenantId: live.tenant.id, userId: live.user.id, origin: requestOrigin(request), detail });
    }
    this.forget(reply);
  }

  /** Clears the session cookie of a session already ended (e.g. signed out everywhere). */
  forget(reply: FastifyReply): void {
    reply.clearCookie(this.names.session, this.base());
  }

  /** The CSRF token for a form, setting the cookie when there is none yet. */
  csrfToken(request: FastifyRequest, reply: FastifyReply): string {
    const existing = request.cookies[this.names.csrf];
    if (existing && /^[0-9a-f]{64}$/.test(existing)) return existing;
    const token = randomHex(32);
    this.setCsrf(reply, token);
    return token;
  }

  /** Whether a posted form carries the CSRF token of its cookie. */
  csrfValid(request: FastifyRequest, posted: string | undefined): boolean {
    const cookie = request.cookies[this.names.csrf];
    return cookie !== undefined && posted !== undefined && /^[0-9a-f]{64}$/.test(cookie) && safeEqual(cookie, posted);
  }

  private setCsrf(reply: FastifyReply, token: string): void {
    reply.setCookie(this.names.csrf, token, this.base());
  }

  private base() {
    return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: this.settings.secure };
  }
}
