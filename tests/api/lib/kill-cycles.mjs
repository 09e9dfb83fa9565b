// Kill cycles for ballots (issue 4 §7, nothing lost): drive ballots at a
// server with many requests in flight, SIGKILL it at a random moment,
// restart it on the same database and check that every acknowledged ballot
// is there, that its code is used up, that the round's figures count it,
// and that `xianfeng tally --recompute` (server stopped) gives exactly the
// live figures. Used by tests/api/ballots-kill.test.mjs (short form) and
// bench/ballots-kill (long form).
//
// What a cycle proves about a ballot depends on what its client saw:
// - 201: acknowledged. Its receipt must be found after the restart and its
//   code refused as used; it must be counted.
// - no answer (in flight when the server died): either way is allowed. After
//   the restart its code is asked for (GET /ballots/{code}): used means it was
//   committed and must be counted, unused means it goes back to the pool —
//   so the round's cast count must equal acknowledged + in-flight-committed
//   exactly, not just be at least the acknowledged ones.
// - 503/429 with Retry-After (the group committer's queue is full): not
//   taken; the same code is sent again after the wait.
// Anything else (another status, a network error before the kill, the server
// dying before the kill) is a failure of the server, reported with the seed.
import assert from 'node:assert/strict';
import { Client, DEMO_PASSWORD, cli, sendWhileBusy, serve } from './harness.mjs';

// mulberry32: a small seeded PRNG, so a seed printed by a failing run gives
// the same kill delays and grades again.
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seedFromEnv() {
  const given = process.env.XF_KILL_SEED;
  return given ? Number(given) : Math.floor(Math.random() * 2 ** 31);
}

// Runs fn over items with at most `limit` calls in flight.
async function inParallel(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const HOUR = 3600 * 1000;
const CLASSES = [
  { code: 'party_reps', name: '党员代表', weight: 30 },
  { code: 'public_reps', name: '群众代表', weight: 30 },
  { code: 'residents', name: '居民群众', weight: 40 },
];

// The county's console session, one login per server (a login costs about a
// second in the debug+ASan build: the password hash).
const countySessions = new Map();
async function countyClient(base) {
  if (!countySessions.has(base)) {
    const county = new Client(base);
    const login = await county.login('county', DEMO_PASSWORD);
    assert.equal(login.status, 200, login.text);
    countySessions.set(base, county);
  }
  return countySessions.get(base);
}

// An open unit round of the demo township's branches; `units` of them take
// ballots (codes of every class). Returns what the cycles need to vote and
// to read the figures.
export async function openRound(server, { units = 2 } = {}) {
  const county = await countyClient(server.base);
  const campaigns = await county.get('/api/v1/admin/campaigns');
  const campaign = campaigns.data.items.find((c) => c.status === 'active');
  const created = await county.post('/api/v1/admin/evaluation-rounds', {
    unit_code: server.logins.county.unit,
    campaign_id: campaign.id,
    kind: 'unit',
    name: '断电测试评议',
    subtree: server.logins.township.unit,
    classes: CLASSES,
    opens_at: new Date(Date.now() - HOUR).toISOString(),
    closes_at: new Date(Date.now() + 48 * HOUR).toISOString(),
  });
  assert.equal(created.status, 201, created.text);
  const id = created.data.id;
  const opened = await county.post(`/api/v1/admin/evaluation-rounds/${id}/open`, {});
  assert.equal(opened.status, 200, opened.text);
  return {
    id,
    owner: server.logins.township.unit,
    grades: created.data.grades.map((g) => g.code),
    criteria: created.data.criteria.length,
    units: created.data.units.slice(0, units).map((u) => ({ code: u.code, targets: null })),
  };
}

// Issues `count` more codes, spread over the round's voting units and the
// classes, and learns each unit's targets from its first ballot page.
async function issueCodes(base, round, count) {
  const county = await countyClient(base);
  const batches = round.units.flatMap((unit) => CLASSES.map((c) => ({ unit, class: c.code })));
  const codes = [];
  for (const [i, batch] of batches.entries()) {
    const n = Math.floor(count / batches.length) + (i < count % batches.length ? 1 : 0);
    if (n === 0) continue;
    const issued = await county.post(`/api/v1/admin/evaluation-rounds/${round.id}/codes`,
      { unit_code: batch.unit.code, class: batch.class, count: n });
    assert.equal(issued.status, 201, issued.text);
    for (const code of issued.data.codes) codes.push({ code, unit: batch.unit });
    if (!batch.unit.targets) {
      const page = await new Client(base).get(`/api/v1/ballots/${issued.data.codes[0]}`);
      assert.equal(page.status, 200, page.text);
      batch.unit.targets = page.data.targets.map((t) => t.id);
    }
  }
  return codes;
}

// One POST /api/v1/ballots outside Client: a bounded wait, and a network
// error is an answer of its own ('lost').
async function postBallot(base, body) {
  try {
    const res = await fetch(`${base}/api/v1/ballots`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept-Language': 'en' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30000),
    });
    const text = await res.text();
    let data = null;
    try { data = JSON.parse(text); } catch { data = text; }
    return { status: res.status, data, retryAfter: Number(res.headers.get('retry-after') ?? 0) };
  } catch (error) {
    return { status: 'lost', error: error.cause?.code ?? error.message };
  }
}


