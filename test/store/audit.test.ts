// The audit log in the store: what goes in comes out, newest first, filtered by account and time.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { AuditEvent } from '../../src/domain/audit.ts';
import type { Store } from '../../src/store/store.ts';
import { forEachStore, seedAccount, type Account } from '../helpers/stores.ts';

const T0 = new Date('2030-01-01T00:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function event(overrides: Partial<AuditEvent>): AuditEvent {
  return { at: T0, type: 'login_succeeded', tenantId: null, userId: null, appId: null, ip: null, userAgent: null, detail: '', ...overrides };
}

forEachStore('store: audit log', (kind) => {
  let store: Store;
  let acme: Account;
  let globex: Account;
  before(async () => {
    store = await kind.open();
    acme = await seedAccount(store);
    globex = await seedAccount(store);
  });
  after(() => store.close());

  it('returns a recorded event with every field, and the names of its tenant, user and app', async () => {
    await store.audit.record(
      event({
        at: at(1),
        type: 'consent_granted',
        tenantId: acme.tenant.id,
        userId: acme.user.id,
        appId: acme.app.id,
        ip: '192.0.2.7',
        userAgent: 'Firefox/128.0',
        detail: 'scope "profile"',
      }),
    );
    const [stored] = await store.audit.list({ limit: 10 });
    assert.ok(stored);
    assert.equal(typeof stored.id, 'number');
    assert.deepEqual(
      { ...stored, id: 0 },
      {
        id: 0,
        at: at(1),
        type: 'consent_granted',
        tenantId: acme.tenant.id,
        userId: acme.user.id,
        appId: acme.app.id,
        ip: '192.0.2.7',
        userAgent: 'Firefox/128.0',
        detail: 'scope "profile"',
        tenantSlug: acme.tenant.slug,
        username: acme.user.username,
        appName: acme.app.name,
      },
    );
  });

  it('keeps an event that names nothing known (a failed sign-in to an unknown account)', async () => {
    await store.audit.record(event({ at: at(2), type: 'login_failed', userId: 999_999, detail: 'username "ghost"; unknown account "nope"' }));
    const [stored] = await store.audit.list({ limit: 1 });
    assert.equal(stored?.type, 'login_failed');
    assert.equal(stored?.tenantSlug, null);
    assert.equal(stored?.username, null, 'a user id that matches nobody gives no name');
    assert.equal(stored?.userId, 999_999);
    assert.equal(stored?.detail, 'username "ghost"; unknown account "nope"');
  });

  it('lists newest first, filtered by tenant and by time, up to the limit', async () => {
    await store.audit.record(event({ at: at(100), type: 'token_revoked', tenantId: globex.tenant.id }));
    await store.audit.record(event({ at: at(300), type: 'code_replayed', tenantId: acme.tenant.id }));
    await store.audit.record(event({ at: at(200), type: 'consent_denied', tenantId: acme.tenant.id }));
    await store.audit.record(event({ at: at(300), type: 'refresh_token_reuse', tenantId: acme.tenant.id }));

    const all = await store.audit.list({ limit: 100 });
    assert.deepEqual(
      all.map((e) => e.type),
      ['refresh_token_reuse', 'code_replayed', 'consent_denied', 'token_revoked', 'login_failed', 'consent_granted'],
      'newest first; of two at the same time, the later recorded first',
    );
    assert.deepEqual(
      (await store.audit.list({ tenantId: acme.tenant.id, limit: 100 })).map((e) => e.type),
      ['refresh_token_reuse', 'code_replayed', 'consent_denied', 'consent_granted'],
    );
    assert.deepEqual((await store.audit.list({ tenantId: globex.tenant.id, limit: 100 })).map((e) => e.type), ['token_revoked']);
    assert.deepEqual(
      (await store.audit.list({ since: at(200), limit: 100 })).map((e) => e.type),
      ['refresh_token_reuse', 'code_replayed', 'consent_denied'],
      'since is inclusive',
    );
    assert.deepEqual(
      (await store.audit.list({ tenantId: acme.tenant.id, since: at(250), limit: 100 })).map((e) => e.type),
      ['refresh_token_reuse', 'code_replayed'],
    );
    assert.deepEqual((await store.audit.list({ limit: 2 })).map((e) => e.type), ['refresh_token_reuse', 'code_replayed']);
  });

  it('cuts an overlong user agent, address and detail instead of failing', async () => {
    const userAgent = `Mozilla/5.0 ${'x'.repeat(1000)} 😀`;
    await store.audit.record(event({ at: at(1000), type: 'login_failed', ip: '1'.repeat(100), userAgent, detail: '😀'.repeat(600) }));
    const [stored] = await store.audit.list({ limit: 1 });
    assert.equal(stored?.userAgent, userAgent.slice(0, 200));
    assert.equal(stored?.ip, '1'.repeat(64));
    assert.equal(stored?.detail, '😀'.repeat(500), 'cut by characters, never inside one');
  });
});
