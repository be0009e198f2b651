import { countsForCircuit, LATE_LOOP_MS } from './channel-circuits.service';

describe('what counts for a channel circuit', () => {
  it('counts timeouts while this replica keeps time, and every other outcome always', () => {
    expect(countsForCircuit('timeout', 5)).toBe(true);
    expect(countsForCircuit('error', LATE_LOOP_MS * 10)).toBe(true);
    expect(countsForCircuit('bid', LATE_LOOP_MS * 10)).toBe(true);
  });

  it("does not blame the buyer for a timeout while this replica's own loop ran late", () => {
    expect(countsForCircuit('timeout', LATE_LOOP_MS + 1)).toBe(false);
  });
});
