import { applyDecorators, Inject, Injectable, SetMetadata, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SERVICE_CONTEXT, type ServiceContext } from '../service-context';
import { requireAdminToken } from './admin-token';

const ADMIN_TOKEN_VARIABLE = 'sightline:admin-token-variable';

/** The config variables of `Config` that can hold a token (string-valued, possibly unset). */
export type TokenVariable<Config> = { [K in keyof Config]-?: Config[K] extends string | undefined ? K : never }[keyof Config] & string;

/**
 * Puts a controller (or one route) behind the admin token held by the config variable
 * `variable`, e.g. `@AdminOnly<IngestConfig>('INGEST_ADMIN_TOKEN')`: requests without
 * `Authorization: Bearer <token>` get UNAUTHORIZED (401), and every request gets ADMIN_DISABLED
 * (403) while the variable is unset. A route's own `@AdminOnly` overrides its controller's.
 */
export function AdminOnly<Config = Record<string, string | undefined>>(variable: TokenVariable<Config>): ClassDecorator & MethodDecorator {
  return applyDecorators(SetMetadata(ADMIN_TOKEN_VARIABLE, variable), UseGuards(AdminGuard));
}

/** The guard `@AdminOnly` applies; it reads the token from the ServiceContext's config on each request. */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(
    @Inject(SERVICE_CONTEXT) private readonly context: ServiceContext<unknown>,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  canActivate(execution: ExecutionContext): boolean {
    const variable = this.reflector.getAllAndOverride<string | undefined>(ADMIN_TOKEN_VARIABLE, [execution.getHandler(), execution.getClass()]);
    if (variable === undefined) throw new Error(`AdminGuard on ${execution.getClass().name} needs @AdminOnly(variable), which names the token's config variable`);
    const token = (this.context.config as Record<string, unknown>)[variable];
    const authorization = execution.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers.authorization;
    requireAdminToken(variable, typeof token === 'string' ? token : undefined, typeof authorization === 'string' ? authorization : undefined);
    return true;
  }
}
