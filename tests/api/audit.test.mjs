// The audit chain end to end: changes are recorded, the head is public,
// and `xianfeng verify-audit` finds a row edited behind the server's back.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, dialects, Client, cliResult, ADMIN_PASSWORD } from './lib/harness.mjs';

for (const dialect of dialects()) {
  describe(`audit on ${dialect}`, () => {
    let server;
    before(async () => { server = await startServer(dialect); });
    after(async () => { await server?.stop(); });

    it('records a change and publishes the head', async () => {
      const admin = new Client(server.base);
      await admin.login('admin', ADMIN_PASSWORD);
      const res = await admin.patch(`/api/v1/admin/units/${server.logins.secretary.unit}`, { address: '幸福路 1 号' });
      assert.equal(res.status, 200, JSON.stringify(res.data));
      const trail = await admin.get(`/api/v1/admin/audit?unit=${server.logins.secretary.unit}&limit=5`);
      assert.equal(trail.status, 200);
      assert.ok(trail.data.entries.some((e) => e.action.startsWith('unit.') && e.actor_name === 'admin'));
      const pub = await new Client(server.base).get('/api/v1/audit');
      assert.equal(pub.status, 200);
      assert.match(pub.data.head_hash, /^[0-9a-f]{64}$/);
      assert.ok(pub.data.entries > 0);
    });

    it('verify-audit says OK, then finds a row edited in the database', () => {
      const ok = cliResult(['verify-audit', '--db', server.db.url]);
      assert.equal(ok.status, 0, ok.stderr);
      assert.match(ok.stdout, /^OK \d+ [0-9a-f]{64}$/m);
      server.db.sql("UPDATE audit_entries SET summary = 'tampered' WHERE seq = 3");
      const broken = cliResult(['verify-audit', '--db', server.db.url]);
      assert.notEqual(broken.status, 0);
      assert.match(broken.stdout + broken.stderr, /\b3\b/);
    });
  });
}
