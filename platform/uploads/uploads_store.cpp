#include "platform/uploads/uploads_store.h"

namespace xf::uploads::store {

using storage::p;

namespace {

constexpr std::string_view kColumns =
    "id, shard_id, unit_id, purpose, filename, content_type, size, sha256, width, height, "
    "has_thumbnail, storage_name, created_by, created_at";

UploadRef from_row(const storage::Row& row) {
  UploadRef u;
  u.id = row.int64(0);
  u.shard_id = row.int64(1);
  u.unit_id = row.int64(2);
  u.purpose = row.text(3);
  u.filename = row.text(4);
  u.content_type = row.text(5);
  u.size = row.int64(6);
  u.sha256 = row.text(7);
  if (auto w = row.opt_int64(8)) u.width = static_cast<int>(*w);
  if (auto h = row.opt_int64(9)) u.height = static_cast<int>(*h);
  u.has_thumbnail = row.boolean(10);
  u.storage_name = row.text(11);
  u.created_by = row.int64(12);
  u.created_at = row.int64(13);
  return u;
}

}  // namespace

Status insert(storage::Transaction& tx, const UploadRef& u) {
  XF_CHECK(tx.execute(
      "INSERT INTO uploads (shard_id, id, unit_id, purpose, filename, content_type, size, sha256, "
      "width, height, has_thumbnail, storage_name, created_by, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
      {p(u.shard_id), p(u.id), p(u.unit_id), p(u.purpose), p(u.filename), p(u.content_type),
       p(u.size), p(u.sha256), p(u.width), p(u.height), p(u.has_thumbnail), p(u.storage_name),
       p(u.created_by), p(u.created_at)}));
  return {};
}

Result<std::optional<UploadRef>> find(storage::Transaction& tx, Id id) {
  XF_TRY(auto row,
         tx.query_one("SELECT " + std::string(kColumns) + " FROM uploads WHERE id = $1", {p(id)}));
  if (!row) return std::optional<UploadRef>();
  return std::optional<UploadRef>(from_row(*row));
}

Result<bool> reserve_quota(storage::Transaction& tx, Id shard_id, Id unit_id, int64_t bytes,
                           int64_t quota) {
  XF_CHECK(
      tx.execute("INSERT INTO upload_usage (shard_id, unit_id, bytes, files) "
                 "VALUES ($1, $2, 0, 0) ON CONFLICT (shard_id, unit_id) DO NOTHING",
                 {p(shard_id), p(unit_id)}));
  XF_TRY(auto changed, tx.execute("UPDATE upload_usage SET bytes = bytes + $3, files = files + 1 "
                                  "WHERE shard_id = $1 AND unit_id = $2 AND bytes + $3 <= $4",
                                  {p(shard_id), p(unit_id), p(bytes), p(quota)}));
  return changed == 1;
}

Result<int64_t> used_bytes(storage::Transaction& tx, Id shard_id, Id unit_id) {
  XF_TRY(auto row,
         tx.query_one("SELECT bytes FROM upload_usage WHERE shard_id = $1 AND unit_id = $2",
                      {p(shard_id), p(unit_id)}));
  return row ? row->int64(0) : int64_t{0};
}

Result<ThrottleCount> count_upload(storage::Transaction& tx, const std::string& key, int64_t now_ms,
                                   int64_t window_ms) {
  // One statement: a window that has ended starts afresh at 1.
  XF_TRY(
      auto row,
      tx.query_one("INSERT INTO upload_throttle (key, window_start_ms, uploads) VALUES ($1, $2, 1) "
                   "ON CONFLICT (key) DO UPDATE SET "
                   "uploads = CASE WHEN upload_throttle.window_start_ms <= $3 THEN 1 "
                   "               ELSE upload_throttle.uploads + 1 END, "
                   "window_start_ms = CASE WHEN upload_throttle.window_start_ms <= $3 THEN $2 "
                   "                       ELSE upload_throttle.window_start_ms END "
                   "RETURNING uploads, window_start_ms",
                   {p(key), p(now_ms), p(now_ms - window_ms)}));
  if (!row) return Error::internal("upload_throttle upsert returned no row");
  return ThrottleCount{row->int64(0), row->int64(1)};
}

}  // namespace xf::uploads::store
