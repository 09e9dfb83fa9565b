-- The organisation tree. See features/organizations/README.md for why a
-- materialized path and what it costs at 5 million units.

-- Fields (领域) are a small reference table: no shard_id; new fields are new rows.
CREATE TABLE fields (
  code VARCHAR(40) PRIMARY KEY,
  name_zh VARCHAR(100) NOT NULL,
  name_en VARCHAR(100) NOT NULL,
  sort_order INTEGER NOT NULL
);
INSERT INTO fields (code, name_zh, name_en, sort_order) VALUES
  ('rural', '农村', 'Rural', 10),
  ('community', '社区', 'Community', 20),
  ('agency', '机关', 'Government agency', 30),
  ('enterprise', '企业', 'Enterprise', 40),
  ('school', '学校', 'School', 50),
  ('public_institution', '事业单位(医院等)', 'Public institution (hospitals etc.)', 60),
  ('social_organization', '社会组织', 'Social organisation', 70);

-- path: the ids from the root down to the unit itself, each written as 19
-- zero-padded decimal digits, so a subtree is the range [path, path + 1) and
-- digits-only strings sort the same under every collation (README.md).
-- depth: 0 for a root. shard_id: the unit's ancestor at the sharding depth.
CREATE TABLE units (
  shard_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  code VARCHAR(40) NOT NULL,
  name VARCHAR(100) NOT NULL,
  kind VARCHAR(20) NOT NULL CHECK (kind IN ('committee', 'general_branch', 'branch')),
  field VARCHAR(40) NOT NULL REFERENCES fields (code),
  parent_id BIGINT,
  path VARCHAR(1000) NOT NULL,
  depth INTEGER NOT NULL,
  contact_name VARCHAR(50) NOT NULL DEFAULT '',
  contact_phone VARCHAR(40) NOT NULL DEFAULT '',
  address VARCHAR(200) NOT NULL DEFAULT '',
  status VARCHAR(10) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (shard_id, id),
  UNIQUE (shard_id, code)
);
-- Subtree ranges, and children (parent_id) for the lazy tree.
CREATE INDEX units_shard_path ON units (shard_id, path);
CREATE INDEX units_shard_parent ON units (shard_id, parent_id);
-- The few roots (the county of a county install), listed without a shard.
CREATE INDEX units_roots ON units (code) WHERE parent_id IS NULL;

-- Codes appear in public URLs, so they are unique across all shards; a
-- UNIQUE (shard_id, code) alone cannot say that, this lookup table can.
CREATE TABLE unit_codes (
  code VARCHAR(40) PRIMARY KEY,
  shard_id BIGINT NOT NULL,
  unit_id BIGINT NOT NULL
);
-- Admin routes and auth name a unit by id alone; this finds its shard.
CREATE INDEX unit_codes_unit ON unit_codes (unit_id);

CREATE TABLE members (
  shard_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  unit_id BIGINT NOT NULL,
  name VARCHAR(50) NOT NULL,
  post VARCHAR(50) NOT NULL DEFAULT '',
  joined_on VARCHAR(10) NOT NULL,
  status VARCHAR(20) NOT NULL CHECK (status IN ('full', 'probationary')),
  phone VARCHAR(40),
  id_number VARCHAR(18),
  account_id BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  removed_at BIGINT,
  PRIMARY KEY (shard_id, id),
  FOREIGN KEY (shard_id, unit_id) REFERENCES units (shard_id, id)
);
CREATE INDEX members_shard_unit ON members (shard_id, unit_id);
-- Admin routes name a member by id alone (/admin/members/{id}).
CREATE INDEX members_id ON members (id);
