// Configuration from environment and flags: defaults, precedence, and readable validation errors.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.ts';

function configError(...patterns: RegExp[]) {
  return (error: unknown) => {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    for (const pattern of patterns) assert.match(error.message, pattern);
    return true;
  };
}

describe('loadConfig', () => {
  it('has defaults that run locally', () => {
    const config = loadConfig({});
    assert.equal(config.port, 8080);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.publicUrl, 'http://localhost:8080');
    assert.equal(config.dataDir, resolve('./data'));
    assert.equal(config.logLevel, 'info');
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.secret, undefined);
  });

  it('reads the environment', () => {
    const config = loadConfig({
      PORT: '9000',
      HOST: '0.0.0.0',
      GATEHOUSE_DATA_DIR: '/var/lib/gatehouse',
      DATABASE_URL: 'postgres://db/gatehouse',
      GATEHOUSE_SECRET: 'a-secret-of-enough-length',
      LOG_LEVEL: 'warn',
      REDIS_URL: 'redis://cache:6379',
    });
    assert.equal(config.port, 9000);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.publicUrl, 'http://localhost:9000', 'a wildcard bind address still gives a usable public URL');
    assert.equal(config.dataDir, '/var/lib/gatehouse');
    assert.equal(config.databaseUrl, 'postgres://db/gatehouse');
    assert.equal(config.secret, 'a-secret-of-enough-length');
    assert.equal(config.logLevel, 'warn');
    assert.equal(config.redisUrl, 'redis://cache:6379');
  });

  it('lets flags win over the environment', () => {
    const config = loadConfig(
      { PORT: '9000', HOST: '0.0.0.0', PUBLIC_URL: 'https://env.example', GATEHOUSE_DATA_DIR: '/env' },
      { port: 7000, host: '::1', publicUrl: 'https://flag.example', dataDir: '/flag' },
    );
    assert.equal(config.port, 7000);
    assert.equal(config.host, '::1');
    assert.equal(config.publicUrl, 'https://flag.example');
    assert.equal(config.dataDir, '/flag');
  });

  it('derives a valid public URL from an IPv6 bind address', () => {
    assert.equal(loadConfig({ HOST: '::1', PORT: '8443' }).publicUrl, 'http://[::1]:8443');
    assert.equal(loadConfig({ HOST: '::' }).publicUrl, 'http://localhost:8080');
    assert.equal(loadConfig({ HOST: 'gatehouse.internal' }).publicUrl, 'http://gatehouse.internal:8080');
  });

  it('treats empty environment values as unset', () => {
    const config = loadConfig({ PORT: '', PUBLIC_URL: '', GATEHOUSE_SECRET: '' });
    assert.equal(config.port, 8080);
    assert.equal(config.publicUrl, 'http://localhost:8080');
    assert.equal(config.secret, undefined);
  });

  it('strips trailing slashes from PUBLIC_URL', () => {
    assert.equal(loadConfig({ PUBLIC_URL: 'https://auth.example.com/' }).publicUrl, 'https://auth.example.com');
    assert.equal(loadConfig({ PUBLIC_URL: 'https://auth.example.com' }).publicUrl, 'https://auth.example.com');
    assert.equal(loadConfig({ PUBLIC_URL: 'http://localhost:4000//' }).publicUrl, 'http://localhost:4000');
  });

  it('rejects a PUBLIC_URL that is not a URL with a readable line', () => {
    assert.throws(() => loadConfig({ PUBLIC_URL: 'not a url' }), configError(/^PUBLIC_URL \(--public-url\): /m));
    assert.throws(() => loadConfig({ PUBLIC_URL: 'auth.example.com' }), configError(/^PUBLIC_URL \(--public-url\): /m));
  });

  it('rejects a PUBLIC_URL with another scheme, a path, a query or a fragment', () => {
    assert.throws(() => loadConfig({ PUBLIC_URL: 'ftp://auth.example.com' }), configError(/PUBLIC_URL \(--public-url\): must be an http or https URL/));
    assert.throws(() => loadConfig({ PUBLIC_URL: 'https://auth.example.com/oauth' }), configError(/PUBLIC_URL \(--public-url\): must not have a path/));
    assert.throws(() => loadConfig({ PUBLIC_URL: 'https://auth.example.com/?x=1' }), configError(/^PUBLIC_URL \(--public-url\): /m));
    assert.throws(() => loadConfig({ PUBLIC_URL: 'https://auth.example.com/#top' }), configError(/^PUBLIC_URL \(--public-url\): /m));
    assert.throws(() => loadConfig({ PUBLIC_URL: 'https://user:pw@auth.example.com' }), configError(/^PUBLIC_URL \(--public-url\): /m));
  });

  it('gives one line per problem when several settings are wrong', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty', PUBLIC_URL: 'ftp://x.example/path', LOG_LEVEL: 'loud', GATEHOUSE_SECRET: 'short' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        const lines = error.message.split('\n');
        assert.deepEqual(lines, [
          'PORT (--port): must be a port number from 0 to 65535',
          'PUBLIC_URL (--public-url): must be an http or https URL',
          'PUBLIC_URL (--public-url): must not have a path',
          'GATEHOUSE_SECRET: must be at least 16 characters',
          'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent',
        ]);
        return true;
      },
    );
  });

  it('rejects ports out of range', () => {
    assert.throws(() => loadConfig({ PORT: '70000' }), configError(/^PORT \(--port\): must be a port number/m));
    assert.throws(() => loadConfig({ PORT: '-1' }), configError(/^PORT \(--port\): must be a port number/m));
    assert.throws(() => loadConfig({}, { port: '80.5' }), configError(/^PORT \(--port\): must be a port number/m));
  });

  it('has production defaults for workers, rate limits, key reloads and housekeeping', () => {
    const config = loadConfig({});
    assert.ok(config.workers >= 1, 'one worker per CPU');
    assert.equal(config.rateLimits, true);
    assert.equal(config.keyReloadSeconds, 60);
    assert.equal(config.housekeepingIntervalSeconds, 600);
  });

  it('reads workers from the flag or GATEHOUSE_WORKERS, and the other settings from the environment', () => {
    assert.equal(loadConfig({ GATEHOUSE_WORKERS: '3' }).workers, 3);
    assert.equal(loadConfig({ GATEHOUSE_WORKERS: '3' }, { workers: '1' }).workers, 1);
    const config = loadConfig({ GATEHOUSE_RATE_LIMITS: 'OFF', GATEHOUSE_KEY_RELOAD_SECONDS: '0', GATEHOUSE_HOUSEKEEPING_INTERVAL: '30', REDIS_URL: 'redis://127.0.0.1:6379' });
    assert.equal(config.rateLimits, false);
    assert.equal(config.keyReloadSeconds, 0);
    assert.equal(config.housekeepingIntervalSeconds, 30);
    assert.equal(config.redisUrl, 'redis://127.0.0.1:6379');
  });

  it('names each bad setting on its own line', () => {
    assert.throws(
      () => loadConfig({ GATEHOUSE_WORKERS: '0', GATEHOUSE_RATE_LIMITS: 'maybe', GATEHOUSE_KEY_RELOAD_SECONDS: '-5', REDIS_URL: 'localhost:6379' }),
      configError(
        /^GATEHOUSE_WORKERS \(--workers\): must be a whole number from 1 to 256$/m,
        /^GATEHOUSE_RATE_LIMITS: must be on or off$/m,
        /^GATEHOUSE_KEY_RELOAD_SECONDS: must be a whole number of seconds/m,
        /^REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL$/m,
      ),
    );
  });
});

describe('GATEHOUSE_TRUST_PROXY', () => {
  it('is off by default, and takes a hop count or a list of addresses', () => {
    assert.equal(loadConfig({}).trustProxy, undefined);
    assert.equal(loadConfig({ GATEHOUSE_TRUST_PROXY: '2' }).trustProxy, 2);
    assert.deepEqual(loadConfig({ GATEHOUSE_TRUST_PROXY: '10.0.0.0/8, 192.168.1.5' }).trustProxy, ['10.0.0.0/8', '192.168.1.5']);
    assert.throws(() => loadConfig({ GATEHOUSE_TRUST_PROXY: 'everyone' }), /GATEHOUSE_TRUST_PROXY: must be a hop count/);
  });
});
