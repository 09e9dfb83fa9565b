-- Public commitments (公开承诺): 提诺 → 审诺 → 公开 → 践诺 → 评诺, and
-- bulletins (通报). README.md explains the rules. Every table that grows with
-- the country carries shard_id (the shard of the commitment's unit) first
-- in its keys.

-- How a campaign weighs the four review sources (percentages, sum 100).
-- A campaign without a row uses the defaults in commitments.h.
CREATE TABLE commitment_weights (
  shard_id BIGINT NOT NULL,
  campaign_id BIGINT NOT NULL,
  self_pct INTEGER NOT NULL,
  peer_pct INTEGER NOT NULL,
  public_pct INTEGER NOT NULL,
  superior_pct INTEGER NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (shard_id, campaign_id),
  FOREIGN KEY (shard_id, campaign_id) REFERENCES campaigns (shard_id, id),
  CHECK (self_pct + peer_pct + public_pct + superior_pct = 100)
);

-- A unit's commitment (member_id NULL) or a member's (tied to the member's
-- post, copied here when drafted so the public sees the post it was made at).
-- due_on is the last item's due date; progress the items' average (0–100),
-- both kept in step by the service so that board and bulletin figures are
-- plain columns.
CREATE TABLE commitments (
  shard_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  campaign_id BIGINT NOT NULL,
  unit_id BIGINT NOT NULL,
  member_id BIGINT,
  post VARCHAR(50) NOT NULL DEFAULT '',
  title VARCHAR(100) NOT NULL,
  status VARCHAR(10) NOT NULL CHECK (status IN ('draft', 'submitted', 'published', 'closed')),
  return_reason TEXT NOT NULL DEFAULT '',
  vet_comment TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 0,
  due_on VARCHAR(10) NOT NULL,
  progress DOUBLE PRECISION NOT NULL DEFAULT 0,
  completed_on VARCHAR(10),
  result VARCHAR(20) CHECK (result IN ('fulfilled', 'partly_fulfilled', 'not_fulfilled')),
  result_score DOUBLE PRECISION,
  created_by BIGINT NOT NULL,
  submitted_at BIGINT,
  published_at BIGINT,
  revised_at BIGINT,
  closed_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (shard_id, id),
  FOREIGN KEY (shard_id, campaign_id) REFERENCES campaigns (shard_id, id),
  FOREIGN KEY (shard_id, unit_id) REFERENCES units (shard_id, id),
  FOREIGN KEY (shard_id, member_id) REFERENCES members (shard_id, id)
);
CREATE INDEX commitments_id ON commitments (id);
CREATE INDEX commitments_unit ON commitments (shard_id, unit_id, campaign_id, status);

CREATE TABLE commitment_items (
  shard_id BIGINT NOT NULL,
  commitment_id BIGINT NOT NULL,
  item_no INTEGER NOT NULL,
  text VARCHAR(500) NOT NULL,
  target_value DOUBLE PRECISION NOT NULL,
  target_unit VARCHAR(20) NOT NULL,
  due_on VARCHAR(10) NOT NULL,
  central_task_id BIGINT NOT NULL,
  carrier_id BIGINT NOT NULL,
  progress DOUBLE PRECISION NOT NULL DEFAULT 0,
  completed_on VARCHAR(10),
  PRIMARY KEY (shard_id, commitment_id, item_no),
  FOREIGN KEY (shard_id, commitment_id) REFERENCES commitments (shard_id, id),
  FOREIGN KEY (shard_id, central_task_id) REFERENCES central_tasks (shard_id, id),
  FOREIGN KEY (shard_id, carrier_id) REFERENCES campaign_carriers (shard_id, id)
);

-- What the public saw: version 1 is the text at publication, every later
-- revision adds the next one with its reason. items is the items as JSON.
CREATE TABLE commitment_versions (
  shard_id BIGINT NOT NULL,
  commitment_id BIGINT NOT NULL,
  version INTEGER NOT NULL,
  title VARCHAR(100) NOT NULL,
  items TEXT NOT NULL,
  reason TEXT NOT NULL,
  edited_by VARCHAR(100) NOT NULL,
  edited_at BIGINT NOT NULL,
  PRIMARY KEY (shard_id, commitment_id, version),
  FOREIGN KEY (shard_id, commitment_id) REFERENCES commitments (shard_id, id)
);

-- 践诺: progress on one item. value (towards the item's target) or percent.
CREATE TABLE commitment_progress (
  shard_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  commitment_id BIGINT NOT NULL,
  item_no INTEGER NOT NULL,
  on_date VARCHAR(10) NOT NULL,
  text TEXT NOT NULL,
  value DOUBLE PRECISION,
  percent DOUBLE PRECISION,
  author_name VARCHAR(100) NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (shard_id, id),
  FOREIGN KEY (shard_id, commitment_id, item_no) REFERENCES commitment_items (shard_id, commitment_id, item_no)
);
CREATE INDEX commitment_progress_commitment ON commitment_progress (shard_id, commitment_id, on_date);

-- Evidence files (platform/uploads, purpose commitment_evidence).
CREATE TABLE commitment_evidence (
  shard_id BIGINT NOT NULL,
  progress_id BIGINT NOT NULL,
  upload_id BIGINT NOT NULL,
  commitment_id BIGINT NOT NULL,
  sort_order INTEGER NOT NULL,
  PRIMARY KEY (shard_id, progress_id, upload_id),
  FOREIGN KEY (shard_id, progress_id) REFERENCES commitment_progress (shard_id, id)
);
CREATE INDEX commitment_evidence_upload ON commitment_evidence (shard_id, upload_id);
CREATE INDEX commitment_evidence_commitment ON commitment_evidence (shard_id, commitment_id);

-- 评诺 by people with a role: the commitment's own self-assessment and the
-- superior's comment (reviewer_key 0: one each), and peers (reviewer_key:
-- the member's id, one per member). The constraint keeps them single.
CREATE TABLE commitment_reviews (
  shard_id BIGINT NOT NULL,
  commitment_id BIGINT NOT NULL,
  source VARCHAR(10) NOT NULL CHECK (source IN ('self', 'peer', 'superior')),
  reviewer_key BIGINT NOT NULL,
  grade VARCHAR(20) NOT NULL CHECK (grade IN ('fulfilled', 'partly_fulfilled', 'not_fulfilled')),
  comment TEXT NOT NULL,
  reviewer_name VARCHAR(100) NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (shard_id, commitment_id, source, reviewer_key),
  FOREIGN KEY (shard_id, commitment_id) REFERENCES commitments (shard_id, id)
);

-- Residents' ratings on the public board. voter: 'a:<account id>' for a
-- resident with an account, 't:<SHA-256 of the browser token>' otherwise;
-- one per voter per commitment, by constraint.
CREATE TABLE commitment_ratings (
  shard_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  commitment_id BIGINT NOT NULL,
  voter VARCHAR(80) NOT NULL,
  rating VARCHAR(20) NOT NULL CHECK (rating IN ('satisfied', 'basically_satisfied', 'dissatisfied')),
  comment TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (shard_id, id),
  UNIQUE (shard_id, commitment_id, voter),
  FOREIGN KEY (shard_id, commitment_id) REFERENCES commitments (shard_id, id)
);

-- Ratings counted per client address in a fixed window (transient, no shard).
CREATE TABLE commitment_rating_throttle (
  key VARCHAR(200) PRIMARY KEY,
  window_start_ms BIGINT NOT NULL,
  count BIGINT NOT NULL
);

-- 通报: a committee's bulletin for its subtree, one campaign and a period.
-- figures is the generated JSON, frozen when published.
CREATE TABLE bulletins (
  shard_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  unit_id BIGINT NOT NULL,
  campaign_id BIGINT NOT NULL,
  period_from VARCHAR(10) NOT NULL,
  period_to VARCHAR(10) NOT NULL,
  title VARCHAR(100) NOT NULL,
  intro TEXT NOT NULL,
  closing TEXT NOT NULL,
  figures TEXT NOT NULL,
  status VARCHAR(10) NOT NULL CHECK (status IN ('draft', 'published')),
  created_by VARCHAR(100) NOT NULL,
  generated_at BIGINT NOT NULL,
  published_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (shard_id, id),
  FOREIGN KEY (shard_id, unit_id) REFERENCES units (shard_id, id),
  FOREIGN KEY (shard_id, campaign_id) REFERENCES campaigns (shard_id, id)
);
CREATE INDEX bulletins_id ON bulletins (id);
CREATE INDEX bulletins_unit ON bulletins (shard_id, unit_id, status);
