/**
 * `Idempotency-Key` for creating POSTs (IETF draft-ietf-httpapi-idempotency-key-header):
 * the first response per (caller, key) is stored and replayed to every retry with the same
 * body; the same key with another body is refused (422); a retry while the first attempt
 * still runs gets 409. Keys expire after 24 hours.
 */
import { createHash } from 'node:crypto';
import type { SqlDatabase } from '../storage/database';
import { HttpProblem } from './problem';
import type { RouteResponse } from './route';

const keyLifetimeMs = 24 * 60 * 60 * 1000;
/** A claim with no response after this long belongs to an attempt that died (crash, restart). */
const abandonedClaimMs = 60 * 1000;

export type IdempotencyClaim =
  | { readonly kind: 'claimed'; finish(response: RouteResponse): Promise<void>; release(): Promise<void> }
  | { readonly kind: 'replay'; readonly response: RouteResponse };

export class IdempotencyStore {
  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => number,
  ) {}

  /** Claims `key` for this request, or returns the stored response to replay. */
  async claim(caller: string, key: string, method: string, path: string, body: unknown): Promise<IdempotencyClaim> {
    const fingerprint = createHash('sha256').update(`${method} ${path}\n${JSON.stringify(body ?? null)}`).digest('hex');
    const now = new Date(this.now());
    const claimed = await this.db.transaction(async (tx) => {
      await tx.query('DELETE FROM crm_idempotency_keys WHERE created_at < $1', [new Date(this.now() - keyLifetimeMs)]);
      await tx.query(
        'DELETE FROM crm_idempotency_keys WHERE owner = $1 AND key = $2 AND status IS NULL AND created_at < $3',
        [caller, key, new Date(this.now() - abandonedClaimMs)],
      );
      const inserted = await tx.query(
        `INSERT INTO crm_idempotency_keys (owner, key, fingerprint, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (owner, key) DO NOTHING RETURNING key`,
        [caller, key, fingerprint, now],
      );
      if (inserted.length > 0) return undefined;
      const [existing] = await tx.query<{ fingerprint: string; status: number | null; body: unknown }>(
        'SELECT fingerprint, status, body FROM crm_idempotency_keys WHERE owner = $1 AND key = $2',
        [caller, key],
      );
      return existing;
    });
    if (claimed === undefined) {
      return {
        kind: 'claimed',
        finish: async (response) => {
          await this.db.query('UPDATE crm_idempotency_keys SET status = $3, body = $4::jsonb WHERE owner = $1 AND key = $2', [
            caller,
            key,
            response.status,
            JSON.stringify(response.body ?? null),
          ]);
        },
        release: async () => {
          await this.db.query('DELETE FROM crm_idempotency_keys WHERE owner = $1 AND key = $2 AND status IS NULL', [caller, key]);
        },
      };
    }
    if (claimed.fingerprint !== fingerprint) {
      throw new HttpProblem(422, 'idempotency_key_reused', 'This Idempotency-Key was already used with a different request');
    }
    if (claimed.status === null) {
      throw new HttpProblem(409, 'idempotency_in_progress', 'A request with this Idempotency-Key is still being processed; retry later', undefined, undefined, {
        'retry-after': '1',
      });
    }
    return { kind: 'replay', response: { status: claimed.status, body: claimed.body, headers: { 'idempotent-replayed': 'true' } } };
  }
}
