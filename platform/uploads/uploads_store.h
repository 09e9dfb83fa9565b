#pragma once
// SQL for uploads (migrations/0001_uploads.sql).
#include <optional>
#include <string>

#include "platform/core/result.h"
#include "platform/storage/database.h"
#include "platform/uploads/uploads.h"

namespace xf::uploads::store {

Status insert(storage::Transaction& tx, const UploadRef& upload);
Result<std::optional<UploadRef>> find(storage::Transaction& tx, Id id);

// Adds `bytes` to the unit's usage unless that would pass `quota`; false
// when it would (nothing changes then). One conditional UPDATE, so two
// uploads at once cannot both squeeze under the quota.
Result<bool> reserve_quota(storage::Transaction& tx, Id shard_id, Id unit_id, int64_t bytes,
                           int64_t quota);
Result<int64_t> used_bytes(storage::Transaction& tx, Id shard_id, Id unit_id);

// Counts one upload for `key` in a fixed window of `window_ms`; returns the
// count within the current window and when that window started.
struct ThrottleCount {
  int64_t uploads = 0;
  int64_t window_start_ms = 0;
};
Result<ThrottleCount> count_upload(storage::Transaction& tx, const std::string& key, int64_t now_ms,
                                   int64_t window_ms);

}  // namespace xf::uploads::store
