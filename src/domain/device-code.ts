// Device codes (RFC 8628): what a device without a browser holds while its user approves it
// elsewhere. One row per device authorization request; the user code finds it, the device code redeems it.
import type { ResourceScope } from './resource-server.ts';

/** pending → approved | denied (the user, on /device); approved → redeemed (the device, once). */
export type DeviceCodeStatus = 'pending' | 'approved' | 'denied' | 'redeemed';

export interface DeviceCode {
  /** SHA-256 hex of the device code the device polls with. */
  deviceCodeHash: string;
  /** SHA-256 hex of the normalized user code (8 letters, no dash). */
  userCodeHash: string;
  appId: number;
  scope: string;
  /** Each requested resource's part of `scope` (RFC 8707), in the order the request named them. */
  resources: ResourceScope[];
  /** Seconds the device must wait between polls; grows by 5 with every slow_down. */
  interval: number;
  lastPolledAt: Date | null;
  status: DeviceCodeStatus;
  /** Who approved or denied it; null while pending. */
  userId: number | null;
  /** The token family approval started; null until approved. */
  familyId: string | null;
  createdAt: Date;
  expiresAt: Date;
}

export type NewDeviceCode = Omit<DeviceCode, 'lastPolledAt' | 'status' | 'userId' | 'familyId'>;
