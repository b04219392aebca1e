// Phone numbers as typed → E.164 (`+4915112345678`), and the clear refusals of what is not one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizePhoneNumber } from '../../src/platform/accounts.ts';

const problemOf = (typed: string): string => {
  const result = normalizePhoneNumber(typed);
  assert.ok('problem' in result, `${typed.slice(0, 40)} is refused`);
  return result.problem;
};

describe('normalizePhoneNumber', () => {
  it('drops spaces, dashes, dots and parentheses, keeping + and the digits', () => {
    for (const [typed, e164] of [
      ['+4915112345678', '+4915112345678'],
      ['+49 151 1234-5678', '+4915112345678'],
      ['  +49.151.12345678 ', '+4915112345678'],
      ['+1 (555) 010-0199', '+15550100199'],
      ['+44 20 7946 0958', '+442079460958'],
      ['+12345678', '+12345678'],
      ['+123456789012345', '+123456789012345'],
    ]) {
      assert.deepEqual(normalizePhoneNumber(typed as string), { phoneNumber: e164 }, typed);
    }
  });

  it('a number without + and the country code is refused', () => {
    for (const typed of ['015112345678', '0049 151 12345678', '4915112345678', '', '   ']) assert.match(problemOf(typed), /must start with \+ and the country code/, typed);
  });

  it('letters and other characters are refused', () => {
    for (const typed of ['+49 151 CALL-ME', '+49151123456x8', '+49/151/12345678', '+49 151 1234 5678 ext 9', '++4915112345678', '+49_15112345678', '+４９１５１１２３４５６７８']) {
      assert.match(problemOf(typed), /only digits, spaces, dashes, dots and parentheses/, typed);
    }
  });

  it('too few or too many digits are refused, saying how many there are', () => {
    assert.match(problemOf('+1234567'), /8 to 15 digits after the \+ \(it has 7\)/);
    assert.match(problemOf('+1234567890123456'), /8 to 15 digits after the \+ \(it has 16\)/);
    assert.match(problemOf('+'), /it has 0/);
    assert.match(problemOf('+ - . ()'), /it has 0/);
  });

  it('a country code cannot start with 0, and the (0) of national dialling is named', () => {
    assert.match(problemOf('+015112345678'), /country code .* never starts with 0/);
    assert.match(problemOf('+49 (0)151 12345678'), /leave out the \(0\)/);
    assert.match(problemOf('+49 ( 0 ) 151 12345678'), /leave out the \(0\)/);
  });

  it('more than 32 characters are refused before anything else', () => {
    assert.match(problemOf(`+49${'1'.repeat(197)}`), /at most 32 characters/);
    assert.match(problemOf('x'.repeat(200)), /at most 32 characters/);
    assert.match(problemOf(`+49 ${'- '.repeat(15)}15112345678`), /at most 32 characters/);
  });
});
