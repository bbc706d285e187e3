/**
 * The server's one door to SQL. Two engines speak the same SQL behind it: PGlite (Postgres
 * compiled to WASM, embedded, persisted in a data directory) by default, and a PostgreSQL
 * server through `pg` when a connection URL is given.
 */
import { mkdirSync } from 'node:fs';

/** A row as returned by the driver. */
export type SqlRow = Record<string, unknown>;

/** The operations the server needs: parameterized queries and transactions. */
export interface SqlExecutor {
  query<T extends SqlRow = SqlRow>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

export interface SqlDatabase extends SqlExecutor {
  /** `'pglite'` or `'postgres'`, for the health check and logs. */
  readonly engine: 'pglite' | 'postgres';
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Runs several statements separated by semicolons (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** Opens an embedded PGlite database persisted in `dataDir` (created when missing). */
export async function openPgliteDatabase(dataDir: string): Promise<SqlDatabase> {
  mkdirSync(dataDir, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(dataDir);
  return {
    engine: 'pglite',
    async query<T extends SqlRow>(sql: string, params: readonly unknown[] = []) {
      const result = await db.query<T>(sql, [...params]);
      return result.rows;
    },
    async transaction<T>(work: (tx: SqlExecutor) => Promise<T>) {
      return db.transaction(async (tx) =>
        work({
          async query<R extends SqlRow>(sql: string, params: readonly unknown[] = []) {
            return (await tx.query<R>(sql, [...params])).rows;
          },
        }),
      );
    },
    async exec(sql: string) {
      await db.exec(sql);
    },
    async close() {
      await db.close();
    },
  };
}

/** Connects to a PostgreSQL server (a small pool; `pg` is loaded only when used). */
export async function openPostgresDatabase(connectionString: string): Promise<SqlDatabase> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString, max: 5 });
  // A pool emits errors of idle clients (server restarts); without a listener they crash the process.
  pool.on('error', (error) => console.error(`crm-server: idle database connection failed: ${error.message}`));
  await pool.query('SELECT 1');
  return {
    engine: 'postgres',
    async query<T extends SqlRow>(sql: string, params: readonly unknown[] = []) {
      const result = await pool.query(sql, [...params]);
      return result.rows as T[];
    },
    async transaction<T>(work: (tx: SqlExecutor) => Promise<T>) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const value = await work({
          async query<R extends SqlRow>(sql: string, params: readonly unknown[] = []) {
            return (await client.query(sql, [...params])).rows as R[];
          },
        });
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    async close() {
      await pool.end();
    },
  };
}

let savepointSerial = 0;

/**
 * Runs `work` inside a savepoint of the current transaction: when it throws, only its own
 * changes are rolled back. Batches use it to keep one item's failure from the others while
 * committing the whole batch once (one commit instead of one per item).
 */
export async function withSavepoint<T>(tx: SqlExecutor, work: () => Promise<T>): Promise<T> {
  const name = `item_${++savepointSerial}`;
  await tx.query(`SAVEPOINT ${name}`);
  try {
    const value = await work();
    await tx.query(`RELEASE SAVEPOINT ${name}`);
    return value;
  } catch (error) {
    await tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
    throw error;
  }
}
