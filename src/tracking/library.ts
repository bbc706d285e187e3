/** The name and version stamped on every event as `context.library`. Kept in step with package.json (a test checks). */
export const trackingLibrary: { readonly name: string; readonly version: string } = { name: 'guanxi', version: '0.1.0' };
