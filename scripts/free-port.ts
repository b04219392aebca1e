// A loopback port nothing listens on right now, for the benchmark and the tests: a server that
// must know its own URL before it starts (an issuer, a redirect URL) is given one.
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.once('error', reject);
  });
}
