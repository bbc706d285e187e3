/**
 * Reads what a page keeps in IndexedDB (every database, every store), to check that
 * nothing of a withdrawn purpose stays queued.
 */
import type { Page } from 'playwright-core';

export async function indexedDbContents(page: Page): Promise<Record<string, unknown[]>> {
  return page.evaluate(async () => {
    const contents: Record<string, unknown[]> = {};
    const databases = await indexedDB.databases();
    for (const info of databases) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(info.name!);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      for (const storeName of Array.from(db.objectStoreNames)) {
        contents[`${info.name}/${storeName}`] = await new Promise<unknown[]>((resolve, reject) => {
          const request = db.transaction(storeName, 'readonly').objectStore(storeName).getAll();
          request.onsuccess = () => resolve(request.result as unknown[]);
          request.onerror = () => reject(request.error);
        });
      }
      db.close();
    }
    return contents;
  });
}
