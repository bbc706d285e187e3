/**
 * Tracking benchmarks (`npm run bench tracking`):
 *
 * 1. the synchronous cost of one `track()` call in Chromium (target < 20 µs, median),
 *    measured over blocks of calls because `performance.now()` is coarsened in pages;
 * 2. queue throughput into IndexedDB in Chromium (target ≥ 5,000 events/s): events
 *    tracked and durably written, timed until the last write transaction completes;
 * 3. the same `track()` cost in Node (in-memory queue), for reference.
 *
 * Figures are printed, never asserted: the machine is shared and noisy.
 */
import { bundleForBrowser } from '../test/support/bundle';
import { launchChromium } from '../test/support/chromium';
import { startTestServer } from '../test/support/http-server';
import { startTrackingCollector } from '../test/support/tracking-collector';
import { createTracker } from '../src/tracking/index';

const pageScript = `
import { createTracker } from 'guanxi/tracking';
const w = window as any;
const properties = { sku: 'tea-001', name: 'Long Jing', price: 18.5, currency: 'EUR', quantity: 2 };

w.measureTrack = async (blocks: number, perBlock: number) => {
  const tracker = createTracker({ endpoint: w.__endpoint, queueName: 'bench-track', maxQueueEvents: 1_000_000, maxQueueBytes: 1e9 });
  for (let i = 0; i < 2000; i++) tracker.track('Warm Up', properties);
  await tracker.flush({ timeout: 0 });
  const perCall: number[] = [];
  for (let b = 0; b < blocks; b++) {
    const start = performance.now();
    for (let i = 0; i < perBlock; i++) tracker.track('Product Viewed', properties);
    perCall.push(((performance.now() - start) * 1000) / perBlock);
    // Let the block's IndexedDB write happen between blocks, as it would in a page.
    await tracker.flush({ timeout: 0 });
  }
  await tracker.close({ timeout: 0 });
  return perCall;
};

w.measureQueue = async (events: number, perTask: number) => {
  // A collector that never answers keeps every event in the queue.
  const tracker = createTracker({
    endpoint: w.__endpoint,
    queueName: 'bench-queue',
    transport: () => new Promise(() => undefined),
    flushIntervalMs: 3_600_000,
    maxQueueEvents: 1_000_000,
    maxQueueBytes: 1e9,
    deliverOnUnload: false,
  });
  tracker.track('Open Database', properties);
  await tracker.flush({ timeout: 0 });
  const start = performance.now();
  for (let sent = 0; sent < events; sent += perTask) {
    for (let i = 0; i < perTask; i++) tracker.track('Product Viewed', properties);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  await tracker.flush({ timeout: 0 }); // resolves when every write transaction has completed
  const seconds = (performance.now() - start) / 1000;
  const { stored, sample } = await new Promise<{ stored: number; sample: string }>((resolve) => {
    const request = indexedDB.open('bench-queue');
    request.onsuccess = () => {
      const store = request.result.transaction('events').objectStore('events');
      const count = store.count();
      const first = store.get(store.getKey ? IDBKeyRange.lowerBound('') : '');
      first.onsuccess = () => {
        if (count.readyState === 'done') resolve({ stored: count.result, sample: first.result?.json ?? '' });
        else count.onsuccess = () => resolve({ stored: count.result, sample: first.result?.json ?? '' });
      };
    };
  });
  return { seconds, stored, sample, storage: tracker.stats().storage };
};
w.measureRawIndexedDB = async (events: number, perTransaction: number, json: string) => {
  // The machine's own ceiling: plain IndexedDB puts of records like the tracker's, no tracker.
  const db = await new Promise<IDBDatabase>((resolve) => {
    const request = indexedDB.open('bench-raw', 1);
    request.onupgradeneeded = () => request.result.createObjectStore('events', { keyPath: 'id' }).createIndex('capturedAt', 'capturedAt');
    request.onsuccess = () => resolve(request.result);
  });
  const start = performance.now();
  for (let n = 0; n < events; n += perTransaction) {
    await new Promise((resolve) => {
      const tx = db.transaction('events', 'readwrite', { durability: 'relaxed' });
      for (let i = n; i < n + perTransaction; i++) tx.objectStore('events').put({ id: String(i), json, bytes: json.length, capturedAt: Date.now(), purposes: ['analytics'] });
      tx.oncomplete = resolve;
    });
  }
  return (performance.now() - start) / 1000;
};
w.__ready = true;
`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const fmt = (n: number, digits = 2) => n.toFixed(digits);

