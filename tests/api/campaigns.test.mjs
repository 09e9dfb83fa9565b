// Campaigns over HTTP on both databases: a committee starts a campaign, a
// branch secretary registers a theme that the township returns and then
// approves, a plan is opened for public comment (a real two-second period on
// the server's clock), answered, moderated and adopted; a closed campaign
// refuses every write.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, dialects, Client, DEMO_PASSWORD } from './lib/harness.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

for (const dialect of dialects()) {
  describe(`campaigns on ${dialect}`, () => {
    let server;
    let county;
    let township;
    let secretary;
    let campaign;
    let taskId;
    let carrierId;
    let branch;
    let sibling;
    let siblingPlan;
    before(async () => {
      server = await startServer(dialect);
      county = new Client(server.base);
      await county.login('county', DEMO_PASSWORD);
      township = new Client(server.base);
      await township.login('township', DEMO_PASSWORD);
      secretary = new Client(server.base);
      await secretary.login('secretary', DEMO_PASSWORD);
      branch = server.logins.secretary.unit;
      const siblings = await township.get(`/api/v1/admin/units?parent=${server.logins.township.unit}`);
      sibling = siblings.data.items.find((u) => u.code !== branch && u.kind === 'branch').code;

      const created = await county.post('/api/v1/admin/campaigns', {
        owner_code: server.logins.county.unit, name: '2027年度创先争优', description: '围绕中心',
        starts_on: '2027-01-01', ends_on: '2027-12-31',
      });
      assert.equal(created.status, 201, created.text);
      campaign = created.data.id;
      const task = await county.post(`/api/v1/admin/campaigns/${campaign}/central-tasks`, {
        title: '为民服务办实事', target_value: 300, target_unit: '件',
      });
      assert.equal(task.status, 201, task.text);
      taskId = task.data.id;
      assert.equal((await county.post(`/api/v1/admin/campaigns/${campaign}/activate`)).status, 200);
      const detail = await county.get(`/api/v1/admin/campaigns/${campaign}`);
      carrierId = detail.data.carriers.find((c) => c.name === '志愿服务').id;
      assert.deepEqual(detail.data.criteria[0].items.map((i) => i.name),
        ['领导班子好', '党员队伍好', '工作机制好', '工作业绩好', '群众反映好']);
    });
    after(async () => { await server?.stop(); });

    it('the demo county has an active campaign with public themes and plans', async () => {
      const anon = new Client(server.base);
      const list = await anon.get(`/api/v1/campaigns?unit=${branch}`);
      assert.equal(list.status, 200);
      const demo = list.data.items.find((c) => c.name === '清河县2026年度创先争优活动');
      assert.ok(demo);
      const theme = await anon.get(`/api/v1/units/${branch}/theme?campaign=${demo.id}`);
      assert.equal(theme.status, 200, theme.text);
      assert.equal(theme.data.status, 'approved');
      const plan = await anon.get(`/api/v1/units/${branch}/plan?campaign=${demo.id}`);
      assert.equal(plan.status, 200);
      assert.equal(plan.data.status, 'consultation');
      const coverage = await county.get(`/api/v1/admin/campaigns/${demo.id}/themes`);
      assert.equal(coverage.status, 200);
      assert.ok(coverage.data.counts.approved > 0 && coverage.data.counts.none > 0);
      assert.ok(coverage.data.by_child.length >= 10);
    });

    it('a theme is returned, resubmitted, approved by the parent and then public', async () => {
      const anon = new Client(server.base);
      const body = { unit_code: branch, title: '党员志愿服务进村', reason: '村里留守老人多', central_task_ids: [taskId], carrier_ids: [carrierId] };
      const created = await secretary.post(`/api/v1/admin/campaigns/${campaign}/themes`, body);
      assert.equal(created.status, 201, created.text);
      const id = created.data.id;
      assert.equal((await anon.get(`/api/v1/units/${branch}/theme?campaign=${campaign}`)).status, 404);
      assert.equal((await secretary.post(`/api/v1/admin/campaigns/${campaign}/themes`, body)).status, 409);
      assert.equal((await secretary.post(`/api/v1/admin/themes/${id}/submit`)).status, 200);
      // The secretary cannot vet their own theme.
      assert.equal((await secretary.post(`/api/v1/admin/themes/${id}/approve`, {})).status, 404);
      const noComment = await township.post(`/api/v1/admin/themes/${id}/return`, {});
      assert.equal(noComment.status, 400);
      assert.equal(noComment.data.error.fields[0].field, 'comment');
      const returned = await township.post(`/api/v1/admin/themes/${id}/return`, { comment: '请写明服务对象和数量' });
      assert.equal(returned.status, 200);
      assert.equal(returned.data.status, 'returned');
      const edited = await secretary.request('PUT', `/api/v1/admin/themes/${id}`, { json: { ...body, unit_code: undefined, title: '党员志愿服务每月走访留守老人' } });
      assert.equal(edited.status, 200, edited.text);
      assert.equal((await secretary.post(`/api/v1/admin/themes/${id}/submit`)).status, 200);
      const approved = await township.post(`/api/v1/admin/themes/${id}/approve`, { comment: '同意' });
      assert.equal(approved.status, 200);
      assert.equal(approved.data.status, 'approved');
      const again = await township.post(`/api/v1/admin/themes/${id}/approve`, {});
      assert.equal(again.status, 409);
      const shown = await anon.get(`/api/v1/units/${branch}/theme?campaign=${campaign}`);
      assert.equal(shown.status, 200);
      assert.equal(shown.data.title, '党员志愿服务每月走访留守老人');
      assert.equal(shown.data.central_tasks[0].title, '为民服务办实事');
      assert.ok(!('review_comment' in shown.data));
      const coverage = await township.get(`/api/v1/admin/campaigns/${campaign}/themes?unit=${server.logins.township.unit}`);
      assert.equal(coverage.status, 200);
      assert.equal(coverage.data.counts.approved, 1);
      assert.equal(coverage.data.counts.none, coverage.data.counts.units - 1);
    });

    it('a plan is consulted on, refused adoption early and while unanswered, moderated, then adopted', async () => {
      const anon = new Client(server.base, { lang: 'en' });
      const created = await secretary.post(`/api/v1/admin/campaigns/${campaign}/plans`, {
        unit_code: branch, title: '实施方案', body: '## 目标\n\n**每月走访**\n\n<script>alert(1)</script>',
      });
      assert.equal(created.status, 201, created.text);
      const id = created.data.id;
      assert.equal((await anon.get(`/api/v1/plans/${id}`)).status, 404, 'a draft is not public');
      const closesAt = new Date(Date.now() + 2500).toISOString();
      const opened = await secretary.post(`/api/v1/admin/plans/${id}/open`, { closes_at: closesAt });
      assert.equal(opened.status, 200, opened.text);
      assert.ok(opened.data.html.includes('<strong>每月走访</strong>'));
      assert.ok(!opened.data.html.includes('<script'));

      const useful = await anon.post(`/api/v1/plans/${id}/comments`, { body: '建议周末也安排走访' });
      assert.equal(useful.status, 201, useful.text);
      assert.equal(useful.data.anonymous, true);
      const abusive = await anon.post(`/api/v1/plans/${id}/comments`, { body: '加微信代办证件 abc123' });
      assert.equal(abusive.status, 201);

      const early = await secretary.post(`/api/v1/admin/plans/${id}/adopt`);
      assert.equal(early.status, 409);
      assert.match(early.data.error.message, /征求意见期尚未结束/);
      await sleep(Math.max(0, Date.parse(closesAt) - Date.now()) + 300);
      const late = await anon.post(`/api/v1/plans/${id}/comments`, { body: '晚了' });
      assert.equal(late.status, 409);
      assert.match(late.data.error.message, /comment period has ended/);
      const unanswered = await secretary.post(`/api/v1/admin/plans/${id}/adopt`);
      assert.equal(unanswered.status, 409);
      assert.match(unanswered.data.error.message, /2条意见未答复/);

      const answered = await secretary.post(`/api/v1/admin/plans/${id}/comments/${useful.data.id}/answer`, { answer: 'adopted', reason: '每月第一个周六走访' });
      assert.equal(answered.status, 200, answered.text);
      assert.equal((await secretary.post(`/api/v1/admin/plans/${id}/comments/${abusive.data.id}/hide`, { reason: '广告' })).status, 403);
      const hidden = await township.post(`/api/v1/admin/plans/${id}/comments/${abusive.data.id}/hide`, { reason: '广告信息' });
      assert.equal(hidden.status, 200, hidden.text);
      const adopted = await secretary.post(`/api/v1/admin/plans/${id}/adopt`);
      assert.equal(adopted.status, 200, adopted.text);
      assert.equal(adopted.data.status, 'adopted');

      const shown = await anon.get(`/api/v1/plans/${id}`);
      assert.equal(shown.status, 200);
      assert.ok(!shown.text.includes('abc123'), 'the hidden text never reaches the public');
      const moderated = shown.data.comments.find((c) => c.id === abusive.data.id);
      assert.equal(moderated.body, null);
      assert.equal(moderated.moderation.notice, 'Hidden by a moderator: 广告信息');
      const zh = await new Client(server.base).get(`/api/v1/plans/${id}`);
      assert.equal(zh.data.comments.find((c) => c.hidden).moderation.notice, '该意见已被管理员隐藏,理由:广告信息');
      const kept = shown.data.comments.find((c) => c.id === useful.data.id);
      assert.equal(kept.answer.status, 'adopted');
      assert.equal(kept.answer.reason, '每月第一个周六走访');
      const admin = await township.get(`/api/v1/admin/plans/${id}`);
      assert.ok(admin.text.includes('abc123'), 'moderators still see what they hid');
    });

    it('rate-limits anonymous comments per address with 429 and Retry-After', async () => {
      const created = await township.post(`/api/v1/admin/campaigns/${campaign}/plans`, { unit_code: sibling, title: '方案', body: '正文' });
      assert.equal(created.status, 201, created.text);
      const id = created.data.id;
      siblingPlan = id;
      const opened = await township.post(`/api/v1/admin/plans/${id}/open`, { closes_at: new Date(Date.now() + 3600e3).toISOString() });
      assert.equal(opened.status, 200);
      const anon = new Client(server.base);
      let refused;
      for (let i = 0; i < 6 && !refused; i += 1) {
        const res = await anon.post(`/api/v1/plans/${id}/comments`, { body: `意见${i}` });
        if (res.status === 429) refused = res; else assert.equal(res.status, 201, res.text);
      }
      assert.ok(refused, 'the sixth anonymous comment within ten minutes is refused');
      assert.ok(Number(refused.headers.get('retry-after')) > 0);
      const signedIn = await county.post(`/api/v1/plans/${id}/comments`, { body: '有账号的意见' });
      assert.equal(signedIn.status, 201, 'an account has its own allowance');
    });

    it('a closed campaign is read-only: 409 with the reason in both languages', async () => {
      assert.equal((await county.post(`/api/v1/admin/campaigns/${campaign}/close`)).status, 200);
      const zh = await county.post(`/api/v1/admin/campaigns/${campaign}/central-tasks`, { title: '新任务', target_value: 1, target_unit: '件' });
      assert.equal(zh.status, 409);
      assert.match(zh.data.error.message, /活动已结束/);
      const plan = await secretary.post(`/api/v1/admin/campaigns/${campaign}/plans`, { unit_code: branch, title: 'x', body: 'y' });
      assert.equal(plan.status, 409);
      // A resident's comment on a plan of the closed campaign, in English.
      const en = await new Client(server.base, { lang: 'en' }).post(`/api/v1/plans/${siblingPlan}/comments`, { body: 'late' });
      assert.equal(en.status, 409);
      assert.match(en.data.error.message, /campaign is closed/);
      const detail = await new Client(server.base).get(`/api/v1/campaigns/${campaign}`);
      assert.equal(detail.status, 200);
      assert.equal(detail.data.status, 'closed');
    });
  });
}
