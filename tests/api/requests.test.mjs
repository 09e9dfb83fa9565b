// Residents' problems over HTTP on both databases: an anonymous resident
// reports a problem and follows it with the tracking token, the branch
// accepts and resolves it, the resident confirms with a grade and the unit's
// figures change; refusals; 50 parallel reopens give exactly one; queues,
// overdue lists and figures over the demo county's 2000 problems; the
// close-stale verb; rate limits with Retry-After.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, dialects, Client, cli, DEMO_PASSWORD } from './lib/harness.mjs';

for (const dialect of dialects()) {
  describe(`requests on ${dialect}`, () => {
    let server;
    let secretary;
    let county;
    let resident;
    let branch;
    let sibling;
    let category;
    let memberId;

    // An anonymous report at the secretary's branch.
    async function report(extra = {}) {
      const res = await resident.post('/api/v1/requests', {
        category, unit_code: branch, description: '村口路灯坏了三盏,晚上很黑', contact_phone: '13912345678', ...extra,
      });
      assert.equal(res.status, 201, res.text);
      return res.data;
    }

    async function resolve(id) {
      for (const [step, body] of [['accept', { member_id: memberId }], ['start', {}], ['resolve', { resolution: '已更换灯泡', evidence_ids: [] }]]) {
        const res = await secretary.post(`/api/v1/admin/requests/${id}/${step}`, body);
        assert.equal(res.status, 200, `${step}: ${res.text}`);
      }
    }

    before(async () => {
      server = await startServer(dialect);
      secretary = new Client(server.base);
      await secretary.login('secretary', DEMO_PASSWORD);
      county = new Client(server.base);
      await county.login('county', DEMO_PASSWORD);
      resident = new Client(server.base);
      branch = server.logins.secretary.unit;
      const own = await county.get(`/api/v1/admin/units/${branch}`);
      const parent = own.data.parent_chain.at(-1).code;
      const siblings = await county.get(`/api/v1/admin/units?parent=${parent}`);
      sibling = siblings.data.items.find((u) => u.code !== branch && u.kind === 'branch').code;
      const categories = await resident.get(`/api/v1/request-categories?unit=${branch}`);
      assert.equal(categories.status, 200);
      category = categories.data.items[0].code;
      const members = await secretary.get(`/api/v1/admin/units/${branch}/members`);
      memberId = members.data.items[0].id;
    });
    after(async () => { await server?.stop(); });

    it('takes an anonymous report, hides the contact, and shows it as a duplicate hint', async () => {
      const created = await report();
      assert.match(created.tracking_token, /^[0-9a-f]{64}$/);
      assert.equal(created.state, 'submitted');
      assert.equal(created.unit.code, branch);
      const shown = await new Client(server.base).get(`/api/v1/requests/${created.id}`);
      assert.equal(shown.status, 200);
      assert.ok(!shown.text.includes('13912345678'), 'the contact phone is never public');
      assert.ok(!('contact_phone' in shown.data));
      assert.equal(shown.data.timeline[0].kind, 'submit');
      const hints = await resident.get(`/api/v1/requests/similar?unit=${branch}&category=${category}`);
      assert.ok(hints.data.items.some((p) => p.id === created.id));
      const tracked = await resident.post('/api/v1/requests/track', { token: created.tracking_token });
      assert.equal(tracked.data.id, created.id);
      const admin = await secretary.get(`/api/v1/admin/requests/${created.id}`);
      assert.equal(admin.data.contact_phone, '13912345678');
    });

    it('follows a problem from report to confirmation, and the unit figures change', async () => {
      const before = (await resident.get(`/api/v1/units/${branch}/request-figures`)).data;
      const created = await report();
      await resolve(created.id);
      const noToken = await resident.post(`/api/v1/requests/${created.id}/confirm`, { grade: '满意' });
      assert.equal(noToken.status, 403);
      const confirmed = await resident.post(`/api/v1/requests/${created.id}/confirm`, { grade: '满意', token: created.tracking_token });
      assert.equal(confirmed.status, 200, confirmed.text);
      assert.equal(confirmed.data.state, 'confirmed');
      assert.equal(confirmed.data.outcome, 'fixed');
      assert.deepEqual(confirmed.data.timeline.map((e) => e.kind), ['submit', 'accept', 'start', 'resolve', 'confirm']);
      const after = (await resident.get(`/api/v1/units/${branch}/request-figures`)).data;
      assert.equal(after.total, before.total + 1);
      assert.equal(after.graded, before.graded + 1);
      assert.equal(after.satisfied, before.satisfied + 1);
    });

    it('refuses steps out of order, outside the subtree and with unknown fields', async () => {
      const created = await report();
      const start = await secretary.post(`/api/v1/admin/requests/${created.id}/start`, {});
      assert.equal(start.status, 409);
      const extra = await secretary.post(`/api/v1/admin/requests/${created.id}/accept`, { member_id: memberId, state: 'resolved' });
      assert.equal(extra.status, 400);
      assert.equal(extra.data.error.fields[0].field, 'state');
      const other = new Client(server.base);
      await other.login('township', DEMO_PASSWORD);
      const reassigned = await other.post(`/api/v1/admin/requests/${created.id}/reassign`, { unit_code: sibling });
      assert.equal(reassigned.status, 200, reassigned.text);
      const gone = await secretary.post(`/api/v1/admin/requests/${created.id}/accept`, { member_id: memberId });
      assert.equal(gone.status, 404);
      const closed = await other.post(`/api/v1/admin/requests/${created.id}/close`, { outcome: 'cannot_solve', reason: '涉及规划调整' });
      assert.equal(closed.status, 200, closed.text);
      assert.equal(closed.data.outcome, 'not_fixed');
      const anonymous = await new Client(server.base).get('/api/v1/admin/requests?unit=' + branch);
      assert.equal(anonymous.status, 401);
    });

    it('gives exactly one reopen to 50 parallel reopen requests', async () => {
      const created = await report();
      await resolve(created.id);
      const answers = await Promise.all(Array.from({ length: 50 }, () =>
        new Client(server.base).post(`/api/v1/requests/${created.id}/reopen`, { reason: '灯又不亮了', token: created.tracking_token })));
      const statuses = answers.map((a) => a.status);
      assert.equal(statuses.filter((s) => s === 200).length, 1, JSON.stringify(statuses));
      assert.equal(statuses.filter((s) => s === 409).length, 49);
      const shown = await resident.get(`/api/v1/requests/${created.id}`);
      assert.equal(shown.data.state, 'in_progress');
      assert.equal(shown.data.reopen_count, 1);
      assert.equal(shown.data.timeline.filter((e) => e.kind === 'reopen').length, 1);
    });

    it('lets any resident ask to reopen and the unit answer', async () => {
      const created = await report();
      await resolve(created.id);
      const ask = await new Client(server.base).post(`/api/v1/requests/${created.id}/reopen-asks`, { reason: '我家门口的也没修' });
      assert.equal(ask.status, 201, ask.text);
      const answer = await secretary.post(`/api/v1/admin/requests/${created.id}/reopen-asks/answer`, { decision: 'reopen', reason: '再派人查看' });
      assert.equal(answer.status, 200, answer.text);
      assert.equal(answer.data.state, 'in_progress');
      assert.equal(answer.data.reopen_asks[0].answer, 'reopened');
      const update = await new Client(server.base).post(`/api/v1/requests/${created.id}/updates`, { text: '谢谢,师傅已经来了' });
      assert.equal(update.status, 201);
      assert.equal(update.data.timeline.at(-1).body, '谢谢,师傅已经来了');
    });

    it('lists the demo county with filters, queues, overdue lists and committee figures', async () => {
      const county_code = server.logins.county.unit;
      const confirmed = await resident.get(`/api/v1/units/${county_code}/requests?state=confirmed&page_size=5`);
      assert.equal(confirmed.status, 200);
      assert.ok(confirmed.data.total > 500, `${confirmed.data.total} confirmed`);
      assert.ok(confirmed.data.items.every((p) => p.state === 'confirmed'));
      const bad = await resident.get(`/api/v1/units/${county_code}/requests?state=done`);
      assert.equal(bad.status, 400);
      const overdue = await county.get(`/api/v1/admin/requests?unit=${county_code}&overdue=1&page_size=100`);
      assert.equal(overdue.status, 200);
      assert.ok(overdue.data.total > 0);
      assert.ok(overdue.data.items.every((p) => p.overdue.respond || p.overdue.resolve));
      const figures = await county.get(`/api/v1/admin/request-figures?unit=${county_code}`);
      assert.equal(figures.status, 200);
      assert.ok(figures.data.total.total >= 2000);
      assert.ok(figures.data.by_unit.length > 5);
      assert.ok(figures.data.by_category.length > 5);
      assert.ok(figures.data.total.median_resolution_ms > 0);
      const states = new Set();
      for (const state of ['submitted', 'accepted', 'in_progress', 'resolved', 'confirmed', 'closed_unconfirmed', 'referred_elsewhere', 'duplicate', 'cannot_solve']) {
        const res = await resident.get(`/api/v1/units/${county_code}/requests?state=${state}&page_size=1`);
        if (res.data.total > 0) states.add(state);
      }
      assert.equal(states.size, 9, [...states].join());
      assert.equal((await secretary.get(`/api/v1/admin/request-figures?unit=${county_code}`)).status, 404);
    });

    it('runs the close-stale verb beside the server', () => {
      assert.match(cli(['requests', 'close-stale', '--db', server.db.url]), /closed unconfirmed: \d+/);
    });

    it('limits anonymous reports per address with 429 and Retry-After', async () => {
      let limited = null;
      for (let i = 0; i < 12 && !limited; i += 1) {
        const res = await resident.post('/api/v1/requests', { category, unit_code: branch, description: `第${i}次反映` });
        if (res.status === 429) limited = res;
        else assert.equal(res.status, 201, res.text);
      }
      assert.ok(limited, 'the 11th report within the hour is refused');
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
      // With an account, the account's own limit applies.
      const withAccount = await secretary.post('/api/v1/requests', { category, unit_code: branch, description: '用账号反映' });
      assert.equal(withAccount.status, 201, withAccount.text);
      assert.equal(withAccount.data.tracking_token, null);
    });
  });
}
