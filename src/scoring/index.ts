/**
 * The scoring area of guanxi.
 * @packageDocumentation
 */
export {};
