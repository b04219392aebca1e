// GET /api/users/current (scope `profile`): the signed-in user as ilert's User object.
import type { Route } from '../http/route.ts';
import { sendApiError } from '../http/errors.ts';
import { apiErrorSchema, apiErrors, userSchema } from './schemas.ts';
import { userJson } from './user-json.ts';

export function userRoutes(): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/users/current',
      surface: 'api',
      cors: 'public',
      rateLimit: 'apiPerIp',
      scope: 'profile',
      operation: {
        id: 'currentUser',
        tag: 'Users',
        summary: 'The signed-in user',
        example: {
          response: {
            status: '200',
            body: {
              id: 1, username: 'jane', firstName: 'Jane', lastName: 'Doe', email: 'jane@acme.example', timezone: 'Europe/Berlin', position: '', department: '',
              avatarUrl: null, language: 'en', region: 'DE', role: 'ADMIN', shiftColor: '#f5a623', mutedUntil: null, createdAt: '2025-01-06T09:30:00.000Z', updatedAt: '2025-01-06T09:30:00.000Z',
            },
          },
        },
        responses: apiErrors({
          '200': { description: "The token's user", body: userSchema },
          '403': { description: 'The token lacks the scope (OAUTH2_SCOPE_ERROR), or acts for an app rather than a user (NOT_A_USER)', body: apiErrorSchema },
        }),
      },
      handler: async (_request, reply, caller) => {
        if (caller.subject.kind !== 'user') {
          return sendApiError(reply, 403, 'NOT_A_USER', "This access token acts for an app, not for a user; /api/users/current needs a token a user granted");
        }
        return reply.type('application/json; charset=utf-8').send(userJson(caller.subject.user));
      },
    },
  ];
}
