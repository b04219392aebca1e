// Why a client ID metadata document could not be had. `unreachable` (network, timeout, a server
// error) may be bridged by a stale copy; `refused` (what came back, or where it lives, is not
// acceptable) never is: the document's owner, or an attacker, must not be outwaited.

export type FetchFailureKind = 'unreachable' | 'refused';

export class DocumentFetchError extends Error {
  constructor(
    readonly reason: string,
    readonly kind: FetchFailureKind,
  ) {
    super(reason);
    this.name = 'DocumentFetchError';
  }
}
