// ilert's scope grammar: parsing, levels, wildcard, set operations, consent wording, path table.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ScopeSet,
  describeScopes,
  levelNeededFor,
  scopeNeeded,
  supportedScopes,
} from '../../src/oauth/scopes.ts';

const parse = (value: string) => ScopeSet.parse(value);
const set = (value: string) => {
  const { scopes, unknown } = ScopeSet.parse(value);
  assert.deepEqual(unknown, [], `test fixture "${value}" has unknown scopes`);
  return scopes;
};

describe('parsing scope strings', () => {
  it('reads the docs example "profile source:w offline_access"', () => {
    const { scopes, unknown } = parse('profile source:w offline_access');
    assert.deepEqual(unknown, []);
    assert.equal(scopes.levels.get('profile'), 'r');
    assert.equal(scopes.levels.get('source'), 'w');
    assert.equal(scopes.offline, true);
    assert.equal(scopes.toString(), 'profile source:w offline_access');
  });

  it('treats a bare name and :r alike', () => {
    assert.equal(set('service:r').toString(), 'service');
    assert.equal(set('service').toString(), 'service');
  });

  it('collapses repeats and keeps the higher level', () => {
    assert.equal(set('profile profile').toString(), 'profile');
    assert.equal(set('source source:d source:w').toString(), 'source:d');
    assert.equal(set('source:w source').toString(), 'source:w');
    assert.equal(set('offline_access profile offline_access').toString(), 'profile offline_access');
  });

  it('puts offline_access last whatever the request order', () => {
    assert.equal(set('offline_access team:w').toString(), 'team:w offline_access');
  });

  it('reports unknown tokens instead of dropping them silently', () => {
    const { scopes, unknown } = parse('profile admin source:x SOURCE offline_access:w openid:w');
    assert.deepEqual(unknown, ['admin', 'source:x', 'SOURCE', 'offline_access:w', 'openid:w']);
    assert.equal(scopes.toString(), 'profile');
  });

  it("reads OpenID Connect's openid, email and phone as plain scopes of the built-in API", () => {
    const { scopes, unknown } = parse('openid profile email phone');
    assert.deepEqual(unknown, []);
    assert.equal(scopes.toString(), 'profile openid email phone');
  });

  it('ignores extra spaces and reads an empty string as the empty set', () => {
    assert.equal(set('  profile   alert:w ').toString(), 'profile alert:w');
    const empty = parse('');
    assert.deepEqual(empty.unknown, []);
    assert.equal(empty.scopes.isEmpty, true);
    assert.equal(empty.scopes.toString(), '');
    assert.equal(set('offline_access').isEmpty, false);
  });

  it('lists every supported scope with its levels', () => {
    const all = supportedScopes();
    for (const s of ['offline_access', 'profile', 'source', 'source:w', 'source:d', 'wildcard:d', 'support_hour']) {
      assert.ok(all.includes(s), s);
    }
  });
});

describe('levels', () => {
  it('maps HTTP methods to the level they need', () => {
    assert.equal(levelNeededFor('GET'), 'r');
    assert.equal(levelNeededFor('get'), 'r');
    assert.equal(levelNeededFor('HEAD'), 'r');
    assert.equal(levelNeededFor('POST'), 'w');
    assert.equal(levelNeededFor('PUT'), 'w');
    assert.equal(levelNeededFor('PATCH'), 'w');
    assert.equal(levelNeededFor('DELETE'), 'd');
  });

  it('r allows GET only; w adds POST and PUT; d adds DELETE', () => {
    const table: [string, Record<string, boolean>][] = [
      ['service', { GET: true, POST: false, PUT: false, DELETE: false }],
      ['service:w', { GET: true, POST: true, PUT: true, DELETE: false }],
      ['service:d', { GET: true, POST: true, PUT: true, DELETE: true }],
    ];
    for (const [scope, methods] of table) {
      for (const [method, allowed] of Object.entries(methods)) {
        assert.equal(set(scope).allows('service', method), allowed, `${scope} ${method}`);
      }
    }
  });

  it('grants nothing on a resource that is not in the set', () => {
    assert.equal(set('service:d').allows('source', 'GET'), false);
    assert.equal(set('offline_access').allows('profile', 'GET'), false);
  });

  it('names the scope a caller should ask for', () => {
    assert.equal(scopeNeeded('source', 'GET'), 'source');
    assert.equal(scopeNeeded('source', 'POST'), 'source:w');
    assert.equal(scopeNeeded('source', 'DELETE'), 'source:d');
  });
});

describe('wildcard', () => {
  it('grants every resource at its own level', () => {
    const wild = set('wildcard:w');
    assert.equal(wild.allows('source', 'POST'), true);
    assert.equal(wild.allows('profile', 'GET'), true);
    assert.equal(wild.allows('team', 'DELETE'), false);
    assert.equal(set('wildcard:d').allows('team', 'DELETE'), true);
  });

  it('combines with an explicit scope, the higher level winning', () => {
    assert.equal(set('wildcard source:d').levelFor('source'), 'd');
    assert.equal(set('wildcard:d source').levelFor('source'), 'd');
    assert.equal(set('wildcard source:w').levelFor('team'), 'r');
  });
});

describe('set operations', () => {
  it('isSubsetOf compares levels and the offline flag', () => {
    assert.equal(set('source').isSubsetOf(set('source:w')), true);
    assert.equal(set('source:w').isSubsetOf(set('source:w profile')), true);
    assert.equal(set('source:d').isSubsetOf(set('source:w')), false);
    assert.equal(set('team').isSubsetOf(set('source:w')), false);
    assert.equal(set('offline_access').isSubsetOf(set('profile')), false);
    assert.equal(set('profile').isSubsetOf(set('profile offline_access')), true);
    assert.equal(ScopeSet.empty.isSubsetOf(set('profile')), true);
  });

  it('union keeps every scope at its highest level', () => {
    const merged = set('profile source').union(set('source:w team offline_access'));
    assert.equal(merged.toString(), 'profile source:w team offline_access');
    assert.equal(set('source:d').union(set('source')).toString(), 'source:d');
  });
});

describe('consent wording', () => {
  it('words each scope as ilert\'s consent page does', () => {
    assert.deepEqual(describeScopes(set('profile source:w')), [
      { verbs: 'See', noun: 'your profile' },
      { verbs: 'See, Create, Edit', noun: 'Alert sources' },
    ]);
    assert.deepEqual(describeScopes(set('source:d')), [{ verbs: 'See, Create, Edit, Delete', noun: 'Alert sources' }]);
  });

  it('mentions offline access in its own line', () => {
    const lines = describeScopes(set('profile offline_access'));
    assert.equal(lines.length, 2);
    assert.match(`${lines[1]?.verbs} ${lines[1]?.noun}`, /offline/i);
  });
});
