/**
 * The tables of the reference CRM server. Every statement is idempotent, so opening a
 * database runs them all: a fresh database is created, an existing one is left as is.
 * The same SQL runs on PGlite and on PostgreSQL 13 or later.
 */
import type { SqlDatabase } from './database';

const statements = `
CREATE TABLE IF NOT EXISTS crm_records (
  type        text        NOT NULL,
  id          text        NOT NULL,
  properties  jsonb       NOT NULL,
  provenance  jsonb       NOT NULL DEFAULT '{}'::jsonb,
  merged_ids  jsonb       NOT NULL DEFAULT '[]'::jsonb,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  archived_at timestamptz,
  PRIMARY KEY (type, id)
);
CREATE INDEX IF NOT EXISTS crm_records_contact ON crm_records (type, (properties->>'contactId'));

-- Contacts merged into others: the old id answers with the survivor.
CREATE TABLE IF NOT EXISTS crm_contact_aliases (
  merged_id   text PRIMARY KEY,
  contact_id  text NOT NULL
);

-- The identity graph: each strong identifier names at most one contact.
CREATE TABLE IF NOT EXISTS crm_identities (
  kind        text NOT NULL,
  value       text NOT NULL,
  contact_id  text NOT NULL,
  PRIMARY KEY (kind, value)
);
CREATE INDEX IF NOT EXISTS crm_identities_contact ON crm_identities (contact_id);

-- Erased people: only hashes of their identifiers, so later events do not re-create them.
CREATE TABLE IF NOT EXISTS crm_tombstones (
  kind        text NOT NULL,
  value_hash  text NOT NULL,
  erased_at   timestamptz NOT NULL,
  PRIMARY KEY (kind, value_hash)
);

CREATE TABLE IF NOT EXISTS crm_events (
  message_id   text PRIMARY KEY,
  position     bigserial UNIQUE,
  type         text NOT NULL,
  event        text,
  contact_id   text,
  anonymous_id text,
  user_id      text,
  occurred_at  timestamptz NOT NULL,
  received_at  timestamptz NOT NULL,
  message      jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS crm_events_contact ON crm_events (contact_id);

CREATE TABLE IF NOT EXISTS crm_consent_records (
  sequence      integer PRIMARY KEY,
  id            text UNIQUE NOT NULL,
  contact_id    text,
  user_id       text,
  anonymous_id  text,
  record        jsonb NOT NULL,
  previous_hash text NOT NULL,
  hash          text NOT NULL,
  recorded_at   timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS crm_idempotency_keys (
  owner        text NOT NULL,
  key          text NOT NULL,
  fingerprint  text NOT NULL,
  status       integer,
  body         jsonb,
  created_at   timestamptz NOT NULL,
  PRIMARY KEY (owner, key)
);

CREATE TABLE IF NOT EXISTS crm_data_subject_requests (
  id          text PRIMARY KEY,
  request     jsonb NOT NULL,
  export      jsonb,
  created_at  timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS crm_webhooks (
  id           text PRIMARY KEY,
  url          text NOT NULL,
  events       jsonb NOT NULL,
  description  text,
  secret       text NOT NULL,
  created_at   timestamptz NOT NULL
);
`;

/** Creates the tables that do not exist yet. */
export async function migrateCrmDatabase(db: SqlDatabase): Promise<void> {
  await db.exec(statements);
}
