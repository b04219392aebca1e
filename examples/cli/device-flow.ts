// The device flow (RFC 8628) as a command-line client runs it: ask for codes, show them, poll the
// token endpoint at the interval the server asks for (5 s more after every slow_down) until the
// person decides on their phone or computer, or the code expires.

export interface DeviceEndpoints {
  deviceAuthorization: string;
  token: string;
}

export interface DeviceCodes {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete?: string;
  expires_in: number;
  interval?: number;
}

export interface Tokens {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
  refresh_token?: string;
}

/** A refusal the person should read: denied, expired, or the server's own error. */
export class DeviceFlowError extends Error {
  override name = 'DeviceFlowError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

async function postForm(url: string, form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: new URLSearchParams(form) });
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new DeviceFlowError('bad_response', `${url} answered ${response.status} with something that is not JSON`);
  }
  return { status: response.status, body };
}

/** The endpoints from the server's RFC 8414 metadata. */
export async function discoverEndpoints(gatehouseUrl: string): Promise<DeviceEndpoints> {
  let metadata: Record<string, unknown>;
  try {
    const response = await fetch(`${gatehouseUrl}/.well-known/oauth-authorization-server`, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`status ${response.status}`);
    metadata = (await response.json()) as Record<string, unknown>;
  } catch (error) {
    throw new DeviceFlowError('unreachable', `cannot read Gatehouse's metadata at ${gatehouseUrl} (${(error as Error).message}). Is it running (\`npm start\`)?`);
  }
  const deviceAuthorization = metadata.device_authorization_endpoint;
  const token = metadata.token_endpoint;
  if (typeof deviceAuthorization !== 'string' || typeof token !== 'string') throw new DeviceFlowError('unsupported', `${gatehouseUrl} does not offer the device flow (no device_authorization_endpoint)`);
  return { deviceAuthorization, token };
}

const explain = (body: Record<string, unknown>) => `${String(body.error)}: ${String(body.error_description ?? '')}`.trim();

/** Step 1: the device code and the user code. */
export async function requestCodes(endpoints: DeviceEndpoints, client: { clientId: string; clientSecret?: string }, scope: string): Promise<DeviceCodes> {
  const form: Record<string, string> = { client_id: client.clientId, scope };
  if (client.clientSecret) form.client_secret = client.clientSecret;
  const { status, body } = await postForm(endpoints.deviceAuthorization, form);
  if (status !== 200) throw new DeviceFlowError(String(body.error ?? 'error'), `the device authorization request was refused (${explain(body)})`);
  return body as unknown as DeviceCodes;
}

export interface PollOptions {
  /** How to wait between polls (a real timer unless told). */
  sleep?: (seconds: number) => Promise<void>;
  /** Told about every slow_down, with the new interval. */
  onSlowDown?: (interval: number) => void;
}

const realSleep = (seconds: number) => new Promise<void>((resolve) => setTimeout(resolve, seconds * 1000));

/** Step 2: polls until tokens come, or the person denies, or the code expires. */
export async function pollForTokens(endpoints: DeviceEndpoints, client: { clientId: string; clientSecret?: string }, codes: DeviceCodes, options: PollOptions = {}): Promise<Tokens> {
  const sleep = options.sleep ?? realSleep;
  let interval = codes.interval ?? 5;
  const deadline = Date.now() + codes.expires_in * 1000;
  const form: Record<string, string> = { grant_type: DEVICE_GRANT, device_code: codes.device_code, client_id: client.clientId };
  if (client.clientSecret) form.client_secret = client.clientSecret;
  while (Date.now() < deadline) {
    await sleep(interval);
    const { status, body } = await postForm(endpoints.token, form);
    if (status === 200) return body as unknown as Tokens;
    switch (body.error) {
      case 'authorization_pending':
        continue;
      case 'slow_down':
        // RFC 8628 §3.5: this and every later poll waits 5 seconds longer.
        interval += 5;
        options.onSlowDown?.(interval);
        continue;
      case 'access_denied':
        throw new DeviceFlowError('access_denied', 'access was denied on the verification page');
      case 'expired_token':
        throw new DeviceFlowError('expired_token', 'the code expired before it was approved; run the command again');
      default:
        throw new DeviceFlowError(String(body.error ?? 'error'), `the token endpoint refused (${explain(body)})`);
    }
  }
  throw new DeviceFlowError('expired_token', 'the code expired before it was approved; run the command again');
}
