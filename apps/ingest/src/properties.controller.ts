import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { parseProperty, type Property } from '@sightline/intake';
import { AdminOnly } from '@sightline/service-kit';
import { ingestErrors } from './ingest-errors';
import type { IngestConfig } from './ingest.config';
import { PropertyRegistry } from './properties';

/**
 * `/v1/properties`: properties (keys, allowed origins, rate limits, enrichment) managed at run
 * time; every ingest instance applies a change at once. Requires `Authorization: Bearer
 * <INGEST_ADMIN_TOKEN>`; without a configured token the API is off.
 */
@Controller('v1/properties')
@AdminOnly<IngestConfig>('INGEST_ADMIN_TOKEN')
export class PropertiesController {
  constructor(private readonly registry: PropertyRegistry) {}

  @Get()
  list(): Property[] {
    return this.registry.list();
  }

  @Put(':id')
  async put(@Param('id') id: string, @Body() body: unknown): Promise<Property> {
    let property: Property;
    try {
      const text = Buffer.isBuffer(body) ? body.toString('utf8') : JSON.stringify(body);
      property = parseProperty({ ...(JSON.parse(text) as object), id });
    } catch (error) {
      throw ingestErrors.error('INVALID_PROPERTY', `invalid property: ${(error as Error).message}`);
    }
    try {
      await this.registry.put(property);
    } catch (error) {
      throw ingestErrors.error('INVALID_PROPERTY', (error as Error).message);
    }
    return property;
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    if (!(await this.registry.remove(id))) throw ingestErrors.error('NOT_FOUND', `no property ${id}`);
  }
}
