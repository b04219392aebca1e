// The rules an app's settings follow wherever they are set (the CLI, the console): a public client
// is never given the grant that rests on nothing but client authentication.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appSettingsProblems } from '../../src/platform/apps.ts';

const service = { description: '', redirectUris: [], limitToAccount: false, grantTypes: ['client_credentials'] };

describe('app settings', () => {
  it('refuse client_credentials for a public client (auth method none), naming the grant types', () => {
    assert.deepEqual(appSettingsProblems({ ...service, tokenEndpointAuthMethod: 'none' }), [
      { message: 'client_credentials needs a client that authenticates: choose a client secret method or private_key_jwt, not none', field: 'grantTypes' },
    ]);
  });

  it('allow it with a secret method, with ilert\'s rule, and none without it', () => {
    assert.deepEqual(appSettingsProblems({ ...service, tokenEndpointAuthMethod: 'client_secret_basic' }), []);
    assert.deepEqual(appSettingsProblems(service), []);
    assert.deepEqual(appSettingsProblems({ ...service, grantTypes: ['authorization_code'], redirectUris: ['https://app.example/cb'], tokenEndpointAuthMethod: 'none' }), []);
  });
});
