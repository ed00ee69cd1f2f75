export { loadConfig, ConfigError } from './config';
export { createLogger, LOG_LEVELS } from './logger';
export type { Logger, LogLevel } from './logger';
export { InterruptibleSleep } from './interruptible-sleep';
export { backoffCeilingMs, backoffDelayMs } from './backoff';
export type { BackoffPolicy } from './backoff';
