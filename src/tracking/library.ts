/** The name and version stamped on every event as `context.library`. Kept in step with package.json (a test checks). */
export const trackingLibrary = Object.freeze({ name: 'guanxi', version: '0.1.0' });
