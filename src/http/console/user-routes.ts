// The account's users and audit log (tenant admins): create a user, change a role, disable or
// enable (disabling ends their sessions and tokens), read the audit events.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ROLES, changeUser, createUser } from '../../platform/accounts.ts';
import type { OAuthContext } from '../../oauth/context.ts';
import { AUDIT_LIMITS, auditPage } from '../../pages/console/audit.ts';
import type { FieldErrors } from '../../pages/console/parts.ts';
import { EMPTY_USER_FORM, usersPage, type NewUserValues, type RowError } from '../../pages/console/users.ts';
import type { User, UserChanges, UserRole } from '../../domain/identity.ts';
import { BUTTON_FORM, attempt, consoleForm, formFields, readForm } from './forms.ts';
import { accountUser, type ConsoleGuard, type ConsoleUser } from './guard.ts';
import { CONSOLE, consoleAction, consoleView, idPath } from './operations.ts';
import type { Route } from '../route.ts';
import { sendPage } from '../send-page.ts';
import { sendErrorPage } from '../errors.ts';

// The core checks these again; checking here first puts each message next to its field.
const newUserSchema = z.object({
  username: z.string().regex(/^[A-Za-z0-9._@-]{1,100}$/, 'Enter a username of 1 to 100 letters, digits and . _ @ -'),
  password: z.string().min(8, 'Enter a password of at least 8 characters').max(1024, 'The password must be at most 1024 characters'),
  email: z.union([z.literal(''), z.email('Enter an email address such as jane@example.com').max(320)]),
  firstName: z.string().max(100, 'The first name must be at most 100 characters'),
  lastName: z.string().max(100, 'The last name must be at most 100 characters'),
  role: z.enum(ROLES as readonly [UserRole, ...UserRole[]], 'Choose a role'),
});

const auditFilterSchema = z.object({
  since: z.union([z.literal(''), z.iso.date('Enter a day as YYYY-MM-DD')]),
  limit: z.enum(AUDIT_LIMITS, 'Choose how many events to show'),
});

const NEW_USER_FORM = consoleForm({
  username: '1 to 100 letters, digits and . _ @ -, unique in the account',
  password: '8 to 1024 characters',
  email: 'An email address (optional)',
  first_name: 'Optional',
  last_name: 'Optional',
  role: `One of ${ROLES.join(', ')} (default USER)`,
});
const ROLE_FORM = consoleForm({ role: `One of ${ROLES.join(', ')}` });
const AUDIT_QUERY = formFields({ since: 'Only events on or after this day (YYYY-MM-DD)', limit: `How many events: ${AUDIT_LIMITS.join(', ')} (default 100)` });

/** The message of each field's first problem. */
function errorsOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form');
    errors[field] ??= issue.message;
  }
  return errors;
}

