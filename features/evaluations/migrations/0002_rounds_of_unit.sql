-- A unit's public page lists the rounds it owns or takes part in: without
-- these a province round's 100 000 ballot units would be scanned per view.
CREATE INDEX evaluation_units_unit ON evaluation_units (unit_id);
CREATE INDEX evaluation_rounds_owner ON evaluation_rounds (owner_unit_id);
-- The ballot page reads one unit's targets in target order; with the order
-- in the index SQLite no longer prefers walking the whole round by primary
-- key (bench/ballots: 98 % of a server's time at 100 000 targets).
DROP INDEX evaluation_targets_unit;
CREATE INDEX evaluation_targets_unit ON evaluation_targets (shard_id, round_id, unit_id, target_id);
