// The example calls the API reference shows for the OAuth endpoints (OperationSpec.example).
// test/ops/openapi-examples.test.ts parses each against its operation's schemas.
import type { ExampleSpec } from '../docs/operation.ts';

const CLIENT_ID = '3f9a1c0e5b7d2a4c6e80';
const CLIENT_SECRET = '9c1f4e7a2b5d8e0f3a6c9b2e5d8f1a4c7e0b3d6f9a2c5e8b1d4f7a0c3e6b9d2f';
const ACCESS_TOKEN = 'eyJhbGciOiJSUzI1NiIsImtpZCI6IjQyIiwidHlwIjoiYXQrand0In0.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
const REFRESH_TOKEN = 'ghr_Qm9iIHRoZSByZWZyZXNoIHRva2VuIGV4YW1wbGUgdmFsdWU';

export const tokenExample: ExampleSpec = {
  body: {
    grant_type: 'authorization_code',
    code: 'ghc_S3ZlbnRoZSBjb2RlIGZyb20gdGhlIHJlZGlyZWN0IGV4YW1wbGU',
    redirect_uri: 'https://app.example/callback',
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
  },
  response: {
    status: '200',
    body: { token_type: 'Bearer', access_token: ACCESS_TOKEN, expires_in: 3600, scope: 'profile source:w', refresh_token: REFRESH_TOKEN, refresh_token_expires_in: 31536000 },
  },
};

export const tokenInfoExample: ExampleSpec = {
  body: { token: ACCESS_TOKEN },
  response: { status: '200', body: { active: true, tenant_id: 'acme', username: 'jane', scope: 'profile source:w', app_id: 7, aud: 'https://gatehouse.example.com/api' } },
};

export const introspectionExample: ExampleSpec = {
  body: { token: REFRESH_TOKEN, client_id: CLIENT_ID, client_secret: CLIENT_SECRET },
  response: {
    status: '200',
    body: { active: true, token_type: 'refresh_token', scope: 'profile', client_id: CLIENT_ID, username: 'jane', sub: '1', exp: 1767225600, iat: 1735689600, iss: 'https://gatehouse.example', tenant: 'acme' },
  },
};

export const revokeExample: ExampleSpec = {
  body: { token: REFRESH_TOKEN },
  response: { status: '200', body: {} },
};
