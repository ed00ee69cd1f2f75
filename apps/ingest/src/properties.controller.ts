import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Put } from '@nestjs/common';
import { parseProperty, type Property } from '@sightline/intake';
import { SERVICE_CONTEXT, type ServiceContext } from '@sightline/service-kit';
import { IngestError } from './errors';
import type { IngestConfig } from './ingest.config';
import { PropertyRegistry } from './properties';

/**
 * `/v1/properties`: properties (keys, allowed origins, rate limits, enrichment) managed at run
 * time; every ingest instance applies a change at once. Requires `Authorization: Bearer
 * <INGEST_ADMIN_TOKEN>`; without a configured token the API is off.
 */
@Controller('v1/properties')
export class PropertiesController {
  constructor(
    @Inject(SERVICE_CONTEXT) private readonly context: ServiceContext<IngestConfig>,
    private readonly registry: PropertyRegistry,
  ) {}

  private authorise(authorization: string | undefined): void {
    const token = this.context.config.INGEST_ADMIN_TOKEN;
    if (!token) throw new IngestError('ADMIN_DISABLED', 'the property API is off: set INGEST_ADMIN_TOKEN to enable it');
    if (authorization !== `Bearer ${token}`) throw new IngestError('UNAUTHORIZED', 'a valid Authorization: Bearer token is required');
  }

  @Get()
  list(@Headers('authorization') authorization: string | undefined): Property[] {
    this.authorise(authorization);
    return this.registry.list();
  }

  @Put(':id')
  async put(@Param('id') id: string, @Body() body: unknown, @Headers('authorization') authorization: string | undefined): Promise<Property> {
    this.authorise(authorization);
    let property: Property;
    try {
      const text = Buffer.isBuffer(body) ? body.toString('utf8') : JSON.stringify(body);
      property = parseProperty({ ...(JSON.parse(text) as object), id });
    } catch (error) {
      throw new IngestError('INVALID_PROPERTY', `invalid property: ${(error as Error).message}`);
    }
    try {
      await this.registry.put(property);
    } catch (error) {
      throw new IngestError('INVALID_PROPERTY', (error as Error).message);
    }
    return property;
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string, @Headers('authorization') authorization: string | undefined): Promise<void> {
    this.authorise(authorization);
    if (!(await this.registry.remove(id))) throw new IngestError('NOT_FOUND', `no property ${id}`);
  }
}