const site = await startTestServer();
const collector = await startTrackingCollector();
const browser = await launchChromium();
try {
  site.files.set('/bench.js', { body: await bundleForBrowser(pageScript, { format: 'iife', minify: true }), contentType: 'text/javascript' });
  site.files.set('/endpoint.js', { body: `window.__endpoint = ${JSON.stringify(collector.url)};`, contentType: 'text/javascript' });
  site.files.set('/', {
    body: '<!doctype html><title>bench</title><script src="/endpoint.js"></script><script src="/bench.js"></script>',
    contentType: 'text/html',
  });
  const page = await browser.newPage();
  await page.goto(`${site.origin}/`);
  await page.waitForFunction(() => (window as unknown as { __ready?: boolean }).__ready === true);

  const perCall = await page.evaluate(() => (window as unknown as { measureTrack(b: number, n: number): Promise<number[]> }).measureTrack(60, 200));
  console.log(
    `chromium track(): median ${fmt(median(perCall))} µs per call (p10 ${fmt(perCall.sort((a, b) => a - b)[6]!)} µs, p90 ${fmt(perCall[54]!)} µs; 60 blocks × 200 calls, IndexedDB queue) — target < 20 µs`,
  );

  const perTask = Number(process.env.PER_TASK ?? 500);
  const queue = await page.evaluate(
    (n) =>
      (window as unknown as { measureQueue(e: number, t: number): Promise<{ seconds: number; stored: number; sample: string; storage: string }> }).measureQueue(
        20_000,
        n,
      ),
    perTask,
  );
  console.log(
    `chromium IndexedDB queue: ${queue.stored - 1} events tracked and written in ${fmt(queue.seconds, 3)} s = ${Math.round((queue.stored - 1) / queue.seconds)} events/s (storage: ${queue.storage}) — target ≥ 5,000 events/s`,
  );
  const raw = await page.evaluate(
    ([n, json]) => (window as unknown as { measureRawIndexedDB(e: number, t: number, j: string): Promise<number> }).measureRawIndexedDB(20_000, n, json),
    [perTask, queue.sample] as const,
  );
  console.log(
    `chromium raw IndexedDB baseline (no tracker; records of the same ${queue.sample.length}-byte JSON, ${perTask} per transaction): ${Math.round(20_000 / raw)} puts/s`,
  );
  await page.close();

  const node = createTracker({ endpoint: collector.url, flushIntervalMs: 3_600_000, batchSize: 1_000_000, maxQueueEvents: 1_000_000, maxQueueBytes: 1e9 });
  const properties = { sku: 'tea-001', name: 'Long Jing', price: 18.5, currency: 'EUR', quantity: 2 };
  for (let i = 0; i < 5000; i++) node.track('Warm Up', properties, { userId: 'u-1' });
  const nodeBlocks: number[] = [];
  for (let b = 0; b < 60; b++) {
    const start = performance.now();
    for (let i = 0; i < 500; i++) node.track('Product Viewed', properties, { userId: 'u-1' });
    nodeBlocks.push(((performance.now() - start) * 1000) / 500);
    await new Promise((resolve) => setImmediate(resolve));
  }
  console.log(`node track(): median ${fmt(median(nodeBlocks))} µs per call (60 blocks × 500 calls, memory queue)`);
  await node.close({ timeout: 10_000 });
} finally {
  await browser.close();
  await collector.close();
  await site.close();
}
