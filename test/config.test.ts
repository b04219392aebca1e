// Configuration from flags, environment and a config file: defaults, precedence, and readable
// validation errors that name what the user typed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError, SETTINGS, loadConfig, resolveConfig } from '../src/config.ts';
import { maskedConfig } from '../src/config-masking.ts';

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
    assert.throws(() => loadConfig({ PUBLIC_URL: 'not a url' }), configError(/^PUBLIC_URL: /m));
    assert.throws(() => loadConfig({ PUBLIC_URL: 'auth.example.com' }), configError(/^PUBLIC_URL: /m));
  });

  it('rejects a PUBLIC_URL with another scheme, a path, a query or a fragment', () => {
    assert.throws(() => loadConfig({ PUBLIC_URL: 'ftp://auth.example.com' }), configError(/PUBLIC_URL: must be an http or https URL/));
    assert.throws(() => loadConfig({ PUBLIC_URL: 'https://auth.example.com/oauth' }), configError(/PUBLIC_URL: must not have a path/));
    assert.throws(() => loadConfig({ PUBLIC_URL: 'https://auth.example.com/?x=1' }), configError(/^PUBLIC_URL: /m));
    assert.throws(() => loadConfig({ PUBLIC_URL: 'https://auth.example.com/#top' }), configError(/^PUBLIC_URL: /m));
    assert.throws(() => loadConfig({ PUBLIC_URL: 'https://user:pw@auth.example.com' }), configError(/^PUBLIC_URL: /m));
  });

  it('gives one line per problem when several settings are wrong', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty', PUBLIC_URL: 'ftp://x.example/path', LOG_LEVEL: 'loud', GATEHOUSE_SECRET: 'short' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        const lines = error.message.split('\n');
        assert.deepEqual(lines, [
          'PORT: must be a port number from 0 to 65535',
          'PUBLIC_URL: must be an http or https URL',
          'PUBLIC_URL: must not have a path',
          'GATEHOUSE_SECRET: must be at least 16 characters',
          'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent',
        ]);
        return true;
      },
    );
  });

  it('rejects ports out of range', () => {
    assert.throws(() => loadConfig({ PORT: '70000' }), configError(/^PORT: must be a port number/m));
    assert.throws(() => loadConfig({ PORT: '-1' }), configError(/^PORT: must be a port number/m));
    assert.throws(() => loadConfig({}, { port: '80.5' }), configError(/^--port: must be a port number/m));
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
        /^GATEHOUSE_WORKERS: must be a whole number from 1 to 256$/m,
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

describe('a config file (--config or GATEHOUSE_CONFIG)', () => {
  let dir: string;
  let file: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-config-'));
    file = join(dir, 'gatehouse.json');
    writeFileSync(
      file,
      JSON.stringify({ port: 7000, host: '0.0.0.0', logLevel: 'debug', rateLimits: false, dataDir: 'state', trustProxy: ['10.0.0.0/8', '10.1.0.0/16'], metricsPort: 9464 }),
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('supplies settings that neither a flag nor the environment gives', () => {
    const { config, sources, file: read } = resolveConfig({}, { config: file });
    assert.equal(read, file);
    assert.equal(config.port, 7000);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.logLevel, 'debug');
    assert.equal(config.rateLimits, false, 'a JSON boolean works for on/off');
    assert.deepEqual(config.trustProxy, ['10.0.0.0/8', '10.1.0.0/16']);
    assert.equal(config.metricsPort, 9464);
    assert.equal(config.dataDir, join(dir, 'state'), 'a relative path in the file is relative to the file');
    assert.equal(sources.port, 'file');
    assert.equal(sources.housekeepingIntervalSeconds, 'default');
  });

  it('ranks flag > environment > file > default', () => {
    const viaEnv = resolveConfig({ GATEHOUSE_CONFIG: file, PORT: '7100' });
    assert.equal(viaEnv.config.port, 7100);
    assert.equal(viaEnv.sources.port, 'env');
    assert.equal(viaEnv.config.host, '0.0.0.0', 'the file named by GATEHOUSE_CONFIG is read');
    const viaFlag = resolveConfig({ GATEHOUSE_CONFIG: '/nonexistent.json', PORT: '7100', LOG_LEVEL: 'warn' }, { config: file, port: '7200' });
    assert.equal(viaFlag.config.port, 7200, 'the flag wins');
    assert.equal(viaFlag.sources.port, 'flag');
    assert.equal(viaFlag.config.logLevel, 'warn', 'the environment beats the file');
    assert.equal(viaFlag.config.host, '0.0.0.0', '--config wins over GATEHOUSE_CONFIG');
    assert.equal(viaFlag.config.keyReloadSeconds, 60, 'the default where nobody says');
  });

  it('names the file and key of a bad value, an unknown key, and a file that cannot be read', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ port: 'eighty', colour: 'blue' }));
    assert.throws(() => loadConfig({}, { config: bad }), configError(new RegExp(`^${bad.replace(/[.]/g, '\\.')}: unknown setting "colour"`, 'm')));
    writeFileSync(bad, JSON.stringify({ port: 'eighty' }));
    assert.throws(() => loadConfig({}, { config: bad }), configError(/: "port": must be a port number/));
    writeFileSync(bad, '{ not json');
    assert.throws(() => loadConfig({}, { config: bad }), configError(/^--config: .*is not valid JSON/));
    assert.throws(() => loadConfig({ GATEHOUSE_CONFIG: join(dir, 'missing.json') }), configError(/^GATEHOUSE_CONFIG: cannot read .*missing\.json: no such file$/));
  });
});

