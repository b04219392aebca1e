// The per-instance cache of revoked token families. Revocation is final, so a family once seen
// revoked is answered from memory forever after (a stolen, revoked token costs no query); live
// families are always read from the store, so a revocation at any instance holds at every other
// one at once. Bounded: the oldest entries are forgotten first and are then read again.
import { LruMap } from '../../lru-map.ts';

export const MAX_CACHED_REVOCATIONS = 100_000;

export class RevokedFamilies {
  readonly #ids: LruMap<string, true>;

  constructor(capacity = MAX_CACHED_REVOCATIONS) {
    this.#ids = new LruMap(capacity);
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  add(ids: Iterable<string>): void {
    for (const id of ids) this.#ids.set(id, true);
  }

  get size(): number {
    return this.#ids.size;
  }
}
