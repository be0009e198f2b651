import { parseFormBody } from './form-body';
import { type BuyerStyle, escapeXml, xml, XML_TYPE } from './style';

/**
 * Form-encoded requests, `<reply>` XML answers: code 1 accepts, 0 declines (payout 0), -1 is an
 * error. Errors come back as 200 with code -1, as such buyers do, not as an HTTP error.
 */
export const xmlForm: BuyerStyle = {
  style: 'xml-form',
  idPrefix: 'xf',
  refField: 'id',
  contentType: XML_TYPE,
  parseRequest: parseFormBody,
  pingAccepted: ({ id, price }) =>
    xml(200, `<reply><code>1</code><id>${escapeXml(id)}</id><payout>${price.toFixed(2)}</payout></reply>`),
  pingRejected: () => xml(200, '<reply><code>0</code><payout>0</payout><reason>Not interested</reason></reply>'),
  postAccepted: (id) => xml(200, `<reply><code>1</code><id>${escapeXml(id)}</id></reply>`),
  postRejected: (reason) => xml(200, `<reply><code>0</code><reason>${escapeXml(reason)}</reason></reply>`),
  // Code 2: taken, outcome to follow.
  postPending: (id) => xml(200, `<reply><code>2</code><id>${escapeXml(id)}</id></reply>`),
  badRequest: (reason) => xml(200, `<reply><code>-1</code><reason>${escapeXml(reason)}</reason></reply>`),
  garbage: () => ({ status: 200, contentType: XML_TYPE, body: '<reply><code>1</code><payout>9.25</payout></rep' }),
};
