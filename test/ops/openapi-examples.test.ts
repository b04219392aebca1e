// The API reference tells a reader what to send: required fields are marked from the schemas (the
// token request per grant), the 4096-character limit is said once per table, every operation shows
// an example request and answer — the declared ones fit the operation's own schemas, so they
// cannot drift — and at phone width the page does not scroll sideways and its cards are labelled.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { z } from 'zod';
import { declaredRoutes } from '../../src/http/routes.ts';
import { CHROMIUM_MISSING, launchChromium } from '../helpers/chromium.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

type JsonSchema = { required?: string[]; oneOf?: JsonSchema[]; anyOf?: JsonSchema[]; title?: string; properties?: Record<string, unknown> };
interface Op {
  operationId: string;
  parameters?: { name: string; required: boolean; example?: string }[];
  requestBody?: { content: Record<string, { schema: JsonSchema; example?: unknown }> };
  responses: Record<string, { content?: Record<string, { example?: unknown }> }>;
}

describe('the API reference', () => {
  let server: TestServer;
  let ops: Map<string, Op>;
  let page: string;
  let browser: Browser | undefined;
  before(async () => {
    server = await startTestServer();
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, Op>> };
    ops = new Map(Object.values(doc.paths).flatMap((methods) => Object.values(methods).map((op) => [op.operationId, op] as const)));
    page = await (await fetch(`${server.url}/docs/api`)).text();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server.close();
  });

  const fits = (schema: z.ZodType, value: unknown, what: string) => {
    const result = schema.safeParse(value);
    assert.ok(result.success, `${what}: ${result.success ? '' : result.error.message}`);
  };

  it("declares examples that fit each operation's schemas", () => {
    const routes = declaredRoutes(server.app).filter((route) => route.operation.example);
    assert.ok(routes.length >= 5, 'the OAuth endpoints and the user API declare examples');
    for (const { operation: op } of routes) {
      const example = op.example;
      assert.ok(example);
      const answer = op.responses[example.response.status];
      assert.ok(answer, `${op.id}: the example's status ${example.response.status} is one of its responses`);
      if (example.body !== undefined) fits(op.body?.schema ?? assert.fail(`${op.id} has no body`), example.body, `${op.id} example request`);
      if (example.query !== undefined) fits(op.query ?? assert.fail(`${op.id} has no query`), example.query, `${op.id} example query`);
      if (typeof answer.body === 'object') fits(answer.body, example.response.body, `${op.id} example response`);
      // The OpenAPI document carries the same examples.
      const served = ops.get(op.id);
      if (example.body !== undefined) assert.deepEqual(Object.values(served?.requestBody?.content ?? {})[0]?.example, example.body);
      if (example.response.body !== undefined) assert.deepEqual(served?.responses[example.response.status]?.content?.['application/json']?.example, example.response.body);
    }
  });

  it('marks the required fields, for the token endpoint per grant type', () => {
    const token = Object.values(ops.get('token')?.requestBody?.content ?? {})[0]?.schema;
    const variants = token?.oneOf ?? token?.anyOf ?? [];
    const required = Object.fromEntries(variants.map((v) => [v.title, [...(v.required ?? [])].sort()]));
    assert.deepEqual(required, {
      'grant_type=authorization_code': ['code', 'grant_type'],
      'grant_type=refresh_token': ['grant_type', 'refresh_token'],
      'grant_type=client_credentials': ['grant_type'],
      'grant_type=urn:ietf:params:oauth:grant-type:device_code': ['device_code', 'grant_type'],
    });
    assert.deepEqual(Object.values(ops.get('tokenInfo')?.requestBody?.content ?? {})[0]?.schema.required, ['token']);
    const authorize = ops.get('authorize')?.parameters ?? [];
    assert.deepEqual(authorize.filter((p) => p.required).map((p) => p.name).sort(), ['client_id', 'redirect_uri', 'response_type']);

    const section = page.slice(page.indexOf('id="token"'), page.indexOf('</section>', page.indexOf('id="token"')));
    assert.match(section, /With <code>grant_type=authorization_code<\/code>/);
    const row = (name: string) => new RegExp(`<th scope="row"><code>${name}</code></th>.*?<td data-label="Required">([^<]*)</td>`).exec(section)?.[1];
    assert.equal(row('grant_type'), 'yes');
    assert.equal(row('code'), 'yes');
    assert.equal(row('client_secret'), 'no');
  });

  it('says the length limit once per table, not on every row', () => {
    const tables = page.split('<table').slice(1).map((table) => table.slice(0, table.indexOf('</table>')));
    for (const table of tables) assert.ok(table.split('(at most 4096 characters)').length <= 2, `a table repeats the limit:\n${table.slice(0, 300)}`);
    assert.match(page, /Every text value here: at most 4096 characters\./);
  });

  it('shows an example request and answer for every operation', () => {
    const sections = page.split('<section class="card" id="').slice(1);
    assert.equal(sections.length, ops.size);
    for (const section of sections) {
      const id = section.slice(0, section.indexOf('"'));
      assert.match(section, /<h3>Example<\/h3>.*Request<\/p><pre><code>(GET|POST|PUT|DELETE|PATCH) \//s, `${id} shows an example request`);
      assert.match(section, /Response<\/p><pre><code>HTTP \d{3}/, `${id} shows an example answer`);
    }
    const token = page.slice(page.indexOf('id="token"'));
    assert.match(token, /grant_type=authorization_code&amp;code=ghc_/, 'the token example is the form a client posts');
    assert.match(token, /&quot;token_type&quot;: &quot;Bearer&quot;/);
  });

  it('fits a 375 px screen without scrolling sideways, its cards labelled', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    const phone = await browser.newPage({ viewport: { width: 375, height: 800 } });
    await phone.goto(`${server.url}/docs/api`);
    const { scrollWidth, innerWidth, unlabelled } = await phone.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      // Every value cell in a card says what it is (its column), unless it is empty.
      unlabelled: [...document.querySelectorAll('.api-fields td')].filter((td) => td.textContent?.trim() && !td.hasAttribute('data-label')).length,
    }));
    await phone.close();
    assert.ok(scrollWidth <= innerWidth, `no sideways scrolling: ${scrollWidth} > ${innerWidth}`);
    assert.equal(unlabelled, 0);
  });
});
