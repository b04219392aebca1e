// `npm run bench -- [options]`: runs the benchmark, prints the markdown report and where the
// JSON and markdown were written. Usage: bench/options.ts.
import { runBenchmark } from './harness.ts';
import { parseOptions, UsageError } from './options.ts';

try {
  const { markdown, jsonPath, markdownPath } = await runBenchmark(parseOptions(process.argv.slice(2)));
  process.stdout.write(`${markdown}\nWritten: ${jsonPath}\n         ${markdownPath}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof UsageError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(error instanceof UsageError ? 2 : 1);
}
