// Conversions between database rows (epoch ms, 0/1 flags) and domain values.

export const toDate = (ms: number | string): Date => new Date(Number(ms));
export const toDateOrNull = (ms: number | string | null): Date | null => (ms === null ? null : toDate(ms));
export const ms = (date: Date): number => date.getTime();
export const flag = (value: boolean): number => (value ? 1 : 0);
export const isSet = (value: number | string): boolean => Number(value) === 1;
