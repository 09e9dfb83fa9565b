#pragma once
// Residents' problems: the use cases. Each change: find the problem, decide
// who the caller is to it (reporter, handling unit, committee, anyone),
// check the state machine (requests.h), validate, then write the change,
// its timeline event and its audit entry in one transaction; the UPDATE is
// conditional on the state and version that were read, so of concurrent
// changes exactly one wins and the others get conflict.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "features/organizations/organizations.h"
#include "features/requests/requests.h"
#include "features/requests/requests_ports.h"
#include "features/requests/requests_store.h"
#include "platform/auth/auth.h"
#include "platform/core/clock.h"
#include "platform/core/random.h"
#include "platform/storage/database.h"

namespace xf::requests {

// Who calls a public route: a session's actor (or none), the client's
// address (for rate limits) and the tracking token an anonymous reporter
// holds (for confirm and reopen).
struct Caller {
  const auth::Actor* actor = nullptr;
  std::string address;
  std::optional<std::string> token;
};

struct RateLimits {
  int64_t window_ms = 60 * 60 * 1000;
  int64_t per_address = 10;          // anonymous reports per client address
  int64_t per_account = 20;          // reports per account
  int64_t per_app = 600;             // Open311 reports per registered application
  int64_t updates_per_address = 30;  // public updates and reopen asks
};

struct Submitted {
  Problem problem;
  std::optional<std::string> tracking_token;  // anonymous reports only; shown once
  std::string open311_token;                  // finds the id (GeoReport tokens/{token})
};

struct ProblemView {
  Problem problem;
  organizations::Unit unit;           // handling it
  organizations::Unit reported_unit;  // where it was reported
  Category category;
  std::vector<store::Event> timeline;
  std::vector<store::ReopenAsk> reopen_asks;
  std::vector<Id> commitments;
  std::optional<std::string> assigned_member_name;
};

struct Page {
  std::vector<store::ListRow> items;
  int64_t total = 0;
};

// Filters a resident or an admin may set on a list.
struct ListQuery {
  std::vector<State> states;
  std::optional<std::string> category;
  std::optional<int64_t> from_ms, to_ms;
  bool subtree = true;
  bool overdue_only = false;
  int64_t offset = 0;
  int64_t limit = 20;
};

// Figures of a set of problems.
struct Figures {
  int64_t total = 0;
  int64_t open = 0;
  int64_t fixed = 0;      // resolved, confirmed, closed unconfirmed
  int64_t not_fixed = 0;  // referred elsewhere, duplicate, cannot solve
  int64_t overdue_now = 0;
  int64_t responded_late = 0;
  int64_t resolved_late = 0;
  std::optional<int64_t> median_response_ms;    // submitted → accepted
  std::optional<int64_t> median_resolution_ms;  // submitted → resolved
  int64_t graded = 0;
  int64_t satisfied = 0;  // 满意 or 基本满意
  std::optional<double> satisfaction_rate;
};
struct GroupFigures {
  std::string key;  // unit code or category code
  std::string name;
  Figures figures;
};
struct CommitteeFigures {
  organizations::Unit unit;
  Figures total;
  std::vector<GroupFigures> by_unit;  // the unit itself, then each child's subtree
  std::vector<GroupFigures> by_category;
};

struct RuleView {
  std::string category;
  organizations::Unit target;
};

// May a commitment be closed as fulfilled? Not while a linked problem is
// open (features/commitments asks this before it closes one).
struct FulfilmentCheck {
  bool may_fulfil = true;
  std::vector<Id> open_requests;
};

class RequestsService {
 public:
  RequestsService(storage::Database& db, const Clock& clock, Random& random,
                  WorkingDays& working_days, PhotoUploads& uploads, RateLimits limits = {})
      : db_(db),
        clock_(clock),
        random_(random),
        working_days_(working_days),
        uploads_(uploads),
        limits_(limits) {}

  // Categories: those of a unit's field (what the report form offers), or all.
  Result<std::vector<Category>> categories_for_unit(std::string_view unit_code);
  Result<std::vector<Category>> categories(bool active_only);
  Result<Category> category(std::string_view code);
  // Admin edits (configure_requests on a top-level unit).
  Result<Category> create_category(const auth::Actor& actor, const Category& c);
  Result<Category> update_category(const auth::Actor& actor, const Category& c);

  // Intake. source "web" or "open311" (with the app's id).
  Result<Submitted> submit(const Caller& caller, const IntakeInput& input,
                           std::string_view source = "web", std::optional<Id> app_id = {});
  // Open problems of the category reported at the unit (duplicate hints).
  Result<std::vector<store::ListRow>> similar_open(std::string_view unit_code,
                                                   std::string_view category);

