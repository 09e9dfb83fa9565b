// Loads a province-sized evaluation round for bench/ballots and writes the
// plaintext codes the driver votes with.
//
//   node bench/ballots/load.mjs --bin BIN --dir DIR [--db URL]
//        [--counties 100] [--townships 10] [--branches 100] [--codes 1000] [--every 10]
//
// In DIR (the cache; a second run reuses it): units.csv, the SQLite database
// bench.db unless --db names one, codes.txt and state.json. The tree is a
// province → counties → townships → branches (100 × 10 × 100 = 100 000
// branches by default); `xianfeng init` + `import units` + `user add` +
// `user grant` build it, then a server started here takes, over HTTP as the
// console would: log in, a campaign (init makes none), a unit round over the
// whole province, open it, and `--codes` resident codes in one batch for
// every `--every`-th branch (default 1 000 codes for each of 10 000 branches
// spread over every township: issuing costs one audited transaction per
// batch, which dominates at 100 codes a batch on a shared 2-core machine),
// two batches in flight at a time.
//
// codes.txt: a header `# grades=g1,g2,...` (the round's grade codes) and one
// line per code `CODE,TARGET_ID,CRITERIA` — enough for the driver to build a
// complete ballot. Issuing is resumable: state.json records how many
// branches are done and the byte length of codes.txt at that point, so an
// interrupted load continues where it stopped (a batch issued but not
// recorded is just over-issued, as a lost sheet would be).
//
// Prints the time to issue the codes, and per million codes the database
// growth (SQLite file + WAL, or pg_database_size) and the server's RSS growth
// (VmRSS from /proc); the last line is
//   codes=N issue_s=S db_mb_per_million=D rss_mb_per_million=M
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, statSync, truncateSync, openSync, writeSync, closeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
  options: {
    bin: { type: 'string', default: process.env.XF_BIN ?? 'build/release/app/xianfeng' },
    dir: { type: 'string' },
    db: { type: 'string' },
    counties: { type: 'string', default: '100' },
    townships: { type: 'string', default: '10' },
    branches: { type: 'string', default: '100' },
    codes: { type: 'string', default: '1000' },
    every: { type: 'string', default: '10' },
  },
});
if (!opt.dir) {
  console.error('usage: node bench/ballots/load.mjs --bin BIN --dir DIR [--db URL] [--counties N] [--townships N] [--branches N] [--codes N]');
  process.exit(2);
}
const dir = resolve(opt.dir);
mkdirSync(dir, { recursive: true });
const size = {
  counties: Number(opt.counties), townships: Number(opt.townships), branches: Number(opt.branches), codes: Number(opt.codes),
  every: Number(opt.every),
};
const dbUrl = opt.db ?? `sqlite:${join(dir, 'bench.db')}`;
const paths = { csv: join(dir, 'units.csv'), codes: join(dir, 'codes.txt'), state: join(dir, 'state.json') };
const ADMIN = 'bench-admin';
const PASSWORD = 'bench-ballots-password-2026';
const PROVINCE = 'bench-p';
const CHUNK = 100;  // batches per recorded step
const IN_FLIGHT = 2;

