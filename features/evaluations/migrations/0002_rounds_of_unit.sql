-- A unit's public page lists the rounds it owns or takes part in: without
-- these a province round's 100 000 ballot units would be scanned per view.
CREATE INDEX evaluation_units_unit ON evaluation_units (unit_id);
CREATE INDEX evaluation_rounds_owner ON evaluation_rounds (owner_unit_id);
