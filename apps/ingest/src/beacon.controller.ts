import { Controller, Headers, HttpCode, Options, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { allowsOrigin } from '@sightline/intake';
import { ingestErrors } from './ingest-errors';
import { PropertyRegistry } from './properties';

/** CORS preflight of `/v1/beacons`; the POST itself is served by `beacon-route.ts`. */
@Controller('v1')
export class BeaconController {
  constructor(private readonly properties: PropertyRegistry) {}

  /** Allowed when the key's property (or, without a key, any property) allows the origin. */
  @Options('beacons')
  @HttpCode(204)
  preflight(
    @Query('key') queryKey: string | undefined,
    @Headers('origin') origin: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): void {
    const property = queryKey ? this.properties.forKey(queryKey) : undefined;
    const candidates = property ? [property] : this.properties.list();
    if (!origin || !candidates.some((p) => allowsOrigin(p, origin))) {
      throw ingestErrors.error('ORIGIN_NOT_ALLOWED', `origin ${origin ?? '(none)'} may not send beacons here`);
    }
    void reply
      .header('Access-Control-Allow-Origin', origin)
      .header('Vary', 'Origin')
      .header('Access-Control-Allow-Methods', 'POST')
      .header('Access-Control-Allow-Headers', 'content-type, content-encoding, x-sightline-key')
      .header('Access-Control-Max-Age', '600');
  }
}
