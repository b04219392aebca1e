// @gatehouse/resource/node on a plain node:http server.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { methodScope } from '@gatehouse/resource';
import { authenticateRequest, protect, serveMetadata } from '@gatehouse/resource/node';
import { describeAdapter } from './adapter-contract.ts';

const json = (res: ServerResponse, body: unknown) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

describeAdapter('node:http', async (verifier) => {
  const exportNotes = protect(verifier, (_req, res) => json(res, { exported: true }), { scope: 'notes.export' });
  const server = createServer((req, res) => {
    void (async () => {
      if (serveMetadata(verifier, req, res)) return;
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/health') return json(res, { ok: true });
      if (path === '/api/export') return exportNotes(req, res);
      if (path?.startsWith('/api/notes')) {
        const auth = await authenticateRequest(verifier, req, res, { scope: methodScope('notes') });
        if (auth) json(res, { sub: auth.claims.sub, scope: auth.claims.scope });
        return;
      }
      res.writeHead(404).end();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
});
