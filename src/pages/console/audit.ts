// The account's audit log for its admins: newest first, from a chosen day, a chosen number of
// events; who, which app, from where (address and client, e.g. "Firefox, Mac"), and what happened.
import { describeClient } from '../../platform/user-agent.ts';
import type { AuditEventType, StoredAuditEvent } from '../../domain/audit.ts';
import { html } from '../html.ts';
import { dateTime, errorSummary, select, textField, type FieldErrors } from './parts.ts';
import { consolePage, type Viewer } from './shell.ts';

export const AUDIT_LIMITS = ['50', '100', '250', '500'] as const;

const EVENT_NAMES: Record<AuditEventType, string> = {
  login_succeeded: 'Signed in',
  login_failed: 'Sign-in failed',
  logout: 'Signed out',
  consent_granted: 'Access allowed',
  consent_denied: 'Access refused',
  token_revoked: 'Token revoked',
  code_replayed: 'Code used twice',
  refresh_token_reuse: 'Refresh token reused',
  secret_rotated: 'Secret rotated',
  app_access_revoked: 'App access revoked',
  app_created: 'App created',
  app_updated: 'App changed',
  app_deleted: 'App deleted',
  app_disabled: 'App disabled',
  app_enabled: 'App enabled',
  user_created: 'User created',
  user_updated: 'User changed',
  resource_created: 'Resource registered',
  resource_updated: 'Resource changed',
  resource_deleted: 'Resource deleted',
  signed_out_everywhere: 'Signed out everywhere',
  backchannel_logout_delivered: 'App told of sign-out',
  backchannel_logout_failed: 'App not told of sign-out',
  mfa_enrolled: 'Second factor added',
  mfa_disabled: 'Second factor removed',
  mfa_policy_changed: 'MFA policy changed',
  mfa_reset: 'Second factors reset by an admin',
  mfa_succeeded: 'Second factor passed',
  mfa_failed: 'Second factor failed',
  recovery_code_used: 'Recovery code used',
  recovery_codes_regenerated: 'Recovery codes renewed',
  passkey_registered: 'Passkey added',
  passkey_renamed: 'Passkey renamed',
  passkey_removed: 'Passkey removed',
  passkey_sign_in: 'Signed in with a passkey',
  passkey_failed: 'Passkey refused',
};

/** Events a person should look at twice. */
const WARNINGS = new Set<AuditEventType>(['login_failed', 'code_replayed', 'refresh_token_reuse', 'backchannel_logout_failed', 'mfa_failed', 'recovery_code_used', 'mfa_disabled', 'passkey_failed', 'mfa_reset']);

export interface AuditFilterValues {
  since: string;
  limit: string;
}

export function auditPage(o: { viewer: Viewer; events: StoredAuditEvent[]; filter: AuditFilterValues; errors: FieldErrors }): string {
  const rows = o.events.map(
    (e) => html`<tr>
  <td data-label="When">${dateTime(e.at)}</td>
  <th scope="row" data-label="Event"><span class="event${WARNINGS.has(e.type) ? ' warn' : ''}">${EVENT_NAMES[e.type] ?? e.type}</span></th>
  <td data-label="User">${e.username ?? '—'}</td>
  <td data-label="App">${e.appName ?? '—'}</td>
  <td data-label="From"><span><span class="mono small">${e.ip ?? '—'}</span>${e.userAgent ? html`<span class="muted small block">${describeClient(e.userAgent)}</span>` : ''}</span></td>
  <td data-label="Detail" class="detail">${e.detail}</td>
</tr>`,
  );
  const body = html`${errorSummary(o.errors, { since: 'audit-since', limit: 'audit-limit' })}
<form method="get" action="/console/audit" class="filters" novalidate>
  ${textField({ id: 'audit-since', name: 'since', type: 'date', label: 'From (UTC day)', value: o.filter.since, error: o.errors.since })}
  ${select({ id: 'audit-limit', name: 'limit', label: 'Show', value: o.filter.limit, error: o.errors.limit, options: AUDIT_LIMITS.map((n) => ({ value: n, label: `${n} newest events` })) })}
  <div class="form-actions"><button type="submit" class="secondary">Show events</button></div>
</form>
${
  o.events.length === 0
    ? html`<section class="card empty"><p>No events${o.filter.since ? ' since that day' : ''}.</p></section>`
    : html`<div class="table-card">
<table class="list audit">
  <caption class="visually-hidden">Audit events of ${o.viewer.tenantName}, newest first</caption>
  <thead><tr><th scope="col">When</th><th scope="col">Event</th><th scope="col">User</th><th scope="col">App</th><th scope="col">From</th><th scope="col">Detail</th></tr></thead>
  <tbody>${rows}</tbody>
</table>
</div>
<p class="hint">${o.events.length} event${o.events.length === 1 ? '' : 's'}, newest first. ${o.events.length >= Number(o.filter.limit) ? 'Older events are not shown; choose to show more.' : ''}</p>`
}`;
  return consolePage({ viewer: o.viewer, section: 'audit', title: 'Audit log', body });
}
