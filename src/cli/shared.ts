// What the commands share: configuration (every setting as a global flag), an open runtime,
// common options.
import { type Command, Option } from 'commander';
import { CONFIG_FILE_SETTING, ConfigError, SETTINGS, resolveConfig, type Config, type ConfigFlags, type ResolvedConfig } from '../config.ts';
import { RegistrationError } from '../platform/apps.ts';
import { fail, type OutputOptions } from './output.ts';
import { openRuntime, type Runtime } from './runtime.ts';
import { StartupError } from './startup-errors.ts';

/** The setting flags given on the command line, whichever command they were given to. */
let commandLineFlags: ConfigFlags = {};

/** `--create` was given: a command may start a new database where it finds none. */
let createRequested = false;

/** Commander's attribute name (camelCase of the flag) for each setting's key. */
const settingByAttribute = new Map<string, (typeof SETTINGS)[number]['key']>();

/**
 * Every setting becomes a program-wide flag (`gatehouse serve --port 9000` and
 * `gatehouse --port 9000 serve` alike), so no command can forget one.
 */
export function registerSettingOptions(program: Command): void {
  program.addOption(new Option(`${CONFIG_FILE_SETTING.flag} <file>`, `JSON file of settings (env ${CONFIG_FILE_SETTING.env})`));
  for (const setting of SETTINGS) {
    const option = new Option(`${setting.flag} ${setting.value}`, `${setting.description} (env ${setting.env}; default ${setting.default})`);
    settingByAttribute.set(option.attributeName(), setting.key);
    program.addOption(option);
  }
  // Every command but serve and migrate refuses a missing or empty database unless told to create it.
  program.addOption(new Option('--create', 'let this command create the database (and data dir) if there is none yet; serve and migrate always may'));
  program.configureHelp({ showGlobalOptions: true });
  program.hook('preAction', (_program, action) => {
    const options = action.optsWithGlobals();
    commandLineFlags = flagsFrom(options);
    createRequested = options.create === true;
  });
}

function flagsFrom(options: Record<string, unknown>): ConfigFlags {
  const flags: ConfigFlags = {};
  if (typeof options.config === 'string') flags.config = options.config;
  for (const [attribute, key] of settingByAttribute) {
    const value = options[attribute];
    if (typeof value === 'string' || typeof value === 'number') flags[key] = value;
  }
  return flags;
}

function defined(flags: ConfigFlags): ConfigFlags {
  return Object.fromEntries(Object.entries(flags).filter(([, value]) => value !== undefined)) as ConfigFlags;
}

/** The effective configuration and where each value came from; bad settings end the command, one line each. */
export function resolvedConfig(flags: ConfigFlags = {}, output: OutputOptions = {}): ResolvedConfig {
  try {
    return resolveConfig(process.env, { ...commandLineFlags, ...defined(flags) });
  } catch (error) {
    if (error instanceof ConfigError) fail(`bad configuration:\n${error.message}`, output);
    throw error;
  }
}

export function config(flags: ConfigFlags = {}): Config {
  return resolvedConfig(flags).config;
}

/**
 * Runs a command body with an open runtime, turning expected errors into one clear line. The
 * database must exist already unless `--create` was given.
 */
export async function withRuntime(options: OutputOptions & { dataDir?: string }, work: (runtime: Runtime) => Promise<void>): Promise<void> {
  const runtime = await openRuntime(config({ dataDir: options.dataDir }), { create: createRequested }).catch((error: unknown) => {
    if (error instanceof StartupError) fail(error.message, options);
    throw error;
  });
  try {
    await work(runtime);
  } catch (error) {
    if (error instanceof RegistrationError) fail(error.message, options);
    throw error;
  } finally {
    await runtime.close();
  }
}

export async function tenantId(runtime: Runtime, slug: string, options: OutputOptions): Promise<number> {
  const tenant = await runtime.ctx.store.tenants.bySlug(slug);
  if (!tenant) fail(`no tenant "${slug}"; create it with: gatehouse tenants create ${slug}`, options);
  return tenant.id;
}

export const dataDirOption = () => new Option('--data-dir <dir>', 'SQLite data directory (env GATEHOUSE_DATA_DIR)');
export const jsonOption = () => new Option('--json', 'print machine-readable JSON');
