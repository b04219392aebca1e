// The form parser agrees with URLSearchParams on every input, and keeps repeated names as arrays.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseForm } from '../../src/http/body.ts';

function reference(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [name, value] of new URLSearchParams(text)) {
    const previous = out[name];
    if (previous === undefined) out[name] = value;
    else out[name] = Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return out;
}

const same = (text: string) => assert.deepEqual({ ...parseForm(text) }, { ...reference(text) }, JSON.stringify(text));

describe('parseForm', () => {
  it('reads token requests, escapes, pluses, repeats, empty pairs and bare names', () => {
    for (const text of [
      '',
      'grant_type=refresh_token&client_id=abc&refresh_token=ilrt_x',
      'token=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln',
      'scope=profile+offline_access&redirect_uri=http%3A%2F%2Flocalhost%3A4597%2Fcb',
      'a=1&a=2&a=3',
      '&&a=1&&b=&c',
      '=x&=y',
      'a==b&b=c=d',
      'name%20with%20space=%E2%9C%93',
      '%=%&%zz=%e2%9c&%C3=%FF',
      '+=+&x=1+2%2B3',
      '__proto__=1&constructor=2',
      'a=\uD800&b=\uDC00x',
    ]) {
      same(text);
    }
    assert.deepEqual(parseForm('a=1&a=2').a, ['1', '2']);
  });

  it('agrees with URLSearchParams on arbitrary text', () => {
    const piece = fc.constantFrom('\uD800', 'a', 'b', '=', '&', '+', '%', '%2', '%41', '%zz', '%e2%9c%93', '%E2%9C', '%C3', ' ', 'é', '✓', '\u0000', '%00', '%25');
    fc.assert(fc.property(fc.array(piece, { maxLength: 30 }).map((parts) => parts.join('')), (text) => same(text)), { numRuns: 3000, seed: 8 });
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => same(text)), { numRuns: 2000, seed: 9 });
  });
});
