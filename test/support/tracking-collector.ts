/**
 * A real Segment-compatible collector on 127.0.0.1 for tracking tests: accepts
 * `POST /v1/batch` (text/plain or JSON bodies, CORS for pages on other origins),
 * validates each batch against the wire schema, dedupes by message id, and injects
 * faults chosen per request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TrackingBatch, type TrackingMessage } from '../../src/tracking/index';
import { safeValidate } from '../../src/core/index';
import { startTestServer, type TestServer } from './http-server';

export type CollectorFault =
  | { readonly kind: 'ok' }
  | { readonly kind: 'status'; readonly status: number; readonly retryAfter?: string }
  /** Destroy the socket without answering (nothing is stored). */
  | { readonly kind: 'drop' }
  /** Store the batch, then answer 200 only after `delayMs` (the client may time out and retry). */
  | { readonly kind: 'slow'; readonly delayMs: number }
  /** Answer 413 when the batch holds more than `maxEvents` events. */
  | { readonly kind: 'too-large-above'; readonly maxEvents: number };

export interface TrackingCollector {
  readonly url: string;
  readonly origin: string;
  readonly server: TestServer;
  /** Every message received, in order, duplicates included. */
  readonly received: TrackingMessage[];
  /** Unique messages by id. */
  readonly unique: Map<string, TrackingMessage>;
  /** Raw request log: status answered, events in the request, content type. */
  readonly requests: { status: number | 'dropped'; events: number; contentType: string | undefined; bytes: number }[];
  /** Batches that failed the wire schema. */
  readonly invalidBatches: unknown[];
  /** CORS preflight (`OPTIONS`) requests seen. */
  readonly preflights: { count: number };
  /** Chooses the fault for the n-th request (0-based). */
  fault: (index: number, request: IncomingMessage) => CollectorFault;
  /** Resolves once `count` unique messages have arrived. */
  waitForUnique(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startTrackingCollector(server?: TestServer): Promise<TrackingCollector> {
  const test = server ?? (await startTestServer());
  const received: TrackingMessage[] = [];
  const unique = new Map<string, TrackingMessage>();
  const requests: TrackingCollector['requests'] = [];
  const invalidBatches: unknown[] = [];
  const preflights = { count: 0 };
  const waiters: { count: number; resolve: () => void }[] = [];
  let index = 0;
  const collector: TrackingCollector = {
    url: `${test.origin}/v1/batch`,
    origin: test.origin,
    server: test,
    received,
    unique,
    requests,
    invalidBatches,
    preflights,
    fault: () => ({ kind: 'ok' }),
    waitForUnique(count, timeoutMs = 60_000) {
      if (unique.size >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`collector: ${unique.size} of ${count} unique messages after ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    close: () => test.close(),
  };
  const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'content-type', 'access-control-expose-headers': 'retry-after' };
  test.handler = async (request: IncomingMessage, response: ServerResponse, body: Buffer) => {
    if (request.method === 'OPTIONS') {
      preflights.count++;
      response.writeHead(204, { ...cors, 'access-control-allow-methods': 'POST' }).end();
      return;
    }
    if (request.method !== 'POST' || !request.url?.startsWith('/v1/batch')) {
      response.writeHead(404, cors).end();
      return;
    }
    const fault = collector.fault(index++, request);
    const contentType = request.headers['content-type'];
    const log = (status: number | 'dropped', events: number) => requests.push({ status, events, contentType, bytes: body.length });
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      log(400, 0);
      response.writeHead(400, cors).end('{"error":"not json"}');
      return;
    }
    const events = Array.isArray((parsed as { batch?: unknown }).batch) ? (parsed as { batch: unknown[] }).batch.length : 0;
    if (fault.kind === 'drop') {
      log('dropped', events);
      request.socket.destroy();
      return;
    }
    if (fault.kind === 'status') {
      log(fault.status, events);
      response.writeHead(fault.status, { ...cors, ...(fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter }) }).end();
      return;
    }
    if (fault.kind === 'too-large-above' && events > fault.maxEvents) {
      log(413, events);
      response.writeHead(413, cors).end();
      return;
    }
    const result = safeValidate(TrackingBatch, parsed, 'batch');
    if (!result.success) {
      invalidBatches.push(parsed);
      log(400, events);
      response.writeHead(400, cors).end(JSON.stringify(result.error.toJSON()));
      return;
    }
    for (const message of result.value.batch) {
      received.push(message);
      if (!unique.has(message.messageId)) unique.set(message.messageId, message);
    }
    for (const waiter of [...waiters]) {
      if (unique.size >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
    if (fault.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    log(200, events);
    if (!response.destroyed) response.writeHead(200, { ...cors, 'content-type': 'application/json' }).end('{"success":true}');
  };
  return collector;
}
