// How long a fetched document is kept: its Cache-Control max-age, clamped to [60 s, 24 h] so a
// client can neither make us fetch on every request nor pin a document for days; no-store,
// no-cache or no max-age at all count as the minimum. After expiry a stale copy may still stand
// in for at most an hour while its host cannot be reached.

export const CACHE_BOUNDS = { minSeconds: 60, maxSeconds: 24 * 3600, staleIfErrorSeconds: 3600 } as const;

/** Seconds to keep a document fetched with this Cache-Control header. */
export function cacheSeconds(cacheControl: string | undefined): number {
  if (cacheControl === undefined) return CACHE_BOUNDS.minSeconds;
  const directives = cacheControl.toLowerCase().split(',').map((d) => d.trim());
  if (directives.some((d) => d === 'no-store' || d === 'no-cache')) return CACHE_BOUNDS.minSeconds;
  const maxAge = directives.map((d) => /^max-age\s*=\s*"?(\d+)"?$/.exec(d)?.[1]).find((v) => v !== undefined);
  if (maxAge === undefined) return CACHE_BOUNDS.minSeconds;
  return Math.min(CACHE_BOUNDS.maxSeconds, Math.max(CACHE_BOUNDS.minSeconds, Number(maxAge)));
}
