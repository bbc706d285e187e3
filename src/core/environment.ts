/**
 * Lazy, guarded access to browser globals. Nothing here runs at import: each accessor
 * reads `globalThis` when called and returns `undefined` where the global is absent
 * (Node, server-side rendering, workers) or throws on access (sandboxed iframes,
 * disabled storage).
 */

function read<T>(name: string): T | undefined {
  try {
    const value = (globalThis as Record<string, unknown>)[name];
    return value === undefined || value === null ? undefined : (value as T);
  } catch {
    return undefined;
  }
}

/** The page's `window`, or `undefined` outside a document context. */
export function getWindow(): Window | undefined {
  return read<Window>('window');
}

/** The page's `document`, or `undefined`. */
export function getDocument(): Document | undefined {
  return read<Document>('document');
}

/** `navigator`, or `undefined` (note: Node 21+ defines a minimal `navigator`). */
export function getNavigator(): Navigator | undefined {
  return read<Navigator>('navigator');
}

/** `indexedDB`, or `undefined` where absent or blocked. */
export function getIndexedDB(): IDBFactory | undefined {
  return read<IDBFactory>('indexedDB');
}

/** `localStorage`, or `undefined` where absent or blocked (Safari private mode throws). */
export function getLocalStorage(): Storage | undefined {
  return read<Storage>('localStorage');
}

/** Whether code runs in a page with a DOM (as opposed to Node or a worker). */
export function isBrowserDocument(): boolean {
  return getWindow() !== undefined && getDocument() !== undefined;
}
