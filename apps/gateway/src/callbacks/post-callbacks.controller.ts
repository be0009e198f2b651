import { Controller, HttpCode, Param, Post, Req, type RawBodyRequest } from '@nestjs/common';
import { HTTP_HEADERS, PingtreeError, postCallbackV1 } from '@pingtree/contracts';
import { NatsRequestClient } from '@pingtree/messaging';
import type { FastifyRequest } from 'fastify';
import { LeadJourney } from '../journey/lead-journey.service';

/** A buyer is waiting for our 2xx; its retries would only repeat work we already did. */
const CALLBACK_DEADLINE_MS = 5000;

/**
 * `POST /v1/callbacks/posts/:attemptId`: a buyer confirms a post it answered "pending". The post
 * service verifies the signature and settles the post; then the lead's state follows.
 */
@Controller('v1/callbacks/posts')
export class PostCallbacksController {
  constructor(
    private readonly nats: NatsRequestClient,
    private readonly journey: LeadJourney,
  ) {}

  @Post(':attemptId')
  @HttpCode(200)
  async callback(@Param('attemptId') attemptId: string, @Req() req: RawBodyRequest<FastifyRequest>) {
    if (!/^\d{1,18}$/.test(attemptId)) throw new PingtreeError('NOT_FOUND', 'no post awaits this callback');
    const header = (name: string) => {
      const value = req.headers[name];
      return typeof value === 'string' ? value : '';
    };
    const timestamp = header(HTTP_HEADERS.callbackTimestamp);
    const signature = header(HTTP_HEADERS.callbackSignature);
    if (!timestamp || !signature) {
      throw new PingtreeError(
        'UNAUTHORIZED',
        `signed callbacks only: ${HTTP_HEADERS.callbackTimestamp} and ${HTTP_HEADERS.callbackSignature}`,
      );
    }
    const settled = await this.nats.request(
      postCallbackV1,
      { attemptId, timestamp, signature, body: req.rawBody?.toString('utf8') ?? '' },
      { deadlineAt: Date.now() + CALLBACK_DEADLINE_MS },
    );
    if (!settled.duplicate) await this.journey.afterCallback(settled.leadId);
    return { status: settled.duplicate ? 'duplicate' : settled.late ? 'late' : 'recorded', outcome: settled.outcome };
  }
}
