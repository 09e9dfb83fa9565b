// The organisation tree over HTTP: public pages, subtree scope, bad input,
// CSV import and XLSX export — on both databases.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, dialects, Client, ADMIN_PASSWORD, DEMO_PASSWORD } from './lib/harness.mjs';

for (const dialect of dialects()) {
  describe(`organizations on ${dialect}`, () => {
    let server;
    let admin;
    let secretary;
    let otherBranch;
    before(async () => {
      server = await startServer(dialect);
      admin = new Client(server.base);
      await admin.login('admin', ADMIN_PASSWORD);
      secretary = new Client(server.base);
      await secretary.login('secretary', DEMO_PASSWORD);
      // A branch that is not the secretary's: a sibling under the same parent.
      const own = await admin.get(`/api/v1/admin/units/${server.logins.secretary.unit}`);
      const parent = own.data.parent_chain.at(-1).code;
      const siblings = await admin.get(`/api/v1/admin/units?parent=${parent}`);
      otherBranch = siblings.data.items.find((u) => u.code !== server.logins.secretary.unit).code;
    });
    after(async () => { await server?.stop(); });

    it('shows a unit publicly with its parent chain and no phone numbers', async () => {
      const res = await new Client(server.base).get(`/api/v1/units/${server.logins.secretary.unit}`);
      assert.equal(res.status, 200);
      assert.equal(res.data.code, server.logins.secretary.unit);
      assert.ok(res.data.parent_chain.length >= 2);
      assert.ok(!/1[3-9]\d{9}/.test(res.text), 'no phone number in public answers');
      assert.ok(!('contact_phone' in res.data));
      const roots = await new Client(server.base).get('/api/v1/units');
      assert.equal(roots.status, 200);
      assert.ok(roots.data.items.length >= 1);
    });

    it('keeps a branch secretary inside their branch (404 elsewhere)', async () => {
      assert.equal((await secretary.get(`/api/v1/admin/units/${server.logins.secretary.unit}`)).status, 200);
      assert.equal((await secretary.get(`/api/v1/admin/units/${otherBranch}`)).status, 404);
      assert.equal((await secretary.get(`/api/v1/admin/units/${otherBranch}/members`)).status, 404);
      const change = await secretary.patch(`/api/v1/admin/units/${otherBranch}`, { address: 'x' });
      assert.equal(change.status, 404);
      const add = await secretary.post('/api/v1/admin/members', { unit_code: otherBranch, name: '张三', post: '党员', joined_on: '2020-01-01', status: 'full' });
      assert.equal(add.status, 404);
      const roots = await secretary.get('/api/v1/admin/units');
      assert.deepEqual(roots.data.items.map((u) => u.code), [server.logins.secretary.unit]);
    });

    it('links a login to a member, so the person pledges as that member', async () => {
      const unit = server.logins.secretary.unit;
      const created = await admin.post('/api/v1/admin/users', { username: 'link-member', display_name: '李党员', password: 'a-long-member-password-2026' });
      assert.equal(created.status, 201, created.text);
      const members = await admin.get(`/api/v1/admin/units/${unit}/members?page_size=5`);
      const [first, second] = members.data.items;
      // The township's org admin manages accounts there; the branch secretary does not.
      const township = new Client(server.base);
      await township.login('township', DEMO_PASSWORD);
      const bySecretary = await secretary.put(`/api/v1/admin/members/${first.id}/account`, { username: 'link-member' });
      assert.equal(bySecretary.status, 403);
      const unknown = await township.put(`/api/v1/admin/members/${first.id}/account`, { username: 'nobody-here' });
      assert.equal(unknown.status, 400);
      assert.equal(unknown.data.error.fields[0].field, 'username');
      const linked = await township.put(`/api/v1/admin/members/${first.id}/account`, { username: 'link-member' });
      assert.equal(linked.status, 200, linked.text);
      assert.equal(linked.data.account_id, created.data.id);
      const taken = await township.put(`/api/v1/admin/members/${second.id}/account`, { username: 'link-member' });
      assert.equal(taken.status, 409, 'one login belongs to one member');

      const person = new Client(server.base);
      await person.login('link-member', 'a-long-member-password-2026');
      const session = await person.get('/api/v1/session');
      assert.equal(session.data.user.member_id, first.id);
      const audit = await admin.get('/api/v1/admin/audit?limit=5');
      assert.ok(audit.data.entries.some((e) => e.action === 'member.link_account'));

      const unlinked = await township.delete(`/api/v1/admin/members/${first.id}/account`);
      assert.equal(unlinked.status, 200);
      assert.equal(unlinked.data.account_id, null);
      assert.equal((await person.get('/api/v1/session')).data.user.member_id, null);
    });

    it('refuses a body field the actor may not set', async () => {
      const members = await secretary.get(`/api/v1/admin/units/${server.logins.secretary.unit}/members`);
      const id = members.data.items[0].id;
      const res = await secretary.patch(`/api/v1/admin/members/${id}`, { post: '网格员', unit_id: '1' });
      assert.equal(res.status, 400);
      assert.equal(res.data.error.fields[0].field, 'unit_id');
    });

    it('stores a <script> unit name as data, served as JSON', async () => {
      const county = server.logins.county.unit;
      const res = await admin.post('/api/v1/admin/units', { code: 'xss-test', name: '<script>alert(1)</script>', kind: 'branch', field: 'community', parent_code: county });
      assert.equal(res.status, 201, JSON.stringify(res.data));
      const shown = await new Client(server.base).get('/api/v1/units/xss-test');
      assert.equal(shown.data.name, '<script>alert(1)</script>');
      assert.match(shown.headers.get('content-type'), /^application\/json/);
    });

    it('treats SQL metacharacters in search as plain text', async () => {
      for (const q of ["'", "%", "_", "' OR 1=1 --", "\\"]) {
        const res = await admin.get(`/api/v1/admin/units/search?q=${encodeURIComponent(q)}`);
        assert.equal(res.status, 200, q);
        assert.equal(res.data.items.length, 0, q);
      }
    });

    it('names the field of bad input, in the user language, and changes nothing', async () => {
      const en = new Client(server.base, { lang: 'en' });
      await en.login('county', DEMO_PASSWORD);
      const res = await en.post('/api/v1/admin/units', { code: 'BAD CODE', name: '', kind: 'branch', field: 'rural', parent_code: server.logins.county.unit });
      assert.equal(res.status, 400);
      const fields = res.data.error.fields.map((f) => f.field);
      assert.ok(fields.includes('code'));
      assert.equal((await admin.get('/api/v1/admin/units/search?q=BAD')).data.items.length, 0);
    });

    it('never moves a unit into its own subtree', async () => {
      const township = server.logins.township.unit;
      const res = await admin.post(`/api/v1/admin/units/${township}/move`, { parent_code: server.logins.secretary.unit });
      assert.equal(res.status, 409);
    });

    it('imports members all-or-nothing with a report of every bad row', async () => {
      const unit = server.logins.secretary.unit;
      const before = (await secretary.get(`/api/v1/admin/units/${unit}/members`)).data.total;
      const csv = '姓名,单位编码,岗位,入党日期,状态,手机号,身份证号\n'
        + `李明,${unit},网格员,2019-07-01,正式,13800001111,\n`
        + `,${unit},网格员,2019-07-01,正式,,\n`
        + `王芳,${unit},教师,not-a-date,预备,,\n`;
      const res = await secretary.request('POST', `/api/v1/admin/import/members?unit=${unit}`, { body: csv, headers: { 'Content-Type': 'text/csv' } });
      assert.equal(res.status, 400, JSON.stringify(res.data));
      const rows = res.data.error.fields.map((f) => f.row);
      assert.deepEqual([...new Set(rows)].sort(), [2, 3]);
      const after = (await secretary.get(`/api/v1/admin/units/${unit}/members`)).data.total;
      assert.equal(after, before);
      const good = csv.split('\n').slice(0, 2).join('\n') + '\n';
      const ok = await secretary.request('POST', `/api/v1/admin/import/members?unit=${unit}`, { body: good, headers: { 'Content-Type': 'text/csv' } });
      assert.equal(ok.status, 200, JSON.stringify(ok.data));
      assert.equal(ok.data.imported, 1);
    });

    it('exports members as a real XLSX file', async () => {
      const res = await fetch(`${server.base}/api/v1/admin/export/members.xlsx?unit=${server.logins.secretary.unit}`, { headers: { Cookie: secretary.cookieHeader() } });
      assert.equal(res.status, 200);
      const bytes = Buffer.from(await res.arrayBuffer());
      assert.equal(bytes.subarray(0, 2).toString(), 'PK');
      assert.ok(bytes.includes('xl/worksheets/sheet1.xml'));
    });

    it('serves a QR code for the unit page as SVG and PNG', async () => {
      const svg = await new Client(server.base).get(`/api/v1/units/${server.logins.secretary.unit}/qr.svg`);
      assert.equal(svg.status, 200);
      assert.match(svg.headers.get('content-type'), /image\/svg\+xml/);
      assert.match(svg.text, /<svg[\s\S]*<\/svg>/);
      const png = await fetch(`${server.base}/api/v1/units/${server.logins.secretary.unit}/qr.png`);
      assert.equal(png.status, 200);
      const bytes = Buffer.from(await png.arrayBuffer());
      assert.deepEqual([...bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    });
  });
}
