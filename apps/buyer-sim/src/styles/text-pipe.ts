import { parseFormBody } from './form-body';
import { type BuyerStyle, HTML_TYPE, type SimAnswer, TEXT_TYPE } from './style';

/**
 * Form requests, one line of plain text back, read with a regex: `ACCEPT|price=12.50|id=tp-…`,
 * `REJECT|reason=…`, `PENDING|id=…`, `ERROR|reason=…`. The post carries `ref`.
 */
export const textPipe: BuyerStyle = {
  style: 'text-pipe',
  idPrefix: 'tp',
  refField: 'ref',
  contentType: TEXT_TYPE,
  parseRequest: parseFormBody,
  pingAccepted: ({ id, price }) => text(200, `ACCEPT|price=${price.toFixed(2)}|id=${id}`),
  pingRejected: () => text(200, 'REJECT|reason=Not buying in this area'),
  postAccepted: (id) => text(200, `ACCEPT|id=${id}`),
  postRejected: (reason) => text(200, `REJECT|reason=${oneField(reason)}`),
  postPending: (id) => text(200, `PENDING|id=${id}`),
  badRequest: (reason) => text(400, `ERROR|reason=${oneField(reason)}`),
  // Such buyers put a "thank you" page in front of errors: 200, HTML, no verdict line.
  garbage: () => ({ status: 200, contentType: HTML_TYPE, body: '<html><body><h1>Thank you!</h1></body></html>' }),
};

function text(status: number, body: string): SimAnswer {
  return { status, contentType: TEXT_TYPE, body };
}

/** A reason must not break the line format. */
function oneField(reason: string): string {
  return reason.replace(/[|\r\n]+/g, ' ');
}
