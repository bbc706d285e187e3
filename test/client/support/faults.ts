/**
 * Faults that contract-test servers inject into matching requests: rate limits of both
 * kinds, 5xx, failures after the request was processed, slow responses and dropped
 * connections. Each server formats them in its API's own dialect.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type ContractFault =
  /** A 429. `short`: a window that clears soon (HubSpot TEN_SECONDLY_ROLLING); `long`: one that does not (DAILY). */
  | { readonly kind: 'rate-limit'; readonly window: 'short' | 'long'; readonly retryAfterSeconds?: number }
  /** A 5xx before processing. */
  | { readonly kind: 'server-error'; readonly status: number }
  /** Process the request, then answer with a 5xx (the client cannot know it was applied). */
  | { readonly kind: 'fail-after-processing'; readonly status: number }
  /** Process the request, then drop the connection without an answer. */
  | { readonly kind: 'drop-after-processing' }
  /** Answer only after a delay. */
  | { readonly kind: 'delay'; readonly ms: number };

export interface FaultRule {
  readonly method?: string;
  readonly path?: RegExp;
  readonly fault: ContractFault;
}

/** A queue of one-shot faults: each rule fires once, on the first request it matches. */
export class FaultQueue {
  readonly #rules: FaultRule[] = [];

  push(rule: FaultRule): void {
    this.#rules.push(rule);
  }

  clear(): void {
    this.#rules.length = 0;
  }

  /** Removes and returns the first rule matching the request. */
  take(method: string, path: string): ContractFault | undefined {
    const index = this.#rules.findIndex((rule) => (rule.method === undefined || rule.method === method) && (rule.path === undefined || rule.path.test(path)));
    if (index < 0) return undefined;
    const [rule] = this.#rules.splice(index, 1);
    return rule?.fault;
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.headersSent || response.destroyed) return;
  const text = body === undefined ? '' : JSON.stringify(body);
  response.writeHead(status, { ...(text === '' ? {} : { 'content-type': 'application/json;charset=utf-8' }), ...headers });
  response.end(text);
}

export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
