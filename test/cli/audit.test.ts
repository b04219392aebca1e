// `gatehouse audit` as an operator runs it: a real process on a temporary data dir.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openStore } from '../../src/store/open.ts';
import type { AuditEvent } from '../../src/domain/audit.ts';

const BIN = join(import.meta.dirname, '../../bin/gatehouse.js');
const HOUR = 3600_000;

function run(dataDir: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_SECRET: '', DATABASE_URL: '' },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface Listed {
  at: string;
  type: string;
  tenant: string | null;
  user: string | null;
  app: string | null;
  ip: string | null;
  userAgent: string | null;
  detail: string;
}

describe('gatehouse audit', () => {
  let dir: string;
  const now = Date.now();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-audit-'));
    for (const args of [
      ['migrate'],
      ['tenants', 'create', 'acme'],
      ['tenants', 'create', 'globex'],
      ['users', 'create', '--tenant', 'acme', '--username', 'jane', '--password', 'a long password'],
      ['apps', 'create', '--tenant', 'acme', '--name', 'Syncer', '--redirect-uri', 'https://syncer.example/cb'],
    ]) {
      const result = run(dir, ...args);
      assert.equal(result.code, 0, result.stderr);
    }
    // Events as the server would have recorded them: two days ago, and within the last hours.
    const store = await openStore({ dataDir: dir });
    try {
      const acme = await store.tenants.bySlug('acme');
      const globex = await store.tenants.bySlug('globex');
      const jane = acme && (await store.users.forLogin(acme.id, 'jane'));
      const app = await store.apps.byName('Syncer');
      assert.ok(acme && globex && jane && app);
      const base = { userId: null, appId: null, ip: '192.0.2.1', userAgent: 'curl/8.5.0', detail: '' };
      const events: AuditEvent[] = [
        { ...base, at: new Date(now - 48 * HOUR), type: 'login_failed', tenantId: acme.id, userId: jane.id, detail: 'username "jane"' },
        { ...base, at: new Date(now - 2 * HOUR), type: 'login_succeeded', tenantId: acme.id, userId: jane.id },
        { ...base, at: new Date(now - 2 * HOUR + 1000), type: 'consent_granted', tenantId: acme.id, userId: jane.id, appId: app.id, detail: 'scope "profile"' },
        { ...base, at: new Date(now - HOUR), type: 'login_failed', tenantId: globex.id, detail: 'username "otto"; no such user' },
      ];
      for (const event of events) await store.audit.record(event);
    } finally {
      await store.close();
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('lists every event newest first as JSON, with tenant, user and app by name', () => {
    const result = run(dir, 'audit', '--json');
    assert.equal(result.code, 0, result.stderr);
    const listed = JSON.parse(result.stdout) as Listed[];
    assert.deepEqual(
      listed.map((e) => e.type),
      // `apps create` in the setup recorded the newest event.
      ['app_created', 'login_failed', 'consent_granted', 'login_succeeded', 'login_failed'],
    );
    assert.equal(listed[0]?.app, 'Syncer');
    assert.equal(listed[0]?.ip, null, 'the command line has no client address');
    const consent = listed[2];
    assert.equal(consent?.tenant, 'acme');
    assert.equal(consent?.user, 'jane');
    assert.equal(consent?.app, 'Syncer');
    assert.equal(consent?.ip, '192.0.2.1');
    assert.equal(consent?.userAgent, 'curl/8.5.0');
    assert.equal(consent?.detail, 'scope "profile"');
    assert.equal(consent?.at, new Date(now - 2 * HOUR + 1000).toISOString());
    assert.equal(listed[1]?.tenant, 'globex');
    assert.equal(listed[1]?.user, null);
  });

  it('filters by --tenant and --since (a duration or an ISO date), and caps with --limit', () => {
    const acme = JSON.parse(run(dir, 'audit', '--tenant', 'acme', '--json').stdout) as Listed[];
    assert.deepEqual(acme.map((e) => e.type), ['app_created', 'consent_granted', 'login_succeeded', 'login_failed']);
    const lastDay = JSON.parse(run(dir, 'audit', '--since', '24h', '--json').stdout) as Listed[];
    assert.deepEqual(lastDay.map((e) => e.type), ['app_created', 'login_failed', 'consent_granted', 'login_succeeded']);
    const both = JSON.parse(run(dir, 'audit', '--tenant', 'acme', '--since', '24h', '--json').stdout) as Listed[];
    assert.deepEqual(both.map((e) => e.type), ['app_created', 'consent_granted', 'login_succeeded']);
    const sinceDate = new Date(now - 90 * 60_000).toISOString();
    const recent = JSON.parse(run(dir, 'audit', '--since', sinceDate, '--json').stdout) as Listed[];
    assert.deepEqual(recent.map((e) => e.type), ['app_created', 'login_failed']);
    const one = JSON.parse(run(dir, 'audit', '--limit', '1', '--json').stdout) as Listed[];
    assert.equal(one.length, 1);
  });

  it('prints a readable table by default', () => {
    const result = run(dir, 'audit', '--tenant', 'acme');
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^TIME\s+TYPE\s+TENANT\s+USER\s+APP\s+IP\s+USER AGENT\s+DETAIL$/);
    assert.equal(lines.length, 5);
    assert.match(lines[2] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\s+consent_granted\s+acme\s+jane\s+Syncer\s+192\.0\.2\.1\s+curl\/8\.5\.0\s+scope "profile"$/);
    // Columns line up: every row starts its type where the header does.
    const typeColumn = lines[0]?.indexOf('TYPE');
    for (const line of lines.slice(1)) assert.equal(line.search(/(login|consent|app)_/), typeColumn);
  });

  it('refuses an unknown tenant and an unreadable --since with one clear line', () => {
    const noTenant = run(dir, 'audit', '--tenant', 'nope');
    assert.equal(noTenant.code, 1);
    assert.match(noTenant.stderr, /no tenant "nope"/);
    const badSince = run(dir, 'audit', '--since', 'yesterday');
    assert.notEqual(badSince.code, 0);
    assert.match(badSince.stderr, /24h/);
  });
});
