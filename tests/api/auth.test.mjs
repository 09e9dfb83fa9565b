// Sessions, cookies, CSRF and login throttling, on both databases.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, dialects, Client, ADMIN_PASSWORD, DEMO_PASSWORD } from './lib/harness.mjs';

for (const dialect of dialects()) {
  describe(`sessions on ${dialect}`, () => {
    let server;
    before(async () => { server = await startServer(dialect); });
    after(async () => { await server?.stop(); });

    it('logs in, says who is logged in, and logs out', async () => {
      const c = new Client(server.base);
      assert.equal((await c.get('/api/v1/session')).status, 401);
      const login = await c.login('secretary', DEMO_PASSWORD);
      assert.equal(login.status, 200);
      assert.match(login.data.csrf_token, /^[0-9a-f]{32,}$/);
      assert.equal(login.data.user.username, 'secretary');
      assert.equal(login.data.user.roles[0].role, 'secretary');
      assert.equal(login.data.user.roles[0].unit_code, server.logins.secretary.unit);
      const me = await c.get('/api/v1/session');
      assert.equal(me.status, 200);
      assert.equal(me.data.user.username, 'secretary');
      assert.equal((await c.delete('/api/v1/session')).status, 204);
      assert.equal((await c.get('/api/v1/session')).status, 401);
    });

    it('issues a new token at every login', async () => {
      const a = new Client(server.base);
      const b = new Client(server.base);
      await a.login('auditor', DEMO_PASSWORD);
      await b.login('auditor', DEMO_PASSWORD);
      assert.notEqual(a.cookieHeader(), b.cookieHeader());
    });

    it('gives the same answer for an unknown user and a wrong password', async () => {
      const unknown = await new Client(server.base).login('nobody-here', 'whatever-password');
      const wrong = await new Client(server.base).login('county', 'wrong-password-1');
      assert.equal(unknown.status, 401);
      assert.equal(wrong.status, 401);
      assert.deepEqual(unknown.data, wrong.data);
    });

    it('refuses a state change without the CSRF token or from another origin', async () => {
      const c = new Client(server.base);
      await c.login('county', DEMO_PASSWORD);
      const body = { name: '测试', post: '党员', joined_on: '2020-01-01', status: 'full', unit_code: server.logins.secretary.unit };
      assert.equal((await c.post('/api/v1/admin/members', body, { csrf: false })).status, 403);
      assert.equal((await c.post('/api/v1/admin/members', body, { origin: 'http://evil.example' })).status, 403);
      const ok = await c.post('/api/v1/admin/members', body);
      assert.equal(ok.status, 201, JSON.stringify(ok.data));
    });

    it('throttles repeated failed logins with 429 and Retry-After', async () => {
      const c = new Client(server.base);
      let res;
      for (let i = 0; i < 12; i++) {
        res = await c.login('township', `wrong-password-${i}`);
        if (res.status === 429) break;
      }
      assert.equal(res.status, 429);
      assert.ok(Number(res.headers.get('retry-after')) > 0);
      // The right password is refused too while the account is throttled.
      assert.equal((await c.login('township', DEMO_PASSWORD)).status, 429);
    });

    it('ends every session of a disabled account', async () => {
      const admin = new Client(server.base);
      await admin.login('admin', ADMIN_PASSWORD);
      const victim = new Client(server.base);
      assert.equal((await victim.login('auditor', DEMO_PASSWORD)).status, 200);
      const users = await admin.get('/api/v1/admin/users?q=auditor');
      const id = users.data.users.find((u) => u.username === 'auditor').id;
      assert.equal((await admin.post(`/api/v1/admin/users/${id}/disable`, {})).status, 200);
      assert.equal((await victim.get('/api/v1/session')).status, 401);
    });

    it('rejects weak passwords naming the field', async () => {
      const admin = new Client(server.base, { lang: 'en' });
      await admin.login('admin', ADMIN_PASSWORD);
      for (const password of ['short', 'password123', '12345678']) {
        const res = await admin.post('/api/v1/admin/users', { username: `u${password.length}x`, display_name: 'x', password });
        assert.equal(res.status, 400, password);
        assert.equal(res.data.error.fields[0].field, 'password');
      }
    });
  });
}

describe('cookie flags', () => {
  it('uses __Host- with Secure, HttpOnly, SameSite=Lax and Path=/ without --dev-cookies', async () => {
    const server = await startServer('sqlite', { demo: false, devCookies: false });
    try {
      const res = await new Client(server.base).post('/api/v1/session', { username: 'admin', password: ADMIN_PASSWORD });
      assert.equal(res.status, 200);
      const cookie = res.headers.getSetCookie()[0];
      assert.match(cookie, /^__Host-xf_session=[^;]+/);
      for (const flag of ['Secure', 'HttpOnly', 'SameSite=Lax', 'Path=/']) assert.ok(cookie.includes(flag), flag);
      assert.ok(!/Domain=/i.test(cookie));
    } finally {
      await server.stop();
    }
  });
});
