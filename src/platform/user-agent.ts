// "Firefox, Mac": the short client description ilert's connections page shows, from a User-Agent.

const BROWSERS: [RegExp, string][] = [
  [/Edg(e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/Firefox\/|FxiOS/, 'Firefox'],
  [/Chrome\/|CriOS|Chromium\//, 'Chrome'],
  [/Safari\//, 'Safari'],
  [/curl\//, 'curl'],
  [/axios\//, 'axios'],
  // Node's built-in fetch sends just "node".
  [/node-fetch|undici|Node\.js|^node$/, 'Node.js'],
  [/python-requests|Python/, 'Python'],
  [/Go-http-client/, 'Go'],
  [/ilert-go/, 'ilert-go'],
];

const SYSTEMS: [RegExp, string][] = [
  [/iPhone|iPad|iOS/, 'iOS'],
  [/Android/, 'Android'],
  [/Mac OS X|Macintosh/, 'Mac'],
  [/Windows/, 'Windows'],
  [/CrOS/, 'ChromeOS'],
  [/Linux|X11/, 'Linux'],
];

export function describeClient(userAgent: string | undefined): string {
  if (!userAgent) return 'Unknown client';
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  const parts = [browser, system].filter((p): p is string => p !== undefined);
  return parts.length > 0 ? parts.join(', ') : 'Unknown client';
}
