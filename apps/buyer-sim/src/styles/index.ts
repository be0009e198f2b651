import type { Style } from '../sim-buyer';
import { auction202 } from './auction-202';
import { bidJson } from './bid-json';
import { centsFlags } from './cents-flags';
import { rtbExpiry } from './rtb-expiry';
import type { BuyerStyle } from './style';
import { textPipe } from './text-pipe';
import { transactionJson } from './transaction-json';
import { xmlForm } from './xml-form';

export const BUYER_STYLES: Readonly<Record<Style, BuyerStyle>> = {
  'transaction-json': transactionJson,
  'bid-json': bidJson,
  'auction-202': auction202,
  'xml-form': xmlForm,
  'rtb-expiry': rtbExpiry,
  'cents-flags': centsFlags,
  'text-pipe': textPipe,
};

export type { BuyerStyle, IssuedBid, RequestBody, SimAnswer } from './style';
export { HTML_TYPE } from './style';
