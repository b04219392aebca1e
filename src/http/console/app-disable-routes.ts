// Disabling and enabling an app in the console (its admins): disabling asks first, then revokes
// every token it holds (platform/app-disabling.ts); enabling is one button. Another account's
// app answers 404, as if it did not exist.
import { setAppDisabled } from '../../platform/app-disabling.ts';
import type { OAuthContext } from '../../oauth/context.ts';
import { disableAppPage } from '../../pages/console/app-disable.ts';
import { tokenFamilies } from '../../platform/audit.ts';
import type { OpenRoute, Route } from '../route.ts';
import { sendPage } from '../send-page.ts';
import { appForPost, appPath, manageableApp } from './app-routes.ts';
import { BUTTON_FORM, attempt, readForm } from './forms.ts';
import type { ConsoleGuard } from './guard.ts';
import { CONSOLE, consoleAction, consoleView, idPath } from './operations.ts';

export function consoleAppDisableRoutes(ctx: OAuthContext, guard: ConsoleGuard): Route[] {
  const toggle = (disable: boolean): OpenRoute['handler'] => async (request, reply) => {
    const form = readForm(request.body, BUTTON_FORM);
    const post = await appForPost(guard, ctx, request, reply, form.values.csrf);
    if (!post) return reply;
    const { who, found } = post;
    const done = await attempt(() => setAppDisabled(found, disable, who.actor, ctx));
    if (!done.ok) return guard.notFound(reply, who, 'There is no such app in this account.');
    const notice = disable ? `The app is disabled: ${tokenFamilies(done.value.revokedFamilies)} revoked, and it gets no new tokens until enabled.` : 'The app is enabled: it can get tokens again.';
    return guard.done(request, reply, appPath(found), { notice });
  };
  return [
    {
      method: 'GET',
      path: '/console/apps/:id/disable',
      ...CONSOLE,
      operation: consoleView({ id: 'consoleDisableAppPage', summary: 'Confirm disabling an app', path: { id: idPath('app') }, notFound: 'app' }),
      handler: async (request, reply) => {
        const who = await guard.require(request, reply, 'tenantAdmin');
        if (!who) return reply;
        const found = await manageableApp(guard, ctx, request, reply, who);
        if (!found) return reply;
        return sendPage(reply, 200, disableAppPage({ viewer: who.viewer, app: found }));
      },
    },
    {
      method: 'POST',
      path: '/console/apps/:id/disable',
      ...CONSOLE,
      operation: consoleAction({ id: 'consoleDisableApp', summary: 'Disable an app: revoke every token it holds, and give it none until enabled', form: BUTTON_FORM, path: { id: idPath('app') }, notFound: 'app' }),
      handler: toggle(true),
    },
    {
      method: 'POST',
      path: '/console/apps/:id/enable',
      ...CONSOLE,
      operation: consoleAction({ id: 'consoleEnableApp', summary: 'Enable a disabled app (the tokens disabling revoked stay revoked)', form: BUTTON_FORM, path: { id: idPath('app') }, notFound: 'app' }),
      handler: toggle(false),
    },
  ];
}
