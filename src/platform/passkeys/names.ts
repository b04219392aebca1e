// A passkey's name as the user gives it: trimmed, one line, at most 60 characters; blank gets one.

export const PASSKEY_NAME_MAX = 60;

/** The name to store: control characters become spaces, a long name is cut, a blank one is dated. */
export function passkeyName(raw: string, now: Date): string {
  const name = raw.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return name === '' ? `Passkey added ${now.toISOString().slice(0, 10)}` : Array.from(name).slice(0, PASSKEY_NAME_MAX).join('');
}

/** Why a name cannot be used as typed, or undefined. */
export function passkeyNameProblem(raw: string): string | undefined {
  return Array.from(raw.trim()).length > PASSKEY_NAME_MAX ? `A name has at most ${PASSKEY_NAME_MAX} characters` : undefined;
}