  // Public reads.
  Result<ProblemView> problem(Id id);
  Result<Id> problem_of_tracking_token(std::string_view token);
  Result<Id> problem_of_open311_token(std::string_view token);
  Result<Page> unit_problems(std::string_view unit_code, const ListQuery& query);
  Result<Figures> unit_figures(std::string_view unit_code);
  Result<Page> list(const store::ListFilter& filter);

  // Public changes.
  Status add_update(const Caller& caller, Id id, std::string_view text);
  Result<Problem> confirm(const Caller& caller, Id id, Grade grade);
  Result<Problem> reopen(const Caller& caller, Id id, std::string_view reason);
  Status ask_reopen(const Caller& caller, Id id, std::string_view reason);

  // Admin reads.
  Result<Page> queue(const auth::Actor& actor, std::string_view unit_code, const ListQuery& query);
  Result<ProblemView> admin_problem(const auth::Actor& actor, Id id);
  Result<CommitteeFigures> figures(const auth::Actor& actor, std::string_view unit_code,
                                   std::optional<int64_t> from_ms, std::optional<int64_t> to_ms);

  // The handling unit's steps.
  Result<Problem> accept(const auth::Actor& actor, Id id, Id member_id);
  Result<Problem> start(const auth::Actor& actor, Id id);
  Result<Problem> resolve(const auth::Actor& actor, Id id, std::string_view resolution,
                          const std::vector<Id>& evidence_ids);
  Result<Problem> refer_up(const auth::Actor& actor, Id id, std::string_view reason);
  // step: close_referred, close_duplicate (duplicate_of required) or close_unsolvable.
  Result<Problem> close(const auth::Actor& actor, Id id, Step step, std::string_view reason,
                        std::optional<Id> duplicate_of);
  // Answers every pending reopen ask: reopen (grant_reopen_ask) or decline.
  Result<Problem> answer_reopen_asks(const auth::Actor& actor, Id id, bool reopen,
                                     std::string_view reason);
  // A committee's step: to a unit of its subtree.
  Result<Problem> reassign(const auth::Actor& actor, Id id, std::string_view unit_code);

  // Routing rules of a committee.
  Result<std::vector<RuleView>> rules(const auth::Actor& actor, std::string_view committee_code);
  Status put_rule(const auth::Actor& actor, std::string_view committee_code,
                  std::string_view category, std::string_view target_code);
  Status delete_rule(const auth::Actor& actor, std::string_view committee_code,
                     std::string_view category);

  // 为群众办实事: link problems to a commitment (handle_requests on each).
  Status link_commitment(const auth::Actor& actor, Id commitment_id, std::string_view unit_code,
                         const std::vector<Id>& request_ids);
  Result<FulfilmentCheck> may_fulfil(std::string_view unit_code, Id commitment_id);
  Result<std::vector<store::ListRow>> commitment_requests(std::string_view unit_code,
                                                          Id commitment_id);

  // Resolved problems whose confirm period is over close as
  // closed_unconfirmed. Called by `xianfeng requests close-stale` and
  // lazily before every read of a list or a problem. Returns how many.
  Result<int> close_stale(int limit = 500);

  // Open311 applications: the api_key is returned once, stored hashed.
  Result<std::string> register_app(const auth::Actor& actor, std::string_view name);
  Result<Id> app_of_key(std::string_view api_key);

 private:
  Result<organizations::Unit> unit_by_code(storage::Transaction& tx, std::string_view code);
  Result<organizations::Unit> unit_by_id(storage::Transaction& tx, Id id);
  Result<Problem> load(storage::Transaction& tx, Id id);
  // The change of one step by the handling unit: authorize, rule, apply.
  template <typename Change>
  Result<Problem> unit_step(const auth::Actor& actor, Id id, Step step, auth::Action action,
                            Change&& change);
  Result<Problem> reporter_step(const Caller& caller, Id id, Step step, std::string_view body,
                                std::optional<Grade> grade);
  Result<bool> is_reporter(storage::Transaction& tx, const Caller& caller, const Problem& p);
  Status rate_limit(storage::Transaction& tx, std::string key, int64_t limit, int64_t now_ms);
  Result<ProblemView> view(storage::Transaction& tx, Problem p);
  Result<Problem> expire(Id id);

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  WorkingDays& working_days_;
  PhotoUploads& uploads_;
  RateLimits limits_;
};

// Figures of a set of rows at `now_ms` (pure; tested alone).
Figures figures_of(const std::vector<const store::FigureRow*>& rows, int64_t now_ms);

}  // namespace xf::requests
