import { isUtf8 } from 'node:buffer';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { PingtreeError } from '@pingtree/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hasLoneSurrogate, jsonDepthExceeds, MAX_JSON_DEPTH } from './json-limits';

const JSON_TYPE = 'application/json';

/**
 * Replaces the JSON body parser of the gateway (intake, admin, callbacks) with one that refuses,
 * with 400 INVALID_REQUEST, bodies that are not UTF-8, nest deeper than MAX_JSON_DEPTH or hold
 * lone surrogates; the size limit (413) stays Fastify's. The raw bytes are kept on the request
 * (`rawBody`) for signature checks, as Nest's parser does.
 */
@Injectable()
export class JsonBodyParser implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const parseJson = fastify.getDefaultJsonParser('error', 'error');
    if (fastify.hasContentTypeParser(JSON_TYPE)) fastify.removeContentTypeParser(JSON_TYPE);
    fastify.addContentTypeParser(
      JSON_TYPE,
      { parseAs: 'buffer', bodyLimit: fastify.initialConfig.bodyLimit },
      (req: FastifyRequest & { rawBody?: Buffer }, body: Buffer, done) => {
        req.rawBody = body;
        if (!isUtf8(body)) return done(new PingtreeError('INVALID_REQUEST', 'body is not valid UTF-8'), undefined);
        if (jsonDepthExceeds(body, MAX_JSON_DEPTH)) {
          return done(
            new PingtreeError('INVALID_REQUEST', `JSON nests deeper than the limit of ${MAX_JSON_DEPTH} levels`),
            undefined,
          );
        }
        void parseJson(req, body.toString('utf8'), (error, value) => {
          if (!error && hasLoneSurrogate(value)) {
            return done(
              new PingtreeError(
                'INVALID_REQUEST',
                'body holds an unpaired UTF-16 surrogate (\\uD800-\\uDFFF): not valid Unicode',
              ),
              undefined,
            );
          }
          done(error, value);
        });
      },
    );
  }
}
