#pragma once
// The SQL of the organisation tree. Every function runs inside the caller's
// transaction; authorization and validation happen in the service before.
// Subtree queries are one index range on (shard_id, path) — see README.md.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "features/organizations/organizations.h"
#include "platform/auth/unit_directory.h"
#include "platform/storage/database.h"

namespace xf::organizations::store {

// A unit with what the lazy tree and the public page show beside it.
struct UnitNode {
  Unit unit;
  int64_t child_count = 0;   // children (active ones only when asked for active)
  int64_t member_count = 0;  // members of the unit itself, not removed
};

struct MemberRow {
  Member member;
  std::string unit_code;
  std::string unit_name;
};

struct MemberQuery {
  std::string q;         // part of the name; "" = all
  bool subtree = false;  // members of every unit below, too
  int64_t offset = 0;
  int64_t limit = 20;
};

struct MemberPage {
  std::vector<MemberRow> items;
  int64_t total = 0;
};

// The statement subtree() runs ($1 shard, $2 path, $3 subtree_end(path)),
// public so that a test can EXPLAIN it and see the index range.
std::string subtree_sql();

Result<std::optional<Unit>> find_unit_by_code(storage::Transaction& tx, std::string_view code);
Result<std::optional<Unit>> find_unit_by_id(storage::Transaction& tx, Id id);
// Takes the unit's row lock (a no-op UPDATE, portable to both databases)
// and reads it again, so a concurrent move cannot leave a stale path.
Result<std::optional<Unit>> lock_unit(storage::Transaction& tx, const Unit& unit);

Result<std::vector<UnitNode>> children(storage::Transaction& tx, const Unit& parent,
                                       bool active_only);
Result<std::vector<UnitNode>> roots(storage::Transaction& tx, bool active_only);
Result<std::vector<UnitNode>> nodes_by_ids(storage::Transaction& tx, std::span<const Id> ids);
Result<UnitNode> node_of(storage::Transaction& tx, const Unit& unit, bool active_only);
// Ancestors of the unit, root first, without the unit itself.
Result<std::vector<Unit>> ancestors(storage::Transaction& tx, const Unit& unit);
// Units whose name or code contains `q` (taken literally), within the
// subtrees of `scope_roots` (every unit when empty), at most `limit`.
Result<std::vector<Unit>> search(storage::Transaction& tx, std::string_view q,
                                 std::span<const Unit> scope_roots, int limit);
// The whole subtree of `root`, root first, in path order.
Result<std::vector<Unit>> subtree(storage::Transaction& tx, const Unit& root);
Result<bool> any_unit(storage::Transaction& tx);

Result<std::vector<Field>> fields(storage::Transaction& tx);
Result<std::optional<Field>> find_field(storage::Transaction& tx, std::string_view code);

// Inserts the units (and their codes), many rows per statement. A code
// already taken is a conflict naming the code.
Status insert_units(storage::Transaction& tx, std::span<const Unit> units);
Status update_unit(storage::Transaction& tx, const Unit& unit);
// Moves `unit` under `new_parent` (same shard): one UPDATE rewrites the
// paths and depths of the whole subtree.
Status move_subtree(storage::Transaction& tx, const Unit& unit, const Unit& new_parent,
                    int64_t now_ms);
Result<int64_t> count_active_children(storage::Transaction& tx, const Unit& unit);
Result<int64_t> count_members(storage::Transaction& tx, const Unit& unit);

Status insert_members(storage::Transaction& tx, std::span<const Member> members);
Status update_member(storage::Transaction& tx, const Member& member);
Status remove_member(storage::Transaction& tx, const Member& member, int64_t now_ms);
// Not removed ones only.
Result<std::optional<Member>> find_member(storage::Transaction& tx, Id id);
Result<MemberPage> list_members(storage::Transaction& tx, const Unit& unit,
                                const MemberQuery& query);

// auth's view of the tree, over these tables.
class UnitDirectory final : public auth::UnitDirectory {
 public:
  Result<auth::UnitRef> find_by_code(storage::Transaction& tx, std::string_view code) override;
  Result<auth::UnitRef> find_by_id(storage::Transaction& tx, Id id) override;
};

}  // namespace xf::organizations::store
