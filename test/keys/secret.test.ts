// GATEHOUSE_SECRET: taken from the environment, or generated once into the data dir.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SECRET_FILE, loadOrCreateSecret } from '../../src/keys/secret.ts';

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
