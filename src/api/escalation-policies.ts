// /api/escalation-policies (scope `policy`): the account's escalation policies, listed and by id,
// as ilert's EscalationPolicy objects. Every account has its default one from its creation, so an
// app can always name a policy when it creates an alert source.
import type { Route } from '../http/route.ts';
import { sendApiError } from '../http/errors.ts';
import type { OAuthContext } from '../oauth/context.ts';
import { escalationPolicyJson } from './alert-source-json.ts';
import { tenantIdOf } from './bearer.ts';
import { readPage } from './pagination.ts';
import { apiErrorSchema, apiErrors, escalationPolicyIdSchema, escalationPolicyListSchema, escalationPolicySchema, pageQuerySchema } from './schemas.ts';

const COLLECTION = '/api/escalation-policies';
const JSON_TYPE = 'application/json; charset=utf-8';
const SCOPE = 'policy';
const POLICIES = { surface: 'api', cors: 'public', rateLimit: 'apiPerIp' } as const;

export function escalationPolicyRoutes(ctx: OAuthContext): Route[] {
  return [
    {
      method: 'GET',
      path: COLLECTION,
      ...POLICIES,
      scope: SCOPE,
      operation: {
        id: 'listEscalationPolicies',
        tag: 'Escalation policies',
        summary: "List the account's escalation policies (its default one first)",
        query: pageQuerySchema,
        responses: apiErrors({ '200': { description: 'A page of escalation policies', body: escalationPolicyListSchema }, '400': { description: 'Bad paging parameters', body: apiErrorSchema } }),
      },
      handler: async (request, reply, caller) => {
        const page = readPage(request.query);
        if (!page.ok) return sendApiError(reply, 400, 'BAD_REQUEST', page.message);
        const policies = await ctx.store.escalationPolicies.list(tenantIdOf(caller), page.page.startIndex, page.page.maxResults);
        return reply.type(JSON_TYPE).send(policies.map(escalationPolicyJson));
      },
    },
    {
      method: 'GET',
      path: `${COLLECTION}/:id`,
      ...POLICIES,
      scope: SCOPE,
      operation: {
        id: 'getEscalationPolicy',
        tag: 'Escalation policies',
        summary: 'Get an escalation policy by id',
        path: { id: escalationPolicyIdSchema },
        responses: apiErrors({
          '200': { description: 'The escalation policy', body: escalationPolicySchema },
          '404': { description: "No such escalation policy in the token's account", body: apiErrorSchema },
        }),
      },
      handler: async (request, reply, caller) => {
        const id = escalationPolicyIdSchema.safeParse((request.params as { id: string }).id);
        const policy = id.success ? await ctx.store.escalationPolicies.byId(tenantIdOf(caller), id.data) : undefined;
        if (!policy) return sendApiError(reply, 404, 'NOT_FOUND', 'No escalation policy with this id');
        return reply.type(JSON_TYPE).send(escalationPolicyJson(policy));
      },
    },
  ];
}
