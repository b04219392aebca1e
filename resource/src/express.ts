// @gatehouse/resource/express: middleware for Express 5. protect() verifies the bearer token and
// puts the verified token on `req.gatehouse`; requireScope() checks a route's scopes after it;
// metadataHandler() serves the RFC 9728 document. Express is imported for its types only.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Refusal } from './bearer.ts';
import { checkRequirement, type ScopeRequirement } from './scopes.ts';
import type { Verified, Verifier } from './verifier-api.ts';

declare global {
  // Express types its request through this global namespace; merging into it types req.gatehouse.
  namespace Express {
    interface Request {
      /** The verified access token, set by protect(). */
      gatehouse?: Verified;
    }
  }
}

export interface ExpressAuthOptions {
  /** Scopes every request through this middleware needs (see methodScope for a level by method). */
  scope?: ScopeRequirement;
}

/** Which verifier authenticated a request, so requireScope() can answer in its name. */
const verifierOf = new WeakMap<Request, Verifier>();

/** Writes a refusal: status, WWW-Authenticate (or Retry-After) and the JSON body, never cached. */
export function sendRefusal(res: Response, refusal: Refusal): void {
  res.status(refusal.status).set(refusal.headers).set('cache-control', 'no-store').json(refusal.body);
}

/** Verifies the request's bearer token; refuses it with RFC 6750's answer, or sets `req.gatehouse` and goes on. */
export function protect(verifier: Verifier, options: ExpressAuthOptions = {}): RequestHandler {
  if (options.scope !== undefined) checkRequirement(options.scope);
  return (req: Request, res: Response, next: NextFunction) => {
    verifier
      .authenticate(req.headers, {
        method: req.method,
        url: req.originalUrl,
        ...(options.scope === undefined ? {} : { scope: options.scope }),
      })
      .then((result) => {
        if (!result.ok) return sendRefusal(res, result);
        req.gatehouse = result;
        verifierOf.set(req, verifier);
        next();
      }, next);
  };
}

/** Checks a route's scopes on a request protect() let through: `app.delete('/notes/:id', requireScope('notes:d'), …)`. */
export function requireScope(requirement: ScopeRequirement): RequestHandler {
  checkRequirement(requirement);
  return (req: Request, res: Response, next: NextFunction) => {
    const auth = req.gatehouse;
    const verifier = verifierOf.get(req);
    if (!auth || !verifier) return next(new Error('requireScope() runs after protect(verifier)'));
    const refused = verifier.checkScope(auth, requirement, req.method);
    if (refused) return sendRefusal(res, refused);
    next();
  };
}

/** The verified token of a request protect() let through; throws if protect() did not run. */
export function authOf(req: Request): Verified {
  if (!req.gatehouse) throw new Error('No verified token on this request: mount protect(verifier) before this route');
  return req.gatehouse;
}

/** Serves the RFC 9728 document: `app.get(verifier.resourceMetadataPath, metadataHandler(verifier))`, before protect(). */
export function metadataHandler(verifier: Verifier): RequestHandler {
  return (_req: Request, res: Response) => {
    res.set({ 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' }).json(verifier.metadata());
  };
}
