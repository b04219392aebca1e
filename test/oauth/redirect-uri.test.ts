// Redirect URIs: exact matching with the RFC 8252 loopback exception, and what may be registered.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesRegisteredUri, redirectUriProblem } from '../../src/oauth/redirect-uri.ts';

describe('matching a requested redirect_uri', () => {
  const registered = ['https://app.example.com/callback', 'http://localhost:4597/authorize-result'];

  it('matches the registered string exactly', () => {
    assert.ok(matchesRegisteredUri(registered, 'https://app.example.com/callback'));
    assert.ok(matchesRegisteredUri(registered, 'http://localhost:4597/authorize-result'));
  });

  it('rejects near misses', () => {
    const misses = [
      'https://app.example.com/callback/',
      'https://APP.example.com/callback',
      'https://app.example.com/Callback',
      'https://app.example.com/callback?x=1',
      'https://app.example.com/callback#frag',
      'https://app.example.com/callback2',
      'https://app.example.com/other',
      'https://app.example.com:8443/callback',
      'https://app.example.com:443/callback',
      'http://app.example.com/callback',
      'https://evil.example/callback',
      'https://app.example.com.evil.example/callback',
      'https://user@app.example.com/callback',
      'https://app.example.com/callback/../callback',
      'http://localhost:4598/authorize-result',
      '',
    ];
    for (const uri of misses) assert.equal(matchesRegisteredUri(registered, uri), false, uri);
  });

  it('lets a loopback IP literal come back on any port (127.0.0.1 and [::1])', () => {
    assert.ok(matchesRegisteredUri(['http://127.0.0.1/cb'], 'http://127.0.0.1:51234/cb'));
    assert.ok(matchesRegisteredUri(['http://127.0.0.1:8000/cb'], 'http://127.0.0.1:51234/cb'));
    assert.ok(matchesRegisteredUri(['http://[::1]/cb'], 'http://[::1]:61000/cb'));
    assert.ok(matchesRegisteredUri(['http://[::1]:8000/cb?app=1'], 'http://[::1]:9/cb?app=1'));
    // Port 80 written out is still "any port".
    assert.ok(matchesRegisteredUri(['http://127.0.0.1/cb'], 'http://127.0.0.1:80/cb'));
    assert.ok(matchesRegisteredUri(['http://127.0.0.1:80/cb'], 'http://127.0.0.1:3000/cb'));
  });

  it('keeps everything but the port exact on loopback', () => {
    assert.equal(matchesRegisteredUri(['http://127.0.0.1/cb'], 'http://127.0.0.1:5000/cb/'), false);
    assert.equal(matchesRegisteredUri(['http://127.0.0.1/cb'], 'http://127.0.0.1:5000/other'), false);
    assert.equal(matchesRegisteredUri(['http://127.0.0.1/cb'], 'http://127.0.0.1:5000/cb?x=1'), false);
    assert.equal(matchesRegisteredUri(['http://127.0.0.1/cb'], 'http://[::1]:5000/cb'), false);
    assert.equal(matchesRegisteredUri(['http://127.0.0.1/cb'], 'https://127.0.0.1:5000/cb'), false);
    assert.equal(matchesRegisteredUri(['http://127.0.0.1/cb'], 'http://127.0.0.2:5000/cb'), false);
    assert.equal(matchesRegisteredUri(['http://127.0.0.1/cb'], 'http://evil@127.0.0.1:5000/cb'), false);
    // Other spellings of the same address are not the registered string.
    assert.equal(matchesRegisteredUri(['http://127.0.0.1/cb'], 'http://127.1:5000/cb'), false);
    assert.equal(matchesRegisteredUri(['http://127.0.0.1/cb'], 'http://0x7f.0.0.1:5000/cb'), false);
    assert.equal(matchesRegisteredUri(['http://[::1]/cb'], 'http://[0:0:0:0:0:0:0:1]:5000/cb'), false);
    assert.equal(matchesRegisteredUri(['http://127.0.0.1/cb'], 'HTTP://127.0.0.1:5000/cb'), false);
    assert.equal(matchesRegisteredUri(['http://127.0.0.1/cb'], 'http://127.0.0.1:99999/cb'), false);
  });

  it('does not extend the any-port rule to the name localhost', () => {
    assert.equal(matchesRegisteredUri(['http://localhost/cb'], 'http://localhost:5000/cb'), false);
    assert.equal(matchesRegisteredUri(['http://localhost:4597/cb'], 'http://localhost:4598/cb'), false);
  });
});

describe('registering a redirect URI', () => {
  it('accepts https, http on localhost and loopback, and reverse-domain private schemes', () => {
    for (const uri of [
      'https://app.example.com/callback',
      'https://app.example.com/callback?tenant=acme',
      'http://localhost:4597/authorize-result',
      'http://127.0.0.1/cb',
      'http://[::1]:8080/cb',
      'http://dev.localhost:3000/cb',
      'com.example.app:/oauth2redirect',
      'com.example.app://callback',
    ]) {
      assert.equal(redirectUriProblem(uri), undefined, uri);
    }
  });

  it('rejects a fragment, even an empty one', () => {
    assert.match(redirectUriProblem('https://app.example.com/cb#x') ?? '', /fragment/);
    assert.match(redirectUriProblem('https://app.example.com/cb#') ?? '', /fragment/);
  });

  it('rejects plain http for other hosts', () => {
    assert.match(redirectUriProblem('http://app.example.com/cb') ?? '', /https/);
    assert.match(redirectUriProblem('http://10.0.0.5/cb') ?? '', /https/);
    assert.match(redirectUriProblem('http://localhost.evil.example/cb') ?? '', /https/);
  });

  it('rejects dangerous and non-reverse-domain schemes', () => {
    for (const uri of ['javascript:alert(1)', 'JavaScript:alert(1)', 'data:text/html,hi', 'vbscript:x', 'file:///etc/passwd', 'myapp://cb', 'ftp://example.com/cb']) {
      assert.ok(redirectUriProblem(uri), uri);
    }
  });

  it('rejects credentials in the URI', () => {
    assert.match(redirectUriProblem('https://user:pass@app.example.com/cb') ?? '', /credentials/);
    assert.match(redirectUriProblem('https://user@app.example.com/cb') ?? '', /credentials/);
  });

  it('rejects relative and oversized URIs', () => {
    assert.match(redirectUriProblem('/callback') ?? '', /absolute/);
    assert.match(redirectUriProblem(`https://app.example.com/${'a'.repeat(2000)}`) ?? '', /at most/);
  });
});
