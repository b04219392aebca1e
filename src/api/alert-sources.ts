// /api/alert-sources (scope `source`): list, get, create, update, delete. (Being built.)
import type { FastifyInstance } from 'fastify';
import type { OAuthContext } from '../oauth/context.ts';

export function registerAlertSourceRoutes(_app: FastifyInstance, _ctx: OAuthContext): void {}
