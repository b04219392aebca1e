// `npm run example:cli`: signs in to Gatehouse from a terminal by device flow (RFC 8628) — prints
// a code, a link and a QR code to open on any phone or computer — then calls the API as the
// person who approved it. Settings: examples/cli/README.md.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import QRCode from 'qrcode';
import { DeviceFlowError, discoverEndpoints, pollForTokens, requestCodes } from './device-flow.ts';

const HELP = `Usage: npm run example:cli -- [--url URL] [--client-id ID] [--client-secret SECRET] [--scope SCOPE] [--data-dir DIR]

  --url            Gatehouse's public URL (env GATEHOUSE_URL; default http://localhost:8080)
  --client-id      an app allowed the device grant (env GATEHOUSE_CLIENT_ID; default: the demo's "Gatehouse sample CLI")
  --client-secret  only for a confidential app (env GATEHOUSE_CLIENT_SECRET)
  --scope          what to ask for (env GATEHOUSE_SCOPE; default profile)
  --data-dir       where npm start keeps demo-credentials.json (env GATEHOUSE_DATA_DIR; default ./data)`;

interface Settings {
  gatehouseUrl: string;
  clientId: string;
  clientSecret?: string;
  scope: string;
  source: string;
}

function fail(message: string): never {
  console.error(`example:cli: ${message}`);
  process.exit(1);
}

function readSettings(): Settings {
  const { values } = parseArgs({
    options: { url: { type: 'string' }, 'client-id': { type: 'string' }, 'client-secret': { type: 'string' }, scope: { type: 'string' }, 'data-dir': { type: 'string' }, help: { type: 'boolean' } },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const env = (name: string) => (process.env[name] === '' ? undefined : process.env[name]);
  const gatehouseUrl = (values.url ?? env('GATEHOUSE_URL') ?? 'http://localhost:8080').replace(/\/+$/, '');
  if (!URL.canParse(gatehouseUrl) || !/^https?:$/.test(new URL(gatehouseUrl).protocol)) fail(`--url must be an http(s) URL, not ${gatehouseUrl}`);
  const scope = values.scope ?? env('GATEHOUSE_SCOPE') ?? 'profile';
  const clientSecret = values['client-secret'] ?? env('GATEHOUSE_CLIENT_SECRET');
  const clientId = values['client-id'] ?? env('GATEHOUSE_CLIENT_ID');
  if (clientId) return { gatehouseUrl, clientId, clientSecret, scope, source: values['client-id'] ? '--client-id' : 'GATEHOUSE_CLIENT_ID' };
  // The demo data `npm start` writes holds a public app made for this example.
  const file = resolve(join(values['data-dir'] ?? env('GATEHOUSE_DATA_DIR') ?? './data', 'demo-credentials.json'));
  if (!existsSync(file)) fail(`no client id: pass --client-id (an app allowed the device grant), or start Gatehouse once with \`npm start\` so that ${file} exists`);
  const demo = JSON.parse(readFileSync(file, 'utf8')) as { apps?: { name: string; clientId: string; device?: boolean }[] };
  const app = demo.apps?.find((candidate) => candidate.device);
  if (!app) fail(`${file} lists no device-flow app: pass --client-id`);
  return { gatehouseUrl, clientId: app.clientId, clientSecret, scope, source: `${file} (app "${app.name}")` };
}

async function main(): Promise<void> {
  const settings = readSettings();
  const client = { clientId: settings.clientId, clientSecret: settings.clientSecret };
  const endpoints = await discoverEndpoints(settings.gatehouseUrl);
  const codes = await requestCodes(endpoints, client, settings.scope);
  const link = codes.verification_uri_complete ?? codes.verification_uri;
  console.log(`Signing in to ${settings.gatehouseUrl} as client ${settings.clientId} (from ${settings.source}).`);
  console.log(`\nOpen ${codes.verification_uri} on your phone or computer and enter the code:\n\n    ${codes.user_code}\n`);
  console.log(`Or scan this QR code (it opens ${link}):\n`);
  console.log(await QRCode.toString(link, { type: 'terminal', small: true }));
  console.log(`Waiting for you to approve (the code works for ${Math.round(codes.expires_in / 60)} minutes)…`);
  const tokens = await pollForTokens(endpoints, client, codes, { onSlowDown: (interval) => console.log(`(the server asked to poll more slowly: every ${interval} s now)`) });
  console.log(`Approved. Got an access token for scope "${tokens.scope}"${tokens.refresh_token ? ' and a refresh token' : ''}.`);

  const response = await fetch(`${settings.gatehouseUrl}/api/users/current`, { headers: { authorization: `Bearer ${tokens.access_token}`, accept: 'application/json' } });
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) fail(`GET /api/users/current answered ${response.status}: ${String(body.message ?? '')}`);
  const name = [body.firstName, body.lastName].filter((part) => typeof part === 'string' && part !== '').join(' ');
  console.log(`\nSigned in as ${name || String(body.username)} (username ${String(body.username)}${body.email ? `, ${String(body.email)}` : ''}).`);
}

main().catch((error: unknown) => {
  if (error instanceof DeviceFlowError) fail(error.message);
  if (String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS')) fail(`${(error as Error).message}\n${HELP}`);
  throw error;
});
