// The sub an app sees: the user's id for public apps, for pairwise ones an opaque value per
// sector (the redirect host), stable, and unrelated across hosts and server secrets.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deriveTokenKey } from '../../src/oauth/refresh-rotation.ts';
import { oidcSubject, subjectSector } from '../../src/oauth/oidc-subject.ts';

const ctx = { tokenKey: deriveTokenKey('one server secret') };
const pairwise = (clientId: string, ...redirectUris: string[]) => ({ subjectType: 'pairwise' as const, clientId, redirectUris });

describe('oidcSubject', () => {
  it('public: the user id, whatever the redirect host', () => {
    assert.equal(oidcSubject({ subjectType: 'public', clientId: 'a', redirectUris: ['https://a.example/cb'] }, 42, ctx), '42');
  });

  it('pairwise: stable, opaque, base64url and short', () => {
    const app = pairwise('a', 'https://a.example/cb');
    const sub = oidcSubject(app, 42, ctx);
    assert.equal(sub, oidcSubject(app, 42, ctx));
    assert.match(sub, /^[A-Za-z0-9_-]{43}$/);
    assert.ok(!sub.includes('42'));
    assert.notEqual(sub, oidcSubject(app, 43, ctx), 'another user, another sub');
  });

  it('pairwise: apps of one redirect host share the sub; other hosts differ', () => {
    const sub = oidcSubject(pairwise('a', 'https://a.example/cb'), 42, ctx);
    assert.equal(oidcSubject(pairwise('b', 'https://a.example/other', 'https://a.example/more'), 42, ctx), sub, 'same host, any path and client');
    assert.equal(oidcSubject(pairwise('c', 'https://A.EXAMPLE:8443/cb'), 42, ctx), sub, 'the host name is the sector, not the port or its case');
    assert.notEqual(oidcSubject(pairwise('a', 'https://b.example/cb'), 42, ctx), sub);
  });

  it('pairwise: another server secret, another sub', () => {
    const app = pairwise('a', 'https://a.example/cb');
    assert.notEqual(oidcSubject(app, 42, { tokenKey: deriveTokenKey('another secret') }), oidcSubject(app, 42, ctx));
  });

  it('an app without a redirect host is its own sector', () => {
    assert.equal(subjectSector(pairwise('dev1')), 'client:dev1');
    assert.equal(subjectSector(pairwise('nat1', 'com.example.app:/callback')), 'client:nat1');
    assert.notEqual(oidcSubject(pairwise('dev1'), 42, ctx), oidcSubject(pairwise('dev2'), 42, ctx));
  });
});
