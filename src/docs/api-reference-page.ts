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
  parameters?: { name: string; in: string; required: boolean; description?: string; schema: JsonSchema; example?: string }[];
  requestBody?: { content: Record<string, { schema: JsonSchema; example?: Record<string, unknown> }> };
  security: Record<string, string[]>[];
  responses: Record<string, { description: string; content?: Record<string, { schema: JsonSchema; example?: unknown }>; headers?: Record<string, { description: string }> }>;
  'x-example-status'?: string;
}

const MAX_ENUM_SHOWN = 8;

/** `code` spans in descriptions (the only markup they use), everything else escaped. */
function prose(text: string | undefined): Html {
  const parts = (text ?? '').split('`');
  return html`${parts.map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : part))}`;
}

/** A schema's type in words: "string (date-time)", "integer or null", "one of A, B". */
function typeOf(schema: JsonSchema, commonMaxLength?: number): string {
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
    // A limit every field of the table shares is said once, under the table.
    schema.maxLength !== undefined && schema.maxLength !== commonMaxLength ? `at most ${String(schema.maxLength)} characters` : undefined,
    schema.minimum !== undefined && schema.maximum !== undefined ? `${String(schema.minimum)}–${String(schema.maximum)}` : undefined,
  ].filter((d) => d !== undefined);
  return details.length > 0 ? `${type} (${details.join(', ')})` : type;
}

interface Row {
  name: string;
  schema: JsonSchema;
  required: string;
  description?: string;
}

/** The length limit most string fields of a table share (the parameters' 4096), to say once rather than on every row. */
function commonMaxLength(schemas: JsonSchema[]): number | undefined {
  const limits = schemas.map((s) => s.maxLength).filter((n): n is number => typeof n === 'number');
  if (limits.length < 2) return undefined;
  const counts = new Map<number, number>();
  for (const n of limits) counts.set(n, (counts.get(n) ?? 0) + 1);
  const [limit, count] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [];
  return limit !== undefined && count !== undefined && count >= 2 ? limit : undefined;
}

const limitNote = (limit: number | undefined): Html =>
  limit === undefined ? html`` : html`<p class="small muted">Every text value here: at most ${String(limit)} characters.</p>`;

const requiredText = (required: boolean, schema: JsonSchema): string =>
  required ? 'yes' : schema.default !== undefined ? `no (default ${JSON.stringify(schema.default)})` : 'no';

/** An object's fields, nested objects (and arrays of them) as dotted names. */
function rows(schema: JsonSchema, prefix = ''): Row[] {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).flatMap(([name, property]) => {
    const full = `${prefix}${name}`;
    const items = property.items as JsonSchema | undefined;
    const own: Row = { name: full, schema: property, required: requiredText(required.has(name), property), description: property.description as string | undefined };
    if (property.type === 'object') return [own, ...rows(property, `${full}.`)];
    if (items?.type === 'object') return [own, ...rows(items, `${full}[].`)];
    return [own];
  });
}

/** On a phone a row is a card of labelled lines; a field without a description gets no empty "Description" line. */
const describedCell = (description: string | undefined): Html => (description ? html`<td data-label="Description">${prose(description)}</td>` : html`<td></td>`);

