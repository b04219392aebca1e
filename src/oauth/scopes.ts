// ilert's scope grammar, for any resource server: a family scope is `name` or `name:r|w|d` (a bare
// name reads; `:w` adds create and edit; `:d` adds delete), a plain scope is its exact name.
// `offline_access` is a flag of the grant, not any resource's. A resource's definitions make its
// catalog (ScopeCatalog); the built-in API's is ilert's table below.
import type { ScopeDefinition } from '../domain/resource-server.ts';
import { OIDC_SCOPES } from './oidc-scopes.ts';

export type ScopeLevel = 'r' | 'w' | 'd';

export interface ResourceScope {
  readonly name: string;
  /** The thing, as the consent page names it ("your profile", "Alert sources"). */
  readonly noun: string;
}

export const RESOURCE_SCOPES: readonly ResourceScope[] = [
  { name: 'profile', noun: 'your profile' },
  { name: 'policy', noun: 'Escalation policies' },
  { name: 'schedule', noun: 'Schedules and on-calls' },
  { name: 'source', noun: 'Alert sources' },
  { name: 'support_hour', noun: 'Support hours' },
  { name: 'monitor', noun: 'Uptime monitors' },
  { name: 'action', noun: 'Alert actions' },
  { name: 'connector', noun: 'Connectors' },
  { name: 'maintenance', noun: 'Maintenance windows' },
  { name: 'report', noun: 'Reports' },
  { name: 'template', noun: 'Incident templates' },
  { name: 'service', noun: 'Services' },
  { name: 'status_page', noun: 'Status pages' },
  { name: 'team', noun: 'Teams' },
  { name: 'user', noun: 'Users, their contacts and notification preferences' },
  { name: 'alert', noun: 'Alerts' },
  { name: 'incident', noun: 'Incidents' },
  { name: 'metric', noun: 'Metrics' },
  { name: 'metric_source', noun: 'Metric data sources' },
  { name: 'wildcard', noun: 'everything in your account' },
];

export const OFFLINE_ACCESS = 'offline_access';
export const WILDCARD = 'wildcard';

const LEVEL_RANK: Record<ScopeLevel, number> = { r: 0, w: 1, d: 2 };
const FAMILY_TOKEN = /^(.+?)(?::([rwd]))?$/;

/** What scopes one resource defines: families (by name, with their nouns) and plain scopes (with their descriptions). */
export class ScopeCatalog {
  readonly families: ReadonlyMap<string, string>;
  readonly plain: ReadonlyMap<string, string>;

  constructor(definitions: readonly ScopeDefinition[]) {
    this.families = new Map(definitions.flatMap((d) => (d.kind === 'family' ? [[d.name, d.noun] as const] : [])));
    this.plain = new Map(definitions.flatMap((d) => (d.kind === 'plain' ? [[d.name, d.description] as const] : [])));
  }

  /** How a scope token reads here: a family at a level, a plain scope, or nothing of this resource's. */
  classify(token: string): { family: string; level: ScopeLevel } | { plain: string } | undefined {
    if (this.plain.has(token)) return { plain: token };
    const match = FAMILY_TOKEN.exec(token);
    const name = match?.[1];
    if (!match || name === undefined || !this.families.has(name)) return undefined;
    return { family: name, level: (match[2] as ScopeLevel | undefined) ?? 'r' };
  }

  /** Every scope string a client may request of this resource, every level of each family (RFC 9728 `scopes_supported`). */
  scopeStrings(): string[] {
    return [...[...this.families.keys()].flatMap((name) => [name, `${name}:w`, `${name}:d`]), ...this.plain.keys()];
  }
}

/** The built-in API's catalog: ilert's families, and OpenID Connect's plain scopes (oidc-scopes.ts). */
export const BUILT_IN_CATALOG = new ScopeCatalog([...RESOURCE_SCOPES.map((s): ScopeDefinition => ({ kind: 'family', name: s.name, noun: s.noun })), ...OIDC_SCOPES]);

/** The resource API's scope strings, every level of each (RFC 9728 `scopes_supported`). */
export function resourceScopes(): string[] {
  return BUILT_IN_CATALOG.scopeStrings();
}

/** All scope strings a client may request of the built-in API, for metadata and docs. */
export function supportedScopes(): string[] {
  return [OFFLINE_ACCESS, ...resourceScopes()];
}

/** A parsed, normalised scope set of one resource: family levels, plain scopes, and the offline flag. */
export class ScopeSet {
  private constructor(
    readonly levels: ReadonlyMap<string, ScopeLevel>,
    readonly offline: boolean,
    readonly plain: ReadonlySet<string> = new Set(),
  ) {}

  static readonly empty = new ScopeSet(new Map(), false);

