// `npm run example:notes-api`: the notes API on http://localhost:4598/api, for the Gatehouse at
// GATEHOUSE_URL (default http://localhost:8080). Register it first (examples/notes-api/README.md):
//   npx gatehouse resources create --identifier http://localhost:4598/api --name Notes \
//     --family notes=Notes --scope "notes.export=Export all your notes as a file"
// and give the printed credentials as NOTES_API_CLIENT_ID and NOTES_API_CLIENT_SECRET.
import { startNotesApi } from './server.ts';

const env = process.env;
const port = Number(env.NOTES_API_PORT ?? 4598);
const gatehouseUrl = (env.GATEHOUSE_URL ?? 'http://localhost:8080').replace(/\/$/, '');
const identifier = env.NOTES_API_IDENTIFIER ?? `http://localhost:${port}/api`;
const clientId = env.NOTES_API_CLIENT_ID;
const clientSecret = env.NOTES_API_CLIENT_SECRET;

if (!clientId || !clientSecret || !Number.isInteger(port)) {
  console.error(
    [
      'Cannot start the notes API: it needs its credentials from Gatehouse.',
      `Register it:  npx gatehouse resources create --identifier ${identifier} --name Notes --family notes=Notes --scope "notes.export=Export all your notes as a file"`,
      'then:         NOTES_API_CLIENT_ID=rs_… NOTES_API_CLIENT_SECRET=… npm run example:notes-api',
    ].join('\n'),
  );
  process.exit(1);
}

try {
  const api = await startNotesApi({ gatehouseUrl, identifier, clientId, clientSecret, port });
  console.log(
    [
      `Notes API listening on ${identifier} (resource ${identifier}, tokens from ${gatehouseUrl})`,
      `  metadata   ${api.verifier.resourceMetadataUrl}`,
      `  get a token: npm run example:notes-client   (in another terminal)`,
      'Ctrl+C stops it.',
    ].join('\n'),
  );
  const stop = () => void api.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
  console.error(`Cannot start the notes API: ${inUse ? `port ${port} is taken (NOTES_API_PORT picks another)` : (error as Error).message}`);
  process.exit(1);
}
