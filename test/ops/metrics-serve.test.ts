// Metrics of a real `gatehouse serve`: on their own port (loopback by default, token optional),
// absent from the main port then; and with --workers, one scrape sums every worker's counts, on
// the metrics port (served by the primary) or on the main port (a worker relays to the primary).
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { describe, it } from 'node:test';
import { value } from './prometheus-text.ts';
import { serve } from './serve-process.ts';
import { freePort } from '../../scripts/free-port.ts';

const TOKEN = 'metrics-token-0123456789abcdef';

/** GET on a fresh connection, so the cluster hands each request to the next worker. */
function fresh(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false, headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += String(chunk)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

const readyzCount = (text: string) => value(text, 'gatehouse_http_requests_total', { method: 'GET', route: '/readyz', status: '200' });

describe('gatehouse serve --metrics-port', { timeout: 120_000 }, () => {
  it('serves /metrics only on the metrics port, without a token when none is set', async () => {
    const metricsPort = await freePort();
    const server = await serve(['--workers', '1', '--metrics-port', String(metricsPort)]);
    try {
      assert.equal((await fresh(`${server.url}/readyz`)).status, 200);
      assert.equal((await fresh(`${server.url}/metrics`)).status, 404, 'not on the main port');
      const scraped = await fresh(`http://127.0.0.1:${metricsPort}/metrics`);
      assert.equal(scraped.status, 200);
      assert.equal(readyzCount(scraped.body), 1);
      assert.ok(value(scraped.body, 'process_resident_memory_bytes') !== undefined);
      assert.equal((await fresh(`http://127.0.0.1:${metricsPort}/readyz`)).status, 404, 'the metrics port serves nothing else');
      assert.equal(await server.stop(), 0);
    } finally {
      await server.stop('SIGKILL');
    }
  });

  it('requires the token on the metrics port when one is set (from the environment)', async () => {
    const metricsPort = await freePort();
    const server = await serve(['--workers', '1'], { GATEHOUSE_METRICS_PORT: String(metricsPort), GATEHOUSE_METRICS_TOKEN: TOKEN });
    try {
      assert.equal((await fresh(`http://127.0.0.1:${metricsPort}/metrics`)).status, 401);
      assert.equal((await fresh(`http://127.0.0.1:${metricsPort}/metrics`, { authorization: `Bearer ${TOKEN}` })).status, 200);
      assert.equal((await fresh(`${server.url}/metrics`, { authorization: `Bearer ${TOKEN}` })).status, 404);
    } finally {
      await server.stop('SIGKILL');
    }
  });

  it('refuses to start when the metrics port is taken, naming the setting', async () => {
    const metricsPort = await freePort();
    const blocker = await serve(['--workers', '1', '--metrics-port', String(metricsPort)]);
    try {
      await assert.rejects(serve(['--workers', '1', '--metrics-port', String(metricsPort)]), (error: Error) => {
        assert.match(error.message, new RegExp(`GATEHOUSE_METRICS_PORT: 127\\.0\\.0\\.1:${metricsPort} is already in use`));
        return true;
      });
    } finally {
      await blocker.stop('SIGKILL');
    }
  });
});

describe('metrics with --workers 2', { timeout: 120_000 }, () => {
  const REQUESTS = 12;

  /** Requests spread over both workers (checked in their logs), then the count a scrape reports. */
  async function spreadReadyz(url: string, output: () => string): Promise<void> {
    for (let i = 0; i < REQUESTS; i++) assert.equal((await fresh(`${url}/readyz`)).status, 200);
    const pids = new Set(
      output()
        .split('\n')
        .filter((line) => line.includes('"path":"/readyz"'))
        .map((line) => (JSON.parse(line) as { pid: number }).pid),
    );
    assert.equal(pids.size, 2, 'both workers served /readyz');
  }

  it('sums every worker on the metrics port, which the primary serves', async () => {
    const metricsPort = await freePort();
    const server = await serve(['--workers', '2', '--metrics-port', String(metricsPort), '--metrics-token', TOKEN], {}, /Workers: 2 processes/);
    try {
      await spreadReadyz(server.url, server.output);
      const scraped = await fresh(`http://127.0.0.1:${metricsPort}/metrics`, { authorization: `Bearer ${TOKEN}` });
      assert.equal(scraped.status, 200);
      assert.equal(readyzCount(scraped.body), REQUESTS);
      assert.equal(await server.stop(), 0);
    } finally {
      await server.stop('SIGKILL');
    }
  });

  it('sums every worker on the main port too: the worker that is asked relays to the primary', async () => {
    const server = await serve(['--workers', '2', '--metrics-token', TOKEN], {}, /Workers: 2 processes/);
    try {
      await spreadReadyz(server.url, server.output);
      for (let i = 0; i < 2; i++) {
        const scraped = await fresh(`${server.url}/metrics`, { authorization: `Bearer ${TOKEN}` });
        assert.equal(scraped.status, 200);
        assert.equal(readyzCount(scraped.body), REQUESTS, 'whichever worker answers, the count is the total');
      }
      assert.equal((await fresh(`${server.url}/metrics`)).status, 401);
    } finally {
      await server.stop('SIGKILL');
    }
  });
});
