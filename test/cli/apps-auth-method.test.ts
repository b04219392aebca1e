// `gatehouse apps create|update --auth-method … --jwks-uri … --jwks-file …`: the method is
// stored and shown, apps without a secret print none and cannot rotate one, and bad keys or URIs
// are refused with a clear message, changing nothing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair } from 'jose';

const BIN = join(import.meta.dirname, '../../bin/gatehouse.js');

describe('gatehouse apps --auth-method', () => {
  let dir: string;
  const run = (...args: string[]) => {
    const result = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, GATEHOUSE_DATA_DIR: dir, GATEHOUSE_SECRET: '', DATABASE_URL: '' }, encoding: 'utf8', timeout: 60_000 });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const json = (...args: string[]) => {
    const result = run(...args, '--json');
    assert.equal(result.code, 0, result.stderr || result.stdout);
    return JSON.parse(result.stdout) as Record<string, unknown>;
  };
  const create = (name: string, ...args: string[]) => run('apps', 'create', '--tenant', 'acme', '--name', name, '--redirect-uri', 'https://client.example/cb', ...args);
  let publicJwks: string;
  let privateJwks: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-auth-'));
    assert.equal(run('migrate').code, 0);
    assert.equal(run('tenants', 'create', 'acme').code, 0);
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    publicJwks = join(dir, 'public.json');
    privateJwks = join(dir, 'private.json');
    writeFileSync(publicJwks, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1' }] }));
    writeFileSync(privateJwks, JSON.stringify({ keys: [{ ...(await exportJWK(privateKey)), kid: 'k1' }] }));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('registers each method; none and private_key_jwt apps print no secret', () => {
    const basic = json('apps', 'create', '--tenant', 'acme', '--name', 'Basic', '--redirect-uri', 'https://client.example/cb', '--auth-method', 'client_secret_basic');
    assert.match(String(basic.client_secret), /^[0-9a-f]{64}$/);
    assert.equal(basic.token_endpoint_auth_method, 'client_secret_basic');
    const pub = create('Public', '--auth-method', 'none');
    assert.equal(pub.code, 0, pub.stderr);
    assert.doesNotMatch(pub.stdout, /client_secret/);
    assert.match(pub.stdout, /auth method +none\n[\s\S]*It has no client secret\./);
    const jwt = json('apps', 'create', '--tenant', 'acme', '--name', 'Signer', '--redirect-uri', 'https://client.example/cb', '--auth-method', 'private_key_jwt', '--jwks-file', publicJwks);
    assert.deepEqual(Object.keys(jwt).sort(), ['client_id', 'id', 'token_endpoint_auth_method']);
    const shown = json('apps', 'show', 'Signer');
    assert.equal(shown.token_endpoint_auth_method, 'private_key_jwt');
    assert.equal(shown.jwks_keys, 1);
    assert.match(run('apps', 'show', 'Public').stdout, /token_endpoint_auth_method +none\n/);
  });

  it('refuses private keys, both or neither key source, a plain-http jwks_uri and keys for other methods', () => {
    const cases: [string[], RegExp][] = [
      [['--auth-method', 'private_key_jwt', '--jwks-file', privateJwks], /Key 1 \(kid "k1"\) of the JWKS is a private or symmetric key/],
      [['--auth-method', 'private_key_jwt'], /exactly one of a JWKS .* or a JWKS URI/],
      [['--auth-method', 'private_key_jwt', '--jwks-file', publicJwks, '--jwks-uri', 'https://keys.example/jwks.json'], /exactly one/],
      [['--auth-method', 'private_key_jwt', '--jwks-uri', 'http://keys.example/jwks.json'], /The JWKS URI must use https/],
      [['--auth-method', 'client_secret_post', '--jwks-uri', 'https://keys.example/jwks.json'], /Only private_key_jwt apps register keys/],
      [['--auth-method', 'private_key_jwt', '--jwks-file', join(dir, 'missing.json')], /cannot read the JWKS file/],
    ];
    for (const [args, message] of cases) {
      const result = create('Refused', ...args);
      assert.equal(result.code, 1, args.join(' '));
      assert.match(result.stderr, message, args.join(' '));
    }
    assert.equal(run('apps', 'show', 'Refused').code, 1, 'nothing was registered');
    assert.equal(run('apps', 'create', '--tenant', 'acme', '--name', 'X', '--redirect-uri', 'https://client.example/cb', '--auth-method', 'magic').code, 1, 'an unknown method');
  });

  it('changes the method; rotating a secret is refused for apps without one, and offered back after', () => {
    const refused = run('apps', 'rotate-secret', 'Public');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /authenticates with none and has no client secret to rotate/);
    const changed = json('apps', 'update', 'Signer', '--jwks-uri', 'http://127.0.0.1:9/jwks.json');
    assert.equal(changed.jwks_uri, 'http://127.0.0.1:9/jwks.json');
    assert.equal(changed.jwks_keys, undefined, 'the URI replaced the registered keys');
    const back = run('apps', 'update', 'Public', '--auth-method', 'client_secret_post');
    assert.equal(back.code, 0, back.stderr);
    assert.match(back.stdout, /no client secret yet: gatehouse apps rotate-secret/);
    assert.match(String(json('apps', 'rotate-secret', 'Public').client_secret), /^[0-9a-f]{64}$/);
    const basic = json('apps', 'update', 'Basic', '--auth-method', 'none');
    assert.equal(basic.token_endpoint_auth_method, 'none');
  });
});
