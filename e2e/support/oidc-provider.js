// A real OpenID Connect provider for the SURFconext tests (issue 17): panva's `oidc-provider`
// in the test's own process, behind a small reverse proxy that the tests can make misbehave, and
// a Stip of the spec's own that trusts it.
//
//   browser ──┐
//             ├──> proxy (issuer, http://127.0.0.1:P) ──> oidc-provider (127.0.0.1:Q)
//   Stip ─────┘
//
// The proxy's modes: `pass` (forwards everything), `tamper` (changes one character of the ID
// token's payload in the token endpoint's response, so its signature no longer matches) and
// `down` (destroys every connection: the provider is unreachable). The provider can be restarted
// with a new signing key (`rotateKeys`) behind the same issuer.
//
// The provider signs anyone in (devInteractions: the login typed becomes the account id) and
// grants `openid profile email` without a consent page; `people` maps account ids (the `sub`)
// to claims and may be changed while the tests run.
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');

const SCOPES = 'openid profile email';

/** A TCP port that was free a moment ago (the system's choice for port 0). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = http.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A fresh RSA signing key as a private JWK with its own `kid`. */
function signingKey() {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: crypto.randomBytes(8).toString('hex'), use: 'sig', alg: 'RS256' };
}

function b64urlJson(segment) {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
}

/** The header and payload of a JWT, without checking anything. */
function decodeJwt(jwt) {
  const [header, payload] = jwt.split('.');
  return { header: b64urlJson(header), payload: b64urlJson(payload) };
}

/**
 * The same JWT with one character of its payload changed, so the payload is still valid JSON
 * but the signature no longer matches it. The character is the last of the institution's domain
 * (`schac_home_organization`, else of `sub`): a forged institution, which an RP that skipped the
 * signature would show as another page (an unknown institution) than a refused ID token.
 */
function tamperJwt(jwt) {
  const [header, payload, signature] = jwt.split('.');
  const claims = b64urlJson(payload);
  const key = typeof claims.schac_home_organization === 'string' && claims.schac_home_organization ? 'schac_home_organization' : 'sub';
  const value = String(claims[key]);
  const last = value[value.length - 1];
  claims[key] = value.slice(0, -1) + (last === 'x' ? 'y' : 'x');
  return [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
}

// oidc-provider warns, on every start, about what a test provider is on purpose (an in-memory
// store, the development login form, Node 20 rather than 22): those lines are left out of the
// test output; anything else it says is shown.
const EXPECTED_WARNINGS = /^oidc-provider WARNING: (Unsupported runtime|a quick start development-only)/;
let quiet = false;
function quietenExpectedWarnings() {
  if (quiet) return;
  quiet = true;
  const warn = console.warn;
  console.warn = (...args) => {
    if (typeof args[0] === 'string' && EXPECTED_WARNINGS.test(args[0])) return;
    warn(...args);
  };
}

/**
 * The provider (oidc-provider) for one client, listening on its own port; `stop()` closes it.
 * `issuer` is the proxy's address: the provider builds its URLs from the Host header, which the
 * proxy passes on unchanged.
 */
async function startProvider({ issuer, client, people, key, cookieKeys }) {
  quietenExpectedWarnings();
  const { default: Provider } = await import('oidc-provider');
  const provider = new Provider(issuer, {
    clients: [client],
    jwks: { keys: [key] },
    cookies: { keys: cookieKeys },
    pkce: { required: () => true },
    claims: {
      openid: ['sub', 'schac_home_organization'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name'],
    },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true, logoutSource } },
    clientBasedCORS: () => false,
    ttl: { AccessToken: 3600, AuthorizationCode: 600, Grant: 3600, IdToken: 3600, Interaction: 3600, Session: 3600 },
    // Every sign-in is granted the scopes Stip asks for: no consent page.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) {
        const grant = await ctx.oidc.provider.Grant.find(grantId);
        if (grant) return grant;
      }
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope(SCOPES);
      await grant.save();
      return grant;
    },
    async findAccount(ctx, id) {
      return {
        accountId: id,
        async claims() {
          const person = people[id];
          if (!person) return { sub: id };
          return { email_verified: true, ...person, sub: id };
        },
      };
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = `<!DOCTYPE html><html lang="en"><head><title>Provider error</title></head><body><main><h1>Provider error</h1><pre>${escapeHtml(JSON.stringify(out))}</pre></main></body></html>`;
    },
  });
  const server = http.createServer(provider.callback());
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    provider,
    port: server.address().port,
    kid: key.kid,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The provider's confirmation page for RP-initiated logout: its own form and a "yes" button. */
