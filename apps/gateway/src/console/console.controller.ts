import { Controller, Get, Req, Res } from '@nestjs/common';
import { PingtreeError } from '@pingtree/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { consoleDir, consoleFile } from './console-files';

/** The console is an app of its own: scripts only from here, never framed by another site. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * Serves the operators' console (apps/console, built by Vite) at /console/. The page itself is
 * public; everything it shows comes from the admin API, which wants the admin key.
 */
@Controller('console')
export class ConsoleController {
  private readonly dir = consoleDir();

  @Get()
  async index(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    // /console without the slash: the page's relative URLs need it.
    if (!request.url.split('?')[0]!.endsWith('/')) await reply.redirect('/console/', 301);
    else await this.send(reply, '');
  }

  @Get('*')
  file(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.send(reply, request.url.replace(/^\/console\//, ''));
  }

  private async send(reply: FastifyReply, relative: string): Promise<void> {
    const file = await consoleFile(this.dir, relative);
    if (!file) {
      const built = await consoleFile(this.dir, 'index.html');
      throw new PingtreeError(
        'NOT_FOUND',
        built ? `no console file ${relative}` : 'the console is not built: run `npm run build:console`',
      );
    }
    await reply
      .headers(SECURITY_HEADERS)
      .header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      .type(file.type)
      .send(file.body);
  }
}
