/**
 * The client area of guanxi.
 * @packageDocumentation
 */
export {};
