// ilert's paging parameters: `start-index` (0-based) and `max-results` (at most 50). Values out of
// range or not plain integers are refused with 400, never silently clamped.

export interface Page {
  startIndex: number;
  maxResults: number;
}

export const MAX_RESULTS = 50;
const MAX_START_INDEX = 2_147_483_647;

type PageCheck = { ok: true; page: Page } | { ok: false; message: string };

function integerParam(query: Record<string, unknown>, name: string, fallback: number, min: number, max: number): number | string {
  if (!Object.hasOwn(query, name)) return fallback;
  const value = query[name];
  if (typeof value !== 'string') return `${name} must be given once`;
  if (!/^\d{1,10}$/.test(value)) return `${name} must be an integer between ${min} and ${max}`;
  const number = Number(value);
  if (number < min || number > max) return `${name} must be an integer between ${min} and ${max}`;
  return number;
}

export function readPage(query: unknown): PageCheck {
  const source = query !== null && typeof query === 'object' ? (query as Record<string, unknown>) : {};
  const startIndex = integerParam(source, 'start-index', 0, 0, MAX_START_INDEX);
  if (typeof startIndex === 'string') return { ok: false, message: startIndex };
  const maxResults = integerParam(source, 'max-results', MAX_RESULTS, 1, MAX_RESULTS);
  if (typeof maxResults === 'string') return { ok: false, message: maxResults };
  return { ok: true, page: { startIndex, maxResults } };
}
