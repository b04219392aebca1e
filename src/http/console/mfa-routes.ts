// The account's MFA policy in the console (account admins, on the Users page): set whom a second
// factor is required of, and reset a user's second factors (asked first). Post/Redirect/Get, CSRF,
// audited (platform/mfa-policy.ts).
import type { OAuthContext } from '../../oauth/context.ts';
import { MFA_REQUIRED } from '../../domain/identity.ts';
import { resetSecondFactors, setMfaPolicy } from '../../platform/mfa-policy.ts';
import { MFA_POLICY_PATH, resetMfaPage } from '../../pages/console/mfa-policy.ts';
import { sendErrorPage } from '../errors.ts';
import type { Route } from '../route.ts';
import { sendPage } from '../send-page.ts';
import { BUTTON_FORM, consoleForm, readForm } from './forms.ts';
import { accountUser, type ConsoleGuard, type ConsoleUser } from './guard.ts';
import { CONSOLE, consoleAction, consoleView, idPath } from './operations.ts';

const POLICY_FORM = consoleForm({
  required: `Whom a second factor is required of: ${MFA_REQUIRED.join(', ')}`,
  delete_scopes: '"on": consent to a :d (delete) scope needs a second factor',
});
const RESET = '/console/users/:id/reset-mfa';

export function consoleMfaRoutes(ctx: OAuthContext, guard: ConsoleGuard): Route[] {
  return [
    {
      method: 'POST',
      path: MFA_POLICY_PATH,
      ...CONSOLE,
      operation: consoleAction({ id: 'consoleMfaPolicy', summary: "Set the account's MFA policy: whom a second factor is required of, and whether :d scopes need one", form: POLICY_FORM }),
      handler: async (request, reply) => {
        const { values, problem } = readForm(request.body, POLICY_FORM);
        const who = await guard.requirePost(request, reply, 'tenantAdmin', values.csrf);
        if (!who) return reply;
        const required = MFA_REQUIRED.find((value) => value === values.required);
        if (problem || !required) return sendErrorPage(reply, 400, 'Bad request', problem ?? 'Choose whom a second factor is required of: nobody, admins or everyone.');
        await setMfaPolicy(who.tenant, { required, forDeleteScopes: values.delete_scopes === 'on' }, who.actor, ctx);
        return guard.done(request, reply, '/console/users', { notice: 'Saved the account security settings.' });
      },
    },
    {
      method: 'GET',
      path: RESET,
      ...CONSOLE,
      operation: consoleView({ id: 'consoleResetMfaPage', summary: "Confirm resetting a user's second factors", path: { id: idPath('user') }, notFound: 'user' }),
      handler: async (request, reply) => {
        const who = await guard.require(request, reply, 'tenantAdmin');
        const user = who && (await accountUser(ctx, guard, reply, who, request.params));
        if (!who || !user) return reply;
        return sendPage(reply, 200, resetMfaPage({ viewer: who.viewer, user }));
      },
    },
    {
      method: 'POST',
      path: RESET,
      ...CONSOLE,
      operation: consoleAction({ id: 'consoleResetMfa', summary: "Remove every second factor of a user of the account (authenticator app, recovery codes, passkeys)", form: BUTTON_FORM, path: { id: idPath('user') }, notFound: 'user' }),
      handler: async (request, reply) => {
        const form = readForm(request.body, BUTTON_FORM);
        const who = await guard.requirePost(request, reply, 'tenantAdmin', form.values.csrf);
        const user = who && (await accountUser(ctx, guard, reply, who, request.params));
        if (!who || !user) return reply;
        const removed = await resetSecondFactors(user, who.actor, ctx);
        const notice = removed === 0 ? `${user.username} had no second factor.` : `Removed the second factors of ${user.username}: they set up a new one at their next sign-in if the account requires it.`;
        return guard.done(request, reply, '/console/users', { notice });
      },
    },
  ];
}
