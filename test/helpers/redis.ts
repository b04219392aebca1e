// The local Redis for tests: required in CI (CI=true), skipped with a reason elsewhere.
import { createConnection } from 'node:net';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** The Redis URL to test against, or a reason to skip. In CI a missing Redis is a failure. */
export async function testRedis(): Promise<{ url: string } | { skip: string }> {
  if (await reachable(TEST_REDIS_URL)) return { url: TEST_REDIS_URL };
  const reason = `Redis is not reachable at ${TEST_REDIS_URL}; start it with: redis-server --daemonize yes --port 6379`;
  if (process.env.CI === 'true') throw new Error(`${reason} (required in CI)`);
  return { skip: reason };
}