function randomGrades(round, unit, random) {
  const pick = () => round.grades[Math.floor(random() * round.grades.length)];
  return Object.fromEntries(unit.targets.map((t) => [t, Array.from({ length: round.criteria }, pick)]));
}

// Drives ballots with `concurrency` requests in flight until the kill; the
// kill comes `delayMs` after the first request. Returns what was seen.
async function driveUntilKill(server, round, pool, { concurrency, delayMs, random }) {
  const seen = { acked: new Map(), inFlightAtKill: 0, unanswered: [], busy: 0, unexpected: [], exit: null };
  const inFlight = new Set();
  let killed = false;
  const worker = async () => {
    while (!killed && pool.length) {
      const ballot = pool.shift();
      const grades = randomGrades(round, ballot.unit, random);
      inFlight.add(ballot);
      const answer = await postBallot(server.base, { code: ballot.code, grades });
      inFlight.delete(ballot);
      if (answer.status === 201) {
        seen.acked.set(ballot.code, { ...ballot, receipt: answer.data });
      } else if (answer.status === 'lost' && killed) {
        seen.unanswered.push(ballot);
      } else if ((answer.status === 503 || answer.status === 429) && answer.retryAfter > 0) {
        seen.busy += 1;
        pool.push(ballot);
        await sleep(Math.min(answer.retryAfter * 1000, 1000));
      } else {
        seen.unexpected.push({ code: ballot.code, status: answer.status, detail: answer.error ?? answer.data });
      }
    }
  };
  const workers = Array.from({ length: concurrency }, worker);
  await sleep(delayMs);
  killed = true;
  seen.inFlightAtKill = inFlight.size;
  seen.exit = await server.kill();
  await Promise.all(workers);
  return seen;
}

// The round's figures as the public and the console see them.
async function figures(base, round) {
  const county = await countyClient(base);
  const get = async (client, path) => {
    const res = await client.get(path);
    assert.equal(res.status, 200, `${path}: ${res.text}`);
    return res.data;
  };
  const units = {};
  for (const unit of round.units)
    units[unit.code] = await get(county, `/api/v1/admin/evaluation-rounds/${round.id}/units/${unit.code}`);
  return {
    public: await get(new Client(base), `/api/v1/evaluations/${round.id}`),
    admin: await get(county, `/api/v1/admin/evaluation-rounds/${round.id}/results?unit=${round.owner}`),
    units,
  };
}

// After the restart: every acknowledged ballot found by its receipt and its
// code refused as used; every unanswered one asked for. Returns the counts.
async function checkBallots(base, round, seen, pool) {
  const found = await inParallel([...seen.acked.values()], 16, async (b) => {
    const res = await new Client(base).get(`/api/v1/evaluations/${round.id}/receipts/${b.receipt.receipt}`);
    // A just-restarted server may still be busy: send again while refused.
    const again = await sendWhileBusy(() =>
      postBallot(base, { code: b.code, grades: randomGrades(round, b.unit, Math.random) }));
    return {
      code: b.code,
      found: res.status === 200 && res.data.counted === true
        && JSON.stringify(res.data.ballot) === JSON.stringify(b.receipt.ballot),
      refused: again.status === 409,
      status: again.status,
    };
  });
  const asked = await inParallel(seen.unanswered, 16, async (b) => {
    const res = await new Client(base).get(`/api/v1/ballots/${b.code}`);
    assert.ok(res.status === 200 || res.status === 409, `GET /ballots/${b.code}: ${res.status} ${res.text}`);
    if (res.status === 200) pool.push(b);  // not committed: the code still votes
    return res.status === 409;
  });
  return {
    missing: found.filter((f) => !f.found).map((f) => f.code),
    notRefused: found.filter((f) => !f.refused).map((f) => `${f.code}: ${f.status}`),
    unansweredCommitted: asked.filter(Boolean).length,
  };
}

