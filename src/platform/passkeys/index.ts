// Passkeys (WebAuthn, @simplewebauthn/server; docs/security.md): what the HTTP layer and the sign-in
// steps use of them.
export { CHALLENGE_SECONDS, PasskeyError, browserBinding, expectedOrigin, passkeyAmr, pendingSignInBinding, rpId, sessionBinding } from './relying-party.ts';
export { finishRegistration, registrationOptions, type Registration } from './registration.ts';
export { authenticationOptions, passwordlessSignIn, verifyPasskeySecondFactor, type Assertion, type PasskeyUse } from './authentication.ts';
export { listPasskeys, ownPasskey, removePasskey, renamePasskey } from './management.ts';
export { PASSKEY_NAME_MAX, passkeyNameProblem } from './names.ts';
