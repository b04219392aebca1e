// Authentication Context Class References (OpenID Connect Core §2, `acr`): how the user signed in.
// Two classes: the password alone, and the password with a second factor (issue 18). An ID
// token's `acr` follows from the session's `amr` (RFC 8176): `mfa` among them is the second class.

export const ACR_PASSWORD = 'urn:gatehouse:acr:pwd';
export const ACR_MFA = 'urn:gatehouse:acr:mfa';
export const ACR_VALUES_SUPPORTED = [ACR_PASSWORD, ACR_MFA] as const;

/** The class a sign-in by these methods belongs to. */
export function acrFor(amr: readonly string[]): string {
  return amr.includes('mfa') ? ACR_MFA : ACR_PASSWORD;
}

/** An essential `acr` of the `claims` parameter (Core §5.5.1.1) that names the mfa class; malformed JSON asks for nothing (validation refuses it elsewhere). */
function claimsAskForMfa(claims: string | undefined): boolean {
  if (claims === undefined) return false;
  try {
    const acr = (JSON.parse(claims) as { id_token?: { acr?: { essential?: unknown; value?: unknown; values?: unknown } } } | null)?.id_token?.acr;
    if (!acr || acr.essential !== true) return false;
    return acr.value === ACR_MFA || (Array.isArray(acr.values) && acr.values.includes(ACR_MFA));
  } catch {
    return false;
  }
}

/** Whether an authorization request asks for a sign-in with a second factor: `acr_values` names it, or an essential `acr` claim does. */
export function asksForMfa(acrValues: readonly string[] | undefined, claims: string | undefined): boolean {
  return (acrValues ?? []).includes(ACR_MFA) || claimsAskForMfa(claims);
}
