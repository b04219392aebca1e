// The addresses a client ID metadata document may come from: refused before any connection is
// made, judged on every address a name resolves to (a fake resolver stands in for DNS).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressProblem } from '../../../src/oauth/client-documents/address-policy.ts';
import { checkedAddresses, pinnedLookup, type Resolver } from '../../../src/oauth/client-documents/checked-address.ts';
import { DocumentFetchError } from '../../../src/oauth/client-documents/fetch-errors.ts';

const strict = { allowLoopback: false };
const development = { allowLoopback: true };

describe('addressProblem', () => {
  const refused: [string, RegExp][] = [
    ['169.254.169.254', /link-local/],
    ['10.0.0.1', /private/],
    ['172.16.5.4', /private/],
    ['172.31.255.255', /private/],
    ['192.168.1.1', /private/],
    ['127.0.0.1', /loopback/],
    ['127.8.9.10', /loopback/],
    ['0.0.0.0', /unspecified/],
    ['100.64.0.1', /carrier-grade NAT/],
    ['100.127.255.254', /carrier-grade NAT/],
    ['224.0.0.251', /multicast/],
    ['255.255.255.255', /reserved/],
    ['192.0.2.10', /documentation/],
    ['::1', /loopback/],
    ['::', /unspecified/],
    ['fd00::1', /unique-local/],
    ['fc00::5', /unique-local/],
    ['fe80::1', /link-local/],
    ['fe80::1%eth0', /zone/],
    ['ff02::1', /multicast/],
    ['::ffff:127.0.0.1', /loopback address \(written as IPv6\)/],
    ['::ffff:7f00:1', /loopback address \(written as IPv6\)/],
    ['::ffff:169.254.169.254', /link-local.*IPv6/],
    ['::ffff:10.0.0.1', /private.*IPv6/],
    ['64:ff9b::a00:1', /private.*IPv6/],
    ['2002:a00:1::', /private.*IPv6/],
    ['2001:db8::1', /documentation/],
    ['::127.0.0.1', /reserved/],
  ];
  for (const [address, reason] of refused) {
    it(`refuses ${address}`, () => assert.match(addressProblem(address, strict) ?? 'allowed', reason));
  }

  it('allows public addresses, IPv4 and IPv6, and public IPv4 written as IPv6', () => {
    for (const address of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:2800:220:1:248:1893:25c8:1946', '::ffff:8.8.8.8', '2002:808:808::1']) {
      assert.equal(addressProblem(address, strict), undefined, address);
    }
  });

  it('allows loopback, and only loopback, with the development setting', () => {
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) assert.equal(addressProblem(address, development), undefined, address);
    for (const address of ['10.0.0.1', '169.254.169.254', '192.168.0.1', 'fd00::1', '::', '0.0.0.0']) assert.notEqual(addressProblem(address, development), undefined, address);
  });

  it('refuses what is not an address', () => assert.match(addressProblem('example.com', strict) ?? '', /not an IP address/));
});

describe('checkedAddresses', () => {
  const resolving = (answers: Record<string, string[]>): Resolver & { asked: string[] } => {
    const asked: string[] = [];
    const resolver = async (hostname: string) => {
      asked.push(hostname);
      const list = answers[hostname];
      if (!list) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
      return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    };
    return Object.assign(resolver, { asked });
  };

  it('refuses a name that resolves to a private address, naming it', async () => {
    const resolver = resolving({ 'internal.example.com': ['10.1.2.3'] });
    await assert.rejects(checkedAddresses('internal.example.com', strict, resolver), (error: DocumentFetchError) => {
      assert.equal(error.kind, 'refused');
      assert.match(error.reason, /internal\.example\.com resolves to 10\.1\.2\.3, a private address/);
      return true;
    });
  });

  it('refuses a name when any one of its addresses is refused (a rebinding name answers with both)', async () => {
    const resolver = resolving({ 'rebind.example.com': ['93.184.216.34', '169.254.169.254'] });
    await assert.rejects(checkedAddresses('rebind.example.com', strict, resolver), /169\.254\.169\.254/);
  });

  it('checks IP literals without asking DNS', async () => {
    const resolver = resolving({});
    await assert.rejects(checkedAddresses('169.254.169.254', strict, resolver), /link-local/);
    await assert.rejects(checkedAddresses('[::1]', strict, resolver), /loopback/);
    await assert.rejects(checkedAddresses('[fd00::1]', strict, resolver), /unique-local/);
    assert.deepEqual(await checkedAddresses('93.184.216.34', strict, resolver), [{ address: '93.184.216.34', family: 4 }]);
    assert.deepEqual(resolver.asked, []);
  });

  it('returns every checked address of a public name, and says when a name does not resolve', async () => {
    const resolver = resolving({ 'public.example.com': ['93.184.216.34', '2606:2800:220:1::1'] });
    assert.deepEqual((await checkedAddresses('public.example.com', strict, resolver)).map((a) => a.address), ['93.184.216.34', '2606:2800:220:1::1']);
    await assert.rejects(checkedAddresses('nowhere.example.com', strict, resolver), (error: DocumentFetchError) => error.kind === 'unreachable');
  });

  it('pins the socket: the lookup answers with the checked addresses whatever it is asked', () => {
    const lookup = pinnedLookup([{ address: '93.184.216.34', family: 4 }]);
    lookup('rebind.example.com', {}, (error, address, family) => {
      assert.equal(error, null);
      assert.equal(address, '93.184.216.34');
      assert.equal(family, 4);
    });
    lookup('anything-else', { all: true }, (_error, addresses) => assert.deepEqual(addresses, [{ address: '93.184.216.34', family: 4 }]));
  });
});
