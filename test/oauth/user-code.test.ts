// User codes: 8 letters of the unambiguous alphabet, shown XXXX-XXXX, read back however typed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatUserCode, newUserCode, normalizeUserCode, USER_CODE_ALPHABET } from '../../src/oauth/user-code.ts';

describe('user codes', () => {
  it('are 8 letters from BCDFGHJKLMNPQRSTVWXZ, every letter used', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const code = newUserCode();
      assert.match(code, /^[BCDFGHJKLMNPQRSTVWXZ]{8}$/);
      for (const letter of code) seen.add(letter);
    }
    assert.equal(seen.size, USER_CODE_ALPHABET.length);
  });

  it('are shown with a dash in the middle', () => {
    assert.equal(formatUserCode('BCDFGHJK'), 'BCDF-GHJK');
  });

  it('are read in any case, with or without the dash or spaces', () => {
    for (const typed of ['BCDF-GHJK', 'bcdf-ghjk', 'bcdfghjk', ' BCDF GHJK ', 'bc-df-gh-jk']) assert.equal(normalizeUserCode(typed), 'BCDFGHJK', typed);
  });

  it('refuse vowels, digits, look-alikes, wrong lengths and long input', () => {
    for (const typed of ['BCDF-GHJA', 'BCDF-GHJ0', 'BCDF-GHJ', 'BCDF-GHJKL', '', 'B'.repeat(65), 'BCDF_GHJK']) assert.equal(normalizeUserCode(typed), undefined, typed);
  });
});
