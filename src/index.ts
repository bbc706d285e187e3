/**
 * guanxi — an embeddable CRM SDK: customer profiles, touchpoint tracking, consent,
 * loyalty and value scoring, and a client for CRM APIs. Every area is also available
 * as its own entry (`guanxi/profile`, `guanxi/tracking`, …) for smaller bundles.
 * @packageDocumentation
 */
export * from './core/index';
export * from './profile/index';
export * from './tracking/index';
export * from './consent/index';
export * from './scoring/index';
export * from './client/index';
