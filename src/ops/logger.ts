// The process's logger: pino JSON lines (or pino-pretty on a terminal), each request's lines
// carrying its request id. What requests log is the method, the path and the status — never a
// query string, body, header value, cookie, token, code, secret or password.
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
