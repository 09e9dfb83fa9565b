// The working-day calendar over HTTP: the official 2025 and 2026 dates are
// loaded at start-up, anyone may read a year, only system administrators
// edit, every edit is in the audit trail — on both databases.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, dialects, Client, ADMIN_PASSWORD, DEMO_PASSWORD } from './lib/harness.mjs';

for (const dialect of dialects()) {
  describe(`calendar on ${dialect}`, () => {
    let server;
    let admin;
    let secretary;
    before(async () => {
      server = await startServer(dialect);
      admin = new Client(server.base);
      await admin.login('admin', ADMIN_PASSWORD);
      secretary = new Client(server.base);
      await secretary.login('secretary', DEMO_PASSWORD);
    });
    after(async () => { await server?.stop(); });

    it('shows the 2025 National Day week and its make-up working days to anyone', async () => {
      const res = await new Client(server.base).get('/api/v1/calendar?year=2025');
      assert.equal(res.status, 200);
      assert.equal(res.data.has_data, true);
      assert.equal(res.data.time_zone, 'Asia/Shanghai');
      const byDate = Object.fromEntries(res.data.days.map((d) => [d.date, d]));
      for (const day of ['2025-10-01', '2025-10-05', '2025-10-08']) assert.equal(byDate[day].kind, 'holiday', day);
      assert.equal(byDate['2025-09-28'].kind, 'workday');
      assert.equal(byDate['2025-10-11'].kind, 'workday');
      assert.match(byDate['2025-10-01'].source, /国办发明电〔2024〕12号/);
      assert.equal(byDate['2025-10-09'], undefined);
      const empty = await new Client(server.base).get('/api/v1/calendar?year=2031');
      assert.equal(empty.data.has_data, false);
      assert.deepEqual(empty.data.days, []);
      assert.equal((await new Client(server.base).get('/api/v1/calendar?year=20x5')).status, 400);
    });

    it('reports the years with data and warns about those without', async () => {
      const res = await admin.get('/api/v1/admin/calendar/status');
      assert.equal(res.status, 200);
      assert.deepEqual(res.data.years_with_data, [2025, 2026]);
      const thisYear = Number(res.data.today.slice(0, 4));
      const expected = [thisYear, thisYear + 1].filter((y) => y !== 2025 && y !== 2026);
      assert.deepEqual(res.data.warning_years, expected);
      assert.equal((await new Client(server.base).get('/api/v1/admin/calendar/status')).status, 401);
    });

    it('lets only a system administrator edit a date, and audits it', async () => {
      const refused = await secretary.request('PUT', '/api/v1/admin/calendar/2027-10-01',
        { json: { kind: 'holiday', name: '国庆节' } });
      assert.equal(refused.status, 403);
      const bad = await admin.request('PUT', '/api/v1/admin/calendar/2027-02-30',
        { json: { kind: 'party', name: '' } });
      assert.equal(bad.status, 400);
      assert.deepEqual(bad.data.error.fields.map((f) => f.field).sort(), ['date', 'kind', 'name']);

      const set = await admin.request('PUT', '/api/v1/admin/calendar/2027-10-01',
        { json: { kind: 'holiday', name: '国庆节' } });
      assert.equal(set.status, 200, set.text);
      assert.deepEqual(set.data, { date: '2027-10-01', kind: 'holiday', name: '国庆节', source: 'admin' });
      const year = await new Client(server.base).get('/api/v1/calendar?year=2027');
      assert.equal(year.data.days.length, 1);

      assert.equal((await admin.delete('/api/v1/admin/calendar/2027-10-01')).status, 204);
      assert.equal((await admin.delete('/api/v1/admin/calendar/2027-10-01')).status, 404);
      const audit = await admin.get('/api/v1/admin/audit?action=calendar.set_day');
      assert.equal(audit.data.entries.length, 1);
      assert.equal(audit.data.entries[0].object_id, '2027-10-01');
      const removed = await admin.get('/api/v1/admin/audit?action=calendar.remove_day');
      assert.equal(removed.data.entries.length, 1);
    });
  });
}