async function logoutSource(ctx, form) {
  ctx.type = 'html';
  ctx.body = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sign out</title></head><body><main><h1>Do you want to sign out from ${escapeHtml(ctx.host)}?</h1>${form}<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button> <button type="submit" form="op.logoutForm">No, stay signed in</button></main></body></html>`;
}

/**
 * The reverse proxy in front of the provider. `target()` gives the provider's current port.
 * Keeps a log of the requests it saw (`requests`) and of the ID tokens it passed on or changed.
 */
async function startProxy(target, { mode = 'pass' } = {}) {
  const state = {
    mode,
    requests: [],
    idTokens: [],
    tampered: 0,
    sockets: new Set(),
    redirects: [],
  };
  const goDown = (spare) => {
    state.mode = 'down';
    for (const s of state.sockets) if (s !== spare) s.destroy();
  };
  const server = http.createServer((req, res) => {
    if (state.mode === 'down') {
      req.socket.destroy();
      return;
    }
    const url = new URL(req.url, 'http://proxy');
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const seen = { method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: { ...req.headers }, body: body.toString('utf8') };
      state.requests.push(seen);
      const upstream = http.request(
        { host: '127.0.0.1', port: target(), method: req.method, path: req.url, headers: req.headers, agent: false },
        (up) => {
          const isToken = req.method === 'POST' && url.pathname === '/token' && up.statusCode === 200;
          const location = up.headers.location ? new URL(up.headers.location, `http://${req.headers.host}`) : null;
          const caught = location && state.redirects.findIndex((r) => r.match(location));
          if (location && caught >= 0) {
            const [hook] = state.redirects.splice(caught, 1);
            if (hook.down) {
              // Down for everything after this answer, which still reaches the browser.
              goDown(req.socket);
              res.on('finish', () => req.socket.destroy());
            }
            hook.resolve(location.href);
            if (hook.hold) {
              up.resume();
              res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', connection: 'close' });
              res.end('<!DOCTYPE html><html lang="en"><head><title>Held</title></head><body><main><h1>Held by the test proxy</h1></main></body></html>');
              return;
            }
          }
          if (!isToken) {
            res.writeHead(up.statusCode, up.headers);
            up.pipe(res);
            return;
          }
          const parts = [];
          up.on('data', (c) => parts.push(c));
          up.on('end', () => {
            let out = Buffer.concat(parts);
            try {
              const json = JSON.parse(out.toString('utf8'));
              if (json.id_token) {
                state.idTokens.push(json.id_token);
                if (state.mode === 'tamper') {
                  json.id_token = tamperJwt(json.id_token);
                  state.tampered += 1;
                  out = Buffer.from(JSON.stringify(json));
                }
              }
            } catch {
              // Not JSON: passed on as it came.
            }
            const headers = { ...up.headers, 'content-length': String(out.length) };
            delete headers['transfer-encoding'];
            res.writeHead(up.statusCode, headers);
            res.end(out);
          });
        },
      );
      upstream.on('error', (err) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`proxy: ${err.message}`);
      });
      upstream.end(body);
    });
  });
  server.on('connection', (socket) => {
    if (state.mode === 'down') {
      socket.destroy();
      return;
    }
    state.sockets.add(socket);
    socket.on('close', () => state.sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = server.address().port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    get mode() {
      return state.mode;
    },
    /** `pass`, `tamper` or `down`; `down` also cuts the connections already open. */
    setMode(next) {
      if (!['pass', 'tamper', 'down'].includes(next)) throw new Error(`unknown proxy mode ${next}`);
      if (next === 'down') goDown(null);
      else state.mode = next;
    },
    /**
     * The next time the provider sends the browser (a redirect) to a URL for which `match(url)`
     * holds: with `hold`, the browser gets a plain page instead and never goes there; with
     * `down`, the proxy goes down right after passing that redirect on. Resolves with the URL.
     */
    catchRedirect(match, { hold = false, down = false } = {}) {
      return new Promise((resolve) => state.redirects.push({ match, hold, down, resolve }));
    },
    get requests() {
      return state.requests;
    },
    get idTokens() {
      return state.idTokens;
    },
    get tampered() {
      return state.tampered;
    },
    stop: () =>
      new Promise((resolve) => {
        for (const s of state.sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Starts `stip serve --demo` on `port` with a fresh SQLite database and the OIDC options;
 * resolves once it prints "Stip is ready at". Its stderr (the log) is kept in `log()` and
 * copied to `logFile`.
 */
async function startStip({ bin, port, issuer, clientId, clientSecret, logFile }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stip-oidc-'));
  const url = `http://127.0.0.1:${port}`;
  const args = [
    'serve',
    '--demo',
    '--addr',
    `127.0.0.1:${port}`,
    '--database',
    `sqlite://${dir}/stip.db`,
    '--public-url',
    url,
    '--oidc-issuer',
    issuer,
    '--oidc-client-id',
    clientId,
    '--oidc-client-secret',
    clientSecret,
  ];
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('STIP_')) delete env[name];
  const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  // Should the test process end without afterAll, Stip ends with it.
  const orphan = () => child.kill('SIGTERM');
  process.once('exit', orphan);
  child.on('exit', () => process.off('exit', orphan));
  const out = fs.createWriteStream(logFile);
  let log = '';
  child.stderr.on('data', (chunk) => {
    log += chunk.toString('utf8');
    out.write(chunk);
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`stip did not say it was ready within 60 s; log:\n${log}`)), 60_000);
    child.stdout.on('data', (chunk) => {
      out.write(chunk);
      if (seen === null) return;
      seen += chunk.toString('utf8');
      if (/^Stip is ready at /m.test(seen)) {
        seen = null;
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`stip exited (${code ?? signal}) before it was ready; log:\n${log}`));
    });
  });
  try {
    await ready;
  } catch (err) {
    child.kill('SIGTERM');
    out.end();
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url,
    dir,
    /** Everything Stip logged so far; `log(mark)` from a mark taken with `mark()`. */
    log: (from = 0) => log.slice(from),
    mark: () => log.length,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      out.end();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The whole setting: proxy, provider with client `stip`, and a Stip trusting it. `people` are
 * the provider's accounts (by the login typed in its form). `mode` is the proxy's first mode:
 * `down` makes sure Stip has not discovered the provider before the tests start.
 */
async function startSsoWorld({ bin, people, mode = 'pass', logFile }) {
  const clientSecret = crypto.randomBytes(24).toString('base64url');
  const cookieKeys = [crypto.randomBytes(32).toString('hex')];
  const stipPort = await freePort();
  const stipUrl = `http://127.0.0.1:${stipPort}`;
  let backend = null;
  const proxy = await startProxy(() => backend.port, { mode });
  const client = {
    client_id: 'stip',
    client_secret: clientSecret,
    redirect_uris: [`${stipUrl}/inloggen/oidc/terug`],
    post_logout_redirect_uris: [`${stipUrl}/`],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  };
  const start = (key) => startProvider({ issuer: proxy.url, client, people, key, cookieKeys });
  backend = await start(signingKey());
  let stip;
  try {
    stip = await startStip({ bin, port: stipPort, issuer: proxy.url, clientId: client.client_id, clientSecret, logFile });
  } catch (err) {
    await backend.stop();
    await proxy.stop();
    throw err;
  }
  return {
    stipUrl,
    issuer: proxy.url,
    client,
    proxy,
    stip,
    people,
    /** The `kid` of the key the provider signs with now. */
    get kid() {
      return backend.kid;
    },
    /** Restarts the provider behind the same issuer with a new signing key (the old one gone). */
    async rotateKeys() {
      const old = backend;
      backend = await start(signingKey());
      await old.stop();
      return backend.kid;
    },
    async stop() {
      await stip.stop();
      await proxy.stop();
      await backend.stop();
    },
  };
}

module.exports = { startSsoWorld, startProvider, startProxy, startStip, freePort, signingKey, decodeJwt, tamperJwt, SCOPES };
