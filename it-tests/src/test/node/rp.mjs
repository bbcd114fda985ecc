// A relying party built on the certified openid-client library, as an application in front of the broker would
// be. It listens on 127.0.0.1:$PORT: /login sends the browser to the broker (code flow, PKCE S256, state, nonce;
// ?prompt=P and ?login_hint=H are passed on); /callback redeems the code, validates the ID token and reads userinfo,
// and answers what it learned as JSON;
// /refresh?token=T refreshes with openid-client's refresh-token grant; /logout?idToken=T logs out (RP-initiated);
// /introspect?token=T and /revoke?token=T call the introspection (RFC 7662) and revocation (RFC 7009) endpoints.
// Environment: ISSUER, CLIENT_ID, CLIENT_SECRET (absent: a public client), CLIENT_AUTH (basic|post), PORT, ID_TOKEN_ALG.
import http from 'node:http';
import * as client from 'openid-client';

const issuer = new URL(process.env.ISSUER);
const clientId = process.env.CLIENT_ID;
const secret = process.env.CLIENT_SECRET;
const port = Number(process.env.PORT);
const base = `http://127.0.0.1:${port}`;
const redirectUri = `${base}/callback`;

const auth = !secret ? client.None() : process.env.CLIENT_AUTH === 'post' ? client.ClientSecretPost(secret)
  : client.ClientSecretBasic(secret);
// the broker under test runs on http://localhost: allow it, as a developer would against a local broker
// ID_TOKEN_ALG: the algorithm the client was registered to receive its tokens signed with (openid-client expects RS256)
const metadata = {client_secret: secret, ...(process.env.ID_TOKEN_ALG ? {id_token_signed_response_alg: process.env.ID_TOKEN_ALG} : {})};
const config = await client.discovery(issuer, clientId, metadata, auth, {execute: [client.allowInsecureRequests]});

const pending = new Map();

function answer(res, status, body) {
  res.writeHead(status, {'Content-Type': 'application/json'});
  res.end(JSON.stringify(body));
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, base);
  try {
    if (url.pathname === '/login') {
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      pending.set(state, {verifier, nonce});
      const params = {
        redirect_uri: redirectUri,
        scope: url.searchParams.get('scope') || 'openid profile email groups',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      };
      if (url.searchParams.get('prompt')) {
        params.prompt = url.searchParams.get('prompt');
      }
      if (url.searchParams.get('login_hint')) {
        params.login_hint = url.searchParams.get('login_hint');
      }
      res.writeHead(302, {Location: client.buildAuthorizationUrl(config, params).href});
      res.end();
      return;
    }
    if (url.pathname === '/callback') {
      const state = url.searchParams.get('state');
      const expected = pending.get(state);
      if (!expected) {
        answer(res, 400, {error: 'unknown_state', params: Object.fromEntries(url.searchParams)});
        return;
      }
      pending.delete(state);
      const tokens = await client.authorizationCodeGrant(config, url, {
        pkceCodeVerifier: expected.verifier,
        expectedState: state,
        expectedNonce: expected.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
      answer(res, 200, {claims, userinfo, tokenType: tokens.token_type, expiresIn: tokens.expiresIn(),
        accessToken: tokens.access_token,
        refreshToken: tokens.refresh_token, idToken: tokens.id_token});
      return;
    }
    if (url.pathname === '/refresh') {
      // the test hands over the refresh token to use, so it can also present a spent one
      const tokens = await client.refreshTokenGrant(config, url.searchParams.get('token'));
      answer(res, 200, {claims: tokens.claims(), refreshToken: tokens.refresh_token,
        userinfo: await client.fetchUserInfo(config, tokens.access_token, tokens.claims().sub)});
      return;
    }
    if (url.pathname === '/introspect') {
      answer(res, 200, await client.tokenIntrospection(config, url.searchParams.get('token')));
      return;
    }
    if (url.pathname === '/revoke') {
      await client.tokenRevocation(config, url.searchParams.get('token'));
      answer(res, 200, {revoked: true});
      return;
    }
    if (url.pathname === '/logout') {
      // RP-initiated logout with the ID token the test hands over
      const params = {post_logout_redirect_uri: `${base}/logged-out`, state: client.randomState()};
      if (url.searchParams.get('idToken')) {
        params.id_token_hint = url.searchParams.get('idToken');
      }
      res.writeHead(302, {Location: client.buildEndSessionUrl(config, params).href});
      res.end();
      return;
    }
    if (url.pathname === '/logged-out') {
      answer(res, 200, {loggedOut: true, params: Object.fromEntries(url.searchParams)});
      return;
    }
    answer(res, 404, {error: 'not_found'});
  } catch (e) {
    answer(res, 400, {error: e.error || e.code || e.name, message: e.error_description || e.message,
      params: Object.fromEntries(url.searchParams)});
  }
});

server.listen(port, '127.0.0.1', () => {
  console.log(`LISTENING ${base}`);
});
