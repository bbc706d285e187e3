/**
 * The profile area of guanxi.
 * @packageDocumentation
 */
export {};
