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

/** Rows of cells as aligned columns; the last column is not padded (no trailing blanks). */
export function columns(rows: string[][]): string {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')).join('\n');
}
