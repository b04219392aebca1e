// ilert's paging parameters: `start-index` (0-based) and `max-results` (at most 50). Values out of
// range or not plain integers are refused with 400, never silently clamped. The rules are the
// zod schema in schemas.ts, which the OpenAPI document shows too.
import { MAX_RESULTS, pageQuerySchema } from './schemas.ts';

export { MAX_RESULTS };

export interface Page {
  startIndex: number;
  maxResults: number;
}

type PageCheck = { ok: true; page: Page } | { ok: false; message: string };

export function readPage(query: unknown): PageCheck {
  const source = query !== null && typeof query === 'object' ? query : {};
  const parsed = pageQuerySchema.safeParse(source);
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? 'Invalid paging parameters' };
  return { ok: true, page: { startIndex: parsed.data['start-index'] ?? 0, maxResults: parsed.data['max-results'] ?? MAX_RESULTS } };
}
