// App icons: the console's upload (multipart, accepted only here and only up to 2 MB; every other
// body keeps the 64 kB limit) and removal, and the public, long-cached PNG the pages show.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { MAX_ICON_BYTES, removeAppIcon, setAppIcon } from '../../platform/app-icon.ts';
import type { OAuthContext } from '../../oauth/context.ts';
import { appForPost, appPath, manageableApp, sendManagePage } from './app-routes.ts';
import { BUTTON_FORM, attempt, consoleForm, readForm } from './forms.ts';
import type { ConsoleGuard } from './guard.ts';
import { CONSOLE, consoleAction, idPath } from './operations.ts';
import type { Route } from '../route.ts';

/** The upload form's fields and file; `problem` when the upload broke a limit or could not be read. */
interface IconUpload {
  csrf?: string;
  bytes?: Buffer;
  problem?: 'too-large' | 'unreadable';
}

async function readUpload(request: FastifyRequest): Promise<IconUpload> {
  const upload: IconUpload = {};
  if (!request.isMultipart()) return upload;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        // Only the first file of the icon field counts; anything else is read past.
        if (part.fieldname === 'icon' && upload.bytes === undefined) upload.bytes = await part.toBuffer();
        else part.file.resume();
      } else if (part.fieldname === 'csrf' && typeof part.value === 'string') {
        upload.csrf = part.value;
      }
    }
  } catch (error) {
    // The loop only reads the request: whatever fails here (a limit passed, a malformed or cut-off
    // body) is the upload's fault, answered beside the field rather than as a server error.
    upload.problem = (error as { code?: unknown }).code === 'FST_REQ_FILE_TOO_LARGE' ? 'too-large' : 'unreadable';
  }
  return upload;
}

function sendIcon(reply: FastifyReply, png: Buffer, versioned: boolean): FastifyReply {
  return reply
    .header('Cache-Control', versioned ? 'public, max-age=31536000, immutable' : 'public, max-age=300')
    .header('X-Content-Type-Options', 'nosniff')
    .header('Content-Security-Policy', "default-src 'none'; sandbox")
    .type('image/png')
    .send(png);
}

const UPLOAD_FORM = consoleForm({ icon: 'The image file: JPEG, PNG or GIF, at most 2 MB' });

export function consoleIconRoutes(ctx: OAuthContext, guard: ConsoleGuard): Route[] {
  return [
    // Anyone may see an app's icon: the consent page shows it before sign-in. The URL carries the
    // upload time (?v=), so a new icon has a new URL and the old one may be cached for a year.
    {
      method: 'GET',
      path: '/apps/:clientId/icon.png',
      surface: 'page',
      cors: 'none',
      operation: {
        id: 'appIcon',
        tag: 'Assets',
        summary: "An app's icon (500×500 PNG)",
        description: 'Cached for a year when `v` is the upload time the pages link with.',
        path: { clientId: z.string().meta({ description: "The app's client_id" }) },
        query: z.object({ v: z.string().optional().meta({ description: 'The upload time (ms); versions the URL' }) }),
        responses: { '200': { description: 'The icon', body: 'png' }, '404': { description: 'No such app, or it has no icon', body: 'text' } },
      },
      handler: async (request, reply) => {
        const { clientId } = request.params as { clientId: string };
        const found = /^[0-9a-f]{20}$/.test(clientId) ? await ctx.store.apps.byClientId(clientId) : undefined;
        const icon = found ? await ctx.store.apps.icon(found.id) : undefined;
        if (!found || !icon) return reply.status(404).type('text/plain; charset=utf-8').header('Cache-Control', 'no-store').send('No icon');
        const version = (request.query as Record<string, unknown>).v;
        return sendIcon(reply, icon.png, version === String(icon.updatedAt.getTime()));
      },
    },
    {
      method: 'POST',
      path: '/console/apps/:id/icon/remove',
      ...CONSOLE,
      operation: consoleAction({ id: 'consoleRemoveIcon', summary: "Remove an app's icon", form: BUTTON_FORM, path: { id: idPath('app') }, notFound: 'app' }),
      handler: async (request, reply) => {
        const form = readForm(request.body, BUTTON_FORM);
        const post = await appForPost(guard, ctx, request, reply, form.values.csrf);
        if (!post) return reply;
        const { who, found } = post;
        await removeAppIcon(found, who.actor, ctx);
        return guard.done(request, reply, appPath(found), { notice: 'Icon removed.' });
      },
    },
    {
      method: 'POST',
      path: '/console/apps/:id/icon',
      ...CONSOLE,
      multipart: { fileSize: MAX_ICON_BYTES, files: 1, fields: 4, fieldSize: 1024, parts: 6 },
      operation: consoleAction({
        id: 'consoleUploadIcon',
        summary: "Upload an app's icon (re-encoded to a 500×500 PNG)",
        form: UPLOAD_FORM,
        multipart: true,
        path: { id: idPath('app') },
        notFound: 'app',
        answers: { '413': { description: 'The file is larger than 2 MB: the page again, saying so', body: 'html' } },
      }),
      handler: async (request, reply) => {
        const who = await guard.require(request, reply, 'tenantAdmin');
        if (!who) return reply;
        const upload = await readUpload(request);
        if (!guard.csrfOk(request, reply, upload.csrf)) return reply;
        const found = await manageableApp(guard, ctx, request, reply, who);
        if (!found) return reply;
        if (upload.problem === 'too-large') return sendManagePage(reply, 413, ctx, who, found, { errors: { icon: 'The icon must be at most 2 MB' } });
        if (upload.problem) return sendManagePage(reply, 400, ctx, who, found, { errors: { icon: 'The upload could not be read; choose the file again' } });
        const stored = await attempt(() => setAppIcon(found, upload.bytes ?? Buffer.alloc(0), who.actor, ctx));
        if (!stored.ok) return sendManagePage(reply, 400, ctx, who, found, { errors: stored.errors });
        return guard.done(request, reply, appPath(found), { notice: 'Icon uploaded.' });
      },
    },
  ];
}
