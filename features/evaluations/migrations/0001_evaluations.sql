-- Public evaluation rounds (群众评议, 民主评议). See features/evaluations/README.md
-- for the states, why codes are only hashes and why ballots carry no voter.

-- A round. Its scales, classes and criteria are small JSON documents frozen
-- with the round once it opens.
CREATE TABLE evaluation_rounds (
  shard_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  campaign_id BIGINT NOT NULL,
  owner_unit_id BIGINT NOT NULL,
  kind VARCHAR(10) NOT NULL CHECK (kind IN ('unit', 'member')),
  name VARCHAR(100) NOT NULL,
  field VARCHAR(40) NOT NULL DEFAULT '',
  criteria TEXT NOT NULL,
  grades TEXT NOT NULL,
  classes TEXT NOT NULL,
  cap_numerator INTEGER NOT NULL,
  cap_denominator INTEGER NOT NULL,
  opens_at BIGINT NOT NULL,
  closes_at BIGINT NOT NULL,
  state VARCHAR(10) NOT NULL CHECK (state IN ('draft', 'open', 'closed', 'published')),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (shard_id, id)
);
-- Routes name a round by id alone; this finds its shard.
CREATE INDEX evaluation_rounds_id ON evaluation_rounds (id);

-- The units whose voters cast ballots: the graded units, or the branches
-- whose members are graded. Path and field as of the round's definition,
-- so roll-ups are one range on path.
CREATE TABLE evaluation_units (
  shard_id BIGINT NOT NULL,
  round_id BIGINT NOT NULL,
  unit_id BIGINT NOT NULL,
  code VARCHAR(40) NOT NULL,
  name VARCHAR(100) NOT NULL,
  field VARCHAR(40) NOT NULL,
  path VARCHAR(1000) NOT NULL,
  PRIMARY KEY (shard_id, round_id, unit_id)
);
CREATE INDEX evaluation_units_path ON evaluation_units (shard_id, round_id, path);

-- Who is graded: a unit (id = unit id) or a member (id = member id).
-- graded = 0: a probationary member, who votes but is not graded.
CREATE TABLE evaluation_targets (
  shard_id BIGINT NOT NULL,
  round_id BIGINT NOT NULL,
  target_id BIGINT NOT NULL,
  unit_id BIGINT NOT NULL,
  name VARCHAR(100) NOT NULL,
  graded INTEGER NOT NULL,
  PRIMARY KEY (shard_id, round_id, target_id)
);
CREATE INDEX evaluation_targets_unit ON evaluation_targets (shard_id, round_id, unit_id);

-- A batch of ballot codes for one unit and class. Who received which code
-- is never recorded; the plaintext codes exist only in the issuing answer.
CREATE TABLE evaluation_code_batches (
  shard_id BIGINT NOT NULL,
  round_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  unit_id BIGINT NOT NULL,
  class_code VARCHAR(20) NOT NULL,
  codes INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (shard_id, round_id, id)
);
CREATE INDEX evaluation_code_batches_id ON evaluation_code_batches (id);

-- One row per issued code: 128 bits of SHA-256 of the normalised code and
-- its batch, nothing else, to keep ten million codes small. A global lookup
-- (like unit_codes): a voter knows the code, not its shard.
CREATE TABLE evaluation_codes (
  code_hash VARCHAR(32) PRIMARY KEY,
  batch_id BIGINT NOT NULL
);

-- A cast ballot: its grades in canonical JSON and its receipt. code_hash
-- UNIQUE is what makes a code single-use (INSERT … ON CONFLICT DO
-- NOTHING); a member's ballot has none and no link to the member.
CREATE TABLE evaluation_ballots (
  shard_id BIGINT NOT NULL,
  round_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  unit_id BIGINT NOT NULL,
  class_code VARCHAR(20) NOT NULL,
  code_hash VARCHAR(32),
  receipt VARCHAR(64) NOT NULL,
  content TEXT NOT NULL,
  PRIMARY KEY (shard_id, round_id, id),
  UNIQUE (code_hash)
);
CREATE INDEX evaluation_ballots_receipt ON evaluation_ballots (shard_id, round_id, receipt);

-- Members who voted in a member round: one row each, no time, no link to
-- the ballot; the primary key is the one-ballot-per-member rule.
CREATE TABLE evaluation_voters (
  shard_id BIGINT NOT NULL,
  round_id BIGINT NOT NULL,
  member_id BIGINT NOT NULL,
  PRIMARY KEY (shard_id, round_id, member_id)
);

-- Live tallies, updated in the casting transaction; `xianfeng tally
-- --recompute` rebuilds them from the ballots.
CREATE TABLE evaluation_tallies (
  shard_id BIGINT NOT NULL,
  round_id BIGINT NOT NULL,
  target_id BIGINT NOT NULL,
  criterion INTEGER NOT NULL,
  grade INTEGER NOT NULL,
  class_code VARCHAR(20) NOT NULL,
  votes BIGINT NOT NULL,
  PRIMARY KEY (shard_id, round_id, target_id, criterion, grade, class_code)
);

-- Participation per unit and class: codes issued (or members entitled)
-- and ballots cast.
CREATE TABLE evaluation_turnout (
  shard_id BIGINT NOT NULL,
  round_id BIGINT NOT NULL,
  unit_id BIGINT NOT NULL,
  class_code VARCHAR(20) NOT NULL,
  issued BIGINT NOT NULL,
  cast_ballots BIGINT NOT NULL,
  PRIMARY KEY (shard_id, round_id, unit_id, class_code)
);

-- A member's final grade, set by the branch (看票不唯票): vote_grade is what
-- the ballots gave; a different grade carries its reason.
CREATE TABLE evaluation_final_grades (
  shard_id BIGINT NOT NULL,
  round_id BIGINT NOT NULL,
  target_id BIGINT NOT NULL,
  grade INTEGER NOT NULL,
  vote_grade INTEGER,
  reason TEXT NOT NULL,
  set_by VARCHAR(100) NOT NULL,
  set_at BIGINT NOT NULL,
  PRIMARY KEY (shard_id, round_id, target_id)
);

-- A follow-up (基本合格 / 不合格): improvement plan, deadline, outcome.
CREATE TABLE evaluation_followups (
  shard_id BIGINT NOT NULL,
  round_id BIGINT NOT NULL,
  target_id BIGINT NOT NULL,
  plan TEXT NOT NULL,
  deadline VARCHAR(10) NOT NULL,
  outcome TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (shard_id, round_id, target_id)
);
