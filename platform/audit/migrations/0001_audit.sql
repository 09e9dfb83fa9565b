-- The audit chain. One chain per shard (see platform/audit/README.md): its
-- head row is what appenders lock, so a chain never forks, and what a
-- verifier compares the last entry with.
CREATE TABLE audit_heads (
  shard_id BIGINT PRIMARY KEY,
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);

CREATE TABLE audit_entries (
  shard_id BIGINT NOT NULL,
  seq BIGINT NOT NULL,
  at_ms BIGINT NOT NULL,
  actor_id BIGINT NOT NULL,
  actor_name TEXT NOT NULL,
  action TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  unit_id BIGINT NOT NULL,
  unit_path TEXT NOT NULL,
  summary TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (shard_id, seq)
);

-- Browsing newest first, whole installation or one chain; the daily heads.
CREATE INDEX audit_entries_by_time ON audit_entries (at_ms, shard_id, seq);
CREATE INDEX audit_entries_by_shard_time ON audit_entries (shard_id, at_ms);
-- Filters an auditor combines with the time order.
CREATE INDEX audit_entries_by_unit_path ON audit_entries (unit_path, at_ms);
CREATE INDEX audit_entries_by_action ON audit_entries (action, at_ms);
CREATE INDEX audit_entries_by_actor ON audit_entries (actor_name, at_ms);
