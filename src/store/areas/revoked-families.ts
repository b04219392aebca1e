// The per-instance cache of revoked token families. Revocation is final, so a family once seen
// revoked is answered from memory forever after (a stolen, revoked token costs no query); live
// families are always read from the store, so a revocation at any instance holds at every other
// one at once. Bounded: the oldest entries are forgotten first and are then read again.
export const MAX_CACHED_REVOCATIONS = 100_000;

export class RevokedFamilies {
  // A Set iterates in insertion order: the first entry is the oldest.
  readonly #ids = new Set<string>();

  constructor(private readonly capacity = MAX_CACHED_REVOCATIONS) {}

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  add(ids: Iterable<string>): void {
    for (const id of ids) {
      this.#ids.delete(id);
      this.#ids.add(id);
      if (this.#ids.size > this.capacity) this.#ids.delete(this.#ids.values().next().value as string);
    }
  }

  get size(): number {
    return this.#ids.size;
  }
}
