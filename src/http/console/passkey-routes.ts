// The console's Passkeys page (/console/security/passkeys, every signed-in user, their own
// passkeys only): the list, renaming and removing (forms: CSRF, Post/Redirect/Get), and the JSON
// pair its script uses to add one (a challenge bound to the session, then the authenticator's answer).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { OAuthContext } from '../../oauth/context.ts';
import {
  PasskeyError,
  finishRegistration,
  listPasskeys,
  ownPasskey,
  passkeyNameProblem,
  registrationOptions,
  removePasskey,
  renamePasskey,
  sessionBinding,
} from '../../platform/passkeys/index.ts';
import { PASSKEYS_PATH, passkeysPage, removePasskeyPage } from '../../pages/console/passkeys.ts';
import { CSRF_BODY, jsonCsrf, nextSchema, readJson, refusal, registrationResponseSchema, sendRefusal, stringField, webauthnOptionsSchema } from '../passkey-json.ts';
import { requestOrigin } from '../request-origin.ts';
import type { Route } from '../route.ts';
import { sendPage } from '../send-page.ts';
import type { SessionCookies } from '../sessions.ts';
import { BUTTON_FORM, consoleForm, readForm } from './forms.ts';
import { idParam, type ConsoleGuard } from './guard.ts';
import { CONSOLE, consoleAction, consoleView, idPath } from './operations.ts';

const RENAME_FORM = consoleForm({ name: 'The passkey\'s new name (at most 60 characters; blank: a dated name)' });
const PASSKEY_ID = { id: idPath('passkey') };
const NOT_YOURS = 'You have no such passkey.';

const optionsBody = z.object({ csrf: CSRF_BODY }).meta({ title: 'Passkey registration options request' });
const registerBody = z
  .object({ csrf: CSRF_BODY, name: z.string().max(200).optional().meta({ description: "The passkey's name (at most 60 characters)" }), response: registrationResponseSchema })
  .meta({ title: 'Passkey registration' });

const JSON_ANSWERS = { '401': refusal('Nobody is signed in'), '403': refusal('The CSRF token is missing or wrong') };

