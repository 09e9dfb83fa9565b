#pragma once
// The SQL of residents' problems. Every function runs inside the caller's
// transaction; authorization and validation happen in the service before.
// Changes of state are conditional UPDATEs (… WHERE state = expected AND
// updated_at = seen), so of two concurrent changes exactly one wins.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "features/requests/requests.h"
#include "platform/storage/database.h"

namespace xf::requests::store {

// Categories.
Result<std::vector<Category>> categories(storage::Transaction& tx,
                                         std::optional<std::string_view> field, bool active_only);
Result<std::optional<Category>> find_category(storage::Transaction& tx, std::string_view code);
Status insert_category(storage::Transaction& tx, const Category& c);
Status update_category(storage::Transaction& tx, const Category& c);

// Problems.
Status insert_problem(storage::Transaction& tx, const Problem& p);
Result<std::optional<Problem>> find_problem(storage::Transaction& tx, Id id);
// Writes the mutable columns of `after` when the row is still in
// `seen.state` at `seen.updated_at`; false when another change came first.
Result<bool> update_problem(storage::Transaction& tx, const Problem& seen, const Problem& after);
Status set_evidence(storage::Transaction& tx, const Problem& p, const std::vector<Id>& ids);

// Tokens (hashes only).
Status insert_token(storage::Transaction& tx, std::string_view hash, std::string_view kind,
                    const Problem& p);
// The problem's id for a token hash of that kind.
Result<std::optional<Id>> problem_of_token(storage::Transaction& tx, std::string_view hash,
                                           std::string_view kind);
Result<bool> token_names(storage::Transaction& tx, std::string_view hash, std::string_view kind,
                         Id problem_id);

// Timeline.
struct Event {
  Id id = 0;
  Id shard_id = 0;
  Id request_id = 0;
  int64_t at_ms = 0;
  std::string kind;  // a step name, "submit" or "update"
  State state = State::submitted;
  std::string author;  // a unit's name, "群众" / a display name, "系统"
  std::string body;
};
Status insert_event(storage::Transaction& tx, const Event& e);
Result<std::vector<Event>> events(storage::Transaction& tx, const Problem& p);

// Reopen asks.
struct ReopenAsk {
  Id id = 0;
  int64_t at_ms = 0;
  std::string reason;
  std::optional<int64_t> answered_at;
  std::string answer;
  std::string answer_reason;
};
Status insert_reopen_ask(storage::Transaction& tx, const Problem& p, Id id, int64_t at_ms,
                         std::string_view reason, std::optional<Id> account_id);
Result<std::vector<ReopenAsk>> reopen_asks(storage::Transaction& tx, const Problem& p);
// Answers every pending ask; returns how many there were.
Result<int64_t> answer_reopen_asks(storage::Transaction& tx, const Problem& p, int64_t at_ms,
                                   std::string_view answer, std::string_view reason);

// Lists. Subtree filters are ranges on the handling unit's path.
struct ListFilter {
  std::optional<Id> shard_id;
  std::optional<std::string> path_from, path_to;  // subtree of the handling unit
  std::optional<Id> unit_id;                      // this unit only
  std::optional<Id> reported_unit_id;
  std::vector<State> states;              // any of; empty = all
  std::vector<std::string> categories;    // any of; empty = all
  std::optional<int64_t> from_ms, to_ms;  // submitted_at range [from, to)
  std::optional<Id> id;
  // Only problems late to respond or to resolve at `now_ms`.
  bool overdue_only = false;
  int64_t now_ms = 0;
  int64_t offset = 0;
  int64_t limit = 50;
};
struct ListRow {
  Problem problem;
  std::string unit_code, unit_name;
  std::string category_name_zh, category_name_en;
};
Result<std::vector<ListRow>> list(storage::Transaction& tx, const ListFilter& f);
Result<int64_t> count(storage::Transaction& tx, const ListFilter& f);

// What the figures are computed from: every problem of the filter, with
// only the columns the figures need.
struct FigureRow {
  Id unit_id = 0;
  std::string unit_path;
  std::string category;
  State state = State::submitted;
  int64_t submitted_at = 0;
  std::optional<int64_t> accepted_at, resolved_at;
  int64_t respond_due_at = 0, resolve_due_at = 0;
  std::optional<Grade> grade;
};
Result<std::vector<FigureRow>> figure_rows(storage::Transaction& tx, const ListFilter& f);

// Routing rules.
struct RoutingRule {
  Id committee_unit_id = 0;
  std::string category;
  Id target_unit_id = 0;
};
// The rule of the nearest of `ancestry` (root first) for the category.
Result<std::optional<RoutingRule>> nearest_rule(storage::Transaction& tx, Id shard_id,
                                                const std::vector<Id>& ancestry,
                                                std::string_view category);
Result<std::vector<RoutingRule>> rules_of(storage::Transaction& tx, Id shard_id, Id committee_id);
Status put_rule(storage::Transaction& tx, Id shard_id, const RoutingRule& rule, int64_t now_ms);
Result<int64_t> delete_rule(storage::Transaction& tx, Id shard_id, Id committee_id,
                            std::string_view category);

// Resolved problems whose confirm period has ended and that no resident
// has a pending reopen ask on.
Result<std::vector<Id>> stale_resolved(storage::Transaction& tx, int64_t now_ms, int limit);

// Whether a problem shows the upload (as a photo or as evidence).
Result<bool> photo_is_referenced(storage::Transaction& tx, Id shard_id, Id upload_id);

// Commitment links.
Status link_commitment(storage::Transaction& tx, Id shard_id, Id commitment_id, Id request_id,
                       int64_t now_ms);
Result<std::vector<Id>> linked_requests(storage::Transaction& tx, Id shard_id, Id commitment_id);
Result<std::vector<Id>> commitments_of(storage::Transaction& tx, const Problem& p);

// Intake rate limits: counts one more submission for `key` in the window
// starting at or after now - window_ms, and returns the count, in one
// statement (so concurrent submissions cannot both read the old count).
struct RateCount {
  int64_t count = 0;
  int64_t window_start_ms = 0;
};
Result<RateCount> count_submission(storage::Transaction& tx, std::string_view key, int64_t now_ms,
                                   int64_t window_ms);

// Open311 applications.
Status insert_app(storage::Transaction& tx, Id id, std::string_view name, std::string_view key_hash,
                  int64_t now_ms);
Result<std::optional<Id>> app_of_key(storage::Transaction& tx, std::string_view key_hash);

// The member the unit assigns must belong to it (organizations' members).
Result<bool> member_belongs(storage::Transaction& tx, Id shard_id, Id unit_id, Id member_id);
Result<std::optional<std::string>> member_name(storage::Transaction& tx, Id shard_id, Id member_id);

}  // namespace xf::requests::store
