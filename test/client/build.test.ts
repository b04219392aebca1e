// `npm run build -w client` output: the SDK compiles without Node's types (browser-safe), the
// emitted JavaScript runs without a TypeScript loader, and its declarations type a consumer.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

describe('the built SDK (client/tsconfig.json)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-client-build-'));
    // The package's own build, into a scratch folder instead of client/dist.
    await run(process.execPath, [TSC, '-p', join(ROOT, 'client/tsconfig.json'), '--outDir', join(dir, 'dist')]);
    await writeFile(join(dir, 'package.json'), '{"type":"module"}');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('emits JavaScript with .js imports that runs as it is', async () => {
    const index = await readFile(join(dir, 'dist/index.js'), 'utf8');
    assert.doesNotMatch(index, /from "\.\/[^"]+\.ts"/, 'relative imports were rewritten to .js');
    const sdk = (await import(pathToFileURL(join(dir, 'dist/index.js')).href)) as typeof import('@gatehouse/client');
    const pair = await sdk.createPkcePair();
    assert.equal(pair.challenge, await sdk.codeChallengeS256(pair.verifier));
    const url = new URL(sdk.buildAuthorizeUrl({ baseUrl: 'https://g.example', clientId: 'c', redirectUri: 'https://a.example/cb' }, { scope: 'profile', state: 's', codeChallenge: pair.challenge }));
    assert.equal(url.searchParams.get('code_challenge'), pair.challenge);
    assert.ok(new sdk.OAuthClientError('invalid_grant', undefined, 400) instanceof sdk.GatehouseClientError);
  });

  it('its declarations type a strict consumer without Node types, and catch a misuse', async () => {
    const consumer = [
      "import { TokenManager, createPkcePair, buildAuthorizeUrl, type TokenSet } from './dist/index.js';",
      'const pair = await createPkcePair();',
      "export const url: string = buildAuthorizeUrl({ baseUrl: 'https://g.example', clientId: 'c', redirectUri: 'https://a/cb' }, { scope: ['profile'], state: 's', codeChallenge: pair.challenge });",
      "export const tokens: TokenSet | undefined = await new TokenManager({ baseUrl: 'https://g.example', clientId: 'c' }).getTokens();",
    ];
    const tsconfig = { compilerOptions: { strict: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', types: [], lib: ['ES2022', 'DOM'], noEmit: true }, files: ['consumer.ts'] };
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
    await writeFile(join(dir, 'consumer.ts'), consumer.join('\n'));
    await run(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')]);
    await writeFile(join(dir, 'consumer.ts'), [...consumer, 'export const wrong: number = url;'].join('\n'));
    await assert.rejects(run(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')]), (e: { stdout?: string }) => /TS2322/.test(e.stdout ?? ''));
  });
});
