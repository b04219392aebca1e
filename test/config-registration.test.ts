// The registration settings: off and 30 days unless told, each policy by environment, flag or
// config file, and a clear line naming the setting for a bad value.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('registration settings', () => {
  it('default to off and 30 days, and read each policy', () => {
    const defaults = loadConfig({});
    assert.equal(defaults.registration, 'off');
    assert.equal(defaults.registrationPurgeDays, 30);
    for (const policy of ['off', 'token', 'open'] as const) assert.equal(loadConfig({ GATEHOUSE_REGISTRATION: policy }).registration, policy);
    assert.equal(loadConfig({}, { registration: 'open', registrationPurgeDays: '0' }).registrationPurgeDays, 0);
    assert.equal(loadConfig({ GATEHOUSE_REGISTRATION_PURGE_DAYS: '7' }).registrationPurgeDays, 7);
  });

  it('refuses a bad value in one line naming the setting', () => {
    assert.throws(() => loadConfig({ GATEHOUSE_REGISTRATION: 'yes' }), (error: unknown) => error instanceof ConfigError && error.message === 'GATEHOUSE_REGISTRATION: must be one of off, token, open');
    for (const days of ['-1', '1.5', 'soon', '3651']) {
      assert.throws(() => loadConfig({ GATEHOUSE_REGISTRATION_PURGE_DAYS: days }), (error: unknown) => error instanceof ConfigError && /^GATEHOUSE_REGISTRATION_PURGE_DAYS: must be a whole number of days from 0 to 3650/.test(error.message), days);
    }
  });
});
