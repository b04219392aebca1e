// What serving the metrics needs apart from prom-client, so that serving them needs no import of
// the library: the Prometheus text format's content type (prom-client's
// Registry.PROMETHEUS_CONTENT_TYPE is the same string) and the metrics token's check.
import { createHash, timingSafeEqual } from 'node:crypto';

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Whether an Authorization header bears `token`, compared in constant time. */
export function bearsToken(header: string | undefined, token: string): boolean {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), digest(token));
}
