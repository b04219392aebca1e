// The rules of an app's OpenID Connect settings (oauth/oidc-client-settings.ts), which the
// console, the CLI, dynamic registration and client ID metadata documents all apply.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { METADATA_LABELS, oidcSettingsProblems, sectorHost } from '../../src/oauth/oidc-client-settings.ts';

const REDIRECTS = ['https://rp.example/cb'];
const messages = (...args: Parameters<typeof oidcSettingsProblems>) => oidcSettingsProblems(...args).map((p) => `${p.field}: ${p.message}`);

describe('OpenID Connect client settings', () => {
  it('accepts https, http on localhost and loopback, with queries; nothing set is fine', () => {
    assert.deepEqual(messages({ postLogoutRedirectUris: ['https://rp.example/bye?x=1', 'http://localhost:3000/bye', 'http://127.0.0.1:9/bye', 'http://app.localhost/bye'], backchannelLogoutUri: 'https://rp.example/bc?tenant=1', subjectType: 'public' }, REDIRECTS), []);
    assert.deepEqual(messages({}, []), []);
    assert.deepEqual(messages({ backchannelLogoutUri: null }, REDIRECTS), []);
  });

  it('refuses fragments, credentials, other schemes, http off loopback, relative and long URLs, more than 10', () => {
    for (const uri of ['https://rp.example/bye#x', 'https://user:pw@rp.example/bye', 'javascript:alert(1)', 'data:text/html,hi', 'com.example.app:/bye', 'http://rp.example/bye', '/bye', `https://rp.example/${'a'.repeat(2000)}`]) {
      assert.equal(oidcSettingsProblems({ postLogoutRedirectUris: [uri] }, REDIRECTS)[0]?.field, 'postLogoutRedirectUris', uri);
      assert.equal(oidcSettingsProblems({ backchannelLogoutUri: uri }, REDIRECTS)[0]?.field, 'backchannelLogoutUri', uri);
    }
    const eleven = Array.from({ length: 11 }, (_, i) => `https://rp.example/${i}`);
    assert.match(messages({ postLogoutRedirectUris: eleven }, REDIRECTS)[0] ?? '', /At most 10/);
  });

  it('pairwise needs every redirect URI on one host (ports aside), and names the hosts', () => {
    assert.equal(sectorHost(['https://rp.example/a', 'https://rp.example:8443/b']), 'rp.example');
    assert.equal(sectorHost(['https://a.example/cb', 'https://b.example/cb']), undefined);
    assert.equal(sectorHost([]), undefined);
    assert.equal(sectorHost(['com.example.app:/cb']), undefined, 'a private scheme has no host');
    assert.deepEqual(messages({ subjectType: 'pairwise' }, ['https://rp.example/a', 'https://rp.example/b']), []);
    assert.match(messages({ subjectType: 'pairwise' }, ['https://a.example/cb', 'https://b.example/cb'])[0] ?? '', /^subjectType: .*on one host \(they are on a\.example, b\.example\)/);
    assert.match(messages({ subjectType: 'pairwise' }, [])[0] ?? '', /on one host;/);
    assert.match(messages({ subjectType: 'secret' as never }, REDIRECTS)[0] ?? '', /must be one of public, pairwise/);
  });

  it('names the settings in metadata terms for registration and documents', () => {
    assert.match(messages({ postLogoutRedirectUris: ['https://rp.example/#x'] }, REDIRECTS, METADATA_LABELS)[0] ?? '', /post_logout_redirect_uris: "https:\/\/rp\.example\/#x" must not contain a fragment/);
    assert.match(messages({ subjectType: 'pairwise' }, ['https://a.example/', 'https://b.example/'], METADATA_LABELS)[0] ?? '', /host of the redirect_uris/);
  });
});
