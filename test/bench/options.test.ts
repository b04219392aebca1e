// The benchmark's options: --alg picks what both servers sign access tokens with, RS256 unless said.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseOptions, UsageError, USAGE } from '../../bench/options.ts';

describe('bench options: --alg', () => {
  it('is RS256 by default', () => {
    assert.equal(parseOptions([]).alg, 'RS256');
  });

  it('takes each algorithm Gatehouse and the peer both sign with', () => {
    for (const alg of ['RS256', 'ES256', 'EdDSA']) assert.equal(parseOptions(['--alg', alg]).alg, alg);
  });

  it('refuses another algorithm, a lower-case name and a missing value, with the usage', () => {
    for (const argv of [['--alg', 'RS512'], ['--alg', 'es256'], ['--alg', 'none']]) {
      assert.throws(() => parseOptions(argv), (error: unknown) => error instanceof UsageError && /--alg must be one of RS256, ES256, EdDSA/.test(error.message) && error.message.includes(USAGE), argv.join(' '));
    }
    assert.throws(() => parseOptions(['--alg']), UsageError);
  });

  it('is listed in the usage', () => {
    assert.match(USAGE, /--alg ALG .*RS256, ES256, EdDSA/);
  });
});
