/**
 * The tracking area of guanxi.
 * @packageDocumentation
 */
export {};
