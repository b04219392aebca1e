// Sends a rendered page: every HTML answer (sign-in, consent, console, error pages) goes out here.
import type { FastifyReply } from 'fastify';

export function sendPage(reply: FastifyReply, status: number, page: string): FastifyReply {
  return reply.status(status).type('text/html; charset=utf-8').send(page);
}
