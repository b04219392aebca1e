// Command output: human lines by default, one JSON document with --json.

export interface OutputOptions {
  json?: boolean;
}

export function print(options: OutputOptions, data: unknown, human: () => string): void {
  process.stdout.write(options.json ? `${JSON.stringify(data, null, 2)}\n` : `${human()}\n`);
}

export function fail(message: string, options: OutputOptions = {}): never {
  if (options.json) process.stdout.write(`${JSON.stringify({ error: message })}\n`);
  else process.stderr.write(`gatehouse: ${message}\n`);
  process.exit(1);
}
