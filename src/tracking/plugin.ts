import type { TrackingOutcome } from './outcome';
import type { TrackingMessage } from './wire-schema';

/**
 * A tracker plugin. Plugins run in stages, in the order they were added within a stage:
 *
 * 1. `before` — `run(message)` returns `false` to drop the event (reason `filtered`);
 * 2. `enrichment` — `run(message)` may change the message in place or return a new one;
 * 3. `destination` — `deliver(message)` sends the event somewhere besides the collector;
 *    one failing destination affects neither the others nor delivery to the collector;
 * 4. `after` — `run(message, outcome)` observes each event's final outcome.
 *
 * Stages run after the consent gate, so plugins only ever see events whose purposes were
 * granted. A plugin that throws (or rejects) is reported to `onError` as a
 * `TrackingPluginError` and the event continues as if it had not run; nothing reaches the page.
 *
 * @example
 * ```ts
 * import { createTracker, type TrackingPlugin } from 'guanxi/tracking';
 *
 * const dropBots: TrackingPlugin = {
 *   name: 'drop-bots',
 *   stage: 'before',
 *   run: (message) => !/bot|crawler|spider/i.test(message.context.userAgent ?? ''),
 * };
 * const addRelease: TrackingPlugin = {
 *   name: 'release',
 *   stage: 'enrichment',
 *   run: (message) => {
 *     message.context.release = '2026.03.1';
 *   },
 * };
 * createTracker({ endpoint: 'https://collector.example.com/v1/batch', plugins: [dropBots, addRelease] });
 * ```
 */
export type TrackingPlugin =
  | { readonly name: string; readonly stage: 'before'; run(message: TrackingMessage): boolean | void }
  | { readonly name: string; readonly stage: 'enrichment'; run(message: TrackingMessage): TrackingMessage | void }
  | { readonly name: string; readonly stage: 'destination'; deliver(message: TrackingMessage): void | Promise<void> }
  | { readonly name: string; readonly stage: 'after'; run(message: TrackingMessage, outcome: TrackingOutcome): void };
