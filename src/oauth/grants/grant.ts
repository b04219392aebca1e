// What a grant is: a file in this folder exports one, and the registry (index.ts) lists it. The
// token endpoint authenticates the client and checks that its app may use the grant before
// `handle` runs; `parameters` documents (and validates, as strings) what the grant reads.
import type { RequestOrigin } from '../../domain/audit.ts';
import type { AuthenticatedClient } from '../client-auth.ts';
import type { OAuthContext } from '../context.ts';
import type { TokenResponse } from '../issue-tokens.ts';

export interface GrantRequest<P extends string> {
  /** The token request's parameters, each a string at most once (the HTTP layer checked). */
  params: Partial<Record<P, string>>;
  /** The client, already authenticated; `secretVerified` says whether it proved itself as confidential (its secret or a private_key_jwt assertion). */
  client: AuthenticatedClient;
  /** Where the request came from, for the audit log. */
  origin?: RequestOrigin;
}

export interface Grant<P extends string = string> {
  /** The `grant_type` value. */
  readonly type: string;
  /** What the console and the reference call it. */
  readonly title: string;
  /** The parameters it reads (besides grant_type and the client's credentials), with what each means. */
  readonly parameters: Readonly<Record<P, string>>;
  /** The parameters a request of this grant must carry (the reference marks them; `handle` still checks). */
  readonly required: readonly NoInfer<P>[];
  handle(request: GrantRequest<P>, ctx: OAuthContext): Promise<TokenResponse>;
}

/** Declares a grant, its parameter names inferred from `parameters`. */
export const defineGrant = <T extends string, P extends string>(grant: Grant<P> & { type: T }): Grant<P> & { type: T } => grant;
