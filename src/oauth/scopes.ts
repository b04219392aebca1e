// ilert's scope grammar: `name` or `name:r|w|d`, space separated. A bare name reads; `:w` adds
// create and edit; `:d` adds delete. `offline_access` is a flag, not a resource.

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

const BY_NAME = new Map(RESOURCE_SCOPES.map((s) => [s.name, s]));
const LEVEL_RANK: Record<ScopeLevel, number> = { r: 0, w: 1, d: 2 };
const TOKEN = /^([a-z_]+)(?::([rwd]))?$/;

/** The resource API's scope strings, every level of each (RFC 9728 `scopes_supported`). */
export function resourceScopes(): string[] {
  return RESOURCE_SCOPES.flatMap((s) => [s.name, `${s.name}:w`, `${s.name}:d`]);
}

/** All scope strings a client may request, for metadata and docs. */
export function supportedScopes(): string[] {
  return [OFFLINE_ACCESS, ...resourceScopes()];
}

/** A parsed, normalised scope set: resource levels plus the offline flag. */
export class ScopeSet {
  private constructor(
    readonly levels: ReadonlyMap<string, ScopeLevel>,
    readonly offline: boolean,
  ) {}

  static readonly empty = new ScopeSet(new Map(), false);

  /**
   * Parses a space-separated scope string. Returns the unknown tokens instead of throwing so the
   * caller picks the error. Repeats collapse; of two levels of one scope the higher wins.
   */
  static parse(value: string): { scopes: ScopeSet; unknown: string[] } {
    const levels = new Map<string, ScopeLevel>();
    const unknown: string[] = [];
    let offline = false;
    for (const token of value.split(' ')) {
      if (token === '') continue;
      if (token === OFFLINE_ACCESS) {
        offline = true;
        continue;
      }
      const match = TOKEN.exec(token);
      const name = match?.[1];
      if (!match || name === undefined || !BY_NAME.has(name)) {
        unknown.push(token);
        continue;
      }
      const level = (match[2] as ScopeLevel | undefined) ?? 'r';
      const previous = levels.get(name);
      if (previous === undefined || LEVEL_RANK[level] > LEVEL_RANK[previous]) levels.set(name, level);
    }
    return { scopes: new ScopeSet(levels, offline), unknown };
  }

  /** Parses a scope string that is known to be valid (one we stored ourselves). */
  static fromStored(value: string): ScopeSet {
    return ScopeSet.parse(value).scopes;
  }

  get isEmpty(): boolean {
    return this.levels.size === 0 && !this.offline;
  }

  /** The canonical string: resource scopes in request order, offline_access last. */
  toString(): string {
    const parts = [...this.levels].map(([name, level]) => (level === 'r' ? name : `${name}:${level}`));
    if (this.offline) parts.push(OFFLINE_ACCESS);
    return parts.join(' ');
  }

  /** Whether every scope here is also in `other` at the same or a higher level. */
  isSubsetOf(other: ScopeSet): boolean {
    if (this.offline && !other.offline) return false;
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
    return new ScopeSet(levels, this.offline || other.offline);
  }

  /** The level this set grants on a resource scope, counting `wildcard`. */
  levelFor(resource: string): ScopeLevel | undefined {
    const own = this.levels.get(resource);
    const wild = this.levels.get(WILDCARD);
    if (own === undefined) return wild;
    if (wild === undefined) return own;
    return LEVEL_RANK[wild] > LEVEL_RANK[own] ? wild : own;
  }

  /** Whether an HTTP method on a resource scope is allowed. */
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

/** Consent-page lines, as ilert words them: "See, Create, Edit Alert sources"; `everything` marks wildcard's, which covers every resource. */
export function describeScopes(scopes: ScopeSet): { verbs: string; noun: string; everything?: true }[] {
  const lines = [...scopes.levels].map(([name, level]) => ({
    verbs: VERBS[level],
    noun: BY_NAME.get(name)?.noun ?? name,
    ...(name === WILDCARD ? { everything: true as const } : {}),
  }));
  if (scopes.offline) lines.push({ verbs: 'Keep this access', noun: 'when you are not using the app (offline access)' });
  return lines;
}