const readState = () => (existsSync(paths.state) ? JSON.parse(readFileSync(paths.state, 'utf8')) : { phase: 'new' });
const saveState = (s) => writeFileSync(paths.state, JSON.stringify({ ...s, targets: undefined }, null, 1));
const cli = (args, env = {}) =>
  execFileSync(opt.bin, args, { env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const pad = (n, w) => String(n).padStart(w, '0');
function* branchCodes() {
  for (let c = 1; c <= size.counties; c++)
    for (let t = 1; t <= size.townships; t++)
      for (let b = 1; b <= size.branches; b += size.every) yield `bench-c${pad(c, 3)}-t${pad(t, 2)}-b${pad(b, 3)}`;
}

// The units CSV of features/organizations: parents before children.
function writeUnitsCsv() {
  const rows = ['code,name,kind,field,parent_code', `${PROVINCE},中共基准省委员会,committee,agency,`];
  for (let c = 1; c <= size.counties; c++) {
    const county = `bench-c${pad(c, 3)}`;
    rows.push(`${county},中共第${c}县委员会,committee,agency,${PROVINCE}`);
    for (let t = 1; t <= size.townships; t++) {
      const township = `${county}-t${pad(t, 2)}`;
      rows.push(`${township},中共第${c}县第${t}镇委员会,committee,rural,${county}`);
      for (let b = 1; b <= size.branches; b++) {
        const field = b % 2 ? 'rural' : 'community';
        rows.push(`${township}-b${pad(b, 3)},第${c}县第${t}镇第${b}村党支部,branch,${field},${township}`);
      }
    }
  }
  writeFileSync(paths.csv, rows.join('\n') + '\n');
  return rows.length - 1;
}

function buildDatabase(state) {
  const units = writeUnitsCsv();
  const started = Date.now();
  cli(['init', '--db', dbUrl, '--admin', 'admin'], { XF_ADMIN_PASSWORD: PASSWORD });
  cli(['import', 'units', '--db', dbUrl, paths.csv]);
  cli(['user', 'add', '--db', dbUrl, ADMIN], { XF_USER_PASSWORD: PASSWORD });
  cli(['user', 'grant', '--db', dbUrl, ADMIN, '--role', 'org_admin', '--unit', PROVINCE]);
  console.log(`units: ${units} imported in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  Object.assign(state, { phase: 'imported', units });
  saveState(state);
}

async function startServer() {
  const child = spawn(opt.bin, ['serve', '--db', dbUrl, '--listen', '127.0.0.1:0', '--web', 'web/dist', '--dev-cookies'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => { log = (log + d).slice(-4000); });
  const base = await new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`server did not start:\n${log}`)), 120000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[0-9.]+:\d+)/);
      if (m) { clearTimeout(timer); ok(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); fail(new Error(`server exited ${code}:\n${log}`)); });
  });
  // Stopped with the loader, however it ends (a resumed load starts its own).
  process.on('SIGTERM', () => { child.kill('SIGTERM'); process.exit(143); });
  process.on('SIGINT', () => { child.kill('SIGTERM'); process.exit(130); });
  return {
    base, pid: child.pid,
    async stop() {
      const exited = new Promise((ok) => child.once('exit', ok));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

// A console session: cookie, CSRF token, same-origin Origin; logs in again
// if the session ends during a long load.
class Console {
  constructor(base) { this.base = base; this.cookie = ''; this.csrf = ''; }

  async login() {
    const res = await fetch(`${this.base}/api/v1/session`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Origin: this.base },
      body: JSON.stringify({ username: ADMIN, password: PASSWORD }),
    });
    if (res.status !== 200) throw new Error(`login: ${res.status} ${await res.text()}`);
    this.cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    this.csrf = (await res.json()).csrf_token;
  }

  async call(method, path, json, expected) {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(this.base + path, {
        method,
        headers: { 'Content-Type': 'application/json', Origin: this.base, Cookie: this.cookie, 'X-CSRF-Token': this.csrf },
        body: json === undefined ? undefined : JSON.stringify(json),
      });
      const text = await res.text();
      if (res.status === expected) return text ? JSON.parse(text) : null;
      if (res.status === 401 && attempt === 0) { await this.login(); continue; }
      throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
    }
  }
}

async function createRound(api, state) {
  const campaign = await api.call('POST', '/api/v1/admin/campaigns', {
    owner_code: PROVINCE, name: '基准省创先争优', description: 'bench/ballots', starts_on: '2026-01-01', ends_on: '2027-12-31',
  }, 201);
  const day = 24 * 3600 * 1000;
  const round = await api.call('POST', '/api/v1/admin/evaluation-rounds', {
    unit_code: PROVINCE, campaign_id: campaign.id, kind: 'unit', name: '全省基层党组织群众满意度评议（基准）',
    subtree: PROVINCE,
    classes: [{ code: 'party_reps', name: '党员代表', weight: 30 }, { code: 'public_reps', name: '群众代表', weight: 30 },
      { code: 'residents', name: '居民群众', weight: 40 }],
    opens_at: new Date(Date.now() - day).toISOString(),
    closes_at: new Date(Date.now() + 300 * day).toISOString(),
  }, 201);
  await api.call('POST', `/api/v1/admin/evaluation-rounds/${round.id}/open`, {}, 200);
  Object.assign(state, {
    phase: 'issuing', roundId: round.id, criteria: round.criteria.length, grades: round.grades.map((g) => g.code),
    issuedBranches: 0, codesBytes: 0, issueMs: 0,
  });
  writeFileSync(paths.codes, `# grades=${state.grades.join(',')}\n`);
  state.codesBytes = statSync(paths.codes).size;
  saveState(state);
  console.log(`round ${round.id}: ${round.units.length} branches, ${state.criteria} criteria, grades ${state.grades.join('/')}`);
}

// Each branch's target id (a unit round grades the branch itself), read
// from the database in one query: the public ballot page would give it per
// code, but on SQLite it reads every target of the round (see README.md).
function targetsByUnit(roundId) {
  const sql = 'SELECT u.code, t.target_id FROM evaluation_targets t JOIN units u ON u.id = t.unit_id '
    + `WHERE t.round_id = ${BigInt(roundId)}`;
  const out = dbUrl.startsWith('sqlite:')
    ? execFileSync('sqlite3', ['-csv', dbUrl.slice('sqlite:'.length), sql], { encoding: 'utf8', maxBuffer: 1 << 28 })
    : execFileSync('psql', [dbUrl, '-qAt', '-F,', '-c', sql], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return new Map(out.trim().split('\n').map((line) => line.split(',')));
}

// One branch: a batch of resident codes, a line per code.
async function issueBranch(api, state, unitCode) {
  const batch = await api.call('POST', `/api/v1/admin/evaluation-rounds/${state.roundId}/codes`,
    { unit_code: unitCode, class: 'residents', count: size.codes }, 201);
  const target = state.targets.get(unitCode);
  return batch.codes.map((code) => `${code},${target},${state.criteria}\n`).join('');
}
async function issueChunk(api, state, units) {
  const out = new Array(units.length);
  let next = 0;
  const worker = async () => {
    while (next < units.length) {
      const i = next++;
      out[i] = await issueBranch(api, state, units[i]);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return out.join('');
}

const rssKb = (pid) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]);
function dbBytes() {
  if (dbUrl.startsWith('sqlite:')) {
    const file = dbUrl.slice('sqlite:'.length);
    return [file, `${file}-wal`].filter(existsSync).reduce((sum, f) => sum + statSync(f).size, 0);
  }
  return Number(execFileSync('psql', [dbUrl, '-qAtc', 'SELECT pg_database_size(current_database())'], { encoding: 'utf8' }));
}

async function issueAll(server, state) {
  const api = new Console(server.base);
  await api.login();
  if (state.phase === 'imported') await createRound(api, state);
  truncateSync(paths.codes, state.codesBytes);  // drop what an interrupted run wrote past the last record
  const all = [...branchCodes()];
  state.targets = targetsByUnit(state.roundId);
  const first = { rss: rssKb(server.pid), db: dbBytes(), branches: state.issuedBranches };
  const fd = openSync(paths.codes, 'a');
  try {
    while (state.issuedBranches < all.length) {
      const started = Date.now();
      const lines = await issueChunk(api, state, all.slice(state.issuedBranches, state.issuedBranches + CHUNK));
      writeSync(fd, lines);
      state.issueMs += Date.now() - started;
      state.issuedBranches = Math.min(all.length, state.issuedBranches + CHUNK);
      state.codesBytes += Buffer.byteLength(lines);
      saveState(state);
      if (state.issuedBranches % (CHUNK * 10) === 0 || state.issuedBranches === all.length)
        console.log(`issued ${state.issuedBranches * size.codes} codes (${state.issuedBranches}/${all.length} branches), ${(state.issueMs / 1000).toFixed(0)} s`);
    }
  } finally {
    closeSync(fd);
  }
  // Growth per million codes over this session's issuing (a resumed load
  // measures only its own part).
  const millions = ((state.issuedBranches - first.branches) * size.codes) / 1e6;
  if (millions > 0) {
    state.dbMbPerMillion = (dbBytes() - first.db) / 1e6 / millions;
    state.rssMbPerMillion = (rssKb(server.pid) - first.rss) / 1e3 / millions;
  }
  state.phase = 'done';
  state.codes = all.length * size.codes;
  state.dbMb = dbBytes() / 1e6;
  saveState(state);
}

let state = readState();
if (state.phase === 'new') buildDatabase(state);
if (state.phase !== 'done') {
  const server = await startServer();
  try {
    await issueAll(server, state);
  } finally {
    await server.stop();
  }
} else {
  console.log(`reusing ${dir} (${state.codes} codes in round ${state.roundId})`);
}
const fmt = (x) => (x === undefined ? 'na' : x.toFixed(1));
console.log(`codes=${state.codes} issue_s=${(state.issueMs / 1000).toFixed(1)} db_mb=${fmt(state.dbMb)} `
  + `db_mb_per_million=${fmt(state.dbMbPerMillion)} rss_mb_per_million=${fmt(state.rssMbPerMillion)}`);
