// Runs an example app's command (`npm run example:*`'s node command) as a child process, waits
// for its "listening on" line, and stops it again. Only the process it started is ever signalled.
import { type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spawnTracked } from './processes.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ExampleProcess {
  /** What the command printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

/** The command behind an npm script of the root package.json, split into program and arguments. */
export function npmScript(name: string): string[] {
  const scripts = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts;
  const command = scripts[name];
  if (!command) throw new Error(`package.json has no script ${name}`);
  return command.split(/\s+/);
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Starts `npm run <script>` (without npm in between, so the signal reaches node) in the repository. */
export function startScript(script: string, env: Record<string, string>): { child: ChildProcess; process: ExampleProcess; exit: Promise<number | null> } {
  const [program, ...args] = npmScript(script);
  if (program !== 'node') throw new Error(`script ${script} does not start with node`);
  // Only the test's settings: a GATEHOUSE_* or EXAMPLE_* variable of the developer's shell must not leak in.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(GATEHOUSE|EXAMPLE)_/.test(name)));
  const child = spawnTracked(process.execPath, args, { cwd: ROOT, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = exited(child);
  return {
    child,
    exit,
    process: {
      output: () => output,
      async stop() {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exit;
      },
    },
  };
}

/** Starts the script and resolves once it printed "listening on URL"; rejects with its output if it exits or takes too long. */
export async function runExampleScript(script: string, env: Record<string, string>, timeoutMs = 20_000): Promise<ExampleProcess & { url: string }> {
  const { child, process: running, exit } = startScript(script, env);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start within ${timeoutMs} ms:\n${running.output()}`)), timeoutMs);
    const check = () => {
      const match = /listening on (http:\/\/\S+)/.exec(running.output());
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    void exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}:\n${running.output()}`));
    });
  }).catch(async (error: unknown) => {
    await running.stop();
    throw error;
  });
  return { ...running, url };
}
