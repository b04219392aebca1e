// `--service-scope` as `gatehouse apps create|update` read it: `SCOPE` (a scope of the built-in
// API, e.g. `source:w`) or `RESOURCE=SCOPE`, the resource named by its id or identifier as
// `--default-resource` names it (`https://notes.example/api=notes:w`, `2=notes.export`). A value
// may hold several scopes separated by spaces. Scope names never hold `=`, identifiers may: the
// last `=` splits. The platform checks every scope against its resource's catalog.
import type { ServiceScopeChoice } from '../platform/service-scopes.ts';

export function serviceScopeChoices(values: readonly string[]): ServiceScopeChoice[] {
  return values.map((value) => {
    const at = value.lastIndexOf('=');
    return at < 0 ? { scope: value } : { resource: value.slice(0, at).trim(), scope: value.slice(at + 1) };
  });
}
