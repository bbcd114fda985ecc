// The bench's OpenID provider: node oidc-provider (a certified implementation) shaped like Authentik.
//   node idp.js PORT REDIRECT_URI [KEY_BITS] [CLIENT_ID]
// Prints one line "ready ISSUER" when it listens on 127.0.0.1:PORT.
// Authentik's shape: the issuer is http://127.0.0.1:PORT/application/o/bench/ (trailing slash), ID tokens are RS256
// and carry the profile, email and groups claims (email_verified false, as Authentik 2025.10+ sends), userinfo answers
// the same claims, and the person signs in on a login form (any username, the password "bench-password").
// One confidential client: CLIENT_ID (bench-client by default, the broker's; the Keycloak run registers
// keycloak-broker, with Keycloak's broker endpoint as REDIRECT_URI) and the secret below.
import http from 'node:http';
import crypto from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const redirectUri = process.argv[3];
const keyBits = Number(process.argv[4] || 2048);
const CLIENT_ID = process.argv[5] || 'bench-client';
if (!port || !redirectUri) {
  console.error('usage: node idp.js PORT REDIRECT_URI [KEY_BITS] [CLIENT_ID]');
  process.exit(2);
}

const prefix = '/application/o/bench';
const issuer = `http://127.0.0.1:${port}${prefix}/`;
const CLIENT_SECRET = 'bench-client-secret-0123456789abcdef0123456789abcdef';
const PASSWORD = 'bench-password';

const signingKey = crypto.generateKeyPairSync('rsa', { modulusLength: keyBits }).privateKey
  .export({ format: 'jwk' });
signingKey.kid = crypto.randomBytes(16).toString('hex');
signingKey.use = 'sig';
signingKey.alg = 'RS256';

// claims an Authentik user has: the default property mappings of the openid, email and profile scopes plus groups
function claimsOf(username) {
  const groups = ['bench-users', `bench-team-${username.length % 7}`];
  return {
    sub: username,
    email: `${username}@bench.example`,
    email_verified: false,
    name: `Bench User ${username}`,
    given_name: `Bench User ${username}`,
    preferred_username: username,
    nickname: username,
    groups,
  };
}

const provider = new Provider(issuer, {
  clients: [{
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'RS256',
  }],
  jwks: { keys: [signingKey] },
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'preferred_username', 'nickname'],
    groups: ['groups'],
  },
  scopes: ['openid', 'profile', 'email', 'groups', 'offline_access'],
  // Authentik puts the scopes' claims in the ID token as well as in userinfo
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => true },
  interactions: { url: (ctx, interaction) => `/if/flow/default-authentication-flow/${interaction.uid}` },
  async findAccount(ctx, id) {
    return { accountId: id, claims: async () => claimsOf(id) };
  },
  ttl: { AccessToken: 300, AuthorizationCode: 60, IdToken: 300, Interaction: 600, Session: 600, Grant: 600 },
  renderError(ctx, out) {
    ctx.type = 'text/plain';
    ctx.body = `${out.error}: ${out.error_description || ''}`;
  },
});
provider.proxy = false;
const callback = provider.callback();

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// about the size of Authentik's flow page without its script bundle
function loginPage(uid, clientId, error) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in - bench IdP</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>
body{font-family:system-ui,sans-serif;background:#1c1e21;color:#fafafa;margin:0}main{max-width:24rem;margin:4rem auto;
padding:2rem;background:#18191a;border-radius:.5rem}label{display:block;margin:.75rem 0 .25rem}input{width:100%;
padding:.5rem;font-size:1rem}button{margin-top:1rem;width:100%;padding:.6rem;font-size:1rem;background:#0066cc;
color:#fff;border:0;border-radius:.25rem}.error{color:#f88}</style></head><body><main>
<h1>Welcome to the bench IdP</h1><p>Sign in to continue to ${escapeHtml(clientId)}.</p>
${error ? `<p class="error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/if/flow/default-authentication-flow/${escapeHtml(uid)}/login" autocomplete="off">
<label for="uid_field">Username or email</label><input id="uid_field" name="username" required autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" required>
<button type="submit">Log in</button></form></main></body></html>`;
}

function readForm(req, limit = 8192) {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks = [];
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error('form too large'));
        req.destroy();
      } else {
        chunks.push(chunk);
      }
    });
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

function answer(res, status, type, body) {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

async function flow(req, res, uid, login) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid || details.prompt.name !== 'login') {
    answer(res, 400, 'text/plain', 'this sign-in is not waiting for a login: start again');
    return;
  }
  if (!login) {
    answer(res, 200, 'text/html; charset=utf-8', loginPage(uid, details.params.client_id));
    return;
  }
  if (req.method !== 'POST') {
    answer(res, 405, 'text/plain', 'POST the form');
    return;
  }
  const form = await readForm(req);
  const username = form.get('username') || '';
  if (!/^[A-Za-z0-9._@-]{1,64}$/.test(username) || form.get('password') !== PASSWORD) {
    answer(res, 200, 'text/html; charset=utf-8', loginPage(uid, details.params.client_id, 'Invalid username or password.'));
    return;
  }
  // implicit consent, as Authentik's default-provider-authorization-implicit-consent flow
  const grant = new provider.Grant({ accountId: username, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { login: { accountId: username }, consent: { grantId } },
    { mergeWithLastSubmission: false });
}

const server = http.createServer({ noDelay: true, keepAlive: true }, (req, res) => {
  const url = req.url || '/';
  const at = url.match(/^\/if\/flow\/default-authentication-flow\/([A-Za-z0-9_-]+)(\/login)?(?:\?.*)?$/);
  if (at) {
    flow(req, res, at[1], Boolean(at[2])).catch((e) => {
      if (!res.headersSent) {
        answer(res, 400, 'text/plain', `sign-in failed: ${e.message}`);
      }
    });
    return;
  }
  if (url === prefix || url.startsWith(`${prefix}/`)) {
    // mounted below the issuer's path, as express' app.use(path, ...) does: oidc-provider reads the mount path
    // from originalUrl minus url
    req.originalUrl = url;
    req.url = url.substring(prefix.length) || '/';
    callback(req, res);
    return;
  }
  answer(res, 404, 'text/plain', 'not found');
});
server.keepAliveTimeout = 120_000;
server.headersTimeout = 125_000;
server.listen(port, '127.0.0.1', () => console.log(`ready ${issuer}`));
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
