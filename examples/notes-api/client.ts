// `npm run example:notes-client`: gets a token for the notes API the way any app would — as the
// demo web app (a public client, PKCE), naming the API with `resource` — then uses it: adds a note,
// lists the notes, exports them. Prints a sign-in link; the browser comes back to
// http://localhost:4597/webapp (the demo app's redirect URL), where this script listens once.
import { buildAuthorizeUrl, createPkcePair, createState, exchangeCode, handleCallback } from '@gatehouse/client';
import { clientConfigFor } from '../shared/gatehouse.ts';
import { closeServer, listen, send } from '../shared/http.ts';
import { CALLBACK_PATH, loadSettings, redirectUriOf } from '../shared/settings.ts';

const settings = loadSettings('webapp');
const notesApi = (process.env.NOTES_API_IDENTIFIER ?? `http://localhost:${process.env.NOTES_API_PORT ?? 4598}/api`).replace(/\/$/, '');
const redirectUri = redirectUriOf('webapp', settings.port);
const config = await clientConfigFor(settings, redirectUri);
const pkce = await createPkcePair();
const state = createState();

/** What the API answered to each call, for the terminal and the browser alike. */
async function useTheApi(accessToken: string): Promise<string[]> {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${notesApi}${path}`, {
      method,
      headers: { authorization: `Bearer ${accessToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { line: `${method} ${path} → ${response.status} ${text}`, text };
  };
  const added = await call('POST', '/notes', { text: `Written at ${new Date().toISOString()}` });
  const id = (JSON.parse(added.text || '{}') as { id?: number }).id ?? 1;
  const rest = [await call('GET', '/notes'), await call('GET', '/notes/export'), await call('DELETE', `/notes/${id}`)];
  return [added, ...rest].map((answer) => answer.line);
}

const done = new Promise<number>((resolve) => {
  void listen(async (req, res) => {
    const url = new URL(req.url ?? '/', redirectUri);
    if (url.pathname !== CALLBACK_PATH.webapp) return send(res, 404, 'text/plain; charset=utf-8', 'Not the callback.');
    try {
      const { code } = handleCallback(config, url, { expectedState: state });
      const tokens = await exchangeCode(config, { code, codeVerifier: pkce.verifier, resource: notesApi });
      const lines = [`Token for ${notesApi}: scope "${tokens.scope}", expires in ${Math.round(((tokens.expiresAt ?? Date.now()) - Date.now()) / 1000)} s`, ...(await useTheApi(tokens.accessToken))];
      for (const line of lines) console.log(line);
      send(res, 200, 'text/plain; charset=utf-8', `${lines.join('\n')}\n\nDone: you can close this tab.`);
      resolve(0);
    } catch (error) {
      console.error(`The sign-in did not give a token: ${(error as Error).message}`);
      send(res, 400, 'text/plain; charset=utf-8', `No token: ${(error as Error).message}`);
      resolve(1);
    }
  }, settings.port).then(({ server }) => {
    void done.then(() => setTimeout(() => void closeServer(server), 200));
    console.log(`Open this link, sign in and allow the notes scopes:\n${buildAuthorizeUrl(config, { scope: 'notes:w notes.export', resource: notesApi, state, codeChallenge: pkce.challenge })}`);
  }, (error: unknown) => {
    const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    console.error(`Cannot listen on ${redirectUri}: ${inUse ? 'the port is taken (is another example running?)' : (error as Error).message}`);
    resolve(1);
  });
});

process.exitCode = await done;
