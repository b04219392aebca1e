// Which IP addresses a client ID metadata document may be fetched from: public unicast only.
// Private, loopback, link-local, unique-local, CGNAT, multicast, reserved and documentation
// ranges are refused, and so are IPv6 forms that embed such an IPv4 address (mapped, NAT64, 6to4),
// so that a client_id can never make the server reach into its own network (SSRF).
import { isIP } from 'node:net';

/** [first octets, prefix length, what it is] for the IPv4 ranges no document is fetched from. */
const REFUSED_V4: readonly [number[], number, string][] = [
  [[0], 8, 'an unspecified ("this network") address'],
  [[10], 8, 'a private address'],
  [[100, 64], 10, 'a carrier-grade NAT address'],
  [[127], 8, 'a loopback address'],
  [[169, 254], 16, 'a link-local address (cloud metadata services live there)'],
  [[172, 16], 12, 'a private address'],
  [[192, 0, 0], 24, 'an IETF protocol address'],
  [[192, 0, 2], 24, 'a documentation address'],
  [[192, 88, 99], 24, 'a 6to4 relay address'],
  [[192, 168], 16, 'a private address'],
  [[198, 18], 15, 'a benchmarking address'],
  [[198, 51, 100], 24, 'a documentation address'],
  [[203, 0, 113], 24, 'a documentation address'],
  [[224], 4, 'a multicast address'],
  [[240], 4, 'a reserved address'],
];

function inPrefix(bytes: readonly number[], first: readonly number[], bits: number): boolean {
  for (let i = 0; i < Math.ceil(bits / 8); i += 1) {
    const keep = Math.min(8, bits - i * 8);
    const mask = (0xff << (8 - keep)) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((first[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** The 16 bytes of an IPv6 literal (zone ids are refused before this). */
function ipv6Bytes(text: string): number[] | undefined {
  let head = text;
  const tailV4: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const v4 = text.slice(lastColon + 1).split('.').map(Number);
    tailV4.push(...v4);
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const [left = '', right, extra] = head.split('::');
  if (extra !== undefined) return undefined;
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((g) => Number.parseInt(g, 16)));
  const l = groups(left);
  const r = right === undefined ? [] : groups(right);
  const fill = right === undefined ? 0 : 8 - l.length - r.length;
  const all = [...l, ...Array<number>(fill).fill(0), ...r];
  if (all.length !== 8 || all.some((g) => !Number.isInteger(g) || g < 0 || g > 0xffff)) return undefined;
  const bytes = all.flatMap((g) => [g >> 8, g & 0xff]);
  if (tailV4.length === 4) bytes.splice(12, 4, ...tailV4);
  return bytes;
}

export interface AddressRules {
  /** GATEHOUSE_CIMD_ALLOW_LOOPBACK: loopback addresses (only those) become fetchable, for development. */
  allowLoopback: boolean;
}

function v4Problem(bytes: readonly number[], rules: AddressRules): string | undefined {
  if (rules.allowLoopback && bytes[0] === 127) return undefined;
  for (const [first, bits, what] of REFUSED_V4) if (inPrefix(bytes, first, bits)) return what;
  return undefined;
}

function v6Problem(bytes: number[], rules: AddressRules): string | undefined {
  const is = (first: number[], bits: number) => inPrefix(bytes, first, bits);
  const embedded = (from: number) => bytes.slice(from, from + 4);
  if (bytes.every((b) => b === 0)) return 'an unspecified address';
  if (bytes.slice(0, 15).every((b) => b === 0) && bytes[15] === 1) return rules.allowLoopback ? undefined : 'a loopback address';
  // An IPv4 address in IPv6 clothing is judged as the IPv4 address it reaches.
  if (is([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff], 96)) return mapped(v4Problem(embedded(12), rules));
  if (is([0, 0x64, 0xff, 0x9b], 96)) return mapped(v4Problem(embedded(12), rules));
  if (is([0x20, 0x02], 16)) return mapped(v4Problem(embedded(2), rules));
  if (is([0xfe, 0x80], 10)) return 'a link-local address';
  if (is([0xfe, 0xc0], 10)) return 'a site-local address';
  if (is([0xfc], 7)) return 'a unique-local (private) address';
  if (is([0xff], 8)) return 'a multicast address';
  if (is([0x20, 0x01, 0x0d, 0xb8], 32)) return 'a documentation address';
  if (is([0x20, 0x01, 0, 0], 32)) return 'a Teredo address';
  if (is([0x20, 0x01, 0, 0], 23)) return 'an IETF protocol address';
  // Everything outside global unicast (2000::/3): IPv4-compatible, discard, NAT64 local use, reserved.
  if (!is([0x20], 3)) return 'a reserved address';
  return undefined;
}

const mapped = (problem: string | undefined) => problem && `${problem} (written as IPv6)`;

/** Why a document may not be fetched from this address, or undefined when it may. */
export function addressProblem(address: string, rules: AddressRules): string | undefined {
  const version = isIP(address);
  if (version === 4) return v4Problem(address.split('.').map(Number), rules);
  if (version === 6) {
    if (address.includes('%')) return 'an address with a zone (link-local)';
    const bytes = ipv6Bytes(address.toLowerCase());
    return bytes ? v6Problem(bytes, rules) : 'an address that cannot be read';
  }
  return 'not an IP address';
}
