// The notes API's own logic, free of HTTP and of tokens: each person (a token's `sub` in a tenant)
// has a notebook kept in memory. server.ts puts it behind Gatehouse with the kit; the benchmark
// serves the same routes with and without the kit, to measure what verification adds.

export interface Note {
  id: number;
  text: string;
  createdAt: string;
}

/** A request the routes answer, already authenticated: whose notebook, what is asked. */
export interface NotesRequest {
  method: string;
  /** The path below the API's base, e.g. `/notes/3`. */
  path: string;
  /** The parsed JSON body (POST, PUT). */
  body?: unknown;
  /** Whose notes: the token's tenant and subject. */
  owner: string;
}

export interface NotesAnswer {
  status: number;
  body?: unknown;
}

/** What each route needs of a token: a level of the `notes` family (by method), or the plain `notes.export`. */
export function scopeFor(method: string, path: string): string {
  if (path === '/notes/export') return 'notes.export';
  if (method === 'GET' || method === 'HEAD') return 'notes';
  return method === 'DELETE' ? 'notes:d' : 'notes:w';
}

const MAX_NOTES = 1000;
const MAX_TEXT = 10_000;

export class Notebooks {
  readonly #books = new Map<string, Note[]>();
  #next = 1;

  answer(request: NotesRequest): NotesAnswer {
    const book = this.#books.get(request.owner) ?? [];
    const id = /^\/notes\/(\d+)$/.exec(request.path)?.[1];
    if (request.path === '/notes' && request.method === 'GET') return { status: 200, body: { notes: book } };
    if (request.path === '/notes/export' && request.method === 'GET') return { status: 200, body: { exportedAt: new Date().toISOString(), text: book.map((n) => n.text).join('\n\n') } };
    if (request.path === '/notes' && request.method === 'POST') {
      const text = textOf(request.body);
      if (text === undefined) return { status: 400, body: { error: 'invalid_request', error_description: `send {"text": "…"}, at most ${MAX_TEXT} characters` } };
      if (book.length >= MAX_NOTES) return { status: 409, body: { error: 'too_many_notes', error_description: `at most ${MAX_NOTES} notes each` } };
      const note = { id: this.#next++, text, createdAt: new Date().toISOString() };
      this.#books.set(request.owner, [...book, note]);
      return { status: 201, body: note };
    }
    if (id !== undefined) {
      const note = book.find((n) => n.id === Number(id));
      if (!note) return { status: 404, body: { error: 'not_found', error_description: `no note ${id}` } };
      if (request.method === 'GET') return { status: 200, body: note };
      if (request.method === 'DELETE') {
        this.#books.set(request.owner, book.filter((n) => n !== note));
        return { status: 204 };
      }
      if (request.method === 'PUT') {
        const text = textOf(request.body);
        if (text === undefined) return { status: 400, body: { error: 'invalid_request', error_description: 'send {"text": "…"}' } };
        note.text = text;
        return { status: 200, body: note };
      }
    }
    return { status: 404, body: { error: 'not_found', error_description: `no route ${request.method} ${request.path}` } };
  }
}

function textOf(body: unknown): string | undefined {
  const text = (body as { text?: unknown } | undefined)?.text;
  return typeof text === 'string' && text.trim() !== '' && text.length <= MAX_TEXT ? text : undefined;
}
