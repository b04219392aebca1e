// GET /api/users/current (scope `profile`): the signed-in user as ilert's User object.
import type { FastifyInstance } from 'fastify';
import type { OAuthContext } from '../oauth/context.ts';
import type { User } from '../store/types.ts';
import { authenticateBearer, requireScope } from './bearer.ts';
import { registerMethodNotAllowed } from './method-not-allowed.ts';

export function userJson(user: User) {
  return {
    id: user.id,
    username: user.username,
    firstName: user.firstName,
    lastName: user.lastName,
    email: user.email,
    timezone: user.timezone,
    position: user.position,
    department: user.department,
    avatarUrl: user.avatarUrl,
    language: user.language,
    region: user.region,
    role: user.role,
    shiftColor: user.shiftColor,
    mutedUntil: user.mutedUntil?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}

export function registerUserRoutes(app: FastifyInstance, ctx: OAuthContext): void {
  app.get('/api/users/current', async (request, reply) => {
    const caller = await authenticateBearer(request, reply, ctx);
    if (!caller || !requireScope(caller, reply, 'profile', 'GET')) return reply;
    return reply.type('application/json; charset=utf-8').send(userJson(caller.user));
  });
  registerMethodNotAllowed(app, '/api/users/current', ['GET']);
}