export function consolePasskeyRoutes(ctx: OAuthContext, guard: ConsoleGuard, sessions: SessionCookies): Route[] {
  /** The signed-in person for a JSON call (with a valid CSRF token); otherwise a refusal was sent. */
  async function jsonCaller(request: FastifyRequest, reply: FastifyReply) {
    const signedIn = await sessions.current(request);
    if (!signedIn) return void sendRefusal(reply, 401, 'You are signed out. Sign in again, then add the passkey.');
    return jsonCsrf(request, reply, sessions) === undefined ? undefined : signedIn;
  }

  return [
    {
      method: 'GET',
      path: PASSKEYS_PATH,
      ...CONSOLE,
      operation: consoleView({ id: 'consolePasskeys', summary: 'This person\'s passkeys: rename, remove, add one', role: 'user' }),
      handler: async (request, reply) => {
        const who = await guard.require(request, reply);
        if (!who) return reply;
        return sendPage(reply, 200, passkeysPage({ viewer: who.viewer, passkeys: await listPasskeys(who.user, ctx), notice: who.flash?.notice }));
      },
    },
    {
      method: 'POST',
      path: `${PASSKEYS_PATH}/options`,
      ...CONSOLE,
      operation: {
        id: 'consolePasskeyOptions',
        tag: 'Console',
        summary: 'Options for adding a passkey',
        description: 'A fresh challenge (valid 5 minutes, used once) for `navigator.credentials.create`, bound to this session: a discoverable credential, user verification preferred, none of the person\'s passkeys again. For any signed-in user.',
        security: ['session'],
        body: { schema: optionsBody, types: ['json'] },
        responses: { '200': { description: 'The options', body: webauthnOptionsSchema }, ...JSON_ANSWERS },
      },
      handler: async (request, reply) => {
        const signedIn = await jsonCaller(request, reply);
        if (!signedIn) return reply;
        const options = await registrationOptions(signedIn.user, signedIn.tenant, sessionBinding(signedIn.sessionIdHash), ctx);
        return reply.header('Cache-Control', 'no-store').send(options);
      },
    },
    {
      method: 'POST',
      path: PASSKEYS_PATH,
      ...CONSOLE,
      operation: {
        id: 'consoleAddPasskey',
        tag: 'Console',
        summary: 'Add a passkey: the authenticator\'s answer to the session\'s challenge',
        description: 'Verifies the answer (challenge, origin, RP id) and stores the passkey under its name, audited as passkey_registered. For any signed-in user.',
        security: ['session'],
        body: { schema: registerBody, types: ['json'] },
        responses: {
          '200': { description: 'Added: go to `redirect` (the Passkeys page, which says so)', body: nextSchema },
          '400': refusal('The answer or the name is not valid (another or a used challenge, another origin or RP id, a passkey registered already)'),
          ...JSON_ANSWERS,
        },
      },
      handler: async (request, reply) => {
        const signedIn = await jsonCaller(request, reply);
        if (!signedIn) return reply;
        const read = readJson(request, 'response', registrationResponseSchema);
        if ('problem' in read) return sendRefusal(reply, 400, read.problem);
        const name = stringField(request, 'name') ?? '';
        const problem = passkeyNameProblem(name);
        if (problem) return sendRefusal(reply, 400, problem);
        try {
          const passkey = await finishRegistration(
            { user: signedIn.user, binding: sessionBinding(signedIn.sessionIdHash), response: read.value as never, name, hostTenant: sessions.hostTenant(request), origin: requestOrigin(request) },
            ctx,
          );
          await sessions.leaveFlash(request, PASSKEYS_PATH, { notice: `The passkey ${passkey.name} was added. You can sign in with it now.` });
          return reply.header('Cache-Control', 'no-store').send({ redirect: PASSKEYS_PATH } satisfies z.output<typeof nextSchema>);
        } catch (error) {
          if (error instanceof PasskeyError) return sendRefusal(reply, 400, error.message);
          throw error;
        }
      },
    },
    {
      method: 'POST',
      path: `${PASSKEYS_PATH}/:id/rename`,
      ...CONSOLE,
      operation: consoleAction({ id: 'consoleRenamePasskey', summary: 'Rename one of this person\'s passkeys', role: 'user', form: RENAME_FORM, path: PASSKEY_ID, notFound: 'passkey' }),
      handler: async (request, reply) => {
        const form = readForm(request.body, RENAME_FORM);
        const who = await guard.requirePost(request, reply, 'user', form.values.csrf);
        if (!who) return reply;
        const id = idParam(request.params);
        const passkey = id === undefined ? undefined : await ownPasskey(who.user, id, ctx);
        if (!passkey) return guard.notFound(reply, who, NOT_YOURS);
        const problem = form.problem ?? passkeyNameProblem(form.values.name);
        if (problem) return sendPage(reply, 400, passkeysPage({ viewer: who.viewer, passkeys: await listPasskeys(who.user, ctx), problem: { id: passkey.id, value: form.values.name, message: problem } }));
        const name = await renamePasskey(who.user, passkey.id, form.values.name, who.actor, ctx);
        if (name === undefined) return guard.notFound(reply, who, NOT_YOURS);
        return guard.done(request, reply, PASSKEYS_PATH, { notice: `The passkey is now called ${name}.` });
      },
    },
    {
      method: 'GET',
      path: `${PASSKEYS_PATH}/:id/remove`,
      ...CONSOLE,
      operation: consoleView({ id: 'consoleRemovePasskeyPage', summary: 'Confirm removing a passkey', role: 'user', path: PASSKEY_ID, notFound: 'passkey' }),
      handler: async (request, reply) => {
        const who = await guard.require(request, reply);
        if (!who) return reply;
        const id = idParam(request.params);
        const passkey = id === undefined ? undefined : await ownPasskey(who.user, id, ctx);
        if (!passkey) return guard.notFound(reply, who, NOT_YOURS);
        return sendPage(reply, 200, removePasskeyPage({ viewer: who.viewer, passkey }));
      },
    },
    {
      method: 'POST',
      path: `${PASSKEYS_PATH}/:id/remove`,
      ...CONSOLE,
      operation: consoleAction({ id: 'consoleRemovePasskey', summary: 'Remove one of this person\'s passkeys: it no longer signs them in', role: 'user', form: BUTTON_FORM, path: PASSKEY_ID, notFound: 'passkey' }),
      handler: async (request, reply) => {
        const form = readForm(request.body, BUTTON_FORM);
        const who = await guard.requirePost(request, reply, 'user', form.values.csrf);
        if (!who) return reply;
        const id = idParam(request.params);
        // Only the person's own passkeys: the user id is theirs, never from the form.
        const removed = id === undefined ? undefined : await removePasskey(who.user, id, who.actor, ctx);
        if (!removed) return guard.notFound(reply, who, NOT_YOURS);
        if ('refused' in removed) return guard.done(request, reply, PASSKEYS_PATH, { notice: removed.refused });
        return guard.done(request, reply, PASSKEYS_PATH, { notice: `The passkey ${removed.name} was removed.` });
      },
    },
  ];
}
