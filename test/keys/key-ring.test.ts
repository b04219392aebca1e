// The signing key ring: generated once, encrypted at rest, published without private parts.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decrypt, encrypt } from '../../src/keys/encryption.ts';
import { KeyRing } from '../../src/keys/key-ring.ts';
import { SECRET_FILE, loadOrCreateSecret } from '../../src/keys/secret.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/types.ts';

const SECRET = 'key-ring-test-secret-0123456789';

describe('key ring', () => {
  let store: Store;
  before(async () => {
    store = await openStore({ dataDir: '', memory: true });
  });
  after(() => store.close());

  it('generates one RS256 key on first load and reuses it on the next', async () => {
    const first = await KeyRing.load(store, SECRET);
    assert.equal(first.signing.alg, 'RS256');
    assert.equal((await store.keys.list()).length, 1);
    const second = await KeyRing.load(store, SECRET);
    assert.equal(second.signing.kid, first.signing.kid);
    assert.equal((await store.keys.list()).length, 1);
    assert.ok(second.byKid(first.signing.kid));
    assert.equal(second.byKid('unknown'), undefined);
  });

  it('keeps the private key encrypted at rest', async () => {
    const [stored] = await store.keys.list();
    assert.ok(stored);
    assert.doesNotMatch(stored.privateJwkEncrypted, /"d":/);
    assert.doesNotMatch(stored.privateJwkEncrypted, /"p":|"q":/);
    assert.match(stored.privateJwkEncrypted, /^v1\./);
    assert.doesNotMatch(stored.publicJwk, /"d":/);
  });

  it('fails with a clear message under another secret', async () => {
    await assert.rejects(KeyRing.load(store, 'a-different-secret-altogether'), /GATEHOUSE_SECRET/);
  });

  it('publishes only public parts in the JWKS', async () => {
    const ring = await KeyRing.load(store, SECRET);
    const { keys } = ring.jwks();
    assert.equal(keys.length, 1);
    const [jwk] = keys;
    assert.ok(jwk);
    for (const secretPart of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.equal(secretPart in jwk, false, secretPart);
    assert.equal(jwk.kty, 'RSA');
    assert.equal(jwk.kid, ring.signing.kid);
    assert.equal(jwk.alg, 'RS256');
    assert.equal(jwk.use, 'sig');
    assert.ok(jwk.n && jwk.e);
  });
});

describe('encryption at rest', () => {
  it('round-trips and uses a fresh IV each time', () => {
    const a = encrypt('{"d":"secret"}', SECRET);
    const b = encrypt('{"d":"secret"}', SECRET);
    assert.notEqual(a, b);
    assert.equal(decrypt(a, SECRET), '{"d":"secret"}');
  });

  it('detects tampering and rejects unknown formats', () => {
    const sealed = encrypt('hello', SECRET);
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    parts[3] = body.toString('base64url');
    assert.throws(() => decrypt(parts.join('.'), SECRET), /cannot decrypt/);
    assert.throws(() => decrypt('v0.a.b.c', SECRET), /format/);
    assert.throws(() => decrypt('garbage', SECRET), /format/);
  });
});

describe('GATEHOUSE_SECRET', () => {
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-secret-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is generated into a 0600 file once and read back afterwards', () => {
    const dir = join(dataDir, 'fresh');
    const secret = loadOrCreateSecret(dir);
    assert.ok(secret.length >= 32);
    const file = join(dir, SECRET_FILE);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(readFileSync(file, 'utf8').trim(), secret);
    assert.equal(loadOrCreateSecret(dir), secret);
  });

  it('comes from the environment when set, without touching the data dir', () => {
    const dir = join(dataDir, 'from-env');
    assert.equal(loadOrCreateSecret(dir, 'from-the-environment-123'), 'from-the-environment-123');
    assert.throws(() => statSync(join(dir, SECRET_FILE)));
    const existing = join(dataDir, 'existing');
    const fileSecret = loadOrCreateSecret(existing);
    assert.equal(loadOrCreateSecret(existing, 'env-wins-over-file-1234'), 'env-wins-over-file-1234');
    assert.equal(loadOrCreateSecret(existing), fileSecret);
  });

  it('tightens a secret file that others can read', () => {
    const dir = join(dataDir, 'loose');
    loadOrCreateSecret(dir);
    const file = join(dir, SECRET_FILE);
    writeFileSync(file, 'a-loose-secret-value-here\n');
    chmodSync(file, 0o644);
    assert.equal(loadOrCreateSecret(dir), 'a-loose-secret-value-here');
    assert.equal(statSync(file).mode & 0o777, 0o600);
  });

  it('refuses an empty or truncated secret file instead of encrypting with it', () => {
    const dir = join(dataDir, 'empty');
    loadOrCreateSecret(dir);
    writeFileSync(join(dir, SECRET_FILE), '\n');
    assert.throws(() => loadOrCreateSecret(dir), /no usable secret/);
  });
});
