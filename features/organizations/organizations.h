#pragma once
// The organisation tree's domain: units, members, their validation, the
// materialized path that makes subtree queries a single index range, and the
// masking of phone and ID numbers. Pure functions, no storage.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/id.h"
#include "platform/core/result.h"

namespace xf::organizations {

enum class UnitKind { committee, general_branch, branch };
enum class UnitStatus { active, closed };
enum class MemberStatus { full, probationary };

std::string_view kind_name(UnitKind kind);     // "committee" …
std::string_view kind_name_zh(UnitKind kind);  // "党委" …
// Accepts the English code or the Chinese name (CSV files use either).
std::optional<UnitKind> parse_kind(std::string_view text);
std::string_view unit_status_name(UnitStatus status);
std::optional<UnitStatus> parse_unit_status(std::string_view text);
std::string_view member_status_name(MemberStatus status);
std::string_view member_status_name_zh(MemberStatus status);
std::optional<MemberStatus> parse_member_status(std::string_view text);

struct Field {
  std::string code;
  std::string name_zh;
  std::string name_en;
};

struct Unit {
  Id id = 0;
  Id shard_id = 0;
  std::string code;
  std::string name;
  UnitKind kind = UnitKind::branch;
  std::string field;
  std::optional<Id> parent_id;
  std::string path;
  int depth = 0;
  std::string contact_name;
  std::string contact_phone;
  std::string address;
  UnitStatus status = UnitStatus::active;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct Member {
  Id id = 0;
  Id shard_id = 0;
  Id unit_id = 0;
  std::string name;
  std::string post;
  std::string joined_on;  // YYYY-MM-DD
  MemberStatus status = MemberStatus::full;
  std::optional<std::string> phone;
  std::optional<std::string> id_number;
  std::optional<Id> account_id;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// What an admin or a CSV row supplies for a unit; validated before use.
struct UnitInput {
  std::string code;
  std::string name;
  std::string kind;
  std::string field;
  std::string contact_name;
  std::string contact_phone;
  std::string address;
};

struct MemberInput {
  std::string name;
  std::string post;
  std::string joined_on;
  std::string status;
  std::string phone;      // "" = none
  std::string id_number;  // "" = none
};

// Build and change records from input that passed validation (and, for a
// unit, whose field was checked against the fields table).
Unit make_unit(Id id, const UnitInput& input, const Unit* parent, int64_t now_ms);
void assign_unit_input(Unit& unit, const UnitInput& input);
Member make_member(Id id, const MemberInput& input, const Unit& unit, int64_t now_ms);
void assign_member_input(Member& member, const MemberInput& input);

// Limits, in characters (code points), shared by validation and the schema.
inline constexpr size_t kMaxUnitName = 100;
inline constexpr size_t kMaxContactName = 50;
inline constexpr size_t kMaxAddress = 200;
inline constexpr size_t kMaxMemberName = 50;
inline constexpr size_t kMaxPost = 50;

// Every problem of the input, each naming its field (empty when valid). The
// field must be checked against the `fields` table by the caller.
std::vector<FieldError> validate_unit(const UnitInput& input);
std::vector<FieldError> validate_member(const MemberInput& input);
std::optional<FieldError> check_code(std::string_view code);

// Without leading and trailing ASCII whitespace (CSV cells, form fields).
std::string trimmed(std::string_view text);
// Number of code points of valid UTF-8 (bytes of invalid sequences count one each).
size_t utf8_length(std::string_view text);
bool is_valid_utf8(std::string_view text);

// 13812341234 → 138****1234; short numbers keep only their last two digits.
std::string mask_phone(std::string_view phone);
// 110101199001011234 → 1101**********1234.
std::string mask_id_number(std::string_view id_number);

// The materialized path: each id from the root down to the unit as 19
// zero-padded digits. Digits only, so the order is the same under any
// collation (PostgreSQL's default collation ignores punctuation such as '/').
inline constexpr size_t kPathSegment = 19;
std::string path_segment(Id id);
std::string child_path(std::string_view parent_path, Id id);
// The smallest string greater than every path that starts with `path`:
// the subtree is path <= p < subtree_end(path).
std::string subtree_end(std::string_view path);
// Root first, ending with the unit itself.
std::vector<Id> ancestry_from_path(std::string_view path);
inline int depth_of(std::string_view path) {
  return static_cast<int>(path.size() / kPathSegment) - 1;
}
// The unit's ancestor at the installation's sharding depth, which is the
// shard_id of its rows. This build shards at depth 0 (the root unit: the
// county of a county install); README.md says what a deeper level needs.
Id shard_of(std::string_view path);

}  // namespace xf::organizations
