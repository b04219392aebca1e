// The process's logger: pino JSON lines (or pino-pretty on a terminal), each request's lines
// carrying its request id. What requests log is the method, the path and the status — never a
// query string, body, header value, cookie, token, code, secret or password.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { pino, stdSerializers, type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from '../config.ts';

export type { Logger };

export interface LoggerOptions extends Partial<Pick<Config, 'logLevel' | 'logFormat'>> {
  /** Where lines go (tests capture them); by default standard output. */
  destination?: DestinationStream;
  /** Fields on every line, e.g. `{ role: 'primary' }`. */
  base?: Record<string, unknown>;
}

/**
 * Fields that could hold credentials if anyone ever logged a request's parts. Nothing logs them
 * today; this keeps a careless `log.info({ body })` from leaking one.
 */
const REDACTED = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.query',
  'req.body',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.client_secret',
  '*.access_token',
  '*.refresh_token',
  '*.code_verifier',
  '*.token',
  'body',
  'query',
];

const requestSerializer = (req: { id?: string; method?: string; url?: string }) => ({
  id: req.id,
  method: req.method,
  // Query strings carry codes and states: only the path is logged.
  path: req.url?.split('?', 1)[0],
});

const responseSerializer = (res: { statusCode?: number }) => ({ statusCode: res.statusCode });

/** `auto` means pretty for a person at a terminal and JSON lines for everything else (files, pipes, collectors). */
export function prettyWanted(format: Config['logFormat'], terminal: boolean): boolean {
  return format === 'pretty' || (format === 'auto' && terminal);
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const usePretty = prettyWanted(options.logFormat ?? 'auto', options.destination === undefined && process.stdout.isTTY === true);
  // Synchronous, so the last lines before process.exit (shutdown, a start-up failure) are not lost.
  const destination = usePretty
    ? pretty({ colorize: options.destination === undefined, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', destination: options.destination ?? 1 })
    : (options.destination ?? pino.destination({ dest: 1, sync: true }));
  return pino(
    {
      level: options.logLevel ?? 'info',
      base: { pid: process.pid, ...options.base },
      redact: { paths: REDACTED, censor: '[redacted]' },
      serializers: { req: requestSerializer, res: responseSerializer, err: stdSerializers.err },
    },
    destination,
  );
}

/** A request id someone upstream set is kept when it is short and plain, so one id follows a request through proxies. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

export const REQUEST_ID_HEADER = 'x-request-id';

/** For fastify's `genReqId`: the incoming X-Request-Id when sane, else a new UUID. */
export function requestId(req: IncomingMessage): string {
  const incoming = req.headers[REQUEST_ID_HEADER];
  return typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** Every response names its request id, so a user's report can be matched with the log lines. */
export function registerRequestIdHeader(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });
}
