// What every console route declares alike: a page surface without CORS, counted toward the
// per-address page rate, behind a session; and its answers for the API reference.
import { z } from 'zod';
import type { OperationSpec, ResponseSpec } from '../../docs/operation.ts';

export const CONSOLE = { surface: 'page', cors: 'none', rateLimit: 'pagesPerIp' } as const;

/** A numeric id in the path. */
export const idPath = (what: string) => z.string().regex(/^[1-9][0-9]{0,14}$/).meta({ description: `The ${what}'s id` });

type Role = 'user' | 'tenantAdmin' | 'platformAdmin';
const WHO: Record<Role, string> = { user: 'any signed-in user', tenantAdmin: "an admin of the account", platformAdmin: 'a platform admin' };

interface ConsoleOperation {
  id: string;
  summary: string;
  description?: string;
  /** Who may use it (default: an account admin). */
  role?: Role;
  path?: OperationSpec['path'];
  query?: OperationSpec['query'];
  /** What is looked up by the path, for the 404 answer. */
  notFound?: string;
}

const forbidden = (role: Role): Record<string, ResponseSpec> => (role === 'user' ? {} : { '403': { description: `Not ${WHO[role]}`, body: 'html' } });
const missing = (what: string | undefined): Record<string, ResponseSpec> => (what ? { '404': { description: `No such ${what} (or not yours to manage)`, body: 'html' } } : {});

/** What a console page and a console form say alike: the section, who may use it, the session. */
const common = (op: ConsoleOperation, role: Role) => ({
  id: op.id,
  tag: 'Console' as const,
  summary: op.summary,
  description: `${op.description ? `${op.description} ` : ''}For ${WHO[role]}.`,
  path: op.path,
  security: ['session' as const],
});

/** A console page: the page, or the sign-in page's address when nobody is signed in. */
export function consoleView(op: ConsoleOperation): OperationSpec {
  const role = op.role ?? 'tenantAdmin';
  return {
    ...common(op, role),
    query: op.query,
    responses: {
      '200': { description: 'The page', body: 'html' },
      '302': { description: 'Nobody is signed in: to the sign-in page, which comes back here', headers: { Location: '/login?return_to=…' } },
      ...forbidden(role),
      ...missing(op.notFound),
    },
  };
}

/** A console form's post: done (to the page that shows the result), or the page again with what is wrong. */
export function consoleAction(op: ConsoleOperation & { form: z.ZodObject; multipart?: boolean; answers?: Record<string, ResponseSpec> }): OperationSpec {
  const role = op.role ?? 'tenantAdmin';
  return {
    ...common(op, role),
    body: { schema: op.form, types: [op.multipart ? 'multipart' : 'form'] },
    responses: {
      '303': { description: 'Done: to the page that shows the result (or, signed out, to the sign-in page)', headers: { Location: 'The page' } },
      ...op.answers,
      '400': { description: 'The form is not valid: the page again, with each problem beside its field', body: 'html' },
      '403': { description: `The form expired or came from elsewhere (CSRF)${role === 'user' ? '' : `, or not ${WHO[role]}`}`, body: 'html' },
      ...missing(op.notFound),
    },
  };
}
