// `--auth-method`, `--jwks-uri` and `--jwks-file` of `gatehouse apps create|update`: how an app
// authenticates at the token endpoint, and where its private_key_jwt keys are. The rules are the
// platform's (platform/app-auth-method.ts); this only reads the arguments.
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { TOKEN_ENDPOINT_AUTH_METHODS, type TokenEndpointAuthMethod } from '../domain/app.ts';
import { parseJwks, type AuthMethodSettings } from '../platform/app-auth-method.ts';
import { fail, type OutputOptions } from './output.ts';

export interface AuthMethodFlags extends OutputOptions {
  authMethod?: string;
  jwksUri?: string;
  jwksFile?: string;
}

/** Adds the three options to an `apps` subcommand. */
export function withAuthMethodOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--auth-method <method>', 'how it authenticates at the token endpoint (default: the secret optional per request, as on ilert); none and private_key_jwt apps get no secret').choices(
        TOKEN_ENDPOINT_AUTH_METHODS,
      ),
    )
    .option('--jwks-uri <url>', 'private_key_jwt: where it publishes its public keys (https, or http on loopback)')
    .option('--jwks-file <path>', 'private_key_jwt: a file holding its public keys as a JWK Set ({"keys": [...]})');
}

/** The settings the flags name (absent ones undefined); an unreadable JWKS file ends the command. */
export function authMethodArgs(o: AuthMethodFlags): Partial<AuthMethodSettings> {
  const settings: Partial<AuthMethodSettings> = {};
  if (o.authMethod !== undefined) settings.tokenEndpointAuthMethod = o.authMethod as TokenEndpointAuthMethod;
  if (o.jwksUri !== undefined) settings.jwksUri = o.jwksUri;
  if (o.jwksFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(o.jwksFile, 'utf8');
    } catch (error) {
      fail(`cannot read the JWKS file ${o.jwksFile}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, o);
    }
    const parsed = parseJwks(text);
    if ('problem' in parsed) fail(`${parsed.problem.message} (${o.jwksFile})`, o);
    settings.jwks = parsed.jwks;
  }
  return settings;
}
