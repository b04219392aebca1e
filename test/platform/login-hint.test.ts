// login_hint read as one of our accounts: for prefilling, and for "is this the signed-in user?".
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loginHintAccount, loginHintNames } from '../../src/platform/login-hint.ts';

describe('login_hint', () => {
  it('a username; username@account; an email address is a username', () => {
    assert.deepEqual(loginHintAccount('jane', undefined), { username: 'jane' });
    assert.deepEqual(loginHintAccount('jane@ACME', undefined), { username: 'jane', tenant: 'acme' });
    assert.deepEqual(loginHintAccount('jane@acme.example', undefined), { username: 'jane@acme.example' });
    assert.deepEqual(loginHintAccount('@acme', undefined), { username: '@acme' });
  });

  it("on a tenant host, only that account's name splits off", () => {
    assert.deepEqual(loginHintAccount('jane@acme', 'acme'), { username: 'jane', tenant: 'acme' });
    assert.deepEqual(loginHintAccount('jane@globex', 'acme'), { username: 'jane@globex' });
  });

  it('names a user by username alone or with the account, and a username holding @ as it stands', () => {
    const acme = { slug: 'acme' };
    assert.equal(loginHintNames('jane', { username: 'jane' }, acme), true);
    assert.equal(loginHintNames('jane@acme', { username: 'jane' }, acme), true);
    assert.equal(loginHintNames('jane@globex', { username: 'jane' }, acme), false);
    assert.equal(loginHintNames('jane@globex', { username: 'jane@globex' }, acme), true);
    assert.equal(loginHintNames('joe', { username: 'jane' }, acme), false);
  });
});
