// /api/alert-sources (scope `source`): list, get (by id or integration key), create, replace and
// delete, each step as in ilert: authenticate bearer → require scope level (the route table does
// both, from the declared scope) → validate → act.
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendApiError } from '../http/errors.ts';
import type { OAuthContext } from '../oauth/context.ts';
import type { AlertSource, AlertSourceInput, EscalationPolicy } from '../domain/alert-source.ts';
import { readAlertSourceBody, type AlertSourceBody } from './alert-source-body.ts';
import { alertSourceJson, type AlertSourceView } from './alert-source-json.ts';
import { tenantIdOf, type Caller } from './bearer.ts';
import { readPage } from './pagination.ts';
import { alertSourceBodySchema, alertSourceIdSchema, alertSourceListSchema, alertSourceSchema, apiErrorSchema, apiErrors, pageQuerySchema } from './schemas.ts';
import type { Route } from '../http/route.ts';

const COLLECTION = '/api/alert-sources';
const ITEM = `${COLLECTION}/:id`;
const SCOPE = 'source';
const JSON_TYPE = 'application/json; charset=utf-8';

interface Access {
  tenantId: number;
  view: AlertSourceView;
}

/** ilert-style integration keys: `il1api` and 192 random bits in hex. */
export function newIntegrationKey(): string {
  return `il1api${randomBytes(24).toString('hex')}`;
}

/** What a caller may see: the user (or app) row names its tenant (a foreign key), so no lookup by the token's slug is needed. */
function accessOf(caller: Caller, ctx: OAuthContext): Access {
  return { tenantId: tenantIdOf(caller), view: { issuer: ctx.issuer, showIntegrationKey: caller.scopes.allows(SCOPE, 'PUT') } };
}

/** Escalation policies by id, loaded once per request however many sources share one. */
function policyLoader(ctx: OAuthContext, tenantId: number) {
  const cache = new Map<number, Promise<EscalationPolicy | undefined>>();
  return async (id: number): Promise<EscalationPolicy> => {
    let pending = cache.get(id);
    if (!pending) cache.set(id, (pending = ctx.store.escalationPolicies.byId(tenantId, id)));
    // A source's policy is a foreign key in the same tenant; keep answering if it ever vanishes.
    return (await pending) ?? { id, tenantId, name: '' };
  };
}

async function render(ctx: OAuthContext, access: Access, sources: AlertSource[]) {
  const policy = policyLoader(ctx, access.tenantId);
  return Promise.all(sources.map(async (source) => alertSourceJson(source, await policy(source.escalationPolicyId), access.view)));
}

async function findSource(request: FastifyRequest, ctx: OAuthContext, tenantId: number): Promise<AlertSource | undefined> {
  const { id } = request.params as { id: string };
  if (!alertSourceIdSchema.safeParse(id).success) return undefined;
  return ctx.store.alertSources.byIdOrKey(tenantId, id);
}

const notFound = (reply: FastifyReply) => sendApiError(reply, 404, 'NOT_FOUND', 'No alert source with this id or integration key');

/** The validated body as a store input, or undefined after a 400 was sent. */
async function readInput(request: FastifyRequest, reply: FastifyReply, ctx: OAuthContext, tenantId: number): Promise<AlertSourceInput | undefined> {
  const checked = readAlertSourceBody(request.body);
  if (!checked.ok) {
    sendApiError(reply, 400, 'BAD_REQUEST', checked.message, { field: checked.field });
    return undefined;
  }
  const body: AlertSourceBody = checked.body;
  const policy = await ctx.store.escalationPolicies.byId(tenantId, body.escalationPolicy.id);
  if (!policy) {
    const field = 'escalationPolicy.id';
    sendApiError(reply, 400, 'BAD_REQUEST', `${field} names no escalation policy in this account`, { field });
    return undefined;
  }
  return {
    name: body.name,
    integrationType: body.integrationType,
    escalationPolicyId: policy.id,
    active: body.active,
    alertCreation: body.alertCreation,
    alertPriorityRule: body.alertPriorityRule,
    autoResolutionTimeout: body.autoResolutionTimeout,
    alertGroupingWindow: body.alertGroupingWindow,
    teams: body.teams,
  };
}

/** Every alert-source route: the resource API's surface, CORS for browser apps, the `source` scope. */
const SOURCES = { surface: 'api', cors: 'public', rateLimit: 'apiPerIp' } as const;
const path = { id: alertSourceIdSchema };
const notFoundAnswer = { '404': { description: 'No such alert source in the token\'s account', body: apiErrorSchema } };

