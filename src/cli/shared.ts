// What the commands share: configuration, an open runtime, common options.
import { Option } from 'commander';
import { ConfigError, loadConfig, type Config, type ConfigFlags } from '../config.ts';
import { RegistrationError } from '../oauth/apps.ts';
import { fail, type OutputOptions } from './output.ts';
import { openRuntime, type Runtime } from './runtime.ts';

export function config(flags: ConfigFlags = {}): Config {
  try {
    return loadConfig(process.env, flags);
  } catch (error) {
    if (error instanceof ConfigError) fail(`bad configuration:\n${error.message}`);
    throw error;
  }
}

/** Runs a command body with an open runtime, turning expected errors into one clear line. */
export async function withRuntime(options: OutputOptions & { dataDir?: string }, work: (runtime: Runtime) => Promise<void>): Promise<void> {
  const runtime = await openRuntime(config({ dataDir: options.dataDir }));
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
