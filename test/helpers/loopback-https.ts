// An https server on 127.0.0.1 with a certificate made for the test (openssl, one day), for what
// must be https even on a developer's machine: the MCP SDK sends a client ID metadata document URL
// only when it is https. The process trusts the certificate as NODE_EXTRA_CA_CERTS would, through
// the global https agent (what Gatehouse's document fetch uses), until the server is closed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, globalAgent } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { trackClosable } from './processes.ts';

export interface LoopbackHttps {
  /** https://127.0.0.1:PORT */
  origin: string;
  close(): Promise<void>;
}

function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-tls-'));
  try {
    const made = spawnSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
        '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
      { timeout: 10_000, encoding: 'utf8' },
    );
    if (made.status !== 0) throw new Error(`openssl could not make a test certificate: ${made.error?.message ?? made.stderr}`);
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startLoopbackHttps(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<LoopbackHttps> {
  const { key, cert } = selfSignedCertificate();
  const server = createServer({ key, cert }, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const previous = globalAgent.options.ca;
  globalAgent.options.ca = [...rootCertificates, cert];
  let closed = false;
  return trackClosable({
    origin: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      if (closed) return;
      closed = true;
      globalAgent.options.ca = previous;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