  /**
   * Parses a space-separated scope string against a resource's catalog (the built-in API's unless
   * told). Returns the tokens it does not define instead of throwing so the caller picks the error.
   * Repeats collapse; of two levels of one family the higher wins.
   */
  static parse(value: string, catalog: ScopeCatalog = BUILT_IN_CATALOG): { scopes: ScopeSet; unknown: string[] } {
    const levels = new Map<string, ScopeLevel>();
    const plain = new Set<string>();
    const unknown: string[] = [];
    let offline = false;
    for (const token of value.split(' ')) {
      if (token === '') continue;
      if (token === OFFLINE_ACCESS) {
        offline = true;
        continue;
      }
      const scope = catalog.classify(token);
      if (scope === undefined) unknown.push(token);
      else if ('plain' in scope) plain.add(scope.plain);
      else {
        const previous = levels.get(scope.family);
        if (previous === undefined || LEVEL_RANK[scope.level] > LEVEL_RANK[previous]) levels.set(scope.family, scope.level);
      }
    }
    return { scopes: new ScopeSet(levels, offline, plain), unknown };
  }

  /** Parses a scope string that is known to be valid (one we stored ourselves); what the catalog no longer defines is dropped. */
  static fromStored(value: string, catalog: ScopeCatalog = BUILT_IN_CATALOG): ScopeSet {
    return ScopeSet.parse(value, catalog).scopes;
  }

  get isEmpty(): boolean {
    return this.levels.size === 0 && this.plain.size === 0 && !this.offline;
  }

  /** The same scopes with the offline flag set as given. */
  withOffline(offline: boolean): ScopeSet {
    return offline === this.offline ? this : new ScopeSet(this.levels, offline, this.plain);
  }

  /** The canonical string: family scopes in request order, then plain ones, offline_access last. */
  toString(): string {
    const parts = [...this.levels].map(([name, level]) => (level === 'r' ? name : `${name}:${level}`));
    parts.push(...this.plain);
    if (this.offline) parts.push(OFFLINE_ACCESS);
    return parts.join(' ');
  }

  /** Whether every scope here is also in `other` at the same or a higher level. */
  isSubsetOf(other: ScopeSet): boolean {
    if (this.offline && !other.offline) return false;
    for (const name of this.plain) if (!other.plain.has(name)) return false;
    for (const [name, level] of this.levels) {
      const theirs = other.levels.get(name);
      if (theirs === undefined || LEVEL_RANK[theirs] < LEVEL_RANK[level]) return false;
    }
    return true;
  }

  union(other: ScopeSet): ScopeSet {
    const levels = new Map(this.levels);
    for (const [name, level] of other.levels) {
      const mine = levels.get(name);
      if (mine === undefined || LEVEL_RANK[level] > LEVEL_RANK[mine]) levels.set(name, level);
    }
    return new ScopeSet(levels, this.offline || other.offline, new Set([...this.plain, ...other.plain]));
  }

  /** The level this set grants on a family, counting `wildcard`. */
  levelFor(resource: string): ScopeLevel | undefined {
    const own = this.levels.get(resource);
    const wild = this.levels.get(WILDCARD);
    if (own === undefined) return wild;
    if (wild === undefined) return own;
    return LEVEL_RANK[wild] > LEVEL_RANK[own] ? wild : own;
  }

  /** Whether an HTTP method on a family is allowed. */
  allows(resource: string, method: string): boolean {
    const level = this.levelFor(resource);
    return level !== undefined && LEVEL_RANK[level] >= LEVEL_RANK[levelNeededFor(method)];
  }
}

/** The level an HTTP method needs: GET reads, POST/PUT write, DELETE deletes. */
export function levelNeededFor(method: string): ScopeLevel {
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

/** The scope string a caller lacking access should ask for, e.g. `source:w`. */
export function scopeNeeded(resource: string, method: string): string {
  const level = levelNeededFor(method);
  return level === 'r' ? resource : `${resource}:${level}`;
}

const VERBS: Record<ScopeLevel, string> = { r: 'See', w: 'See, Create, Edit', d: 'See, Create, Edit, Delete' };

/** One line of a consent page: "See, Create, Edit **Alert sources**"; a plain scope is its description alone. */
export interface ScopeLine {
  verbs: string;
  noun: string;
  /** wildcard's line, which covers every family of the resource. */
  everything?: true;
}

/** Consent-page lines, as ilert words them: "See, Create, Edit Alert sources"; `everything` marks wildcard's, which covers every resource. */
export function describeScopes(scopes: ScopeSet, catalog: ScopeCatalog = BUILT_IN_CATALOG): ScopeLine[] {
  const lines: ScopeLine[] = [...scopes.levels].map(([name, level]) => ({
    verbs: VERBS[level],
    noun: catalog.families.get(name) ?? name,
    ...(name === WILDCARD ? { everything: true as const } : {}),
  }));
  for (const name of scopes.plain) lines.push({ verbs: catalog.plain.get(name) ?? name, noun: '' });
  if (scopes.offline) lines.push({ verbs: 'Keep this access', noun: 'when you are not using the app (offline access)' });
  return lines;
}
