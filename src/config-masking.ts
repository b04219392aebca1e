// What `gatehouse config` and start-up errors show of the configuration: secrets masked, URLs
// without their passwords.
import { SETTINGS, type Config } from './config.ts';

/** A URL with its password replaced, for output that people and logs see. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === '') return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    return '***';
  }
}

/** The configuration as `gatehouse config` shows it: secrets masked, URLs without passwords. */
export function maskedConfig(config: Config): Record<string, unknown> {
  const shown: Record<string, unknown> = { ...config };
  for (const setting of SETTINGS) {
    const value = shown[setting.key];
    if (value === undefined || setting.secret === undefined) continue;
    shown[setting.key] = setting.secret === 'whole' ? '***' : withoutPassword(String(value));
  }
  return shown;
}
