// The long form of the kill test (issue 4 §7): `cycles` kill cycles on each
// database asked for, one line per cycle and a summary line per database;
// exits 1 if any cycle lost anything. run.sh starts PostgreSQL and keeps the
// results; see README.md.
import { startServer } from '../../tests/api/lib/harness.mjs';
import { killCycles, seedFromEnv } from '../../tests/api/lib/kill-cycles.mjs';

const cycles = Number(process.argv[2] ?? 20);
const which = process.argv[3] ?? 'both';
const databases = which === 'both' ? ['sqlite', 'postgres'] : [which];

let failed = false;
for (const db of databases) {
  const seed = seedFromEnv();
  const started = Date.now();
  console.log(`# db=${db} seed=${seed} cycles=${cycles} concurrency=32 kill delay 200-2000 ms`);
  let server = await startServer(db);
  console.log(`# ${db}: init + demo + serve ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const lines = [];
  try {
    await killCycles(server, {
      cycles, seed, minDelayMs: 200, maxDelayMs: 2000,
      report: (line) => console.log(`${db} ${line}`),
      onServer: (s) => { server = s; },
    }).then((run) => lines.push(...run.cycles));
  } catch (error) {
    failed = true;
    console.log(`FAILED db=${db} seed=${seed}: ${error.message.split('\n')[0]}`);
  } finally {
    await server.stop();
  }
  const sum = (key) => lines.reduce((n, l) => n + l[key], 0);
  console.log(`db=${db} cycles_passed=${lines.length}/${cycles} seed=${seed}`
    + ` acknowledged=${sum('acknowledged')} found=${sum('found')} lost=${sum('acknowledged') - sum('found')}`
    + ` in_flight_at_kill=${sum('in_flight_at_kill')} in_flight_committed=${sum('unanswered_committed')}`
    + ` busy_503=${sum('busy')} recompute_equal=${lines.filter((l) => l.recompute_equal).length}/${cycles}`
    + ` seconds=${((Date.now() - started) / 1000).toFixed(0)}`);
}
process.exit(failed ? 1 : 0);
