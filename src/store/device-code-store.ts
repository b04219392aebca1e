// The store's contract for device codes (RFC 8628), apart from store.ts so the area reads as one
// piece: issue, find by user code, record a poll, decide once, redeem once, purge.
import type { DeviceCode, NewDeviceCode } from '../domain/device-code.ts';
import type { NewRefreshToken, NewTokenFamily } from '../domain/tokens.ts';

/** A device's poll (RFC 8628 §3.4), recorded: only a pending code polled sooner than its interval is `tooSoon`. */
export type DevicePollResult =
  | { status: 'polled'; code: DeviceCode; tooSoon: boolean }
  | { status: 'other_client' }
  | { status: 'unknown' };

/** What redeeming an approved device code came to: only one caller ever gets 'redeemed'. */
export type RedeemDeviceCodeResult =
  | { status: 'redeemed'; code: DeviceCode }
  /** The user revoked the grant between approving and the device's poll: nothing was stored. */
  | { status: 'revoked' }
  /** Not approved (any more), or expired: someone else redeemed it, or it was never approved. */
  | { status: 'refused' };

/** What redeeming a device code stores, atomically with marking it redeemed (as for an authorization code). */
export interface DeviceCodeRedemption {
  /** The client proved its secret: refreshing the family will need it too. */
  confidential: boolean;
  refreshToken?: NewRefreshToken;
  maxLivePerAppUser: number;
}

export interface DeviceCodeStore {
  /** Stores a new device code; false (nothing stored) when its user code is already taken. */
  issue(code: NewDeviceCode): Promise<boolean>;
  byUserCode(userCodeHash: string): Promise<DeviceCode | undefined>;
  /**
   * Records a poll by the app `appId` in one transaction: a pending code polled sooner than its
   * interval after the previous poll gets its interval grown by `slowDownSeconds` (remembered).
   */
  poll(deviceCodeHash: string, appId: number, now: Date, slowDownSeconds: number): Promise<DevicePollResult>;
  /** Approves a pending, unexpired code for the user, creating its token family, in one transaction; undefined when it was not pending. */
  approve(userCodeHash: string, userId: number, family: NewTokenFamily, now: Date): Promise<DeviceCode | undefined>;
  /** Denies a pending, unexpired code; undefined when it was not pending. */
  deny(userCodeHash: string, userId: number, now: Date): Promise<DeviceCode | undefined>;
  /** Approved → redeemed in one statement, storing what it buys in the same transaction; of concurrent calls one wins. */
  redeem(deviceCodeHash: string, now: Date, redemption: DeviceCodeRedemption): Promise<RedeemDeviceCodeResult>;
  /** Deletes codes that expired before `before`, at most `batchSize`; returns how many. */
  purge(before: Date, batchSize?: number): Promise<number>;
}
