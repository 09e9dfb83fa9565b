-- Uploaded files (platform/uploads/README.md). The bytes live on disk under
-- storage_name, a random name the server made; the row is what makes a file
-- exist: a file without a row is never served.
-- No foreign key to units: the platform knows no feature; unit_id is the
-- unit the file was uploaded for (checked through auth::UnitDirectory).
CREATE TABLE uploads (
  shard_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  unit_id BIGINT NOT NULL,
  purpose VARCHAR(40) NOT NULL,
  filename VARCHAR(255) NOT NULL,
  content_type VARCHAR(40) NOT NULL,
  size BIGINT NOT NULL,
  sha256 CHAR(64) NOT NULL,
  width INTEGER,
  height INTEGER,
  has_thumbnail INTEGER NOT NULL DEFAULT 0,
  storage_name VARCHAR(64) NOT NULL,
  created_by BIGINT NOT NULL,  -- account id; 0 for a resident without an account
  created_at BIGINT NOT NULL,
  PRIMARY KEY (shard_id, id)
);
-- Downloads name only the id; a distributed engine fans this out to shards.
CREATE INDEX uploads_by_id ON uploads (id);
CREATE INDEX uploads_by_unit ON uploads (shard_id, unit_id, created_at);

-- Bytes stored per unit, for the quota. Raised with one
-- `UPDATE … WHERE bytes + $n <= quota RETURNING`, never read-then-written.
CREATE TABLE upload_usage (
  shard_id BIGINT NOT NULL,
  unit_id BIGINT NOT NULL,
  bytes BIGINT NOT NULL,
  files BIGINT NOT NULL,
  PRIMARY KEY (shard_id, unit_id)
);

-- Uploads by clients without a purpose-granting role, counted per client
-- address in a fixed window, shared by every server over the database.
CREATE TABLE upload_throttle (
  key VARCHAR(200) PRIMARY KEY,
  window_start_ms BIGINT NOT NULL,
  uploads BIGINT NOT NULL
);
