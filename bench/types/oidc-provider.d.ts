// The part of oidc-provider 9's API the benchmark peer uses (the package ships no types).
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface ProviderClient {
    clientId: string;
  }

  export interface SavableToken {
    format?: 'opaque' | 'jwt';
    save(): Promise<string>;
  }

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    Client: { find(id: string): Promise<ProviderClient | undefined> };
    ClientCredentials: new (payload: { client: ProviderClient; scope: string; jti?: string }) => SavableToken;
  }
}
