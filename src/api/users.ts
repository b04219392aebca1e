// GET /api/users/current (scope `profile`): the signed-in user as ilert's User object.
import type { Route } from '../http/route.ts';
import { apiErrors, userSchema } from './schemas.ts';
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
      operation: { id: 'currentUser', tag: 'Users', summary: 'The signed-in user', responses: apiErrors({ '200': { description: "The token's user", body: userSchema } }) },
      handler: async (_request, reply, caller) => reply.type('application/json; charset=utf-8').send(userJson(caller.user)),
    },
  ];
}
