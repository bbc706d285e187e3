/**
 * What the storefront sends to the collector, seen from the browser side: every
 * request to `/v1/batch` is parsed (whether it reaches the server or a fault switch
 * fails it), so a test knows every message id the page tried to deliver. A fault
 * switch fails requests until turned off, as a collector outage would.
 */
import type { BrowserContext, Route } from 'playwright-core';

export interface SentMessage {
  readonly messageId: string;
  readonly type: string;
  readonly event?: string;
  readonly anonymousId?: string;
  readonly userId?: string;
  readonly properties?: Record<string, unknown>;
}

export interface CollectorTraffic {
  /** Every message in every request, in order, including resends. */
  readonly attempts: SentMessage[];
  /** Requests that were failed by the fault switch. */
  failed: number;
  /** Distinct messages by id. */
  distinct(): Map<string, SentMessage>;
  /** Fail (`'abort'`: connection dropped, or a 503) every request until turned off. */
  setFault(fault: 'abort' | 503 | undefined): void;
}

export async function watchCollector(context: BrowserContext, collectorOrigin: string): Promise<CollectorTraffic> {
  let fault: 'abort' | 503 | undefined;
  const traffic: CollectorTraffic = {
    attempts: [],
    failed: 0,
    distinct() {
      return new Map(this.attempts.map((message) => [message.messageId, message]));
    },
    setFault(next) {
      fault = next;
    },
  };
  await context.route(`${collectorOrigin}/v1/batch**`, async (route: Route) => {
    const request = route.request();
    if (request.method() === 'POST') {
      try {
        const body = JSON.parse(request.postData() ?? '{}') as { batch?: SentMessage[] };
        traffic.attempts.push(...(body.batch ?? []));
      } catch {
        // not a batch: let the server answer it
      }
    }
    if (fault !== undefined && request.method() === 'POST') {
      traffic.failed += 1;
      if (fault === 'abort') await route.abort('connectionreset');
      else await route.fulfill({ status: 503, headers: { 'retry-after': '0', 'access-control-allow-origin': '*' }, body: '{"error":"outage"}' });
      return;
    }
    await route.continue();
  });
  return traffic;
}