function fieldTable(schema: JsonSchema): Html {
  const variants = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
  if (variants) {
    // A variant with a title (the token request's grant_type=…) is named by it.
    return html`${variants.map((variant, i) => {
      const title = typeof variant.title === 'string' ? variant.title : undefined;
      return html`<p class="small">${title ? html`With <code>${title}</code>:` : html`<span class="muted">${i === 0 ? 'Either' : 'or'}:</span>`}</p>${fieldTable(variant)}`;
    })}`;
  }
  if (schema.type === 'array') return html`<p class="small">An array; each item:</p>${fieldTable((schema.items as JsonSchema | undefined) ?? {})}`;
  const list = rows(schema);
  if (list.length === 0) return html`<p class="small"><code>${typeOf(schema)}</code>${schema.description ? html` — ${prose(schema.description as string)}` : ''}</p>`;
  const limit = commonMaxLength(list.map((r) => r.schema));
  return html`<div class="table-card"><table class="list api-fields">
<thead><tr><th scope="col">Field</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Description</th></tr></thead>
<tbody>${list.map(
    (r) =>
      html`<tr><th scope="row"><code>${r.name}</code></th><td data-label="Type">${typeOf(r.schema, limit)}</td><td data-label="Required">${r.required}</td>${describedCell(r.description)}</tr>`,
  )}</tbody>
</table></div>${limitNote(limit)}`;
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

function parameterTable(parameters: NonNullable<Operation['parameters']>): Html {
  const limit = commonMaxLength(parameters.map((p) => p.schema));
  return html`<h3>Parameters</h3><div class="table-card"><table class="list api-fields">
<thead><tr><th scope="col">Name</th><th scope="col">In</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Description</th></tr></thead>
<tbody>${parameters.map(
    (p) =>
      html`<tr><th scope="row"><code>${p.name}</code></th><td data-label="In">${p.in}</td><td data-label="Type">${typeOf(p.schema, limit)}</td><td data-label="Required">${requiredText(p.required, p.schema)}</td>${describedCell(p.description)}</tr>`,
  )}</tbody>
</table></div>${limitNote(limit)}`;
}

/** The example call: the declared one, or the method and path with the first answer the operation lists. */
function exampleSection(method: string, path: string, op: Operation): Html {
  const query = new URLSearchParams();
  for (const p of op.parameters ?? []) if (p.in === 'query' && p.example !== undefined) query.append(p.name, p.example);
  const [bodyType, bodyMedia] = Object.entries(op.requestBody?.content ?? {})[0] ?? [];
  const body = bodyMedia?.example;
  const encoded =
    body === undefined ? '' : bodyType === 'application/x-www-form-urlencoded' ? new URLSearchParams(Object.entries(body).map(([k, v]) => [k, String(v)])).toString() : JSON.stringify(body, null, 2);
  const request = [`${method.toUpperCase()} ${path}${query.size > 0 ? `?${query.toString()}` : ''}`, ...(body !== undefined ? [`Content-Type: ${bodyType ?? ''}`, '', encoded] : [])].join('\n');
  const status = op['x-example-status'] ?? Object.keys(op.responses)[0] ?? '200';
  const answer = op.responses[status];
  const [answerType, answerMedia] = Object.entries(answer?.content ?? {})[0] ?? [];
  const shown = answerMedia?.example;
  const response = [`HTTP ${status}`, ...(answerType ? [`Content-Type: ${answerType}`] : []), ...(shown !== undefined ? ['', JSON.stringify(shown, null, 2)] : answer ? ['', `(${answer.description})`] : [])].join('\n');
  return html`<h3>Example</h3><div class="api-example"><p class="small muted">Request</p><pre><code>${request}</code></pre><p class="small muted">Response</p><pre><code>${response}</code></pre></div>`;
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
    ? parameterTable(op.parameters)
    : ''
}
${body ? html`<h3>Request body</h3><p class="small">${body.map(([type], i) => html`${i > 0 ? ' or ' : ''}<code>${type}</code>`)}</p>${fieldTable(body[0]?.[1].schema ?? {})}` : ''}
<h3>Responses</h3>
${Object.entries(op.responses).map(([status, r]) => {
  const json = r.content?.['application/json'];
  const other = r.content && !json ? Object.keys(r.content)[0] : undefined;
  return html`<h4><code>${status}</code> ${prose(r.description)}</h4>${other ? html`<p class="small"><code>${other}</code></p>` : ''}${json ? fieldTable(json.schema) : ''}`;
})}
${exampleSection(method, path, op)}
</section>`;
}

export function apiReferencePage(doc: OpenApiDocument): string {
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op: op as Operation })));
  const body = html`<div class="console api-reference">
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
