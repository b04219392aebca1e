// The resource form's scope list as text, one scope a line — `family notes = Notes` or
// `scope notes.export = Export your notes` — written and read here so both stay one format.
// What a scope may be named is the platform's to say (scopeProblems); this reads the lines only.
import type { ScopeDefinition } from '../../domain/resource-server.ts';

export const SCOPE_LINE_EXAMPLE = 'family notes = Notes\nscope notes.export = Export all your notes';

const LINE = /^(family|scope)\s+([^\s=]+)\s*=\s*(.*\S)\s*$/;

/** The lines of a resource's scopes, as the form shows them. */
export function scopeLines(scopes: readonly ScopeDefinition[]): string {
  return scopes.map((scope) => (scope.kind === 'family' ? `family ${scope.name} = ${scope.noun}` : `scope ${scope.name} = ${scope.description}`)).join('\n');
}

/** The scopes the text names, and a problem for each line that reads as neither form (blank lines are skipped). */
export function parseScopeLines(text: string): { scopes: ScopeDefinition[]; problems: string[] } {
  const scopes: ScopeDefinition[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const match = LINE.exec(line);
    const [, kind, name = '', words = ''] = match ?? [];
    if (!match) problems.push(`Line ${index + 1} (${JSON.stringify(line.length > 60 ? `${line.slice(0, 60)}…` : line)}) must read "family NAME = NOUN" or "scope NAME = DESCRIPTION"`);
    else scopes.push(kind === 'family' ? { kind: 'family', name, noun: words } : { kind: 'plain', name, description: words });
  });
  return { scopes, problems };
}
