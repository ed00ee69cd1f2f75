import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { JsonErrorFilter } from '../http-exception.filter';
import { SERVICE_CONTEXT, type ServiceContext } from '../service-context';
import { AdminOnly } from './admin-guard';

interface TestConfig {
  TEST_ADMIN_TOKEN?: string;
  UNSET_ADMIN_TOKEN?: string;
  PORT: number;
}

const TOKEN = 'a-token-of-sixteen-chars';

@Controller('guarded')
@AdminOnly<TestConfig>('TEST_ADMIN_TOKEN')
class GuardedController {
  @Get()
  list(): { ok: true } {
    return { ok: true };
  }

  @Get('off')
  @AdminOnly<TestConfig>('UNSET_ADMIN_TOKEN')
  off(): { ok: true } {
    return { ok: true };
  }
}

@Controller('open')
class OpenController {
  @Get()
  open(): { ok: true } {
    return { ok: true };
  }

  @Get('guarded')
  @AdminOnly<TestConfig>('TEST_ADMIN_TOKEN')
  guarded(): { ok: true } {
    return { ok: true };
  }
}

describe('AdminOnly', () => {
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    const config: TestConfig = { TEST_ADMIN_TOKEN: TOKEN, PORT: 0 };
    @Module({ controllers: [GuardedController, OpenController], providers: [{ provide: SERVICE_CONTEXT, useValue: { name: 'test', config } as ServiceContext<TestConfig> }] })
    class TestModule {}
    app = await NestFactory.create<NestFastifyApplication>(TestModule, new FastifyAdapter(), { logger: false });
    app.useGlobalFilters(new JsonErrorFilter());
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });

  afterAll(() => app.close());

  const get = async (path: string, authorization?: string): Promise<[number, unknown]> => {
    const response = await fetch(`${url}${path}`, { headers: authorization === undefined ? {} : { authorization } });
    return [response.status, await response.json()];
  };

  it.each([
    ['the right token, on a guarded controller', '/guarded', `Bearer ${TOKEN}`, 200, { ok: true }],
    ['no header', '/guarded', undefined, 401, { code: 'UNAUTHORIZED', message: 'a valid Authorization: Bearer <TEST_ADMIN_TOKEN> header is required' }],
    ['a wrong token', '/guarded', `Bearer ${TOKEN.slice(1)}`, 401, { code: 'UNAUTHORIZED', message: 'a valid Authorization: Bearer <TEST_ADMIN_TOKEN> header is required' }],
    ['a route whose own variable is unset', '/guarded/off', `Bearer ${TOKEN}`, 403, { code: 'ADMIN_DISABLED', message: 'the admin API is off: set UNSET_ADMIN_TOKEN to enable it' }],
    ['an unguarded route', '/open', undefined, 200, { ok: true }],
    ['a guarded route in an open controller, without the token', '/open/guarded', undefined, 401, { code: 'UNAUTHORIZED', message: 'a valid Authorization: Bearer <TEST_ADMIN_TOKEN> header is required' }],
    ['a guarded route in an open controller, with the token', '/open/guarded', `Bearer ${TOKEN}`, 200, { ok: true }],
  ])('answers %s', async (_case, path, authorization, status, body) => {
    expect(await get(path, authorization)).toEqual([status, body]);
  });

  it('takes only string-valued variables of the config, by name', () => {
    // @ts-expect-error PORT holds a number, not a token
    expect(typeof AdminOnly<TestConfig>('PORT')).toBe('function');
    // @ts-expect-error a misspelt variable
    expect(typeof AdminOnly<TestConfig>('TEST_ADMN_TOKEN')).toBe('function');
  });
});
