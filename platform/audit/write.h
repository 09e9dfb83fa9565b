#pragma once
// The one path for every state change: open a write transaction, let the
// service authorize, validate and change, append the audit entries it
// recorded, commit. A change that records no audit entry is a bug and fails
// with internal, so nothing is ever written without its trail.
#include <utility>
#include <vector>

#include "platform/audit/audit.h"
#include "platform/core/clock.h"
#include "platform/storage/database.h"

namespace xf::audit {

class Change {
 public:
  Change(storage::Transaction& tx, int64_t now_ms) : tx(tx), now_ms(now_ms) {}
  storage::Transaction& tx;
  const int64_t now_ms;
  // `at_ms` is filled in from the change's clock when left 0.
  void record(Entry entry) {
    if (entry.at_ms == 0) entry.at_ms = now_ms;
    entries_.push_back(std::move(entry));
  }
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  std::vector<Entry> entries_;
};

// `work(Change&)` returns Result<T>; on failure nothing is committed.
template <typename Work>
auto write(storage::Database& db, const Clock& clock, Work&& work)
    -> decltype(work(std::declval<Change&>())) {
  XF_TRY(auto tx, db.begin(storage::Access::write));
  Change change(*tx, to_epoch_ms(clock.now()));
  auto result = work(change);
  if (!result.ok()) return result;
  if (change.entries().empty()) return Error::internal("state change without an audit entry");
  for (const auto& entry : change.entries()) {
    XF_TRY(auto stored, append(*tx, entry));
    (void)stored;
  }
  XF_CHECK(tx->commit());
  return result;
}

}  // namespace xf::audit
