// /docs/api: the OpenAPI document as a readable page, rendered on the server with the pages'
// layout and stylesheet (no scripts, no CDN). Schemas become tables of fields, nested ones
// flattened to dotted names, so the page reads the same document clients download.
import { type Html, html } from '../pages/html.ts';
import { layout } from '../pages/layout.ts';
import type { JsonSchema, OpenApiDocument } from './openapi.ts';

interface Operation {
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  parameters?: { name: string; in: string; required: boolean; description?: string; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  security: Record<string, string[]>[];
  responses: Record<string, { description: string; content?: Record<string, { schema: JsonSchema }>; headers?: Record<string, { description: string }> }>;
}

const MAX_ENUM_SHOWN = 8;

/** `code` spans in descriptions (the only markup they use), everything else escaped. */
function prose(text: string | undefined): Html {
  const parts = (text ?? '').split('`');
  return html`${parts.map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : part))}`;
}

/** A schema's type in words: "string (date-time)", "integer or null", "one of A, B". */
function typeOf(schema: JsonSchema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) {
    const values = schema.enum.map((v) => JSON.stringify(v));
    const shown = values.slice(0, MAX_ENUM_SHOWN).join(', ');
    return `one of ${shown}${values.length > MAX_ENUM_SHOWN ? `, … (${values.length} values)` : ''}`;
  }
  const variants = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (variants) return variants.map(typeOf).join(' or ');
  const type = Array.isArray(schema.type) ? schema.type.join(' or ') : String(schema.type ?? 'any');
  if (type === 'array') return `array of ${typeOf((schema.items as JsonSchema | undefined) ?? {})}`;
  const details = [
    schema.format,
    // Long patterns (durations, timestamps) say less than the description does.
    schema.format === undefined && typeof schema.pattern === 'string' && schema.pattern.length <= 24 ? `pattern ${schema.pattern}` : undefined,
    schema.maxLength !== undefined ? `at most ${String(schema.maxLength)} characters` : undefined,
    schema.minimum !== undefined && schema.maximum !== undefined ? `${String(schema.minimum)}–${String(schema.maximum)}` : undefined,
  ].filter((d) => d !== undefined);
  return details.length > 0 ? `${type} (${details.join(', ')})` : type;
}

interface Row {
  name: string;
  type: string;
  required: string;
  description?: string;
}

const requiredText = (required: boolean, schema: JsonSchema): string =>
  required ? 'yes' : schema.default !== undefined ? `no (default ${JSON.stringify(schema.default)})` : 'no';

/** An object's fields, nested objects (and arrays of them) as dotted names. */
function rows(schema: JsonSchema, prefix = ''): Row[] {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).flatMap(([name, property]) => {
    const full = `${prefix}${name}`;
    const items = property.items as JsonSchema | undefined;
    const own: Row = { name: full, type: typeOf(property), required: requiredText(required.has(name), property), description: property.description as string | undefined };
    if (property.type === 'object') return [own, ...rows(property, `${full}.`)];
    if (items?.type === 'object') return [own, ...rows(items, `${full}[].`)];
    return [own];
  });
}

function fieldTable(schema: JsonSchema): Html {
  const variants = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
  if (variants) return html`${variants.map((variant, i) => html`<p class="small muted">${i === 0 ? 'Either' : 'or'}:</p>${fieldTable(variant)}`)}`;
  if (schema.type === 'array') return html`<p class="small">An array; each item:</p>${fieldTable((schema.items as JsonSchema | undefined) ?? {})}`;
  const list = rows(schema);
  if (list.length === 0) return html`<p class="small"><code>${typeOf(schema)}</code>${schema.description ? html` — ${prose(schema.description as string)}` : ''}</p>`;
  return html`<div class="table-card"><table class="list">
<thead><tr><th scope="col">Field</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Description</th></tr></thead>
<tbody>${list.map((r) => html`<tr><th scope="row">${r.name}</th><td>${r.type}</td><td>${r.required}</td><td>${prose(r.description)}</td></tr>`)}</tbody>
</table></div>`;
}

function securityText(security: Record<string, string[]>[]): Html {
  const parts = security.map((entry) => {
    const [scheme, scopes] = Object.entries(entry)[0] ?? [];
    if (scheme === undefined) return html`none`;
    if (scheme === 'accessToken') return html`access token with scope ${(scopes ?? []).map((s, i) => html`${i > 0 ? ', ' : ''}<code>${s}</code>`)}`;
    if (scheme === 'clientSecretBasic') return html`client secret (HTTP Basic or body)`;
    if (scheme === 'session') return html`a signed-in session (cookie)`;
    return html`bearer token (<code>GATEHOUSE_METRICS_TOKEN</code>)`;
  });
  return html`${parts.map((part, i) => html`${i > 0 ? ' or ' : ''}${part}`)}`;
}

function operationSection(method: string, path: string, op: Operation): Html {
  const body = op.requestBody && Object.entries(op.requestBody.content);
  return html`<section class="card" id="${op.operationId}" aria-labelledby="${op.operationId}-title">
<h2 id="${op.operationId}-title"><span class="badge">${method.toUpperCase()}</span> <code>${path}</code></h2>
<p><strong>${op.summary}</strong></p>
${op.description ? html`<p>${prose(op.description)}</p>` : ''}
<p class="small">Authentication: ${securityText(op.security)}</p>
${
  op.parameters
    ? html`<h3>Parameters</h3><div class="table-card"><table class="list">
<thead><tr><th scope="col">Name</th><th scope="col">In</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Description</th></tr></thead>
<tbody>${op.parameters.map((p) => html`<tr><th scope="row">${p.name}</th><td>${p.in}</td><td>${typeOf(p.schema)}</td><td>${requiredText(p.required, p.schema)}</td><td>${prose(p.description)}</td></tr>`)}</tbody>
</table></div>`
    : ''
}
${body ? html`<h3>Request body</h3><p class="small">${body.map(([type], i) => html`${i > 0 ? ' or ' : ''}<code>${type}</code>`)}</p>${fieldTable(body[0]?.[1].schema ?? {})}` : ''}
<h3>Responses</h3>
${Object.entries(op.responses).map(([status, r]) => {
  const json = r.content?.['application/json'];
  const other = r.content && !json ? Object.keys(r.content)[0] : undefined;
  return html`<h4><code>${status}</code> ${prose(r.description)}</h4>${other ? html`<p class="small"><code>${other}</code></p>` : ''}${json ? fieldTable(json.schema) : ''}`;
})}
</section>`;
}

export function apiReferencePage(doc: OpenApiDocument): string {
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op: op as Operation })));
  const body = html`<div class="console">
<h1>Gatehouse API ${doc.info.version}</h1>
<p class="lead">${doc.info.description}</p>
<p>Base URL <code>${doc.servers[0]?.url ?? ''}</code>. Machine-readable: <a href="/openapi.json">OpenAPI 3.1 document</a>.
Errors of the OAuth endpoints are <code>{error, error_description, code}</code>; the resource API's are <code>{status, message, code}</code>.</p>
<nav aria-label="Endpoints" class="card">
${doc.tags.map(
  (tag) => html`<h2>${tag.name}</h2><ul>${operations
    .filter(({ op }) => op.tags.includes(tag.name))
    .map(({ path, method, op }) => html`<li><a href="#${op.operationId}">${method.toUpperCase()} ${path}</a> — ${op.summary}</li>`)}</ul>`,
)}
</nav>
${operations.map(({ path, method, op }) => operationSection(method, path, op))}
</div>`;
  return layout({ title: 'API reference', body });
}