describe('every setting', () => {
  it('has an environment variable, a flag and a config-file key, and docs/configuration.md lists each with its default', () => {
    const docs = readFileSync(join(import.meta.dirname, '../docs/configuration.md'), 'utf8');
    for (const setting of SETTINGS) {
      assert.match(setting.env, /^[A-Z_]+$/);
      assert.match(setting.flag, /^--[a-z-]+$/);
      const row = docs.split('\n').find((line) => line.startsWith(`| \`${setting.env}\` |`));
      assert.ok(row, `docs/configuration.md has a row for ${setting.env}`);
      assert.ok(row.includes(`\`${setting.flag}\``), `the ${setting.env} row names ${setting.flag}`);
      assert.ok(row.includes(`\`${setting.key}\``), `the ${setting.env} row names the file key ${setting.key}`);
    }
    const flags = new Set(SETTINGS.map((s) => s.flag));
    assert.equal(flags.size, SETTINGS.length, 'no two settings share a flag');
  });

  it('is masked when secret: the secret, the metrics token, and passwords in URLs', () => {
    const config = loadConfig({
      GATEHOUSE_SECRET: 'a-secret-of-enough-length',
      GATEHOUSE_METRICS_TOKEN: 'metrics-token-of-length',
      DATABASE_URL: 'postgres://gate:db-password@db.internal/gatehouse',
      REDIS_URL: 'redis://:redis-password@cache:6379',
    });
    const shown = JSON.stringify(maskedConfig(config));
    for (const secret of ['a-secret-of-enough-length', 'metrics-token-of-length', 'db-password', 'redis-password']) assert.ok(!shown.includes(secret), secret);
    assert.match(shown, /postgres:\/\/gate:\*\*\*@db\.internal\/gatehouse/);
  });
});

describe('gatehouse config', () => {
  const BIN = join(import.meta.dirname, '../bin/gatehouse.js');
  const run = (env: Record<string, string>, ...args: string[]) =>
    spawnSync(process.execPath, [BIN, 'config', ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
    });

  it('prints the effective configuration with its sources, secrets masked (--json)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-config-cmd-'));
    try {
      const file = join(dir, 'gatehouse.json');
      writeFileSync(file, JSON.stringify({ port: 7000, host: '0.0.0.0', metricsToken: 'file-metrics-token-123' }));
      const result = run({ PORT: '7100', GATEHOUSE_SECRET: 'env-secret-of-length' }, '--config', file, '--host', '::1', '--json');
      assert.equal(result.status, 0, result.stderr);
      const out = JSON.parse(result.stdout) as { configFile: string; settings: { key: string; value: unknown; source: string }[] };
      const setting = (key: string) => out.settings.find((s) => s.key === key);
      assert.equal(out.configFile, file);
      assert.deepEqual(setting('port'), { key: 'port', env: 'PORT', flag: '--port', value: 7100, source: 'env' });
      assert.equal(setting('host')?.value, '::1');
      assert.equal(setting('host')?.source, 'flag');
      assert.equal(setting('metricsToken')?.value, '***');
      assert.equal(setting('secret')?.value, '***');
      assert.equal(setting('rateLimits')?.value, 'on');
      assert.equal(out.settings.length, SETTINGS.length);
      assert.ok(!result.stdout.includes('env-secret-of-length') && !result.stdout.includes('file-metrics-token-123'));

      const human = run({ GATEHOUSE_SECRET: 'env-secret-of-length' }, '--config', file);
      assert.equal(human.status, 0, human.stderr);
      assert.match(human.stdout, /^PORT +7000 +\(file\)$/m);
      assert.match(human.stdout, /^GATEHOUSE_SECRET +\*\*\* +\(env\)$/m);
      assert.ok(!human.stdout.includes('env-secret-of-length'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses bad settings with one line per problem and exit code 1', () => {
    const result = run({ LOG_LEVEL: 'loud' }, '--port', 'x', '--public-url', 'not a url');
    assert.equal(result.status, 1);
    assert.deepEqual(result.stderr.trim().split('\n'), [
      'gatehouse: bad configuration:',
      '--port: must be a port number from 0 to 65535',
      '--public-url: must be an absolute http or https URL, such as https://auth.example.com',
      'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent',
    ]);
  });
});
