import { EventLoopLag } from './event-loop-lag';

const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    /* hold the loop */
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('EventLoopLag', () => {
  it('sees a blocked loop at once, remembers it for one to two seconds, then forgets it', async () => {
    const lag = new EventLoopLag().start();
    try {
      await sleep(50);
      busy(600);
      // Right after the block, before any timer ran: the overdue tick counts.
      expect(lag.recentMaxMs()).toBeGreaterThanOrEqual(550);
      await sleep(30);
      expect(lag.recentMaxMs()).toBeGreaterThanOrEqual(550);
      await sleep(2300);
      expect(lag.recentMaxMs()).toBeLessThan(500);
    } finally {
      lag.stop();
    }
  });
});