export function consoleUserRoutes(ctx: OAuthContext, guard: ConsoleGuard): Route[] {
  async function sendUsers(reply: FastifyReply, status: number, who: ConsoleUser, view: { values?: NewUserValues; errors?: FieldErrors; rowError?: RowError; notice?: string } = {}) {
    const users = await ctx.store.users.listByTenant(who.tenant.id);
    const mfaPolicy = await ctx.store.tenants.mfaPolicy(who.tenant.id);
    return sendPage(reply, status, usersPage({ viewer: who.viewer, users, mfaPolicy, values: view.values ?? EMPTY_USER_FORM, errors: view.errors ?? {}, rowError: view.rowError, notice: view.notice }));
  }

  async function change(request: FastifyRequest, reply: FastifyReply, who: ConsoleUser, changes: (user: User) => UserChanges | string) {
    const user = await accountUser(ctx, guard, reply, who, request.params);
    if (!user) return reply;
    const wanted = changes(user);
    if (typeof wanted === 'string') return sendUsers(reply, 400, who, { rowError: { userId: user.id, message: wanted } });
    const changed = await attempt(() => changeUser(user, wanted, who.actor, ctx));
    if (!changed.ok) return sendUsers(reply, 400, who, { rowError: { userId: user.id, message: Object.values(changed.errors)[0] ?? 'The change was refused' } });
    return guard.done(request, reply, '/console/users', { notice: `Saved changes to user ${user.username}.` });
  }

  return [
    {
      method: 'GET',
      path: '/console/users',
      ...CONSOLE,
      operation: consoleView({ id: 'consoleUsers', summary: "The account's users, and the form that adds one" }),
      handler: async (request, reply) => {
        const who = await guard.require(request, reply, 'tenantAdmin');
        if (!who) return reply;
        return sendUsers(reply, 200, who, { notice: who.flash?.notice });
      },
    },
    {
      method: 'POST',
      path: '/console/users',
      ...CONSOLE,
      operation: consoleAction({ id: 'consoleCreateUser', summary: 'Add a user to the account', form: NEW_USER_FORM }),
      handler: async (request, reply) => {
        const form = readForm(request.body, NEW_USER_FORM);
        const who = await guard.requirePost(request, reply, 'tenantAdmin', form.values.csrf);
        if (!who) return reply;
        if (form.problem) return sendErrorPage(reply, 400, 'Bad request', form.problem);
        const v = form.values;
        const values: NewUserValues = { username: v.username.trim(), email: v.email.trim(), firstName: v.first_name.trim(), lastName: v.last_name.trim(), role: v.role || 'USER' };
        const parsed = newUserSchema.safeParse({ ...values, password: v.password });
        if (!parsed.success) return sendUsers(reply, 400, who, { values, errors: errorsOf(parsed.error) });
        const input = parsed.data;
        const created = await attempt(() =>
          createUser(
            {
              tenantId: who.tenant.id,
              username: input.username,
              password: input.password,
              email: input.email || undefined,
              firstName: input.firstName || undefined,
              lastName: input.lastName || undefined,
              role: input.role,
            },
            ctx,
          ),
        );
        // What is left for the core to refuse is a username already taken.
        if (!created.ok) return sendUsers(reply, 400, who, { values, errors: { username: created.errors.form ?? Object.values(created.errors)[0] } });
        await ctx.audit?.record('user_created', {
          tenantId: who.tenant.id,
          userId: who.user.id,
          origin: who.actor.origin,
          detail: `user ${JSON.stringify(created.value.username)} created with role ${created.value.role}`,
        });
        return guard.done(request, reply, '/console/users', { notice: `Created user ${created.value.username}.` });
      },
    },
    {
      method: 'POST',
      path: '/console/users/:id/role',
      ...CONSOLE,
      operation: consoleAction({ id: 'consoleUserRole', summary: "Change a user's role (an account keeps one active admin)", form: ROLE_FORM, path: { id: idPath('user') }, notFound: 'user' }),
      handler: async (request, reply) => {
        const form = readForm(request.body, ROLE_FORM);
        const who = await guard.requirePost(request, reply, 'tenantAdmin', form.values.csrf);
        if (!who) return reply;
        const role = z.enum(ROLES as readonly [UserRole, ...UserRole[]]).safeParse(form.values.role);
        return change(request, reply, who, () => (role.success ? { role: role.data } : 'Choose one of the roles'));
      },
    },
    ...([
      ['disable', true],
      ['enable', false],
    ] as const).map(
      ([action, disabled]): Route => ({
        method: 'POST',
        path: `/console/users/:id/${action}`,
        ...CONSOLE,
        operation: consoleAction({
          id: disabled ? 'consoleDisableUser' : 'consoleEnableUser',
          summary: disabled ? 'Disable a user: their sessions and tokens end at once' : 'Enable a disabled user',
          form: BUTTON_FORM,
          path: { id: idPath('user') },
          notFound: 'user',
        }),
        handler: async (request, reply) => {
          const form = readForm(request.body, BUTTON_FORM);
          const who = await guard.requirePost(request, reply, 'tenantAdmin', form.values.csrf);
          if (!who) return reply;
          return change(request, reply, who, (user) => (disabled && user.id === who.user.id ? 'You cannot disable your own account' : { disabled }));
        },
      }),
    ),
    {
      method: 'GET',
      path: '/console/audit',
      ...CONSOLE,
      operation: consoleView({ id: 'consoleAudit', summary: "The account's audit log, newest first", query: AUDIT_QUERY }),
      handler: async (request, reply) => {
        const who = await guard.require(request, reply, 'tenantAdmin');
        if (!who) return reply;
        const { values } = readForm(request.query, AUDIT_QUERY);
        const filter = { since: values.since.trim(), limit: values.limit || '100' };
        const parsed = auditFilterSchema.safeParse(filter);
        if (!parsed.success) return sendPage(reply, 400, auditPage({ viewer: who.viewer, events: [], filter, errors: errorsOf(parsed.error) }));
        const since = parsed.data.since ? new Date(`${parsed.data.since}T00:00:00Z`) : undefined;
        const events = await ctx.store.audit.list({ tenantId: who.tenant.id, since, limit: Number(parsed.data.limit) });
        return sendPage(reply, 200, auditPage({ viewer: who.viewer, events, filter, errors: {} }));
      },
    },
  ];
}
