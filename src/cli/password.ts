// Passwords for commands that take one, without leaving them in the shell's history: read from
// standard input (`--password-stdin`), or asked for (twice, not echoed) when stdin is a terminal.
// `--password P` still works for scripts that must.
import { Option } from 'commander';
import { fail, type OutputOptions } from './output.ts';

export interface PasswordOptions extends OutputOptions {
  password?: string;
  passwordStdin?: boolean;
}

export const passwordOption = () =>
  new Option('--password <password>', 'the password (it stays in the shell history and shows in the process list: prefer --password-stdin or the prompt)');
export const passwordStdinOption = () => new Option('--password-stdin', 'read the password from standard input (its first line)');

/** The password the command was given, read or asked for; ends the command with one line when there is none. */
export async function readPassword(options: PasswordOptions): Promise<string> {
  if (options.password !== undefined && options.passwordStdin) fail('give either --password or --password-stdin, not both', options);
  if (options.password !== undefined) return options.password;
  if (options.passwordStdin) {
    const password = firstLine(await readAll(process.stdin));
    if (password === '') fail('--password-stdin: standard input held no password', options);
    return password;
  }
  if (!process.stdin.isTTY) fail('no password: give --password-stdin and pipe it in, or run the command in a terminal to be asked for it', options);
  const password = await askHidden('Password: ');
  if ((await askHidden('Repeat the password: ')) !== password) fail('the passwords did not match', options);
  return password;
}

/** The first line, without its line ending: `echo secret | …` and a file with a final newline both give `secret`. */
const firstLine = (text: string): string => text.split(/\r?\n/, 1)[0] ?? '';

async function readAll(stream: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads one line from the terminal in raw mode, echoing nothing; Ctrl-C ends the command. */
function askHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve) => {
    let typed: string[] = [];
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const character of chunk) {
        if (character === '\r' || character === '\n') {
          finish();
          return resolve(typed.join(''));
        }
        if (character === '\u0003' || (character === '\u0004' && typed.length === 0)) {
          finish();
          return fail('cancelled');
        }
        if (character === '\u007f' || character === '\b') typed = typed.slice(0, -1);
        else if (character >= ' ') typed.push(character);
      }
    };
    stdin.on('data', onData);
  });
}
