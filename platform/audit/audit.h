#pragma once
// The append-only, hash-chained audit log. Every state change appends an
// entry in the same transaction as the change, so neither exists without the
// other. entry.hash = SHA-256 of the canonical encoding of the entry, which
// includes its chain, its sequence number and the previous entry's hash; the
// encoding is written out in platform/audit/README.md so an outside verifier
// can recompute it.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/id.h"
#include "platform/core/result.h"
#include "platform/storage/database.h"
#include "platform/storage/migrations.h"

namespace xf::audit {

struct Entry {
  int64_t at_ms = 0;        // UTC
  Id actor_id = 0;          // 0: the system (CLI, demo loader)
  std::string actor_name;   // username at the time, or "system"
  std::string action;       // "unit.create", "session.login" …
  std::string object_type;  // "unit", "member", "account" …
  std::string object_id;
  Id unit_id = 0;  // the unit the change belongs to (0: none)
  // The unit's ancestry at the time, "/root/…/unit_id/" (unit_path_of), so
  // an auditor filters by subtree without the audit knowing the tree; ""
  // when unit_id is 0.
  std::string unit_path;
  // The chain the entry joins: one chain per shard (the unit at the
  // installation's sharding level; 0 for installation-wide changes such as
  // accounts), so a distributed PostgreSQL never serialises across shards.
  Id shard_id = 0;
  std::string summary;  // short, no secrets, no phone or ID numbers
};

struct StoredEntry : Entry {
  int64_t seq = 0;
  std::string prev_hash;
  std::string hash;
};

// "/1/22/333/" from an ancestry {1, 22, 333} (root first); "" when empty.
std::string unit_path_of(std::span<const Id> ancestry);

// The bytes that are hashed (README.md, "Canonical encoding").
std::string canonical_encoding(const StoredEntry& entry);
// SHA-256 hex of canonical_encoding(entry).
std::string entry_hash(const StoredEntry& entry);
// prev_hash of the first entry of every chain.
inline constexpr std::string_view genesis_hash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// Appends in `tx`; the caller commits. Serialises appenders on the chain's
// head row, so the chain has no forks.
Result<StoredEntry> append(storage::Transaction& tx, const Entry& entry);

struct VerifyResult {
  bool ok = true;
  int64_t entries = 0;    // in all chains
  std::string head_hash;  // installation_head_hash of the chains' heads
  std::optional<Id> first_broken_shard;
  std::optional<int64_t> first_broken_seq;
  // "hash mismatch", "prev_hash does not link", "gap in seq" or
  // "head does not match", for the operator.
  std::string reason;
};
// Walks every chain in seq order, a page at a time, recomputing each hash
// and link and comparing the last entry with the chain's head row; stops at
// the first break.
Result<VerifyResult> verify(storage::Database& db);

struct Head {
  Id shard_id = 0;
  int64_t entries = 0;  // the last seq: chains start at 1 and have no gaps
  std::string hash;
};
// The head of every chain, by shard (what /audit publishes).
Result<std::vector<Head>> heads(storage::Transaction& tx);
// One hash for the whole installation: SHA-256 over the chains' heads in
// shard order (README.md), so `verify-audit` can print a single value.
std::string installation_head_hash(std::span<const Head> heads);

// The last entry of each UTC day of each chain, newest day first.
struct DailyHead {
  std::string day;  // "2026-11-25"
  Id shard_id = 0;
  int64_t seq = 0;
  std::string hash;
};
Result<std::vector<DailyHead>> daily_heads(storage::Transaction& tx, int64_t since_ms);

// Browsing for auditors, newest first, keyset-paged on (at_ms, shard, seq).
struct Cursor {
  int64_t at_ms = 0;
  Id shard_id = 0;
  int64_t seq = 0;
};
std::string format_cursor(const Cursor& cursor);  // "at_ms.shard_id.seq"
std::optional<Cursor> parse_cursor(std::string_view text);

struct BrowseFilter {
  // Entries whose unit_path starts with any of these; empty: every entry.
  std::vector<std::string> unit_paths;
  std::string action;              // exact; "" for any
  std::string actor_name;          // exact; "" for any
  std::optional<int64_t> from_ms;  // inclusive
  std::optional<int64_t> to_ms;    // exclusive
  std::optional<Cursor> before;
  int limit = 50;
};
struct BrowsePage {
  std::vector<StoredEntry> entries;
  std::optional<Cursor> next;  // pass as `before` for the next page
};
Result<BrowsePage> browse(storage::Transaction& tx, const BrowseFilter& filter);

// The "audit" feature's schema (migrations/), generated at build time.
std::span<const storage::Migration> audit_migrations();

}  // namespace xf::audit
