// The short client description on the connections page ("Firefox, Mac").
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeClient } from '../../src/platform/user-agent.ts';

const AGENTS: [string, string][] = [
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14.4; rv:125.0) Gecko/20100101 Firefox/125.0', 'Firefox, Mac'],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36', 'Chrome, Windows'],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51', 'Edge, Windows'],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15', 'Safari, Mac'],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1', 'Safari, iOS'],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1', 'Chrome, iOS'],
  ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36', 'Chrome, Android'],
  ['Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0', 'Firefox, Linux'],
  ['Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36', 'Chrome, ChromeOS'],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/109.0.0.0', 'Opera, Windows'],
  ['curl/8.5.0', 'curl'],
  ['axios/1.6.8', 'axios'],
  ['node', 'Node.js'],
  ['undici', 'Node.js'],
  ['python-requests/2.31.0', 'Python'],
  ['Go-http-client/1.1', 'Go'],
  ['ilert-go/v3.9.0', 'ilert-go'],
];

describe('describeClient', () => {
  for (const [agent, expected] of AGENTS) {
    it(`${expected} ← ${agent.slice(0, 60)}`, () => {
      assert.equal(describeClient(agent), expected);
    });
  }

  it('says "Unknown client" when there is nothing to go on', () => {
    assert.equal(describeClient(undefined), 'Unknown client');
    assert.equal(describeClient(''), 'Unknown client');
    assert.equal(describeClient('SomethingElse/1.0'), 'Unknown client');
  });

  it('keeps the description short even for a huge header', () => {
    assert.ok(describeClient(`${'x'.repeat(10_000)} Firefox/1`).length <= 40);
  });
});
