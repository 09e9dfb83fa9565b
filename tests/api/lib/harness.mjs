// Starts real xianfeng servers for HTTP scenarios: a fresh database (a
// temporary SQLite file, or a fresh schema in the throwaway PostgreSQL that
// scripts/test starts), `init` + `demo`, then `serve` on port 0.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export const BIN = process.env.XF_BIN ?? 'build/dev/app/xianfeng';
export const ADMIN_PASSWORD = 'scenario-admin-password-2026';
export const DEMO_PASSWORD = 'xianfeng-demo-2026';

// The databases to run on: SQLite always, PostgreSQL when scripts/test
// started one.
export function dialects() {
  return process.env.XF_TEST_POSTGRES_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

export function freshDatabase(dialect) {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'xf-api-'));
    return { url: `sqlite:${join(dir, 'test.db')}`, drop: () => rmSync(dir, { recursive: true, force: true }),
      sql: (statement) => execFileSync('sqlite3', [join(dir, 'test.db'), statement]).toString() };
  }
  const base = process.env.XF_TEST_POSTGRES_URL;
  const schema = `api_${randomBytes(6).toString('hex')}`;
  execFileSync('psql', [base, '-qc', `CREATE SCHEMA ${schema}`]);
  const sep = base.includes('?') ? '&' : '?';
  return {
    url: `${base}${sep}options=-csearch_path%3D${schema}`,
    drop: () => execFileSync('psql', [base, '-qc', `DROP SCHEMA ${schema} CASCADE`]),
    sql: (statement) =>
      execFileSync('psql', [base, '-qAtc', `SET search_path TO ${schema}; ${statement}`]).toString(),
  };
}

export function cli(args, env = {}) {
  return execFileSync(BIN, args, { env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

// cliResult runs a verb that may fail and returns {status, stdout, stderr}.
export function cliResult(args, env = {}) {
  try {
    return { status: 0, stdout: cli(args, env), stderr: '' };
  } catch (e) {
    return { status: e.status, stdout: e.stdout?.toString() ?? '', stderr: e.stderr?.toString() ?? '' };
  }
}

// Demo logins by role, from the lines `xianfeng demo` prints:
// "demo login: secretary (secretary @ <unit code>)".
function parseDemoLogins(output) {
  const logins = {};
  for (const m of output.matchAll(/demo login: (\S+) \((\S+) @ (\S+)\)/g)) logins[m[1]] = { role: m[2], unit: m[3] };
  return logins;
}

export async function startServer(dialect, { demo = true, devCookies = true, extraArgs = [] } = {}) {
  const db = freshDatabase(dialect);
  cli(['init', '--db', db.url, '--admin', 'admin'], { XF_ADMIN_PASSWORD: ADMIN_PASSWORD });
  const logins = demo ? parseDemoLogins(cli(['demo', '--db', db.url])) : {};
  return { ...(await serve(db, { devCookies, extraArgs })), logins };
}

// serve starts `xianfeng serve` itself (no shell in between, so a signal to
// `child` reaches the server) on a database that already exists: a fresh
// one from startServer, or the one a killed server left behind.
export async function serve(db, { devCookies = true, extraArgs = [] } = {}) {
  const args = ['serve', '--db', db.url, '--listen', '127.0.0.1:0', '--web', 'web/dist', ...extraArgs];
  if (devCookies) args.push('--dev-cookies');
  const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const base = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 30000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[0-9.]+:\d+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}:\n${log}`)); });
  });
  // Stops the server cleanly and keeps the database (for a CLI verb that
  // needs the server down, then serve() again).
  const shutdown = () => { child.kill('SIGTERM'); return exited; };
  return {
    base, db, child,
    log: () => log,
    shutdown,
    // Stops the server and drops its database.
    async stop() {
      const result = await shutdown();
      db.drop();
      return result;
    },
    // SIGKILL, as a power cut would: no shutdown code runs; the database is
    // kept for the next serve().
    kill() { child.kill('SIGKILL'); return exited; },
  };
}

// A browser-like client: keeps cookies, sends the CSRF token and a
// same-origin Origin on state-changing requests.
export class Client {
  constructor(base, { lang = 'zh-CN' } = {}) {
    this.base = base;
    this.cookies = new Map();
    this.csrf = null;
    this.lang = lang;
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(method, path, { json, body, headers = {}, csrf = true, origin = this.base } = {}) {
    const h = { 'Accept-Language': this.lang, ...headers };
    if (this.cookies.size) h.Cookie = this.cookieHeader();
    if (method !== 'GET' && method !== 'HEAD') {
      if (origin) h.Origin = origin;
      if (csrf && this.csrf) h['X-CSRF-Token'] = this.csrf;
    }
    if (json !== undefined) {
      h['Content-Type'] = 'application/json';
      body = JSON.stringify(json);
    }
    const res = await fetch(this.base + path, { method, headers: h, body, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, v] = pair.split('=');
      if (v === '' || /Max-Age=0/i.test(c)) this.cookies.delete(k); else this.cookies.set(k, v);
    }
    const text = await res.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch { data = text; }
    return { status: res.status, headers: res.headers, data, text };
  }

  get(path, opts) { return this.request('GET', path, opts); }
  post(path, json, opts = {}) { return this.request('POST', path, { json, ...opts }); }
  patch(path, json, opts = {}) { return this.request('PATCH', path, { json, ...opts }); }
  put(path, json, opts = {}) { return this.request('PUT', path, { json, ...opts }); }
  delete(path, opts) { return this.request('DELETE', path, opts); }

  async login(username, password) {
    const res = await this.post('/api/v1/session', { username, password });
    if (res.status === 200) this.csrf = res.data.csrf_token;
    return res;
  }
}

// A busy server's refusal (503 or 429 with Retry-After) is not an answer to
// the request: like the ballot page (sendWhileBusy in web/), send it again
// after the wait (at most 1 s here), up to `tries` times. `send` returns an
// answer with `status` and either `retryAfter` or the response's `headers`.
export async function sendWhileBusy(send, tries = 5) {
  let answer;
  for (let attempt = 0; attempt < tries; attempt += 1) {
    answer = await send();
    const wait = Number(answer.retryAfter ?? answer.headers?.get('retry-after') ?? 0);
    if (!((answer.status === 503 || answer.status === 429) && wait > 0)) break;
    await new Promise((resolve) => setTimeout(resolve, Math.min(wait * 1000, 1000)));
  }
  return answer;
}
