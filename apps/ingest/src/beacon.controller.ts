import { Controller, Headers, HttpCode, Options, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { allowsOrigin } from '@sightline/intake';
import { ingestErrors } from './ingest-errors';
import { PropertyRegistry } from './properties';

/** Request headers a browser may send to `/v1/beacons` and `/v1/cmcd` (CMCD request mode uses the CMCD-* ones). */
const ALLOWED_HEADERS = 'content-type, content-encoding, x-sightline-key, cmcd-request, cmcd-object, cmcd-status, cmcd-session';

/** CORS preflights of `/v1/beacons` and `/v1/cmcd`; the beacon POST itself is served by `beacon-route.ts`. */
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
    this.allow(queryKey, origin, reply, 'beacons');
  }

  /** dash.js posts CMCD event-mode reports as `application/cmcd`, which needs a preflight. */
  @Options('cmcd')
  @HttpCode(204)
  cmcdPreflight(
    @Query('key') queryKey: string | undefined,
    @Headers('origin') origin: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): void {
    this.allow(queryKey, origin, reply, 'CMCD data');
  }

  private allow(queryKey: string | undefined, origin: string | undefined, reply: FastifyReply, what: string): void {
    const property = queryKey ? this.properties.forKey(queryKey) : undefined;
    const candidates = property ? [property] : this.properties.list();
    if (!origin || !candidates.some((p) => allowsOrigin(p, origin))) {
      throw ingestErrors.error('ORIGIN_NOT_ALLOWED', `origin ${origin ?? '(none)'} may not send ${what} here`);
    }
    void reply
      .header('Access-Control-Allow-Origin', origin)
      .header('Vary', 'Origin')
      .header('Access-Control-Allow-Methods', 'POST')
      .header('Access-Control-Allow-Headers', ALLOWED_HEADERS)
      .header('Access-Control-Max-Age', '600');
  }
}
