// `gatehouse users sign-out`: ends every session of a user, and makes the first delivery attempt
// of the logout tokens those sessions owe their apps before it exits.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { sessionSid } from '../../src/oauth/id-token.ts';
import { openStore } from '../../src/store/open.ts';
import { LogoutReceiver } from '../helpers/logout-receiver.ts';
import { runCli } from './cli-runner.ts';

describe('gatehouse users sign-out', () => {
  let dir: string;
  let receiver: LogoutReceiver;
  const env = () => ({ GATEHOUSE_DATA_DIR: dir, GATEHOUSE_SECRET: '', DATABASE_URL: '', GATEHOUSE_CONFIG: '' });
  const run = (...args: string[]) => runCli(env(), args);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-sign-out-'));
    receiver = await LogoutReceiver.start();
    for (const args of [['migrate'], ['tenants', 'create', 'acme'], ['users', 'create', '--tenant', 'acme', '--username', 'jane', '--password', 'long enough password']]) {
      const result = await run(...args);
      assert.equal(result.code, 0, result.stderr);
    }
  });
  after(async () => {
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ends the sessions and delivers the logout token of the one that signed an app in', async () => {
    const store = await openStore({ dataDir: dir, create: false });
    const now = new Date();
    try {
      const tenant = (await store.tenants.bySlug('acme')) ?? assert.fail('acme exists');
      const jane = (await store.users.forLogin(tenant.id, 'jane')) ?? assert.fail('jane exists');
      const app = await store.apps.create({ tenantId: tenant.id, clientId: '0123456789abcdef0123', clientSecretHash: 'a'.repeat(64), name: 'RP', description: '', redirectUris: ['https://rp.example/cb'], limitToAccount: false, backchannelLogoutUri: receiver.uri('/cli') }, now);
      for (const idHash of ['1'.repeat(64), '2'.repeat(64)]) await store.sessions.create({ idHash, tenantId: tenant.id, userId: jane.id, createdAt: now, expiresAt: new Date(now.getTime() + 3_600_000) });
      await store.families.create({ id: 'fam-rp', appId: app.id, userId: jane.id, scope: 'openid', confidential: true, createdAt: now, session: { authTime: now, sid: sessionSid('1'.repeat(64)), amr: ['pwd'] } });
    } finally {
      await store.close();
    }

    const result = await run('users', 'sign-out', '--tenant', 'acme', '--username', 'jane', '--json');
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout) as { sessions_ended: number; logout_tokens: { delivered: number } };
    assert.equal(out.sessions_ended, 2);
    assert.equal(out.logout_tokens.delivered, 1);
    const [received] = receiver.at('/cli');
    assert.equal(decodeJwt(received?.logoutToken ?? '').sid, sessionSid('1'.repeat(64)));

    const again = await run('users', 'sign-out', '--tenant', 'acme', '--username', 'jane');
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, 'signed jane out of 0 sessions in acme\n');
    assert.equal(receiver.at('/cli').length, 1);
    const unknown = await run('users', 'sign-out', '--tenant', 'acme', '--username', 'nobody');
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /no user "nobody" in acme/);
  });
});
