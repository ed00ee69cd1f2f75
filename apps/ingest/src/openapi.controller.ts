import { Controller, Get } from '@nestjs/common';
import { CONTRACT_VERSION } from '@sightline/contracts';
import { ingestOpenApi } from './openapi';

@Controller('v1')
export class OpenApiController {
  private readonly document = ingestOpenApi(CONTRACT_VERSION);

  @Get('openapi.json')
  openapi(): Record<string, unknown> {
    return this.document;
  }
}