export function alertSourceRoutes(ctx: OAuthContext): Route[] {
  return [
    {
      method: 'GET',
      path: COLLECTION,
      ...SOURCES,
      scope: SCOPE,
      operation: {
        id: 'listAlertSources',
        tag: 'Alert sources',
        summary: 'List alert sources',
        query: pageQuerySchema,
        responses: apiErrors({ '200': { description: 'A page of alert sources', body: alertSourceListSchema }, '400': { description: 'Bad paging parameters', body: apiErrorSchema } }),
      },
      handler: async (request, reply, caller) => {
        const access = accessOf(caller, ctx);
        const page = readPage(request.query);
        if (!page.ok) return sendApiError(reply, 400, 'BAD_REQUEST', page.message);
        const sources = await ctx.store.alertSources.list(access.tenantId, page.page.startIndex, page.page.maxResults);
        return reply.type(JSON_TYPE).send(await render(ctx, access, sources));
      },
    },
    {
      method: 'POST',
      path: COLLECTION,
      ...SOURCES,
      scope: SCOPE,
      operation: {
        id: 'createAlertSource',
        tag: 'Alert sources',
        summary: 'Create an alert source',
        body: { schema: alertSourceBodySchema, types: ['json'] },
        responses: apiErrors({
          '201': { description: 'Created', body: alertSourceSchema, headers: { Location: "The new alert source's URL" } },
          '400': { description: 'A field is missing or invalid (`field` names it)', body: apiErrorSchema },
        }),
      },
      handler: async (request, reply, caller) => {
        const access = accessOf(caller, ctx);
        const input = await readInput(request, reply, ctx, access.tenantId);
        if (!input) return reply;
        const created = await ctx.store.alertSources.create(access.tenantId, input, newIntegrationKey(), ctx.clock.now());
        const [json] = await render(ctx, access, [created]);
        return reply.status(201).header('Location', `${ctx.issuer}${COLLECTION}/${created.id}`).type(JSON_TYPE).send(json);
      },
    },
    {
      method: 'GET',
      path: ITEM,
      ...SOURCES,
      scope: SCOPE,
      operation: {
        id: 'getAlertSource',
        tag: 'Alert sources',
        summary: 'Get an alert source by id or integration key',
        path,
        responses: apiErrors({ '200': { description: 'The alert source', body: alertSourceSchema }, ...notFoundAnswer }),
      },
      handler: async (request, reply, caller) => {
        const access = accessOf(caller, ctx);
        const source = await findSource(request, ctx, access.tenantId);
        if (!source) return notFound(reply);
        const [json] = await render(ctx, access, [source]);
        return reply.type(JSON_TYPE).send(json);
      },
    },
    {
      method: 'PUT',
      path: ITEM,
      ...SOURCES,
      scope: SCOPE,
      operation: {
        id: 'replaceAlertSource',
        tag: 'Alert sources',
        summary: 'Replace an alert source',
        path,
        body: { schema: alertSourceBodySchema, types: ['json'] },
        responses: apiErrors({
          '200': { description: 'The updated alert source', body: alertSourceSchema },
          '400': { description: 'A field is missing or invalid', body: apiErrorSchema },
          ...notFoundAnswer,
        }),
      },
      handler: async (request, reply, caller) => {
        const access = accessOf(caller, ctx);
        const source = await findSource(request, ctx, access.tenantId);
        if (!source) return notFound(reply);
        const input = await readInput(request, reply, ctx, access.tenantId);
        if (!input) return reply;
        const updated = await ctx.store.alertSources.update(access.tenantId, source.id, input, ctx.clock.now());
        if (!updated) return notFound(reply);
        const [json] = await render(ctx, access, [updated]);
        return reply.type(JSON_TYPE).send(json);
      },
    },
    {
      method: 'DELETE',
      path: ITEM,
      ...SOURCES,
      scope: SCOPE,
      operation: {
        id: 'deleteAlertSource',
        tag: 'Alert sources',
        summary: 'Delete an alert source',
        path,
        responses: apiErrors({ '204': { description: 'Deleted' }, ...notFoundAnswer }),
      },
      handler: async (request, reply, caller) => {
        const access = accessOf(caller, ctx);
        const source = await findSource(request, ctx, access.tenantId);
        if (!source || !(await ctx.store.alertSources.delete(access.tenantId, source.id))) return notFound(reply);
        return reply.status(204).send();
      },
    },
  ];
}