// Stops the server, recomputes the round's tallies from its ballots and
// starts it again; returns the new server and the ballots the verb read.
async function recompute(server, round) {
  const stopped = await server.shutdown();
  assert.equal(stopped.code, 0, `server did not stop cleanly: ${JSON.stringify(stopped)}\n${server.log()}`);
  const out = cli(['tally', '--db', server.db.url, '--round', round.id, '--recompute']);
  const read = Number(out.match(/recomputed from (\d+) ballots/)?.[1]);
  return { server: await serve(server.db), read };
}

// Runs `cycles` kill cycles against `server` (started with the demo county,
// e.g. harness startServer). Each cycle tops the pool of unused codes up to
// `codesPerCycle` — or to twice what the last cycle's rate would cast in
// the longest delay, so a faster server does not run dry before the kill —
// drives, kills after a random delay in [minDelayMs,
// maxDelayMs), restarts and checks. report(line) gets one line per cycle;
// onServer(server) hears of every restart, so that a caller can stop the
// running server even when a cycle fails. Returns { server, cycles: [...] }
// with the server still running; throws (after report) on the first cycle
// that loses anything.
export async function killCycles(server, {
  cycles, seed, concurrency = 32, codesPerCycle = 400, minDelayMs = 200, maxDelayMs = 1500,
  report = console.log, onServer = () => {},
}) {
  const random = seededRandom(seed);
  const round = await openRound(server);
  const pool = [];
  const results = [];
  let acknowledged = 0;
  let wanted = codesPerCycle;
  for (let cycle = 1; cycle <= cycles; cycle += 1) {
    if (pool.length < wanted) pool.push(...await issueCodes(server.base, round, wanted - pool.length));
    const castBefore = (await figures(server.base, round)).public.total.cast;
    const delayMs = Math.round(minDelayMs + random() * (maxDelayMs - minDelayMs));
    const started = Date.now();
    const seen = await driveUntilKill(server, round, pool, { concurrency, delayMs, random });
    const restartAt = Date.now();
    server = await serve(server.db);
    onServer(server);
    const restartMs = Date.now() - restartAt;
    const checked = await checkBallots(server.base, round, seen, pool);
    const live = await figures(server.base, round);
    const cast = live.public.total.cast;
    const again = await recompute(server, round);
    server = again.server;
    onServer(server);
    const recomputed = await figures(server.base, round);
    const equal = JSON.stringify(recomputed) === JSON.stringify(live);
    acknowledged += seen.acked.size;
    wanted = Math.max(codesPerCycle, Math.ceil((2 * seen.acked.size * maxDelayMs) / delayMs));
    const line = {
      cycle, seed, delay_ms: delayMs, in_flight_at_kill: seen.inFlightAtKill, acknowledged: seen.acked.size,
      found: seen.acked.size - checked.missing.length, refused_as_used: seen.acked.size - checked.notRefused.length,
      unanswered: seen.unanswered.length, unanswered_committed: checked.unansweredCommitted, busy: seen.busy,
      counted: cast - castBefore, cast_total: cast, acknowledged_total: acknowledged,
      recompute_read: again.read, recompute_equal: equal, kill_signal: seen.exit.signal,
      restart_ms: restartMs, cycle_ms: Date.now() - started,
    };
    results.push(line);
    report(`cycle ${cycle}/${cycles} seed=${seed} delay=${delayMs}ms in_flight_at_kill=${line.in_flight_at_kill}`
      + ` acknowledged=${line.acknowledged} found=${line.found} refused_as_used=${line.refused_as_used}`
      + ` unanswered=${line.unanswered} (committed ${line.unanswered_committed}) busy_503=${line.busy}`
      + ` counted=${line.counted} cast_total=${cast} acknowledged_total=${acknowledged}`
      + ` recompute_equal=${equal} restart=${restartMs}ms cycle=${line.cycle_ms}ms`);
    const where = `cycle ${cycle}, seed ${seed}`;
    assert.equal(seen.exit.signal, 'SIGKILL', `${where}: the server died before the kill: ${JSON.stringify(seen.exit)}`);
    assert.deepEqual(seen.unexpected, [], `${where}: unexpected answers`);
    assert.deepEqual(checked.missing, [], `${where}: acknowledged ballots not found by their receipts`);
    assert.deepEqual(checked.notRefused, [], `${where}: acknowledged codes not refused as used`);
    assert.ok(cast - castBefore >= seen.acked.size, `${where}: counted ${cast - castBefore} < acknowledged ${seen.acked.size}`);
    assert.equal(cast - castBefore, seen.acked.size + checked.unansweredCommitted,
      `${where}: counted ≠ acknowledged + committed in flight`);
    assert.equal(again.read, cast, `${where}: recompute read ${again.read} ballots, the figures count ${cast}`);
    assert.ok(equal, `${where}: recomputed figures differ from the live ones`);
  }
  return { server, cycles: results };
}
