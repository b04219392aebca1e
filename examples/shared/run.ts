// What `npm run example:*` does around an example: read the settings, start it, say where it is
// and where its client id came from, stop on Ctrl+C, and explain a failed start in one line.
import { GatehouseUnreachableError } from './gatehouse.ts';
import type { RunningExample } from './http.ts';
import { loadSettings, SettingsError, type ExampleKind, type ExampleSettings } from './settings.ts';

export interface ExampleDescription {
  kind: ExampleKind;
  /** e.g. "web app" */
  name: string;
  /** The path to open. */
  path: string;
  /** The button to click there. */
  button: string;
  start(settings: ExampleSettings): Promise<RunningExample>;
}

export async function runExample(example: ExampleDescription): Promise<void> {
  try {
    const settings = loadSettings(example.kind);
    const app = await example.start(settings);
    for (const warning of settings.warnings) console.warn(`Warning: ${warning}`);
    console.log(
      [
        `Example ${example.name} listening on ${app.url}${example.path}`,
        `  Gatehouse  ${settings.gatehouseUrl}${settings.tenant ? ` (sign-in on the host of account ${settings.tenant})` : ''}`,
        `  client id  ${settings.clientId}, from ${settings.source}`,
        `Open the link and click "${example.button}". Ctrl+C stops it.`,
      ].join('\n'),
    );
    const stop = () => void app.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (error) {
    const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    if (!(inUse || error instanceof SettingsError || error instanceof GatehouseUnreachableError)) throw error;
    const why = inUse ? 'its port is taken (is the other example still running? EXAMPLE_PORT picks another port)' : (error as Error).message;
    console.error(`Cannot start the example ${example.name}: ${why}`);
    process.exit(1);
  }
}
