-- A ballot is found by its receipt, so the receipt is its key. The random
-- id it had was a third index written at a random place for every ballot
-- (beside the code's and the receipt's); bench/ballots measured a ballot's
-- cost in pages written, and this is one page of about four.
CREATE TABLE evaluation_ballots_by_receipt (
  shard_id BIGINT NOT NULL,
  round_id BIGINT NOT NULL,
  unit_id BIGINT NOT NULL,
  class_code VARCHAR(20) NOT NULL,
  code_hash VARCHAR(32),
  receipt VARCHAR(64) NOT NULL,
  content TEXT NOT NULL,
  PRIMARY KEY (shard_id, round_id, receipt),
  UNIQUE (code_hash)
);
INSERT INTO evaluation_ballots_by_receipt
  (shard_id, round_id, unit_id, class_code, code_hash, receipt, content)
  SELECT shard_id, round_id, unit_id, class_code, code_hash, receipt, content
  FROM evaluation_ballots;
DROP TABLE evaluation_ballots;
ALTER TABLE evaluation_ballots_by_receipt RENAME TO evaluation_ballots;
