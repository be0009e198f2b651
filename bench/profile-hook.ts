import fs from 'node:fs';
import { Session } from 'node:inspector';

/**
 * Preloaded (`node -r`) into the one service `--cpu-prof` names. The bench creates `<file>.start`
 * when its measured window opens and `<file>.stop` when it closes; this starts V8's sampling
 * profiler on the first and writes the profile to BENCH_PROFILE_FILE on the second, so the profile
 * covers exactly the measured window, not boot or shutdown. Control files rather than signals:
 * Nest's shutdown hooks treat SIGUSR2 as a stop signal. Service code is untouched.
 */
const file = process.env['BENCH_PROFILE_FILE'];
if (file) {
  const session = new Session();
  session.connect();
  let state: 'waiting' | 'running' | 'done' = 'waiting';
  const poll = setInterval(() => {
    if (state === 'waiting' && fs.existsSync(`${file}.start`)) {
      state = 'running';
      session.post('Profiler.enable', () => session.post('Profiler.start'));
    } else if (state === 'running' && fs.existsSync(`${file}.stop`)) {
      state = 'done';
      clearInterval(poll);
      session.post('Profiler.stop', (error, result) => {
        if (error) return void process.stderr.write(`cpu profile failed: ${error.message}\n`);
        fs.writeFileSync(`${file}.tmp`, JSON.stringify(result.profile));
        fs.renameSync(`${file}.tmp`, file);
      });
    }
  }, 50);
  poll.unref();
}
