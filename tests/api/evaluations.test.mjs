// Public evaluation rounds over HTTP on both databases: the county defines
// a round over the township's branches and opens it (its configuration is
// then frozen), issues codes as JSON, CSV and a sheet of slips, a voter
// opens the ballot page and 50 parallel submissions of one code give one
// 201 and 49 409, the receipt is found, the public sees participation only
// until the close, `xianfeng tally --recompute` leaves the live figures as
// they were, the demo's rounds are there, members vote once with their
// accounts and the branch sets final grades under the 优秀 cap (reasons for
// auditors, not for the public), and a guesser is throttled.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startServer, dialects, Client, DEMO_PASSWORD, cli, sendWhileBusy } from './lib/harness.mjs';

for (const dialect of dialects()) {
  describe(`evaluations on ${dialect}`, () => {
    let server;
    let county;
    let township;
    let branch;
    let campaignId;
    let roundId;
    let targetId;
    let criteria;
    let codes;
    let receipt;

    const hour = 3600 * 1000;
    const roundBody = (extra = {}) => ({
      unit_code: server.logins.county.unit,
      campaign_id: campaignId,
      kind: 'unit',
      name: '城乡基层党组织群众满意度评议',
      subtree: server.logins.township.unit,
      classes: [
        { code: 'party_reps', name: '党员代表', weight: 30 },
        { code: 'public_reps', name: '群众代表', weight: 30 },
        { code: 'residents', name: '居民群众', weight: 40 },
      ],
      opens_at: new Date(Date.now() - hour).toISOString(),
      closes_at: new Date(Date.now() + 48 * hour).toISOString(),
      ...extra,
    });
    const gradesFor = (grade) => ({ [targetId]: criteria.map(() => grade) });

    before(async () => {
      server = await startServer(dialect);
      branch = server.logins.secretary.unit;
      county = new Client(server.base);
      assert.equal((await county.login('county', DEMO_PASSWORD)).status, 200);
      township = new Client(server.base);
      assert.equal((await township.login('township', DEMO_PASSWORD)).status, 200);
      const campaigns = await county.get('/api/v1/admin/campaigns');
      campaignId = campaigns.data.items.find((c) => c.status === 'active').id;
    });
    after(async () => { await server?.stop(); });

    it('defines a round whose weights sum to 100 % and freezes it once open', async () => {
      const bad = roundBody();
      bad.classes[0].weight = 20;
      const refused = await county.post('/api/v1/admin/evaluation-rounds', bad);
      assert.equal(refused.status, 400);
      assert.equal(refused.data.error.fields[0].field, 'classes');
      // The township may not define a round over the whole county.
      assert.equal((await township.post('/api/v1/admin/evaluation-rounds', roundBody())).status, 404);

      const created = await county.post('/api/v1/admin/evaluation-rounds', roundBody());
      assert.equal(created.status, 201, created.text);
      assert.equal(created.data.state, 'draft');
      assert.deepEqual(created.data.grades.map((g) => g.name), ['满意', '基本满意', '不满意']);
      assert.ok(created.data.criteria.length > 0);
      assert.ok(created.data.units.some((u) => u.code === branch));
      roundId = created.data.id;
      criteria = created.data.criteria;

      const renamed = await county.request('PUT', `/api/v1/admin/evaluation-rounds/${roundId}`,
        { json: { ...roundBody({ name: '2026年群众满意度评议' }), unit_code: undefined } });
      assert.equal(renamed.status, 200, renamed.text);
      assert.equal(renamed.data.name, '2026年群众满意度评议');

      const opened = await county.post(`/api/v1/admin/evaluation-rounds/${roundId}/open`, {});
      assert.equal(opened.status, 200, opened.text);
      assert.equal(opened.data.state, 'open');
      const frozen = await county.request('PUT', `/api/v1/admin/evaluation-rounds/${roundId}`,
        { json: { ...roundBody(), unit_code: undefined } });
      assert.equal(frozen.status, 409);
      assert.match(frozen.data.error.message, /冻结/);
    });

    it('issues codes once, as JSON, CSV or a printable sheet of slips with QR codes', async () => {
      const issued = await county.post(`/api/v1/admin/evaluation-rounds/${roundId}/codes`,
        { unit_code: branch, class: 'residents', count: 5 });
      assert.equal(issued.status, 201, issued.text);
      assert.equal(issued.headers.get('cache-control'), 'no-store');
      codes = issued.data.codes;
      assert.equal(codes.length, 5);
      for (const code of codes) assert.match(code, /^[0-9A-HJKMNP-TV-Y]{6}-[0-9A-HJKMNP-TV-Y]{6}-[0-9A-HJKMNP-TV-Y]{6}$/);

      const csv = await county.post(`/api/v1/admin/evaluation-rounds/${roundId}/codes`,
        { unit_code: branch, class: 'public_reps', count: 3, format: 'csv' });
      assert.equal(csv.status, 201);
      assert.match(csv.headers.get('content-type'), /text\/csv/);
      assert.equal(csv.text.trim().split('\r\n').length, 4);
      assert.match(csv.text, /\/v\/[0-9A-Z-]{20}/);

      const slips = await county.post(`/api/v1/admin/evaluation-rounds/${roundId}/codes`,
        { unit_code: branch, class: 'party_reps', count: 4, format: 'html' });
      assert.equal(slips.status, 201);
      assert.match(slips.headers.get('content-type'), /text\/html/);
      assert.equal((slips.text.match(/<svg/g) ?? []).length, 4);
      assert.match(slips.text, /size:A4/);

      // The database holds hashes only.
      const stored = server.db.sql('SELECT code_hash FROM evaluation_codes');
      for (const code of codes) assert.ok(!stored.includes(code.replaceAll('-', '')));
      const round = await county.get(`/api/v1/admin/evaluation-rounds/${roundId}`);
      assert.equal(round.data.codes_issued, 12);
      assert.ok(!JSON.stringify(round.data).includes(codes[0]));
    });

    it('shows the ballot for a code and counts one of 50 parallel submissions', async () => {
      const voter = new Client(server.base);
      const page = await voter.get(`/api/v1/ballots/${codes[0].toLowerCase()}`);
      assert.equal(page.status, 200, page.text);
      assert.equal(page.data.unit.code, branch);
      assert.equal(page.data.class.code, 'residents');
      targetId = page.data.targets[0].id;

      // A server refusing for load (503 + Retry-After) gets the ballot again, as from the page.
      const answers = await Promise.all(Array.from({ length: 50 }, () => sendWhileBusy(() =>
        new Client(server.base).post('/api/v1/ballots', { code: codes[0], grades: gradesFor('satisfied') }))));
      const statuses = answers.map((a) => a.status);
      assert.equal(statuses.filter((s) => s === 201).length, 1, statuses.join(','));
      assert.equal(statuses.filter((s) => s === 409).length, 49, statuses.join(','));
      receipt = answers.find((a) => a.status === 201).data;
      assert.match(receipt.receipt, /^[0-9a-f]{64}$/);
      const unitHex = BigInt(receipt.ballot.unit).toString(16).padStart(16, "0");
      assert.ok(receipt.receipt.startsWith(unitHex), "the receipt leads with the ballot's unit");
      // The voter can recompute the rest from the answer: the ballot (whose
      // ids are not array indices, so it stringifies back to its canonical
      // text) and the salt.
      assert.equal(receipt.round_id, roundId);
      assert.match(receipt.salt, /^[0-9a-f]{32}$/);
      const hash = createHash('sha256').update(JSON.stringify(receipt.ballot) + receipt.salt);
      assert.equal(receipt.receipt.slice(16), hash.digest('hex').slice(0, 48));

      const found = await voter.get(`/api/v1/evaluations/${roundId}/receipts/${receipt.receipt}`);
      assert.equal(found.status, 200);
      assert.equal(found.data.counted, true);
      assert.deepEqual(found.data.ballot, receipt.ballot);
      assert.equal((await voter.get(`/api/v1/evaluations/${roundId}/receipts/${'0'.repeat(64)}`)).status, 404);

      // An incomplete ballot is refused and leaves the code usable.
      const partial = await voter.post('/api/v1/ballots', { code: codes[1], grades: {} });
      assert.equal(partial.status, 400);
      assert.equal((await voter.post('/api/v1/ballots', { code: codes[1], grades: gradesFor('dissatisfied') })).status, 201);

      // /metrics counts what the committer took: the 50 submissions and the two ballots after them.
      const metrics = (await voter.get('/metrics')).text;
      const figure = (name) => Number(metrics.match(new RegExp(`^${name} (\\S+)$`, 'm'))?.[1]);
      assert.ok(figure('xf_ballot_batch_items_total') >= 52, metrics);
      assert.ok(figure('xf_ballot_batches_total') >= 1);
      assert.ok(figure('xf_ballot_batches_total') <= figure('xf_ballot_batch_items_total'));
      assert.equal(figure('xf_ballot_queue_length'), 0);
      assert.ok(figure('xf_ballot_queue_refusals_total') >= 0);
    });

    it('shows the public participation only, the tree its figures live, grades after the close', async () => {
      const pub = await new Client(server.base).get(`/api/v1/evaluations/${roundId}`);
      assert.equal(pub.status, 200, pub.text);
      assert.equal(pub.data.grades_visible, false);
      assert.equal(pub.data.total.cast, 2);
      assert.equal(pub.data.total.issued, 12);
      assert.equal(pub.data.total.figures, null);
      const unit = await new Client(server.base).get(`/api/v1/evaluations/${roundId}/units/${branch}`);
      assert.equal(unit.data.targets.length, 0);

      const live = await township.get(`/api/v1/admin/evaluation-rounds/${roundId}/results`
        + `?unit=${server.logins.township.unit}`);
      assert.equal(live.status, 200, live.text);
      assert.equal(live.data.total.figures.satisfaction, 50);
      assert.ok(live.data.by_field.length >= 1);
      assert.ok(live.data.by_unit.some((u) => u.cast === 2));

      // Recomputing from the ballots changes nothing.
      const before = (await county.get(`/api/v1/admin/evaluation-rounds/${roundId}/units/${branch}`)).data;
      assert.match(cli(['tally', '--db', server.db.url, '--round', roundId, '--recompute']), /from 2 ballots/);
      const afterwards = (await county.get(`/api/v1/admin/evaluation-rounds/${roundId}/units/${branch}`)).data;
      assert.deepEqual(afterwards.targets, before.targets);

      assert.equal((await county.post(`/api/v1/admin/evaluation-rounds/${roundId}/close`, {})).status, 200);
      const closed = await new Client(server.base).get(`/api/v1/evaluations/${roundId}`);
      assert.equal(closed.data.grades_visible, true);
      assert.equal(closed.data.total.figures.score, 50);
      const late = await new Client(server.base).post('/api/v1/ballots', { code: codes[2], grades: gradesFor('satisfied') });
      assert.equal(late.status, 409);
      assert.equal((await county.post(`/api/v1/admin/evaluation-rounds/${roundId}/publish`, {})).status, 200);
    });

    it('lists the demo county\'s closed and open rounds', async () => {
      const rounds = await county.get('/api/v1/admin/evaluation-rounds');
      const states = rounds.data.items.map((r) => r.state).sort();
      assert.deepEqual(states, ['open', 'published', 'published']);  // the demo's two and this file's first
      const demo = rounds.data.items.find((r) => r.state === 'published' && r.id !== roundId);
      const results = await new Client(server.base).get(`/api/v1/evaluations/${demo.id}`);
      assert.equal(results.data.grades_visible, true);
      assert.ok(results.data.total.cast > 0);
    });

    it('lists on a unit\'s public page the rounds it takes part in, never a draft', async () => {
      const draft = await county.post('/api/v1/admin/evaluation-rounds', roundBody({ name: '草稿评议' }));
      assert.equal(draft.status, 201, draft.text);
      const listed = await new Client(server.base).get(`/api/v1/units/${branch}/evaluation-rounds`);
      assert.equal(listed.status, 200, listed.text);
      const ids = listed.data.items.map((r) => r.id);
      assert.ok(ids.includes(roundId), 'this file\'s published round');
      assert.ok(!ids.includes(draft.data.id), 'a draft is not public');
      const mine = listed.data.items.find((r) => r.id === roundId);
      assert.equal(mine.grades_visible, true);
      assert.equal(mine.owner.code, server.logins.county.unit);
      // The county owns the round: its page lists it too.
      const owner = await new Client(server.base).get(`/api/v1/units/${server.logins.county.unit}/evaluation-rounds`);
      assert.ok(owner.data.items.some((r) => r.id === roundId));
      assert.equal((await new Client(server.base).get('/api/v1/units/no-such-unit/evaluation-rounds')).status, 404);
    });

    it('lets members vote once with their accounts and the branch set final grades under the cap', async () => {
      const secretary = new Client(server.base);
      assert.equal((await secretary.login('secretary', DEMO_PASSWORD)).status, 200);
      const listed = await secretary.get(`/api/v1/admin/units/${branch}/members?page_size=100`);
      const full = listed.data.items.filter((m) => m.status === 'full');
      assert.ok(full.length >= 1);
      const created = await county.post('/api/v1/admin/evaluation-rounds', roundBody({
        kind: 'member', name: '民主评议党员', subtree: undefined, target_units: [branch],
        classes: [{ code: 'members', name: '党员', weight: 60 }, { code: 'residents', name: '群众代表', weight: 40 }],
      }));
      assert.equal(created.status, 201, created.text);
      const memberRound = created.data.id;
      assert.equal(created.data.targets, full.length);  // probationary members are not graded
      assert.equal((await county.post(`/api/v1/admin/evaluation-rounds/${memberRound}/open`, {})).status, 200);

      // The member gets a login of their own, linked by the county's org admin.
      cli(['user', 'add', 'voter', '--db', server.db.url], { XF_USER_PASSWORD: DEMO_PASSWORD });
      const link = await county.put(`/api/v1/admin/members/${full[0].id}/account`, { username: 'voter' });
      assert.equal(link.status, 200, link.text);
      const voter = new Client(server.base);
      assert.equal((await voter.login('voter', DEMO_PASSWORD)).status, 200);
      const page = await voter.get(`/api/v1/evaluations/${memberRound}/member-ballot`);
      assert.equal(page.status, 200, page.text);
      const grades = Object.fromEntries(page.data.targets.map((t) => [t.id, page.data.round.criteria.map(() => 'competent')]));
      const first = await voter.post(`/api/v1/evaluations/${memberRound}/member-ballot`, { grades });
      assert.equal(first.status, 201, first.text);
      assert.equal((await voter.post(`/api/v1/evaluations/${memberRound}/member-ballot`, { grades })).status, 409);
      // The member's console lists the round; a county admin's (no member) lists nothing.
      const mine = await voter.get('/api/v1/evaluations/member-rounds');
      assert.equal(mine.status, 200, mine.text);
      assert.ok(mine.data.items.some((r) => r.id === memberRound));
      assert.deepEqual((await county.get('/api/v1/evaluations/member-rounds')).data.items, []);
      // Coming back to the ballot page says so at once.
      assert.equal((await voter.get(`/api/v1/evaluations/${memberRound}/member-ballot`)).status, 409);
      // The ballot names no voter: round, unit, class and grades only.
      assert.deepEqual(Object.keys(first.data.ballot).sort(), ['class', 'grades', 'round', 'unit']);
      assert.equal((await county.post(`/api/v1/admin/evaluation-rounds/${memberRound}/close`, {})).status, 200);

      const path = `/api/v1/admin/evaluation-rounds/${memberRound}/units/${branch}/final-grades`;
      const everyone = (grade) => full.map((m) => ({ member_id: m.id, grade }));
      const capped = await secretary.request('PUT', path, { json: { grades: everyone('excellent') } });
      assert.equal(capped.status, 400, capped.text);
      assert.ok(capped.data.error.fields.some((f) => f.field === 'excellent_cap'));
      const finals = everyone('competent');
      finals[0] = { member_id: full[0].id, grade: 'basically_competent' };
      const noReason = await secretary.request('PUT', path, { json: { grades: finals } });
      assert.equal(noReason.status, 400);
      assert.equal(noReason.data.error.fields[0].field, 'grades[0].reason');
      finals[0].reason = '全年三次未参加组织生活';
      const set = await secretary.request('PUT', path, { json: { grades: finals } });
      assert.equal(set.status, 200, set.text);
      const graded = set.data.targets.find((t) => t.id === full[0].id);
      assert.equal(graded.final_grade, 'basically_competent');
      assert.equal(graded.vote_grade, 'competent');
      assert.equal(graded.reason, '全年三次未参加组织生活');
      assert.ok(graded.follow_up);
      const auditor = new Client(server.base);
      assert.equal((await auditor.login('auditor', DEMO_PASSWORD)).status, 200);
      const seen = await auditor.get(`/api/v1/admin/evaluation-rounds/${memberRound}/units/${branch}`);
      assert.equal(seen.data.targets.find((t) => t.id === full[0].id).reason, '全年三次未参加组织生活');

      assert.equal((await county.post(`/api/v1/admin/evaluation-rounds/${memberRound}/publish`, {})).status, 200);
      const pub = await new Client(server.base).get(`/api/v1/evaluations/${memberRound}/units/${branch}`);
      const shown = pub.data.targets.find((t) => t.id === full[0].id);
      assert.equal(shown.final_grade, 'basically_competent');
      assert.equal(shown.reason, undefined);
      assert.equal(shown.follow_up, undefined);
    });

    it('answers repeated wrong codes from one client with 429 and Retry-After', async () => {
      const guesser = new Client(server.base);
      let last;
      for (let i = 0; i < 12; i += 1)
        last = await guesser.post('/api/v1/ballots', { code: `ABCDEF-GHJKMN-PQRST${i % 10}`, grades: {} });
      assert.equal(last.status, 429);
      assert.ok(Number(last.headers.get('retry-after')) > 0);
    });
  });
}
