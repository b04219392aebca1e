// Gatehouse's scope rule, as ilert words it: a family scope `x` reads, `x:w` adds create and
// edit, `x:d` adds delete (`x:r` is `x`), so `x:d` ⊇ `x:w` ⊇ `x`; a plain scope is its exact name.
// `wildcard` at a level covers every family at that level; `offline_access` is never a resource's.

export type ScopeLevel = 'r' | 'w' | 'd';

export const OFFLINE_ACCESS = 'offline_access';
export const WILDCARD = 'wildcard';

const RANK: Record<ScopeLevel, number> = { r: 0, w: 1, d: 2 };
const LEVELLED = /^(.+?):([rwd])$/;

/** Which of a resource's scopes are plain (exact names): only these are exempt from levels and `wildcard`. */
export interface ScopeCatalog {
  /** Family names (`notes`), each offered at every level. */
  readonly families?: readonly string[];
  /** Plain scope names (`notes.export`). */
  readonly plain?: readonly string[];
}

/** A family at a level, or a plain scope: one required or granted scope, read once. */
type ParsedScope = { family: string; level: ScopeLevel } | { plain: string };

/** Reads one scope string; without a catalog every scope follows the family rule (an exact match always satisfies it). */
function parseOne(scope: string, plain: ReadonlySet<string>): ParsedScope {
  if (plain.has(scope)) return { plain: scope };
  const match = LEVELLED.exec(scope);
  return match ? { family: match[1] as string, level: match[2] as ScopeLevel } : { family: scope, level: 'r' };
}

/** The level an HTTP method needs: GET and HEAD read, DELETE deletes, everything else writes. */
export function levelForMethod(method: string): ScopeLevel {
  switch (method.toUpperCase()) {
    case 'GET':
    case 'HEAD':
      return 'r';
    case 'DELETE':
      return 'd';
    default:
      return 'w';
  }
}

/** The scope a request with this method needs on a family: `scopeForMethod('notes', 'PATCH')` is `notes:w`. */
export function scopeForMethod(family: string, method: string): string {
  const level = levelForMethod(method);
  return level === 'r' ? family : `${family}:${level}`;
}

/** Every scope string a client may ask for, for RFC 9728 `scopes_supported`: each family at each level, then the plain ones. */
export function supportedScopes(catalog: ScopeCatalog): string[] {
  return [...(catalog.families ?? []).flatMap((f) => [f, `${f}:w`, `${f}:d`]), ...(catalog.plain ?? [])];
}

/** The scopes of one token, parsed once: family levels (the highest of repeats) and plain names. */
export class Scopes {
  readonly #levels = new Map<string, ScopeLevel>();
  readonly #plain = new Set<string>();
  readonly #catalogPlain: ReadonlySet<string>;
  /** The token's scope strings as sent, without `offline_access`. */
  readonly values: readonly string[];

  constructor(scope: string, catalog: ScopeCatalog = {}) {
    this.#catalogPlain = new Set(catalog.plain);
    this.values = Object.freeze(scope.split(' ').filter((s) => s !== '' && s !== OFFLINE_ACCESS));
    for (const value of this.values) {
      const parsed = parseOne(value, this.#catalogPlain);
      if ('plain' in parsed) this.#plain.add(parsed.plain);
      else {
        const held = this.#levels.get(parsed.family);
        if (held === undefined || RANK[parsed.level] > RANK[held]) this.#levels.set(parsed.family, parsed.level);
      }
    }
  }

  /** The level held on a family, counting `wildcard`. */
  levelOf(family: string): ScopeLevel | undefined {
    const own = this.#levels.get(family);
    const wild = this.#levels.get(WILDCARD);
    if (own === undefined || wild === undefined) return own ?? wild;
    return RANK[wild] > RANK[own] ? wild : own;
  }

  /** Whether the token covers one required scope: `has('notes:w')` is true for `notes:w`, `notes:d`, `wildcard:w`. */
  has(scope: string): boolean {
    if (scope === OFFLINE_ACCESS) return false;
    const parsed = parseOne(scope, this.#catalogPlain);
    if ('plain' in parsed) return this.#plain.has(parsed.plain);
    const held = this.levelOf(parsed.family);
    return held !== undefined && RANK[held] >= RANK[parsed.level];
  }

  /** Whether a request with this method may act on a family. */
  allows(family: string, method: string): boolean {
    return this.has(scopeForMethod(family, method));
  }

  /** The required scopes the token does not cover (empty: it covers them all). */
  missing(required: readonly string[]): string[] {
    return required.filter((scope) => !this.has(scope));
  }

  toString(): string {
    return this.values.join(' ');
  }
}

/**
 * What a route needs: one scope, all of several, or a function of the request (see methodScope).
 * Each string follows the level rule.
 */
export type ScopeRequirement = string | readonly string[] | ((request: { method: string }) => string | readonly string[]);

/** A requirement that picks the level by method: `methodScope('notes')` needs `notes` for GET, `notes:d` for DELETE. */
export const methodScope =
  (family: string) =>
  (request: { method: string }): string =>
    scopeForMethod(family, request.method);

/** Refuses requirements that can never be met, when the route is declared rather than on each request. */
export function checkRequirement(requirement: ScopeRequirement): ScopeRequirement {
  if (typeof requirement === 'function') return requirement;
  const scopes = typeof requirement === 'string' ? [requirement] : requirement;
  for (const scope of scopes) {
    if (scope === '' || /\s/.test(scope)) throw new TypeError(`A required scope is one name without spaces, not ${JSON.stringify(scope)}`);
    if (scope === OFFLINE_ACCESS) throw new TypeError('offline_access is not a resource scope: it asks for a refresh token');
  }
  return requirement;
}

/** The scopes a requirement names for one request. */
export function requiredScopes(requirement: ScopeRequirement, method: string): readonly string[] {
  const value = typeof requirement === 'function' ? requirement({ method }) : requirement;
  return typeof value === 'string' ? [value] : value;
}
