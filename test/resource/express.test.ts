// @gatehouse/resource/express on a real Express 5 app.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { methodScope } from '@gatehouse/resource';
import { authOf, metadataHandler, protect, requireScope } from '@gatehouse/resource/express';
import { describeAdapter } from './adapter-contract.ts';

describeAdapter('Express', async (verifier) => {
  const app = express();
  app.get(verifier.resourceMetadataPath, metadataHandler(verifier));
  app.get('/health', (_req, res) => void res.json({ ok: true }));
  app.use('/api', protect(verifier));
  app.use('/api/notes', requireScope(methodScope('notes')));
  app.get('/api/export', requireScope('notes.export'), (_req, res) => void res.json({ exported: true }));
  app.all('/api/notes{/:id}', (req, res) => {
    const { claims } = authOf(req);
    res.json({ sub: claims.sub, scope: claims.scope });
  });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
});
