// The scope rule a resource applies to a token: ilert's levels (x:d ⊇ x:w ⊇ x, x:r = x), the
// level an HTTP method needs, plain scopes as exact names, wildcard, and offline_access never.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Scopes, levelForMethod, methodScope, scopeForMethod, supportedScopes } from '@gatehouse/resource';
import { checkRequirement, requiredScopes } from '../../resource/src/scopes.ts';

describe('scopes', { timeout: 10_000 }, () => {
  it('a higher level covers the lower ones, never the other way', () => {
    const write = new Scopes('notes:w');
    assert.ok(write.has('notes') && write.has('notes:r') && write.has('notes:w'));
    assert.ok(!write.has('notes:d'));
    const del = new Scopes('notes:d');
    assert.ok(del.has('notes') && del.has('notes:w') && del.has('notes:d'));
    const read = new Scopes('notes:r');
    assert.ok(read.has('notes') && !read.has('notes:w'));
    assert.equal(new Scopes('notes notes:d notes:w').levelOf('notes'), 'd', 'repeats: the highest wins');
    assert.ok(!new Scopes('notes:d').has('tags'), 'levels are per family');
  });

  it('needs read for GET and HEAD, write for POST, PUT, PATCH, delete for DELETE', () => {
    assert.deepEqual(['GET', 'head', 'POST', 'PUT', 'PATCH', 'DELETE'].map(levelForMethod), ['r', 'r', 'w', 'w', 'w', 'd']);
    assert.equal(scopeForMethod('notes', 'GET'), 'notes');
    assert.equal(scopeForMethod('notes', 'PATCH'), 'notes:w');
    assert.equal(scopeForMethod('notes', 'DELETE'), 'notes:d');
    const write = new Scopes('notes:w');
    assert.ok(write.allows('notes', 'GET') && write.allows('notes', 'POST') && !write.allows('notes', 'DELETE'));
    assert.deepEqual(requiredScopes(methodScope('notes'), 'DELETE'), ['notes:d']);
  });

  it('plain scopes are exact names; the catalog keeps levels and wildcard off them', () => {
    const catalog = { families: ['notes'], plain: ['notes.export', 'admin:w'] };
    const token = new Scopes('notes.export', catalog);
    assert.ok(token.has('notes.export'));
    assert.ok(!token.has('notes'));
    assert.ok(!new Scopes('admin:d', catalog).has('admin:w'), 'a plain name that looks like a level is still exact');
    assert.ok(!new Scopes('wildcard:d', catalog).has('notes.export'), 'wildcard covers families only');
    assert.ok(new Scopes('wildcard:d', catalog).has('notes:d'));
  });

  it('wildcard at a level covers every family at that level', () => {
    const wild = new Scopes('wildcard:w');
    assert.ok(wild.has('source') && wild.has('policy:w') && !wild.has('policy:d'));
    assert.equal(new Scopes('wildcard notes:d').levelOf('notes'), 'd');
    assert.equal(new Scopes('wildcard:d notes').levelOf('notes'), 'd');
  });

  it('offline_access is never a resource scope', () => {
    const token = new Scopes('notes offline_access');
    assert.ok(!token.has('offline_access'));
    assert.deepEqual(token.values, ['notes']);
    assert.throws(() => checkRequirement('offline_access'), /not a resource scope/);
    assert.throws(() => checkRequirement('notes notes:w'), /without spaces/);
    assert.throws(() => checkRequirement(['notes', '']), /without spaces/);
  });

  it('requirements: one scope, all of several, or by method; missing() names what lacks', () => {
    const token = new Scopes('notes:w tags');
    assert.deepEqual(token.missing(requiredScopes(['notes:w', 'tags', 'notes.export'], 'GET')), ['notes.export']);
    assert.deepEqual(token.missing(requiredScopes('notes', 'GET')), []);
    assert.deepEqual(supportedScopes({ families: ['notes'], plain: ['notes.export'] }), ['notes', 'notes:w', 'notes:d', 'notes.export']);
  });
});
