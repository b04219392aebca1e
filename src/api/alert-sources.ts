// /api/alert-sources (scope `source`): list, get (by id or integration key), create, replace and
// delete, each step as in ilert: authenticate bearer → require scope level → validate → act.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendApiError } from '../http/errors.ts';
import type { OAuthContext } from '../oauth/context.ts';
import type { AlertSource, AlertSourceInput, EscalationPolicy } from '../store/types.ts';
import { readAlertSourceBody, type AlertSourceBody } from './alert-source-body.ts';
import { alertSourceJson, type AlertSourceView } from './alert-source-json.ts';
import { authenticateBearer, requireScope } from './bearer.ts';
import { registerMethodNotAllowed } from './method-not-allowed.ts';
import { readPage } from './pagination.ts';
import { alertSourceIdSchema } from './schemas.ts';

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

async function authorize(request: FastifyRequest, reply: FastifyReply, ctx: OAuthContext): Promise<Access | undefined> {
  const caller = await authenticateBearer(request, reply, ctx);
  if (!caller || !requireScope(caller, reply, SCOPE, request.method)) return undefined;
  // The user row names its tenant (a foreign key), so no lookup by the token's slug is needed.
  return { tenantId: caller.user.tenantId, view: { issuer: ctx.issuer, showIntegrationKey: caller.scopes.allows(SCOPE, 'PUT') } };
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

export function registerAlertSourceRoutes(app: FastifyInstance, ctx: OAuthContext): void {
  app.get(COLLECTION, async (request, reply) => {
    const access = await authorize(request, reply, ctx);
    if (!access) return reply;
    const page = readPage(request.query);
    if (!page.ok) return sendApiError(reply, 400, 'BAD_REQUEST', page.message);
    const sources = await ctx.store.alertSources.list(access.tenantId, page.page.startIndex, page.page.maxResults);
    return reply.type(JSON_TYPE).send(await render(ctx, access, sources));
  });

  app.post(COLLECTION, async (request, reply) => {
    const access = await authorize(request, reply, ctx);
    if (!access) return reply;
    const input = await readInput(request, reply, ctx, access.tenantId);
    if (!input) return reply;
    const created = await ctx.store.alertSources.create(access.tenantId, input, newIntegrationKey(), ctx.clock.now());
    const [json] = await render(ctx, access, [created]);
    return reply.status(201).header('Location', `${ctx.issuer}${COLLECTION}/${created.id}`).type(JSON_TYPE).send(json);
  });

  app.get(ITEM, async (request, reply) => {
    const access = await authorize(request, reply, ctx);
    if (!access) return reply;
    const source = await findSource(request, ctx, access.tenantId);
    if (!source) return notFound(reply);
    const [json] = await render(ctx, access, [source]);
    return reply.type(JSON_TYPE).send(json);
  });

  app.put(ITEM, async (request, reply) => {
    const access = await authorize(request, reply, ctx);
    if (!access) return reply;
    const source = await findSource(request, ctx, access.tenantId);
    if (!source) return notFound(reply);
    const input = await readInput(request, reply, ctx, access.tenantId);
    if (!input) return reply;
    const updated = await ctx.store.alertSources.update(access.tenantId, source.id, input, ctx.clock.now());
    if (!updated) return notFound(reply);
    const [json] = await render(ctx, access, [updated]);
    return reply.type(JSON_TYPE).send(json);
  });

  app.delete(ITEM, async (request, reply) => {
    const access = await authorize(request, reply, ctx);
    if (!access) return reply;
    const source = await findSource(request, ctx, access.tenantId);
    if (!source || !(await ctx.store.alertSources.delete(access.tenantId, source.id))) return notFound(reply);
    return reply.status(204).send();
  });

  registerMethodNotAllowed(app, COLLECTION, ['GET', 'POST']);
  registerMethodNotAllowed(app, ITEM, ['GET', 'PUT', 'DELETE']);
}
