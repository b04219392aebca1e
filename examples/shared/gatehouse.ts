// The SDK configuration both examples start from: Gatehouse's endpoints read from its discovery
// document (RFC 8414), the app's identity, and, with a tenant, the authorize URL on its host.
import { discover, GatehouseClientError, type ClientConfig, type FetchLike } from '@gatehouse/client';
import { tenantHostUrl, type ExampleSettings } from './settings.ts';

export class GatehouseUnreachableError extends Error {
  override name = 'GatehouseUnreachableError';
}

export async function clientConfigFor(
  settings: Pick<ExampleSettings, 'gatehouseUrl' | 'clientId' | 'clientSecret' | 'tenant'>,
  redirectUri: string,
  fetch?: FetchLike,
): Promise<ClientConfig> {
  let server;
  try {
    server = await discover(settings.gatehouseUrl, fetch ? { fetch } : {});
  } catch (error) {
    const why = error instanceof GatehouseClientError ? error.message : `${(error as Error).message}${(error as Error).cause ? ` (${String((error as Error).cause)})` : ''}`;
    throw new GatehouseUnreachableError(
      `cannot read Gatehouse's metadata at ${settings.gatehouseUrl}: ${why}. Is it running (\`npm start\`), and is GATEHOUSE_URL its PUBLIC_URL?`,
    );
  }
  const { metadata: _metadata, ...discovered } = server;
  return {
    ...discovered,
    clientId: settings.clientId,
    ...(settings.clientSecret === undefined ? {} : { clientSecret: settings.clientSecret }),
    redirectUri,
    endpoints: {
      ...discovered.endpoints,
      // Only the sign-in moves to the tenant host; tokens and the API stay on the public URL, and
      // the callback's `iss` is still the issuer.
      ...(settings.tenant === undefined ? {} : { authorize: tenantHostUrl(discovered.endpoints.authorize, settings.tenant) }),
    },
    ...(fetch ? { fetch } : {}),
  };
}
