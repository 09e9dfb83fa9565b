-- The working-day calendar (platform/calendar/README.md): the dates that
-- differ from "Monday to Friday work, weekends rest". A small global
-- reference table: no shard_id.
CREATE TABLE calendar_days (
  day CHAR(10) PRIMARY KEY,  -- "YYYY-MM-DD" in the installation's time zone
  kind VARCHAR(10) NOT NULL CHECK (kind IN ('holiday', 'workday')),
  name VARCHAR(100) NOT NULL,
  source VARCHAR(300) NOT NULL,  -- the notice, or "admin" for an edit
  updated_at BIGINT NOT NULL
);

-- The years whose official arrangement from the embedded data file has been
-- loaded once, so an administrator's later deletion of a date is not undone
-- at the next start.
CREATE TABLE calendar_loaded_years (
  year INTEGER PRIMARY KEY,
  loaded_at BIGINT NOT NULL
);
