// Authentication Context Class References (OpenID Connect Core §2, `acr`): how the user signed in.
// Only passwords exist so far; MFA (issue 18) adds its own value here.

export const ACR_PASSWORD = 'urn:gatehouse:acr:pwd';
export const ACR_VALUES_SUPPORTED = [ACR_PASSWORD] as const;
