// The seed-000 single-page app as one HTML page: the guide's own PKCE helpers, its authorize URL,
// and its token call (fetch instead of axios, which would need a CDN). It reports, never shows tokens.

export interface WebappOptions {
  server: string;
  clientId: string;
  redirectUri: string;
}

export function webappPage(o: WebappOptions): string {
  // JSON in a script: escape "<" so no value can close the script element.
  const config = JSON.stringify(o).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sample web app</title></head>
<body>
<button id="connect" type="button">Connect to Gatehouse</button>
<p id="result">waiting</p>
<script>
const config = ${config};

// --- from the guide, "PKCE generation" ---
function dec2hex(dec) {
    return ("0" + dec.toString(16)).substr(-2);
}

function generateCodeVerifier() {
    const array = new Uint32Array(56 / 2);
    window.crypto.getRandomValues(array);
    return Array.from(array, dec2hex).join("");
}

function sha256(plain) {
    const encoder = new TextEncoder();
    const data = encoder.encode(plain);
    return window.crypto.subtle.digest("SHA-256", data);
}

function base64urlencode(a) {
    let str = "";
    const bytes = new Uint8Array(a);
    const len = bytes.byteLength;
    for (var i = 0; i < len; i++) {
        str += String.fromCharCode(bytes[i]);
    }
    return btoa(str)
        .replace(/\\+/g, "-")
        .replace(/\\//g, "_")
        .replace(/=+$/, "");
}

async function generateCodeChallengeFromVerifier(v) {
    const hashed = await sha256(v);
    const base64encoded = base64urlencode(hashed);
    return base64encoded;
}

// --- "Redirecting the user" ---
async function connect() {
    const verifier = generateCodeVerifier();
    const challenge = await generateCodeChallengeFromVerifier(verifier);
    sessionStorage.setItem("verifier", verifier);
    const url = config.server + "/api/developers/oauth2/authorize";
    const queryParams = new URLSearchParams({
        client_id: config.clientId,
        response_type: 'code',
        redirect_uri: config.redirectUri,
        scope: 'profile source:w offline_access',
        state: 'optional-state',
        code_challenge: challenge,
        code_challenge_method: 'S256'
    });
    window.location = url + "?" + queryParams.toString();
}

// --- "Turning a code into a token", then "Using the access token" ---
async function finish(code) {
    const outcome = {};
    const verifier = sessionStorage.getItem("verifier"); // stored earlier
    sessionStorage.removeItem("verifier");
    outcome.verifierCleared = sessionStorage.getItem("verifier") === null && typeof verifier === "string";

    const tokenParams = new URLSearchParams();
    tokenParams.append("client_id", config.clientId);
    tokenParams.append("grant_type", "authorization_code");
    tokenParams.append("code", code);
    tokenParams.append("code_verifier", verifier);

    const tokenResult = await fetch(config.server + "/api/developers/oauth2/token", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json" },
        body: tokenParams
    });
    const tokens = await tokenResult.json();
    outcome.tokenStatus = tokenResult.status;
    outcome.scope = tokens.scope;
    outcome.hasRefreshToken = typeof tokens.refresh_token === "string";

    // A custom Authorization header: the browser sends a CORS preflight first.
    const me = await fetch(config.server + "/api/users/current", {
        headers: { Authorization: "Bearer " + tokens.access_token, Accept: "application/json" }
    });
    outcome.profileStatus = me.status;
    outcome.username = (await me.json()).username;
    return outcome;
}

const result = document.getElementById("result");
function report(outcome, word) {
    result.dataset.outcome = JSON.stringify(outcome);
    result.textContent = word;
}
document.getElementById("connect").addEventListener("click", () => {
    connect().catch((e) => report({ error: String(e) }, "failed"));
});
const code = new URLSearchParams(window.location.search).get("code");
if (code) {
    finish(code).then((o) => report(o, "done"), (e) => report({ error: String(e) }, "failed"));
}
</script>
</body></html>`;
}
