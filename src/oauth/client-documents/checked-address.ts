// Resolves a document's host once, checks every address it resolves to, and hands the socket
// only those checked addresses (a `lookup` that never asks DNS again), so a name that answers
// differently a moment later (DNS rebinding) cannot swap a private address in.
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { addressProblem, type AddressRules } from './address-policy.ts';
import { DocumentFetchError } from './fetch-errors.ts';

/** Every address a name resolves to (dns.lookup with all: true); tests pass a fake. */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** The addresses of `hostname` (an IP literal stands for itself), all of them allowed, or a DocumentFetchError. */
export async function checkedAddresses(hostname: string, rules: AddressRules, resolver: Resolver): Promise<LookupAddress[]> {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  const family = isIP(bare);
  let addresses: LookupAddress[];
  if (family !== 0) addresses = [{ address: bare, family }];
  else {
    try {
      addresses = await resolver(bare);
    } catch {
      throw new DocumentFetchError(`the host ${hostname} could not be resolved`, 'unreachable');
    }
  }
  if (addresses.length === 0) throw new DocumentFetchError(`the host ${hostname} has no address`, 'unreachable');
  // One refused address refuses the name: a rebinding name may hand out public and private ones.
  for (const { address } of addresses) {
    const problem = addressProblem(address, rules);
    if (problem) throw new DocumentFetchError(`the host ${hostname} resolves to ${address}, ${problem}, which is never fetched from`, 'refused');
  }
  return addresses;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for http.request that answers with the checked addresses only, whatever name it is asked. */
export function pinnedLookup(addresses: readonly LookupAddress[]) {
  return (_hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    const first = addresses[0];
    if (!first) return callback(Object.assign(new Error('no checked address'), { code: 'ENOTFOUND' }), '');
    if (options.all) return callback(null, [...addresses]);
    callback(null, first.address, first.family);
  };
}
