-- One ballot per code, with the code's round and unit before its hash in
-- the unique key. A code belongs to exactly one batch, so to one round and
-- unit: the rule is the same as UNIQUE (code_hash) alone. What changes is
-- where a ballot's entry lands. By the hash alone it was a random leaf of
-- an index as large as all the ballots cast, so every ballot dirtied a page
-- no other ballot in its commit shared, copied again by the checkpoint
-- (bench/ballots: two such random leaves a ballot, half of all pages
-- written). By unit, the entries of the units voting at the moment sit
-- together, and a village's ballots share pages. With shard_id in front the
-- key also fits a table distributed by shard, as DESIGN.md asks of every table.
CREATE TABLE evaluation_ballots_by_unit (
  shard_id BIGINT NOT NULL,
  round_id BIGINT NOT NULL,
  unit_id BIGINT NOT NULL,
  class_code VARCHAR(20) NOT NULL,
  code_hash VARCHAR(32),
  receipt VARCHAR(64) NOT NULL,
  content TEXT NOT NULL,
  PRIMARY KEY (shard_id, round_id, receipt),
  UNIQUE (shard_id, round_id, unit_id, code_hash)
);
INSERT INTO evaluation_ballots_by_unit
  (shard_id, round_id, unit_id, class_code, code_hash, receipt, content)
  SELECT shard_id, round_id, unit_id, class_code, code_hash, receipt, content
  FROM evaluation_ballots;
DROP TABLE evaluation_ballots;
ALTER TABLE evaluation_ballots_by_unit RENAME TO evaluation_ballots;
