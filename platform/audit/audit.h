#pragma once
// The append-only, hash-chained audit log. Every state change appends an
// entry in the same transaction as the change, so neither exists without the
// other. entry.hash = SHA-256(canonical(entry) || prev_hash); the canonical
// encoding is written out in audit.cpp and in platform/audit/README.md so an
// outside verifier can recompute it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/core/id.h"
#include "platform/core/result.h"
#include "platform/storage/database.h"

namespace xf::audit {

struct Entry {
  int64_t at_ms = 0;        // UTC
  Id actor_id = 0;          // 0: the system (CLI, demo loader)
  std::string actor_name;   // username at the time, or "system"
  std::string action;       // "unit.create", "session.login" …
  std::string object_type;  // "unit", "member", "account" …
  std::string object_id;
  Id unit_id = 0;           // the unit the change belongs to (0: none)
  // The chain the entry joins: one chain per shard (the unit at the
  // installation's sharding level; 0 for installation-wide changes such as
  // accounts), so a distributed PostgreSQL never serialises across shards.
  Id shard_id = 0;
  std::string summary;      // short, no secrets, no phone or ID numbers
};

struct StoredEntry : Entry {
  int64_t seq = 0;
  std::string prev_hash;
  std::string hash;
};

// Appends in `tx`; the caller commits. Serialises appenders on the chain's
// head row, so the chain has no forks.
Result<StoredEntry> append(storage::Transaction& tx, const Entry& entry);

struct VerifyResult {
  bool ok = true;
  int64_t entries = 0;
  std::string head_hash;
  std::optional<int64_t> first_broken_seq;
  std::string reason;  // what did not match, for the operator
};
Result<VerifyResult> verify(storage::Database& db);

struct Head {
  Id shard_id = 0;
  int64_t entries = 0;
  std::string hash;
};
// The head of every chain (what /audit publishes).
Result<std::vector<Head>> heads(storage::Transaction& tx);

}  // namespace xf::audit
