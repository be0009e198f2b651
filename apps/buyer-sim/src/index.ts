export { startBuyerSim, DEFAULT_SEED, type BuyerSim, type BuyerSimOptions } from './sim-server';
export {
  simBuyerSchema,
  styleSchema,
  simModeSchema,
  STYLES,
  SIM_MODES,
  type SimBuyer,
  type SimBuyerInput,
  type Style,
  type SimMode,
  type CallKind,
} from './sim-buyer';
export { SLOW_EXTRA_MS } from './buyer-behaviour';
export { REQUEST_LOG_CAPACITY, type RecordedRequest, type RequestFilter } from './request-log';
export { simChannelCalls, type SimChannelCalls } from './channel-presets';
export { DEMO_BUYERS } from './demo-buyers';
