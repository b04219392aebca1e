// The notes API as a benchmark server process: with the kit (`MODE=kit`, examples/notes-api as
// shipped) or without any token check (`MODE=plain`, the same routes and JSON, every request one
// fixed owner's), so the difference between the two is what verification costs per request.
import { startNotesApi } from '../../examples/notes-api/server.ts';
import { listen } from '../../examples/shared/http.ts';
import { Notebooks } from '../../examples/notes-api/notes.ts';

const env = process.env;
const port = Number(env.PORT ?? 0);
if (env.MODE === 'plain') {
  const notebooks = new Notebooks();
  const base = new URL(String(env.IDENTIFIER)).pathname;
  const { port: bound } = await listen((req, res) => {
    const answer = notebooks.answer({ method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0]!.slice(base.length), owner: 'bench' });
    const text = JSON.stringify(answer.body);
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }, port);
  console.log(`notes api (plain) listening on http://localhost:${bound}`);
} else {
  const api = await startNotesApi({ gatehouseUrl: String(env.GATEHOUSE_URL), identifier: String(env.IDENTIFIER), clientId: String(env.CLIENT_ID), clientSecret: String(env.CLIENT_SECRET), port });
  console.log(`notes api (kit) listening on ${api.url}`);
  process.once('SIGTERM', () => void api.close().then(() => process.exit(0)));
}
