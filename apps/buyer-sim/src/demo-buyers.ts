import type { SimBuyer } from './sim-buyer';

/** The buyers `main.ts` starts with: every style, a spread of prices and latencies, one picky poster. */
export const DEMO_BUYERS: readonly SimBuyer[] = [
  {
    key: 'acme-insurance',
    style: 'transaction-json',
    bid: { min: 6, max: 12 },
    pingRejectRate: 0.2,
    postRejectRate: 0.1,
    latencyMs: { min: 5, max: 30 },
    mode: 'normal',
  },
  {
    key: 'bidwise-auto',
    style: 'bid-json',
    bid: { min: 8, max: 20 },
    pingRejectRate: 0.3,
    postRejectRate: 0.05,
    latencyMs: { min: 10, max: 50 },
    mode: 'normal',
  },
  {
    key: 'quota-auction',
    style: 'auction-202',
    bid: { min: 10, max: 25 },
    pingRejectRate: 0.4,
    postRejectRate: 0.1,
    latencyMs: { min: 20, max: 80 },
    mode: 'normal',
  },
  {
    key: 'sunform-solar',
    style: 'xml-form',
    bid: { min: 5, max: 15 },
    pingRejectRate: 0.25,
    postRejectRate: 0.1,
    latencyMs: { min: 5, max: 40 },
    mode: 'normal',
  },
  {
    // High bids, but half its accepted pings end in a rejected post: ranks by expected value.
    key: 'picky-lender',
    style: 'transaction-json',
    bid: { min: 15, max: 40 },
    pingRejectRate: 0.5,
    postRejectRate: 0.5,
    latencyMs: { min: 30, max: 80 },
    mode: 'normal',
  },
  {
    // Cheap and nearly always buys: the sweeper tier's last resort.
    key: 'sweeper-network',
    style: 'bid-json',
    bid: { min: 1, max: 4 },
    pingRejectRate: 0.05,
    postRejectRate: 0,
    latencyMs: { min: 5, max: 15 },
    mode: 'normal',
  },
];
