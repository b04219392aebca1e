// What `gatehouse resources …` (and `apps … --default-resource`) read and print: a resource by id
// or identifier, scope options as NAME=VALUE pairs, and a resource as --json (never the secret
// hash) or as a readable summary. The built-in API shows with its real identifier, {PUBLIC_URL}/api.
import type { ResourceServer, ScopeDefinition } from '../domain/resource-server.ts';
import type { OAuthContext } from '../oauth/context.ts';
import { knownResource } from '../oauth/resources.ts';
import { findResource } from '../platform/resources.ts';
import { columns, fail, type OutputOptions } from './output.ts';

/** The resource an `ID|URI` argument names; otherwise the command ends saying where to look. */
export async function resourceOrFail(ref: string, ctx: OAuthContext, options: OutputOptions): Promise<ResourceServer> {
  const resource = await findResource(ref, ctx);
  if (!resource) fail(`no resource with id or identifier "${ref}"; see: gatehouse resources list`, options);
  return resource;
}

/** `--family NAME=NOUN` and `--scope NAME=DESCRIPTION` pairs; the value may itself hold `=`. */
function pairs(values: readonly string[], flag: string, value: string, example: string, options: OutputOptions): [string, string][] {
  return values.map((pair) => {
    const at = pair.indexOf('=');
    if (at <= 0 || pair.slice(at + 1).trim() === '') fail(`${flag} expects NAME=${value} (e.g. ${flag} ${example}), not "${pair}"`, options);
    return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
  });
}

/** The scope list the options give (families first, then plain scopes), or undefined when they give none. */
export function scopesFrom(o: { family?: string[]; scope?: string[] }, options: OutputOptions): ScopeDefinition[] | undefined {
  if (o.family === undefined && o.scope === undefined) return undefined;
  return [
    ...pairs(o.family ?? [], '--family', 'NOUN', 'notes=Notes', options).map(([name, noun]): ScopeDefinition => ({ kind: 'family', name, noun })),
    ...pairs(o.scope ?? [], '--scope', 'DESCRIPTION', '"notes.export=Export all your notes"', options).map(([name, description]): ScopeDefinition => ({ kind: 'plain', name, description })),
  ];
}

/** Seconds, as given; anything but digits becomes NaN, which the platform refuses with its bounds. */
export const lifetimeFrom = (value: string | undefined): number | undefined => (value === undefined ? undefined : /^\d+$/.test(value) ? Number(value) : Number.NaN);

/** What `--json` prints of a resource. */
export function describeResource(server: ResourceServer, ctx: OAuthContext) {
  const known = knownResource(server, ctx);
  return {
    id: server.id,
    identifier: known.identifier,
    built_in: server.builtIn,
    name: server.name,
    description: server.description,
    client_id: server.clientId,
    scopes: server.scopes.map((scope) => ({ ...scope })),
    access_token_lifetime: known.accessTokenLifetime,
    created_at: server.createdAt.toISOString(),
    updated_at: server.updatedAt.toISOString(),
  };
}

/** "notes (family: See/Create/Edit/Delete Notes)" or "notes.export — Export all your notes". */
export const scopeLine = (scope: ScopeDefinition): string =>
  scope.kind === 'family' ? `${scope.name} (family: See/Create/Edit/Delete ${scope.noun})` : `${scope.name} — ${scope.description}`;

/** The readable summary of `show`, `create` and `update`. */
export function resourceSummary(server: ResourceServer, ctx: OAuthContext): string {
  const shown = describeResource(server, ctx);
  const [first = '(none)', ...more] = server.scopes.map(scopeLine);
  return [
    `resource "${shown.name}" (id ${shown.id}${shown.built_in ? ', built-in' : ''})`,
    columns([
      ['identifier', shown.identifier],
      ['client_id', shown.client_id],
      ...(shown.description ? [['description', shown.description]] : []),
      ['token lifetime', `${shown.access_token_lifetime} s`],
      ['scopes', first],
      ...more.map((line) => ['', line]),
    ]),
  ].join('\n');
}

/** A resource's one line in `list`. */
export function resourceRow(server: ResourceServer, ctx: OAuthContext): string[] {
  const shown = describeResource(server, ctx);
  return [String(shown.id), shown.identifier, shown.name, `${shown.scopes.length} scope${shown.scopes.length === 1 ? '' : 's'}`];
}
