-- Accounts, their role grants and their sessions. Installation-wide tables
-- without shard_id: a login looks an account up by username before any unit
-- is known, and usernames are unique across the installation (README.md,
-- "Tables", says how they scale).
CREATE TABLE accounts (
  id BIGINT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,        -- normalised: trimmed, lower case
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,          -- argon2id PHC string
  lang TEXT NOT NULL,                   -- "zh-CN" or "en"
  disabled INTEGER NOT NULL DEFAULT 0,
  password_changed_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  member_id BIGINT NULL                 -- the member record of this person, if any
);

CREATE TABLE grants (
  id BIGINT PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  role TEXT NOT NULL,
  unit_id BIGINT NOT NULL,              -- 0 for system_admin, member and resident
  created_at BIGINT NOT NULL,
  UNIQUE (account_id, role, unit_id)
);
CREATE INDEX grants_by_unit ON grants (unit_id);

CREATE TABLE sessions (
  id BIGINT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,      -- SHA-256 hex of the 256-bit cookie token
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  csrf_token TEXT NOT NULL,             -- not a credential alone: useless without the cookie
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,           -- created_at + 12 h, the absolute limit
  ended_at BIGINT NULL                  -- logout, password change, disabled account
);
CREATE INDEX sessions_by_account ON sessions (account_id, ended_at);

-- Failed logins per key ("account:<username>", "address:<ip>") in a fixed
-- window, in the database so that several servers share the count.
CREATE TABLE login_throttle (
  key TEXT PRIMARY KEY,
  window_start_ms BIGINT NOT NULL,
  failures BIGINT NOT NULL
);
