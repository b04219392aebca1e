// The verified-signature cache stays bounded and forgets the least recently used token first.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { AccessTokenClaims } from '../../src/oauth/access-token.ts';
import { VerifiedTokens } from '../../src/oauth/verified-tokens.ts';

const claims = (jti: string) => ({ jti }) as unknown as AccessTokenClaims;

it('keeps at most its capacity, dropping the least recently used', () => {
  const cache = new VerifiedTokens(2);
  cache.remember('a', 'k1', claims('a'));
  cache.remember('b', 'k1', claims('b'));
  assert.equal(cache.get('a')?.claims.jti, 'a'); // a is now the most recently used
  cache.remember('c', 'k2', claims('c'));
  assert.equal(cache.size, 2);
  assert.equal(cache.get('b'), undefined);
  assert.deepEqual(cache.get('c'), { kid: 'k2', claims: claims('c') });
});
