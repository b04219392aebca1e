// Private keys at rest: AES-256-GCM under a key derived from GATEHOUSE_SECRET.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decrypt, encrypt } from '../../src/keys/encryption.ts';

const SECRET = 'key-ring-test-secret-0123456789';

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
