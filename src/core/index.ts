/**
 * Shared plumbing used by every area: errors, validation, time, ids, hashing, backoff
 * and lazy environment access. Re-exported from the package root.
 */
export { GuanxiError, isGuanxiError, type GuanxiErrorOptions } from './errors/guanxi-error';
export { ValidationError, isValidationError, formatPath, type ValidationIssue } from './errors/validation-error';
export { safeValidate, validate, type ValidationResult } from './validate';
export type { StandardSchemaV1 } from './standard-schema';
export { systemClock, systemTimers, type Clock, type Timers, type TimerHandle } from './clock';
export { randomId, type RandomSource } from './ids';
export { sha256Hex } from './hash';
export { safeClone } from './safe-object';
export { fullJitterDelay, parseRetryAfter, defaultBackoffOptions, type BackoffOptions } from './backoff';
