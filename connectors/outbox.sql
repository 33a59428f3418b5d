-- The outbox an upstream system writes LMS commands to, in the same transaction as its own change.
-- Debezium's PostgreSQL connector (lms-outbox-source.json) reads it from the WAL and its outbox
-- event router sends each row to lms.lead-commands, keyed by aggregateid (the org).
CREATE TABLE IF NOT EXISTS public.lms_outbox (
  id            uuid        PRIMARY KEY,            -- the event id (a Kafka header "id")
  aggregatetype text        NOT NULL DEFAULT 'lead-command',
  aggregateid   text        NOT NULL,               -- the org: the record key
  type          text        NOT NULL,               -- the command kind, as in payload.kind
  payload       jsonb       NOT NULL,               -- {"commandId","org","actorId","kind","leadId","issuedAt","body"}
  created_at    timestamptz NOT NULL DEFAULT now()
);
-- Rows may be deleted right after the insert: the WAL already holds them, and deletes are not sent.
