// `gatehouse registration-tokens …`: initial access tokens for dynamic client registration
// (GATEHOUSE_REGISTRATION=token, docs/registration.md). `create` prints the token once.
import type { Command } from 'commander';
import type { InitialAccessToken } from '../../domain/registration.ts';
import { createInitialAccessToken, revokeInitialAccessToken, tokenState } from '../../platform/registration-tokens.ts';
import { columns, fail, print } from '../output.ts';
import { dataDirOption, jsonOption, withRuntime } from '../shared.ts';

const TOKEN_ONCE = 'The token is shown only now; Gatehouse keeps only its hash. Clients send it as "Authorization: Bearer <token>" to POST /oauth2/register.';

const wholeNumber = (value: string | undefined, what: string, o: { json?: boolean }): number | undefined => {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value)) fail(`${what} must be a whole number, not ${JSON.stringify(value)}`, o);
  return Number(value);
};

const day = (date: Date | null) => (date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : '-');

function describe(token: InitialAccessToken, now: Date) {
  return {
    id: token.id,
    label: token.label,
    state: tokenState(token, now),
    uses: token.useCount,
    max_uses: token.maxUses,
    created_at: token.createdAt.toISOString(),
    expires_at: token.expiresAt?.toISOString() ?? null,
    last_used_at: token.lastUsedAt?.toISOString() ?? null,
    revoked_at: token.revokedAt?.toISOString() ?? null,
  };
}

export function registerRegistrationTokenCommands(program: Command): void {
  const tokens = program.command('registration-tokens').description('initial access tokens for dynamic client registration (GATEHOUSE_REGISTRATION=token)');
  tokens
    .command('create')
    .description('make an initial access token and print it once')
    .option('--label <text>', 'what it is for (shown by list)')
    .option('--expires-in <days>', 'days until it stops working (default: never)')
    .option('--max-uses <n>', 'how many clients it may register (default: any number)')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (o) =>
      withRuntime(o, async (runtime) => {
        const { token, record } = await createInitialAccessToken(
          { label: o.label, expiresInDays: wholeNumber(o.expiresIn, '--expires-in', o), maxUses: wholeNumber(o.maxUses, '--max-uses', o) },
          runtime.ctx,
        );
        print(o, { ...describe(record, runtime.ctx.clock.now()), token }, () =>
          [columns([['id', String(record.id)], ['expires', day(record.expiresAt)], ['max uses', record.maxUses === null ? 'any' : String(record.maxUses)], ['token', token]]), TOKEN_ONCE].join('\n'),
        );
      }),
    );

  tokens
    .command('list')
    .description('list initial access tokens (never the tokens themselves), newest first')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (o) =>
      withRuntime(o, async (runtime) => {
        const now = runtime.ctx.clock.now();
        const list = await runtime.ctx.store.registrationTokens.list();
        print(o, list.map((t) => describe(t, now)), () =>
          list.length === 0
            ? 'no registration tokens; make one with: gatehouse registration-tokens create'
            : columns([
                ['ID', 'STATE', 'USES', 'EXPIRES', 'LABEL'],
                ...list.map((t) => [String(t.id), tokenState(t, now), `${t.useCount}${t.maxUses === null ? '' : `/${t.maxUses}`}`, day(t.expiresAt), t.label]),
              ]),
        );
      }),
    );

  tokens
    .command('revoke <id>')
    .description('revoke an initial access token: it registers no more clients (those it registered stay)')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (id: string, o) =>
      withRuntime(o, async (runtime) => {
        const revoked = await revokeInitialAccessToken(wholeNumber(id, 'the id', o) ?? 0, runtime.ctx);
        print(o, describe(revoked, runtime.ctx.clock.now()), () => `revoked registration token ${revoked.id}${revoked.label ? ` (${revoked.label})` : ''}`);
      }),
    );
}
