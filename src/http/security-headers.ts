// Response headers: no caching of anything secret, and page protections (clickjacking, referrer,
// sniffing, scripts: only our own files, never inline) on every HTML response.
import type { FastifyInstance, FastifyReply } from 'fastify';

export function noStore(reply: FastifyReply): void {
  reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
}

const PAGE_CSP = [
  "default-src 'none'",
  "style-src 'self'",
  // Our own script files (the console's enhancements, the passkey pages'); inline scripts stay blocked.
  "script-src 'self'",
  // The passkey script (src/pages/passkeys.js) fetches its challenges and posts its answers here.
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The protections every HTML page carries (also set directly where hooks do not run). */
export function pageHeaders(reply: FastifyReply): void {
  reply
    .header('X-Content-Type-Options', 'nosniff')
    .header('Content-Security-Policy', PAGE_CSP)
    .header('X-Frame-Options', 'DENY')
    .header('Referrer-Policy', 'no-referrer')
    .header('Cache-Control', 'no-store');
}

export function registerSecurityHeaders(app: FastifyInstance, options: { https: boolean }): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html')) pageHeaders(reply);
    if (options.https) reply.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    return payload;
  });
}
