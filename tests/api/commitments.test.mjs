// Public commitments over HTTP on both databases: a secretary drafts and
// submits, the township committee returns it, it is resubmitted and
// approved, residents rate it on the board (one rating per browser token),
// a revision is public history, a past due date is flagged, and the
// committee's bulletin counts it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, dialects, Client, DEMO_PASSWORD } from './lib/harness.mjs';

// Dates in the server's time zone (Asia/Shanghai), as YYYY-MM-DD.
function shanghaiDay(offsetDays = 0) {
  const t = new Date(Date.now() + offsetDays * 86400000);
  return t.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
}

for (const dialect of dialects()) {
  describe(`commitments on ${dialect}`, () => {
    let server;
    let secretary;
    let township;
    let branch;
    let campaignId;
    let taskId;
    let carrierId;
    let commitmentId;
    let lateId;

    const pledge = (title, due) => ({
      campaign_id: campaignId,
      unit_code: branch,
      kind: 'unit',
      title,
      items: [
        { text: '走访独居老人', target_value: 120, target_unit: '户次', due_on: due, central_task_id: taskId, carrier_id: carrierId },
        { text: '化解邻里纠纷', target_value: 20, target_unit: '件', due_on: due, central_task_id: taskId, carrier_id: carrierId },
      ],
    });

    before(async () => {
      server = await startServer(dialect);
      branch = server.logins.secretary.unit;
      secretary = new Client(server.base);
      assert.equal((await secretary.login('secretary', DEMO_PASSWORD)).status, 200);
      township = new Client(server.base);
      assert.equal((await township.login('township', DEMO_PASSWORD)).status, 200);
      const campaigns = await secretary.get('/api/v1/admin/campaigns');
      campaignId = campaigns.data.items.find((c) => c.status === 'active').id;
      const ws = await secretary.get(`/api/v1/admin/campaigns/${campaignId}/units/${branch}`);
      taskId = ws.data.central_tasks[0].id;
      carrierId = ws.data.carriers[0].id;
    });
    after(async () => { await server?.stop(); });

    it('drafts, submits, is returned with reasons, resubmitted and approved', async () => {
      const created = await secretary.post('/api/v1/admin/commitments', pledge('网格化服务全覆盖', shanghaiDay(60)));
      assert.equal(created.status, 201, created.text);
      assert.equal(created.data.status, 'draft');
      assert.equal(created.data.items.length, 2);
      assert.equal(created.data.items[0].central_task.id, taskId);
      commitmentId = created.data.id;
      assert.equal((await new Client(server.base).get(`/api/v1/commitments/${commitmentId}`)).status, 404);

      assert.equal((await secretary.post(`/api/v1/admin/commitments/${commitmentId}/submit`, {})).data.status, 'submitted');
      // The secretary cannot vet its own branch's pledge.
      assert.equal((await secretary.post(`/api/v1/admin/commitments/${commitmentId}/approve`, {})).status, 403);
      const noReason = await township.post(`/api/v1/admin/commitments/${commitmentId}/return`, { reason: '' });
      assert.equal(noReason.status, 400);
      assert.equal(noReason.data.error.fields[0].field, 'reason');
      const returned = await township.post(`/api/v1/admin/commitments/${commitmentId}/return`, { reason: '目标不够具体,请写明户数' });
      assert.equal(returned.status, 200, returned.text);
      assert.equal(returned.data.status, 'draft');
      assert.equal(returned.data.return_reason, '目标不够具体,请写明户数');

      const edited = await secretary.request('PUT', `/api/v1/admin/commitments/${commitmentId}`,
        { json: { title: '网格化服务全覆盖(细化)', items: pledge('', shanghaiDay(60)).items } });
      assert.equal(edited.status, 200, edited.text);
      assert.equal((await secretary.post(`/api/v1/admin/commitments/${commitmentId}/submit`, {})).status, 200);
      const approved = await township.post(`/api/v1/admin/commitments/${commitmentId}/approve`, { comment: '同意公开' });
      assert.equal(approved.status, 200, approved.text);
      assert.equal(approved.data.status, 'published');
      assert.equal(approved.data.version, 1);
      // Once published, the draft route refuses: 409 with the reason.
      const again = await secretary.request('PUT', `/api/v1/admin/commitments/${commitmentId}`,
        { json: { title: 'x', items: pledge('', shanghaiDay(60)).items } });
      assert.equal(again.status, 409);
      assert.ok(again.data.error.message.length > 0);
    });

    it('refuses keys the client may not set and answers 401 without a session', async () => {
      const sneaky = await secretary.post('/api/v1/admin/commitments', { ...pledge('x', shanghaiDay(5)), status: 'published' });
      assert.equal(sneaky.status, 400);
      const anonymous = await new Client(server.base).post('/api/v1/admin/commitments', pledge('x', shanghaiDay(5)));
      assert.equal(anonymous.status, 401);
    });

    it('is on the public board with a QR code, and a browser token rates once', async () => {
      const resident = new Client(server.base);
      const board = await resident.get(`/api/v1/units/${branch}/board`);
      assert.equal(board.status, 200);
      const mine = board.data.commitments.find((c) => c.id === commitmentId);
      assert.ok(mine, 'the approved commitment is on the board');
      assert.equal(mine.overdue, false);
      assert.ok(board.data.theme, 'the demo branch has an approved theme');
      const etag = board.headers.get('etag');
      assert.ok(etag);
      assert.equal((await resident.get(`/api/v1/units/${branch}/board`, { headers: { 'If-None-Match': etag } })).status, 304);

      const qr = await resident.get(`/api/v1/commitments/${commitmentId}/qr.svg`);
      assert.equal(qr.status, 200);
      assert.match(qr.headers.get('content-type'), /image\/svg\+xml/);

      const token = 'browser-token-0123456789abcdef';
      const first = await resident.post(`/api/v1/commitments/${commitmentId}/ratings`, { rating: 'satisfied', comment: '很用心', token });
      assert.equal(first.status, 201, first.text);
      assert.equal(first.data.ratings.total, 1);
      const second = await resident.post(`/api/v1/commitments/${commitmentId}/ratings`, { rating: 'dissatisfied', token });
      assert.equal(second.status, 409);
      const view = await resident.get(`/api/v1/commitments/${commitmentId}`);
      assert.equal(view.data.ratings.total, 1);
      assert.equal(view.data.ratings.satisfied, 1);
      assert.equal(view.data.rating_comments[0].comment, '很用心');
      // The board changed, so the old ETag no longer matches.
      assert.equal((await resident.get(`/api/v1/units/${branch}/board`, { headers: { 'If-None-Match': etag } })).status, 200);
    });

    it('puts the board into the unit page itself, for the first paint on a slow phone', async () => {
      const page = await new Client(server.base).get(`/u/${branch}`);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type'), /text\/html/);
      assert.match(page.text, /data-testid="board-first-paint"/);
      assert.ok(page.text.includes('网格化服务全覆盖'), 'the published commitment is in the HTML');
      assert.match(page.text, /<script type="module"/, 'the web app still starts and takes over');
      const missing = await new Client(server.base).get('/u/no-such-unit');
      assert.equal(missing.status, 200, 'an unknown unit gets the bare app, which says so');
      assert.doesNotMatch(missing.text, /board-first-paint/);
    });

    it('keeps every revision after publication as public history', async () => {
      const body = pledge('网格化服务全覆盖(细化)', shanghaiDay(90));
      const noReason = await secretary.post(`/api/v1/admin/commitments/${commitmentId}/revise`, { title: body.title, items: body.items });
      assert.equal(noReason.status, 400);
      const revised = await secretary.post(`/api/v1/admin/commitments/${commitmentId}/revise`,
        { title: body.title, items: body.items, reason: '根据群众意见延长时限' });
      assert.equal(revised.status, 200, revised.text);
      assert.equal(revised.data.version, 2);
      const history = await new Client(server.base).get(`/api/v1/commitments/${commitmentId}/history`);
      assert.equal(history.status, 200);
      assert.equal(history.data.versions.length, 2);
      assert.equal(history.data.versions[0].items[0].due_on, shanghaiDay(60));
      assert.equal(history.data.versions[1].items[0].due_on, shanghaiDay(90));
      assert.equal(history.data.versions[1].reason, '根据群众意见延长时限');
      const board = await new Client(server.base).get(`/api/v1/units/${branch}/board`);
      const mine = board.data.commitments.find((c) => c.id === commitmentId);
      assert.equal(mine.version, 2);
      assert.ok(mine.revised_at);
    });

    it('flags an item past its due date on the board and in the admin list', async () => {
      const created = await secretary.post('/api/v1/admin/commitments', pledge('清理河道', shanghaiDay(-2)));
      assert.equal(created.status, 201, created.text);
      lateId = created.data.id;
      await secretary.post(`/api/v1/admin/commitments/${lateId}/submit`, {});
      assert.equal((await township.post(`/api/v1/admin/commitments/${lateId}/approve`, {})).status, 200);
      const board = await new Client(server.base).get(`/api/v1/units/${branch}/board`);
      const late = board.data.commitments.find((c) => c.id === lateId);
      assert.equal(late.overdue, true);
      assert.equal(late.items[0].overdue, true);
      const list = await township.get(`/api/v1/admin/commitments?unit=${branch}&overdue=1&page_size=100`);
      assert.equal(list.status, 200);
      assert.ok(list.data.items.some((c) => c.id === lateId));
      assert.ok(!list.data.items.some((c) => c.id === commitmentId));
      // Progress to the target ends the flag.
      for (const item_no of [1, 2]) {
        const p = await secretary.post(`/api/v1/admin/commitments/${lateId}/progress`,
          { item_no, on_date: shanghaiDay(0), text: '已完成', percent: 100 });
        assert.equal(p.status, 201, p.text);
      }
      const done = await secretary.get(`/api/v1/admin/commitments/${lateId}`);
      assert.equal(done.data.overdue, false);
      assert.equal(done.data.progress, 100);
    });

    it('counts them in the committee bulletin, published as JSON and XLSX', async () => {
      const township_code = server.logins.township.unit;
      const body = { unit_code: township_code, campaign_id: campaignId, period_from: shanghaiDay(-1), period_to: shanghaiDay(1), title: '承诺践诺情况通报' };
      assert.equal((await secretary.post('/api/v1/admin/bulletins', { ...body, unit_code: branch })).status, 403);
      const made = await township.post('/api/v1/admin/bulletins', body);
      assert.equal(made.status, 201, made.text);
      const figures = made.data.figures;
      assert.equal(figures.commitments.published, 2, JSON.stringify(figures));
      assert.ok(figures.ratings.satisfied >= 1);
      assert.ok(figures.themes.registered >= figures.themes.approved);
      const id = made.data.id;
      assert.equal((await new Client(server.base).get(`/api/v1/bulletins/${id}`)).status, 404);
      assert.equal((await township.patch(`/api/v1/admin/bulletins/${id}`, { intro: '本期各支部公开承诺……' })).status, 200);
      assert.equal((await township.post(`/api/v1/admin/bulletins/${id}/publish`, {})).status, 200);
      const pub = await new Client(server.base).get(`/api/v1/bulletins/${id}`);
      assert.equal(pub.status, 200);
      assert.equal(pub.data.intro, '本期各支部公开承诺……');
      assert.equal(pub.data.figures.commitments.published, 2);
      const xlsx = await fetch(`${server.base}/api/v1/bulletins/${id}/figures.xlsx`);
      assert.equal(xlsx.status, 200);
      const bytes = Buffer.from(await xlsx.arrayBuffer());
      assert.equal(bytes.subarray(0, 2).toString(), 'PK');
      assert.equal((await township.patch(`/api/v1/admin/bulletins/${id}`, { intro: 'x' })).status, 409);
      const list = await new Client(server.base).get(`/api/v1/units/${township_code}/bulletins`);
      assert.ok(list.data.items.some((b) => b.id === id));
    });
  });
}
