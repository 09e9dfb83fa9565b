-- Residents' problems (群众反映的实际问题). features/requests/README.md explains
-- the states, who moves a problem between them, and the deadlines.

-- The service list: categories per field (领域), a small reference table the
-- committees edit (no shard_id). code is the Open311 service_code, so it is
-- unique across fields. Time limits are working days.
CREATE TABLE request_categories (
  code VARCHAR(60) PRIMARY KEY,
  field VARCHAR(40) NOT NULL REFERENCES fields (code),
  name_zh VARCHAR(100) NOT NULL,
  name_en VARCHAR(100) NOT NULL,
  description VARCHAR(500) NOT NULL DEFAULT '',
  respond_days INTEGER NOT NULL DEFAULT 2 CHECK (respond_days BETWEEN 1 AND 60),
  resolve_days INTEGER NOT NULL DEFAULT 15 CHECK (resolve_days BETWEEN 1 AND 365),
  -- Calendar days the reporter has to confirm before it closes unconfirmed.
  confirm_days INTEGER NOT NULL DEFAULT 7 CHECK (confirm_days BETWEEN 1 AND 60),
  active INTEGER NOT NULL DEFAULT 1,
  sort_order INTEGER NOT NULL
);
INSERT INTO request_categories (code, field, name_zh, name_en, sort_order) VALUES
  ('rural-roads', 'rural', '道路交通', 'Roads and transport', 10),
  ('rural-lighting', 'rural', '道路照明', 'Street lighting', 20),
  ('rural-sanitation', 'rural', '环境卫生', 'Sanitation', 30),
  ('rural-water', 'rural', '饮水安全', 'Drinking water', 40),
  ('rural-disputes', 'rural', '邻里纠纷', 'Neighbour disputes', 50),
  ('rural-employment', 'rural', '就业帮扶', 'Help finding work', 60),
  ('rural-elderly', 'rural', '养老服务', 'Care for the elderly', 70),
  ('rural-farming', 'rural', '农业生产', 'Farming', 80),
  ('community-lighting', 'community', '道路照明', 'Street lighting', 10),
  ('community-sanitation', 'community', '环境卫生', 'Sanitation', 20),
  ('community-property', 'community', '物业管理', 'Property management', 30),
  ('community-disputes', 'community', '邻里纠纷', 'Neighbour disputes', 40),
  ('community-employment', 'community', '就业帮扶', 'Help finding work', 50),
  ('community-elderly', 'community', '养老服务', 'Care for the elderly', 60),
  ('community-parking', 'community', '停车秩序', 'Parking', 70),
  ('agency-service', 'agency', '办事服务', 'Public services at the counter', 10),
  ('agency-conduct', 'agency', '工作作风', 'Conduct of officials', 20),
  ('agency-policy', 'agency', '政策咨询', 'Policy questions', 30),
  ('enterprise-wages', 'enterprise', '工资待遇', 'Wages', 10),
  ('enterprise-safety', 'enterprise', '安全生产', 'Workplace safety', 20),
  ('enterprise-training', 'enterprise', '技能培训', 'Skills training', 30),
  ('school-safety', 'school', '校园安全', 'School safety', 10),
  ('school-meals', 'school', '食堂餐饮', 'School meals', 20),
  ('school-surroundings', 'school', '周边环境', 'School surroundings', 30),
  ('public-institution-service', 'public_institution', '服务质量', 'Quality of service', 10),
  ('public-institution-waiting', 'public_institution', '排队等候', 'Waiting times', 20),
  ('social-organization-service', 'social_organization', '志愿服务', 'Volunteer services', 10),
  ('social-organization-help', 'social_organization', '困难帮扶', 'Help for families in need', 20);

-- One problem. unit_id is the unit handling it now; reported_unit_id where it
-- was reported. The tracking token of an anonymous reporter lives, hashed,
-- in request_tokens. Contact details are never public.
CREATE TABLE requests (
  shard_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  category VARCHAR(60) NOT NULL REFERENCES request_categories (code),
  description VARCHAR(4000) NOT NULL,
  reported_unit_id BIGINT NOT NULL,
  unit_id BIGINT NOT NULL,
  address VARCHAR(200) NOT NULL DEFAULT '',
  lat DOUBLE PRECISION,
  lon DOUBLE PRECISION,
  contact_phone VARCHAR(40),
  contact_email VARCHAR(200),
  reporter_account_id BIGINT,
  source VARCHAR(20) NOT NULL CHECK (source IN ('web', 'open311', 'demo')),
  open311_app_id BIGINT,
  state VARCHAR(30) NOT NULL CHECK (state IN ('submitted', 'accepted', 'in_progress', 'resolved',
    'confirmed', 'closed_unconfirmed', 'referred_elsewhere', 'duplicate', 'cannot_solve')),
  assigned_member_id BIGINT,
  resolution VARCHAR(4000),
  grade VARCHAR(30) CHECK (grade IN ('satisfied', 'basically_satisfied', 'dissatisfied')),
  close_reason VARCHAR(1000),
  duplicate_of BIGINT,
  reopen_count INTEGER NOT NULL DEFAULT 0,
  -- Events on the timeline so far; numbers them in order (request_events.seq).
  event_count INTEGER NOT NULL DEFAULT 0,
  submitted_at BIGINT NOT NULL,
  accepted_at BIGINT,
  resolved_at BIGINT,
  closed_at BIGINT,
  updated_at BIGINT NOT NULL,
  respond_due_at BIGINT NOT NULL,
  resolve_due_at BIGINT NOT NULL,
  confirm_due_at BIGINT,
  PRIMARY KEY (shard_id, id),
  FOREIGN KEY (shard_id, unit_id) REFERENCES units (shard_id, id),
  FOREIGN KEY (shard_id, reported_unit_id) REFERENCES units (shard_id, id)
);
-- Public URLs name a problem by id alone.
CREATE INDEX requests_id ON requests (id);
CREATE INDEX requests_shard_unit_state ON requests (shard_id, unit_id, state);
CREATE INDEX requests_shard_submitted ON requests (shard_id, submitted_at);
-- The lazy close of stale resolved problems.
CREATE INDEX requests_confirm_due ON requests (state, confirm_due_at);

