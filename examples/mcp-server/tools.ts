// The MCP server's two tools over each person's notes (kept in memory, keyed by the token's tenant
// and subject), and which scopes each needs. Free of HTTP and of tokens: server.ts checks the
// scopes before a call reaches a tool, and hands the tool the verified owner.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

/** Every MCP request needs this scope; searching needs nothing more. */
export const TOOLS_SCOPE = 'mcp:tools';
/** Adding a note needs this one too. */
export const WRITE_SCOPE = 'mcp:write';

export const SCOPE_DESCRIPTIONS: Record<string, string> = {
  [TOOLS_SCOPE]: 'Search and read your notes through an AI assistant',
  [WRITE_SCOPE]: 'Add notes through an AI assistant',
};

export interface Note {
  id: number;
  text: string;
  createdAt: string;
}

const MAX_NOTES = 1000;
const MAX_TEXT = 10_000;

/** Everyone's notes; `owner` is who the token speaks for (`tenant/sub`), never taken from the request. */
export class NoteStore {
  readonly #books = new Map<string, Note[]>();
  #next = 1;

  add(owner: string, text: string): Note | undefined {
    const book = this.#books.get(owner) ?? [];
    if (book.length >= MAX_NOTES) return undefined;
    const note = { id: this.#next++, text, createdAt: new Date().toISOString() };
    this.#books.set(owner, [...book, note]);
    return note;
  }

  /** Newest first; every word of the query must occur (case-insensitive); no query: all. */
  search(owner: string, query = '', limit = 20): Note[] {
    const words = query.toLowerCase().split(/\s+/).filter((word) => word !== '');
    const matches = (this.#books.get(owner) ?? []).filter((note) => words.every((word) => note.text.toLowerCase().includes(word)));
    return matches.reverse().slice(0, limit);
  }
}

/** The scopes a JSON-RPC message (or batch) needs beyond TOOLS_SCOPE: WRITE_SCOPE for a call of add_note. */
export function scopesForMessages(body: unknown): string[] {
  const messages = Array.isArray(body) ? body : [body];
  const writes = messages.some((message) => {
    const m = message as { method?: unknown; params?: { name?: unknown } } | null;
    return m?.method === 'tools/call' && m.params?.name === 'add_note';
  });
  return writes ? [TOOLS_SCOPE, WRITE_SCOPE] : [TOOLS_SCOPE];
}

const noteLine = (note: Note) => `#${note.id} (${note.createdAt}): ${note.text}`;

/** One MCP server for one request, speaking for `owner` (the transport is stateless: a server per request). */
export function notesMcpServer(notes: NoteStore, owner: string): McpServer {
  const server = new McpServer({ name: 'gatehouse-notes', title: 'Notes (Gatehouse example)', version: '0.1.0' });
  server.registerTool(
    'search_notes',
    {
      title: 'Search notes',
      description: 'Finds your notes containing every word of the query (all of them without one), newest first.',
      inputSchema: { query: z.string().max(200).optional().describe('Words the note must contain'), limit: z.number().int().min(1).max(100).optional() },
      annotations: { readOnlyHint: true },
    },
    async ({ query, limit }) => {
      const found = notes.search(owner, query, limit);
      const text = found.length === 0 ? 'No notes found.' : found.map(noteLine).join('\n');
      return { content: [{ type: 'text', text }], structuredContent: { notes: found } };
    },
  );
  server.registerTool(
    'add_note',
    {
      title: 'Add a note',
      description: 'Saves a note for you.',
      inputSchema: { text: z.string().trim().min(1).max(MAX_TEXT).describe('What to write down') },
    },
    async ({ text }) => {
      const note = notes.add(owner, text);
      if (!note) return { isError: true, content: [{ type: 'text', text: `You have ${MAX_NOTES} notes already, the most this example keeps.` }] };
      return { content: [{ type: 'text', text: `Saved note #${note.id}.` }], structuredContent: { note } };
    },
  );
  return server;
}
