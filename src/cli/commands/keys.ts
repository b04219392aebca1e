// `gatehouse keys list | rotate`. Only public facts about keys are printed, never key material.
import { Option, type Command } from 'commander';
import { SIGNING_ALGS, type SigningAlg } from '../../keys/generate-key.ts';
import { keyState, pickSigningKey } from '../../keys/key-states.ts';
import type { SigningKey } from '../../domain/signing-key.ts';
import { print } from '../output.ts';
import { dataDirOption, jsonOption, withRuntime } from '../shared.ts';

interface KeyRow {
  kid: string;
  alg: string;
  createdAt: string;
  retiredAt: string | null;
  state: 'signing' | 'verifying' | 'expired';
  verifyingUntil: string | null;
}

function describeKeys(stored: SigningKey[], now: Date, windowSeconds: number): KeyRow[] {
  const signing = pickSigningKey(stored);
  return stored.map((k) => {
    const state = keyState(k, signing, now, windowSeconds);
    return {
      kid: k.kid,
      alg: k.alg,
      createdAt: k.createdAt.toISOString(),
      retiredAt: k.retiredAt?.toISOString() ?? null,
      state: state.state,
      verifyingUntil: state.state === 'verifying' ? state.until.toISOString() : null,
    };
  });
}

const humanState = (row: KeyRow) =>
  row.state === 'signing' ? 'signing' : row.state === 'verifying' ? `verifying until ${row.verifyingUntil}` : 'expired';

export function registerKeyCommands(program: Command): void {
  const keys = program.command('keys').description('signing keys');
  keys
    .command('list')
    .description('show each key: signing, verifying until when, or expired')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (o) =>
      withRuntime(o, async ({ ctx }) => {
        const rows = describeKeys(await ctx.store.keys.list(), ctx.clock.now(), ctx.keys.verificationWindowSeconds);
        print(o, rows, () => rows.map((k) => `${k.kid}  ${k.alg}  created ${k.createdAt}  ${humanState(k)}`).join('\n'));
      }),
    );
  keys
    .command('rotate')
    .description('sign with a new key from now on; the old one keeps verifying until its tokens have expired')
    .addOption(new Option('--alg <alg>', 'algorithm of the new key (default: the current key\'s)').choices(SIGNING_ALGS))
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (o) =>
      withRuntime(o, async ({ ctx }) => {
        const { signing, retired } = await ctx.keys.rotate(o.alg as SigningAlg | undefined);
        const rows = describeKeys(await ctx.store.keys.list(), ctx.clock.now(), ctx.keys.verificationWindowSeconds);
        const previous = rows.filter((r) => retired.includes(r.kid));
        print(o, { kid: signing.kid, alg: signing.alg, previous: previous.map((r) => ({ kid: r.kid, verifyingUntil: r.verifyingUntil })) }, () =>
          [
            `new signing key ${signing.kid} (${signing.alg})`,
            ...previous.map((r) => `${r.kid} stopped signing; it verifies tokens until ${r.verifyingUntil}`),
            'Running instances sign with the new key after their next key reload (GATEHOUSE_KEY_RELOAD_SECONDS, default 60).',
          ].join('\n'),
        );
      }),
    );
}