-- Photos of the report and evidence of the resolution: upload ids of
-- platform/uploads, at most 3 of each kind (position 1..3).
CREATE TABLE request_photos (
  shard_id BIGINT NOT NULL,
  request_id BIGINT NOT NULL,
  kind VARCHAR(10) NOT NULL CHECK (kind IN ('photo', 'evidence')),
  position INTEGER NOT NULL CHECK (position BETWEEN 1 AND 3),
  upload_id BIGINT NOT NULL,
  PRIMARY KEY (shard_id, request_id, kind, position),
  FOREIGN KEY (shard_id, request_id) REFERENCES requests (shard_id, id)
);

-- Tokens name a problem without an account: 'tracking' (the reporter's
-- secret, which confirms and reopens) and 'open311' (the GeoReport token,
-- which only finds the id). Only SHA-256 hashes are stored. A global lookup
-- table, as unit_codes is, because a token arrives without its shard.
CREATE TABLE request_tokens (
  token_hash VARCHAR(64) PRIMARY KEY,
  kind VARCHAR(10) NOT NULL CHECK (kind IN ('tracking', 'open311')),
  shard_id BIGINT NOT NULL,
  request_id BIGINT NOT NULL
);

-- The public timeline: every change of state and every public update.
CREATE TABLE request_events (
  shard_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  request_id BIGINT NOT NULL,
  seq INTEGER NOT NULL,
  at_ms BIGINT NOT NULL,
  kind VARCHAR(30) NOT NULL,
  state VARCHAR(30) NOT NULL,
  author VARCHAR(100) NOT NULL,
  body VARCHAR(4000) NOT NULL DEFAULT '',
  PRIMARY KEY (shard_id, id),
  FOREIGN KEY (shard_id, request_id) REFERENCES requests (shard_id, id)
);
CREATE UNIQUE INDEX request_events_request ON request_events (shard_id, request_id, seq);

-- A resident (not the reporter) asks to reopen a resolved problem; the unit
-- must answer. Pending asks hold off the unconfirmed close.
CREATE TABLE request_reopen_asks (
  shard_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  request_id BIGINT NOT NULL,
  at_ms BIGINT NOT NULL,
  reason VARCHAR(1000) NOT NULL,
  account_id BIGINT,
  answered_at BIGINT,
  answer VARCHAR(10) CHECK (answer IN ('reopened', 'declined')),
  answer_reason VARCHAR(1000),
  PRIMARY KEY (shard_id, id),
  FOREIGN KEY (shard_id, request_id) REFERENCES requests (shard_id, id)
);
CREATE INDEX request_reopen_asks_request ON request_reopen_asks (shard_id, request_id);

-- A committee's routing: problems of `category` reported anywhere in its
-- subtree go to target_unit_id (inside the subtree). The nearest committee
-- with a rule wins.
CREATE TABLE request_routing_rules (
  shard_id BIGINT NOT NULL,
  committee_unit_id BIGINT NOT NULL,
  category VARCHAR(60) NOT NULL REFERENCES request_categories (code),
  target_unit_id BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (shard_id, committee_unit_id, category),
  FOREIGN KEY (shard_id, committee_unit_id) REFERENCES units (shard_id, id),
  FOREIGN KEY (shard_id, target_unit_id) REFERENCES units (shard_id, id)
);

-- 为群众办实事: problems a public commitment answers. features/commitments
-- owns the commitment; this side owns the link and the rule that a
-- commitment with an open linked problem is not fulfilled.
CREATE TABLE request_commitment_links (
  shard_id BIGINT NOT NULL,
  commitment_id BIGINT NOT NULL,
  request_id BIGINT NOT NULL,
  linked_at BIGINT NOT NULL,
  PRIMARY KEY (shard_id, commitment_id, request_id),
  FOREIGN KEY (shard_id, request_id) REFERENCES requests (shard_id, id)
);
CREATE INDEX request_photos_upload ON request_photos (shard_id, upload_id);
CREATE INDEX request_commitment_links_request ON request_commitment_links (shard_id, request_id);

-- Intake rate limits: submissions per key ("address:…", "account:…") in a
-- fixed window, counted in the database so several servers share them.
CREATE TABLE request_rate (
  key VARCHAR(120) PRIMARY KEY,
  window_start_ms BIGINT NOT NULL,
  count INTEGER NOT NULL
);

-- Applications registered to POST through Open311 (api_key, hashed).
CREATE TABLE open311_apps (
  id BIGINT PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  key_hash VARCHAR(64) NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  disabled_at BIGINT
);
