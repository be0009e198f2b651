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
  type SimCallback,
  simCallbackSchema,
  DEFAULT_LATE_MS,
  ON_TIME_CALLBACK_MAX_MS,
  DEFAULT_CALLBACK_URL_FIELD,
} from './sim-buyer';
export { SLOW_EXTRA_MS } from './buyer-behaviour';
export { CALLBACK_SIGNATURE_HEADER, CALLBACK_TIMESTAMP_HEADER, signCallback } from './callback-signature';
export { CALLBACK_TIMEOUT_MS, type CallbackFilter, type CallbackStatus, type SentCallback } from './callback-sender';
export { REQUEST_LOG_CAPACITY, type RecordedRequest, type RequestFilter } from './request-log';
export { simChannelCalls, type SimChannelCalls } from './channel-presets';
export { DEMO_BUYERS } from './demo-buyers';
