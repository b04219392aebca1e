// Short names for grant types whose registered value is a URN, for people typing them
// (`gatehouse apps create --grant-type device_code`); the store and the protocol use the URN.
import { DEVICE_CODE_GRANT_TYPE } from './device-code.ts';

const SHORTHANDS: Readonly<Record<string, string>> = { device_code: DEVICE_CODE_GRANT_TYPE };

/** The grant type a typed name means: a shorthand's URN, or the name itself. */
export const expandGrantType = (typed: string): string => SHORTHANDS[typed] ?? typed;

/** How a person would type the grant type: its shorthand when it has one. */
export const shortGrantType = (type: string): string => Object.entries(SHORTHANDS).find(([, urn]) => urn === type)?.[0] ?? type;
