import type { DynamicModule, Provider, Type } from '@nestjs/common';
import { SERVICE_CONTEXT, type ServiceContext } from './service-context';

/** A service's Nest module: its controllers and providers, with the ServiceContext injectable. */
export function serviceModule(
  context: ServiceContext<unknown>,
  parts: { controllers?: Type<unknown>[]; providers?: Provider[] },
): DynamicModule {
  return {
    module: class ServiceModule {},
    controllers: parts.controllers ?? [],
    providers: [{ provide: SERVICE_CONTEXT, useValue: context }, ...(parts.providers ?? [])],
  };
}
