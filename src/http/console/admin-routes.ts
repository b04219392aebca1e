// Platform admins (a flag set with `gatehouse users set-platform-admin`): every account's apps,
// and marking them verified or unverified.
import { setAppVerified } from '../../platform/app-management.ts';
import type { OAuthContext } from '../../oauth/context.ts';
import { adminAppsPage } from '../../pages/console/admin-apps.ts';
import { attempt, consoleForm, readForm } from './forms.ts';
import { idParam, type ConsoleGuard } from './guard.ts';
import { CONSOLE, consoleAction, consoleView, idPath } from './operations.ts';
import type { Route } from '../route.ts';
import { sendPage } from '../send-page.ts';
import { sendErrorPage } from '../errors.ts';

const VERIFIED_FORM = consoleForm({ verified: 'true or false' });

export function consoleAdminRoutes(ctx: OAuthContext, guard: ConsoleGuard): Route[] {
  return [
    {
      method: 'GET',
      path: '/console/admin/apps',
      ...CONSOLE,
      operation: consoleView({ id: 'consoleAllApps', summary: "Every account's apps, and whether each is verified", role: 'platformAdmin' }),
      handler: async (request, reply) => {
        const who = await guard.require(request, reply, 'platformAdmin');
        if (!who) return reply;
        // Clients that registered themselves belong to no account, and have a list of their own.
        const apps = (await ctx.store.apps.list()).filter((app) => app.tenantId !== null);
        const tenants = new Map<number, string>();
        for (const { tenantId } of apps) {
          if (tenantId === null) continue;
          if (!tenants.has(tenantId)) {
            const tenant = await ctx.store.tenants.byId(tenantId);
            tenants.set(tenantId, tenant ? `${tenant.name} (${tenant.slug})` : 'unknown');
          }
        }
        return sendPage(reply, 200, adminAppsPage({ viewer: who.viewer, apps, tenants, notice: who.flash?.notice }));
      },
    },
    {
      method: 'POST',
      path: '/console/admin/apps/:id/verified',
      ...CONSOLE,
      operation: consoleAction({ id: 'consoleVerifyApp', summary: 'Mark an app verified or unverified', role: 'platformAdmin', form: VERIFIED_FORM, path: { id: idPath('app') }, notFound: 'app' }),
      handler: async (request, reply) => {
        const form = readForm(request.body, VERIFIED_FORM);
        const who = await guard.requirePost(request, reply, 'platformAdmin', form.values.csrf);
        if (!who) return reply;
        const id = idParam(request.params);
        const found = id === undefined ? undefined : await ctx.store.apps.byId(id);
        if (!found) return guard.notFound(reply, who, 'There is no such app.');
        if (form.values.verified !== 'true' && form.values.verified !== 'false') return sendErrorPage(reply, 400, 'Bad request', 'Say whether the app is verified: true or false.');
        const changed = await attempt(() => setAppVerified(found, form.values.verified === 'true', who.actor, ctx));
        if (!changed.ok) return guard.notFound(reply, who, 'There is no such app.');
        return guard.done(request, reply, '/console/admin/apps', { notice: `${found.name} is now marked ${changed.value.verified ? 'verified' : 'unverified'}.` });
      },
    },
  ];
}
