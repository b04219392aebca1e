// `gatehouse config`: the effective configuration (flags > environment > file > defaults) with
// where each value came from; secrets are masked and URLs lose their passwords.
import type { Command } from 'commander';
import { SETTINGS } from '../../config.ts';
import { maskedConfig } from '../../config-masking.ts';
import { print } from '../output.ts';
import { jsonOption, resolvedConfig } from '../shared.ts';

const show = (value: unknown): string => (value === undefined ? '(unset)' : Array.isArray(value) ? value.join(', ') : String(value));

export function registerConfigCommand(program: Command): void {
  program
    .command('config')
    .description('print the effective configuration, secrets masked')
    .addOption(jsonOption())
    .action((o: { json?: boolean }) => {
      const { config, sources, file } = resolvedConfig({}, o);
      // Shown as it would be typed: rate limits are on/off there, not true/false.
      const shown: Record<string, unknown> = { ...maskedConfig(config), rateLimits: config.rateLimits ? 'on' : 'off' };
      const settings = SETTINGS.map((s) => ({ key: s.key, env: s.env, flag: s.flag, value: shown[s.key], source: sources[s.key] }));
      print(o, { configFile: file ?? null, settings }, () => {
        const width = Math.max(...SETTINGS.map((s) => s.env.length));
        const lines = settings.map((s) => `${s.env.padEnd(width)}  ${show(s.value)}${s.source === 'default' ? '' : `  (${s.source})`}`);
        return [`config file: ${file ?? '(none)'}`, ...lines].join('\n');
      });
    });
}
