// TOTP codes (RFC 6238, SHA-1, 6 digits, 30 s): one step either side of now is accepted, two is
// not; what is not six digits is no code; secrets are sealed, never kept plain. Recovery codes
// have 50 bits and read back however they are typed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TOTP, Secret } from 'otpauth';
import { codeAt, matchingStep, newTotpSecret, openTotpSecret, readTotpCode, sealTotpSecret, stepAt, totpUri } from '../../src/platform/totp.ts';
import { newRecoveryCodes, readRecoveryCode, recoveryCodeHash } from '../../src/platform/recovery-codes.ts';

const NOW = new Date('2030-01-01T00:00:10Z');
const at = (steps: number) => new Date(NOW.getTime() + steps * 30_000);

describe('TOTP codes', () => {
  const secret = newTotpSecret();

  it('accepts the codes of the steps before, at and after now, each as its own step', () => {
    for (const offset of [-1, 0, 1]) assert.equal(matchingStep(secret, codeAt(secret, at(offset)), NOW), stepAt(NOW) + offset, `step ${offset}`);
  });

  it('refuses codes two steps away, either side', () => {
    for (const offset of [-2, 2]) assert.equal(matchingStep(secret, codeAt(secret, at(offset)), NOW), undefined, `step ${offset}`);
  });

  it('refuses another secret’s code', () => {
    assert.equal(matchingStep(secret, codeAt(newTotpSecret(), NOW), NOW), undefined);
  });

  it('matches what any authenticator app computes from the otpauth URI (SHA-1, 6 digits, 30 s)', () => {
    const uri = new URL(totpUri(secret, 'acme:jane', 'Gatehouse (localhost)'));
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.searchParams.get('algorithm'), 'SHA1');
    assert.equal(uri.searchParams.get('digits'), '6');
    assert.equal(uri.searchParams.get('period'), '30');
    const app = new TOTP({ secret: Secret.fromBase32(uri.searchParams.get('secret') ?? '') });
    assert.equal(app.generate({ timestamp: NOW.getTime() }), codeAt(secret, NOW));
  });

  it('reads six digits (spaces allowed), and nothing else', () => {
    assert.equal(readTotpCode('123 456'), '123456');
    for (const bad of ['', '12345', '1234567', 'abcdef', '12345a', '1'.repeat(200), '１２３４５６']) assert.equal(readTotpCode(bad), undefined, JSON.stringify(bad));
  });

  it('seals the secret under the token key; another key cannot open it', () => {
    const key = Buffer.alloc(32, 7);
    const sealed = sealTotpSecret(secret, key);
    assert.ok(!sealed.includes(secret), 'never plain');
    assert.equal(openTotpSecret(sealed, key), secret);
    assert.throws(() => openTotpSecret(sealed, Buffer.alloc(32, 8)), /GATEHOUSE_SECRET/);
  });
});

describe('recovery codes', () => {
  it('makes ten distinct codes of 50 bits, read back typed any way', () => {
    const codes = newRecoveryCodes();
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    for (const code of codes) {
      assert.match(code, /^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{2}$/);
      assert.equal(readRecoveryCode(code.toUpperCase().replace(/-/g, ' ')), code.replace(/-/g, ''));
    }
    assert.equal(readRecoveryCode('x'.repeat(200)), undefined);
    assert.equal(readRecoveryCode('abcd-efgh-i1'), undefined, 'look-alikes are not in the alphabet');
    assert.equal(recoveryCodeHash('abcdefghjk').length, 64);
  });
});
