// `gatehouse tenants update --mfa-required …` and `gatehouse users reset-mfa`: an account's MFA
// policy from the command line, and an admin's reset of a user's second factors; both audited.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openStore } from '../../src/store/open.ts';
import { runCli } from './cli-runner.ts';

describe('gatehouse tenants update / users reset-mfa', () => {
  let dir: string;
  const env = () => ({ GATEHOUSE_DATA_DIR: dir, GATEHOUSE_SECRET: '', DATABASE_URL: '', GATEHOUSE_CONFIG: '' });
  const run = (...args: string[]) => runCli(env(), args);
  async function withStore<T>(work: (store: Awaited<ReturnType<typeof openStore>>) => Promise<T>): Promise<T> {
    const store = await openStore({ dataDir: dir, create: false });
    try {
      return await work(store);
    } finally {
      await store.close();
    }
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-mfa-'));
    for (const args of [['migrate'], ['tenants', 'create', 'acme'], ['users', 'create', '--tenant', 'acme', '--username', 'jane', '--password', 'long enough password']]) {
      const result = await run(...args);
      assert.equal(result.code, 0, result.stderr);
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('sets the policy, keeps what is not given, refuses a bad value', async () => {
    const set = await run('tenants', 'update', 'acme', '--mfa-required', 'admins', '--mfa-for-delete-scopes', '--json');
    assert.equal(set.code, 0, set.stderr);
    assert.deepEqual(JSON.parse(set.stdout), { slug: 'acme', mfa_required: 'admins', mfa_for_delete_scopes: true });
    const kept = await run('tenants', 'update', 'acme', '--mfa-required', 'everyone');
    assert.equal(kept.code, 0, kept.stderr);
    assert.match(kept.stdout, /required of everyone; consent to :d scopes needs one/);
    const bad = await run('tenants', 'update', 'acme', '--mfa-required', 'sometimes');
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /off, admins, everyone/);
    const unknown = await run('tenants', 'update', 'nope', '--mfa-required', 'off');
    assert.notEqual(unknown.code, 0);
    await withStore(async (store) => {
      const tenant = (await store.tenants.bySlug('acme'))!;
      assert.deepEqual(await store.tenants.mfaPolicy(tenant.id), { required: 'everyone', forDeleteScopes: true });
      const audited = (await store.audit.list({ tenantId: tenant.id, limit: 50 })).filter((e) => e.type === 'mfa_policy_changed');
      assert.equal(audited.length, 2);
    });
  });

  it("resets a user's second factors", async () => {
    await withStore(async (store) => {
      const tenant = (await store.tenants.bySlug('acme'))!;
      const jane = (await store.users.forLogin(tenant.id, 'jane'))!;
      await store.passkeys.add({ userId: jane.id, credentialId: 'cred-cli', publicKey: Buffer.from([1]), signCount: 0, transports: [], name: 'Key', aaguid: '00000000-0000-0000-0000-000000000000', backedUp: false, deviceType: 'singleDevice', createdAt: new Date() });
    });
    const reset = await run('users', 'reset-mfa', '--tenant', 'acme', '--username', 'jane', '--json');
    assert.equal(reset.code, 0, reset.stderr);
    assert.equal(JSON.parse(reset.stdout).factors_removed, 1);
    await withStore(async (store) => {
      const tenant = (await store.tenants.bySlug('acme'))!;
      const jane = (await store.users.forLogin(tenant.id, 'jane'))!;
      assert.equal((await store.passkeys.listForUser(jane.id)).length, 0);
      assert.equal((await store.audit.list({ tenantId: tenant.id, limit: 50 })).filter((e) => e.type === 'mfa_reset').length, 1);
    });
    assert.notEqual((await run('users', 'reset-mfa', '--tenant', 'acme', '--username', 'nobody')).code, 0);
  });
});
