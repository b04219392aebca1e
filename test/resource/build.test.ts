// `npm run build -w resource` output: the kit compiles to JavaScript that runs without a
// TypeScript loader and with jose as its only package — every entry, the Express and Fastify
// adapters included, loads where neither framework is installed — and its declarations type a
// strict consumer.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

// Runs in a child process in the scratch folder, whose node_modules holds jose (and types) only.
const SMOKE = `
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { createVerifier, scopeForMethod } from './dist/index.js';
await import('./dist/node.js');
await import('./dist/express.js');
await import('./dist/fastify.js');
const { publicKey, privateKey } = await generateKeyPair('ES256');
const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' }] };
const fetch = async () => new Response(JSON.stringify(jwks), { headers: { 'content-type': 'application/json' } });
const issuer = 'http://127.0.0.1:9', audience = 'https://notes.example.com/api';
const verifier = createVerifier({ issuer, audience, revocation: 'none', endpoints: { jwks_uri: issuer + '/jwks' }, fetch });
const now = Math.floor(Date.now() / 1000);
const token = await new SignJWT({ iss: issuer, aud: audience, sub: '7', exp: now + 60, iat: now, jti: 'j', client_id: 'c', scope: 'notes:w', tenant: 'acme', app_id: 2, fid: 'f' })
  .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'k1' }).sign(privateKey);
const result = await verifier.authenticate({ authorization: 'Bearer ' + token }, { method: 'PUT', scope: scopeForMethod('notes', 'PUT') });
let express = 'absent';
try { await import('express'); express = 'present'; } catch {}
console.log(JSON.stringify({ ok: result.ok, sub: result.ok && result.claims.sub, express }));
await verifier.close();
`;

describe('the built kit (resource/tsconfig.json)', { timeout: 120_000 }, () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-resource-build-'));
    await run(process.execPath, [TSC, '-p', join(ROOT, 'resource/tsconfig.json'), '--outDir', join(dir, 'dist')]);
    await writeFile(join(dir, 'package.json'), '{"type":"module"}');
    await mkdir(join(dir, 'node_modules'));
    await symlink(join(ROOT, 'node_modules/jose'), join(dir, 'node_modules/jose'), 'dir');
    await symlink(join(ROOT, 'node_modules/@types'), join(dir, 'node_modules/@types'), 'dir');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('emits JavaScript with .js imports that runs with jose alone, every entry loading without express or fastify', async () => {
    for (const entry of ['index', 'node', 'express', 'fastify']) {
      assert.doesNotMatch(await readFile(join(dir, `dist/${entry}.js`), 'utf8'), /from "(\.\/[^"]+\.ts|express|fastify)"/, entry);
    }
    await writeFile(join(dir, 'smoke.mjs'), SMOKE);
    const { stdout } = await run(process.execPath, ['smoke.mjs'], { cwd: dir });
    assert.deepEqual(JSON.parse(stdout), { ok: true, sub: '7', express: 'absent' });
  });

  it('its declarations type a strict consumer (Express request augmentation included), and catch a misuse', async () => {
    const consumer = [
      "import { createVerifier, type Verified } from './dist/index.js';",
      "import { authOf, protect } from './dist/express.js';",
      "import type { Request, RequestHandler } from 'express';",
      "const verifier = createVerifier({ issuer: 'http://127.0.0.1:8080', audience: 'https://notes.example.com/api', revocation: 'none' });",
      "export const middleware: RequestHandler = protect(verifier, { scope: 'notes' });",
      'export const subject = (req: Request): string => authOf(req).claims.sub;',
      'export const held = (req: Request): Verified | undefined => req.gatehouse;',
      'export const result = await verifier.authenticate({});',
      'export const status: number = result.ok ? 200 : result.status;',
    ];
    const tsconfig = { compilerOptions: { strict: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', types: ['node'], lib: ['ES2022'], noEmit: true, skipLibCheck: true }, files: ['consumer.ts'] };
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
    await writeFile(join(dir, 'consumer.ts'), consumer.join('\n'));
    await run(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')]);
    await writeFile(join(dir, 'consumer.ts'), [...consumer, 'export const wrong: number = verifier.audience;'].join('\n'));
    await assert.rejects(run(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')]), (e: { stdout?: string }) => /TS2322/.test(e.stdout ?? ''));
  });
});
