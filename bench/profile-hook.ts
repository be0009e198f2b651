import fs from 'node:fs';
import { Session } from 'node:inspector';

/**
 * Preloaded (`node -r`) into the one service `--cpu-prof` names. The first SIGUSR2 starts V8's
 * sampling profiler, the second stops it and writes BENCH_PROFILE_FILE, so the profile covers
 * exactly the bench's measured window and not boot or shutdown. Service code is untouched.
 */
const file = process.env['BENCH_PROFILE_FILE'];
if (file) {
  const session = new Session();
  session.connect();
  let running = false;
  process.on('SIGUSR2', () => {
    if (!running) {
      running = true;
      session.post('Profiler.enable', () => session.post('Profiler.start'));
      return;
    }
    running = false;
    session.post('Profiler.stop', (error, result) => {
      if (error) {
        process.stderr.write(`cpu profile failed: ${error.message}\n`);
        return;
      }
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(result.profile));
      fs.renameSync(`${file}.tmp`, file);
    });
  });
}
