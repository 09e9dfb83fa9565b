// Nothing acknowledged is lost (issue 4 §7), short form: on each database,
// three cycles of ballots from 32 concurrent clients, SIGKILL of the server
// at a random moment, restart on the same database; every 201's receipt is
// found and its code refused as used, the figures count every acknowledged
// ballot (and exactly those of the unanswered ones that were committed), and
// `xianfeng tally --recompute` gives the live figures exactly. The seed is
// printed; XF_KILL_SEED=N replays its kill delays. The long form (20 cycles
// and more) is bench/ballots-kill/run.sh.
import { describe, it, before, after } from 'node:test';
import { startServer, dialects } from './lib/harness.mjs';
import { killCycles, seedFromEnv } from './lib/kill-cycles.mjs';

for (const dialect of dialects()) {
  describe(`ballots survive SIGKILL on ${dialect}`, () => {
    let server;
    before(async () => { server = await startServer(dialect); });
    after(async () => { await server?.stop(); });

    it('keeps every acknowledged ballot through 3 kill cycles', { timeout: 60000 }, async (t) => {
      const seed = seedFromEnv();
      t.diagnostic(`seed=${seed}`);
      const run = await killCycles(server, {
        cycles: 3, seed, codesPerCycle: 300, minDelayMs: 200, maxDelayMs: 1200,
        report: (line) => t.diagnostic(line),
        onServer: (s) => { server = s; },
      });
      server = run.server;
    });
  });
}
