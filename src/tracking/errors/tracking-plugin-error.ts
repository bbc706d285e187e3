import { GuanxiError, isGuanxiErrorNamed, type GuanxiErrorOptions } from '../../core/errors/guanxi-error';

/**
 * Reported to `onError` when a plugin throws (or its promise rejects). The error never
 * reaches the page; the event continues as if the plugin had not run (a failing
 * destination does not affect other destinations or delivery to the collector).
 *
 * @example
 * ```ts
 * import { createTracker, isTrackingPluginError } from 'guanxi/tracking';
 *
 * createTracker({
 *   endpoint: 'https://collector.example.com/v1/batch',
 *   onError: (error) => {
 *     if (isTrackingPluginError(error)) console.warn(`plugin ${error.plugin} failed in ${error.stage}`);
 *   },
 * });
 * ```
 */
export class TrackingPluginError extends GuanxiError {
  override name = 'TrackingPluginError' as const;
  /** The plugin's name. */
  readonly plugin: string;
  /** The stage it failed in. */
  readonly stage: string;

  constructor(plugin: string, stage: string, options: GuanxiErrorOptions = {}) {
    super(`Tracking plugin "${plugin}" failed in stage ${stage}`, 'tracking_plugin_failed', options);
    this.plugin = plugin;
    this.stage = stage;
  }

  override toJSON(): Record<string, unknown> {
    // Own enumerable fields are exactly the data fields (message, stack and cause are not enumerable).
    return { ...super.toJSON(), ...this };
  }
}

/**
 * Whether a value is a `TrackingPluginError` (cross-realm safe).
 *
 * @example
 * ```ts
 * import { isTrackingPluginError } from 'guanxi/tracking';
 *
 * console.log(isTrackingPluginError(new Error('x'))); // false
 * ```
 */
export function isTrackingPluginError(value: unknown): value is TrackingPluginError {
  return isGuanxiErrorNamed<TrackingPluginError>(value, 'TrackingPluginError');
}
