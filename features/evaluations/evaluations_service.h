#pragma once
// The use cases of evaluation rounds. Admin changes: find the round,
// authorize the actor on its owner unit, lock the round, ask the rules,
// validate, change and audit in one transaction (audit::write). Casting is
// the hot path: one transaction for a batch of ballots, tallies updated in
// it, and no audit entry per ballot (README.md says why).
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "features/evaluations/evaluations.h"
#include "features/evaluations/evaluations_rules.h"
#include "features/evaluations/evaluations_store.h"
#include "features/organizations/organizations.h"
#include "platform/auth/auth.h"
#include "platform/core/clock.h"
#include "platform/core/random.h"
#include "platform/storage/database.h"
#include "platform/storage/group_commit.h"

namespace xf::evaluations {

struct RoundView {
  Round round;
  std::string owner_code;
  std::string owner_name;
  std::string campaign_name;
  std::vector<BallotUnit> units;
  int64_t targets = 0;  // graded ones
  std::vector<store::CodeBatch> batches;
};

// The answer to issuing: the only time the plaintext codes exist.
struct IssuedCodes {
  Round round;
  BallotUnit unit;
  ElectorateClass electorate;
  store::CodeBatch batch;
  std::vector<std::string> codes;  // grouped, as printed
};

// What a voter sends: the code and, per target id, one grade code per
// criterion in the round's order.
struct CastRequest {
  std::string code;
  std::map<Id, std::vector<std::string>> grades;
  std::string client;  // the client address, for the wrong-code throttle
};
struct Receipt {
  Id round_id = 0;
  std::string receipt;  // the unit, then SHA-256 of the canonical JSON and the salt (receipt_of)
  std::string salt;     // so the voter can recompute it
  std::string canonical;
};

// What the ballot page shows for a valid, unused code.
struct BallotPage {
  Round round;
  BallotUnit unit;
  ElectorateClass electorate;
  std::vector<Target> targets;  // the graded ones
};

struct TargetFigures {
  Target target;
  Figures overall;
  std::vector<Figures> by_criterion;
  std::optional<store::FinalGrade> final_grade;
  std::optional<store::FollowUp> follow_up;
};
struct UnitResults {
  Round round;
  BallotUnit unit;
  std::vector<store::Turnout> turnout;
  bool grades_visible = false;
  std::vector<TargetFigures> targets;
};

// A part of the tree (a committee's subtree or one field of it).
struct Rollup {
  std::string code;  // unit code, or field code
  std::string name;
  int64_t issued = 0;
  int64_t cast = 0;
  std::optional<Figures> figures;  // absent while grades are not visible
};
// A round on a unit's public page.
struct UnitRound {
  Round round;
  std::string owner_code;
  std::string owner_name;
  bool grades_visible = false;
};

struct RoundResults {
  Round round;
  Rollup total;
  std::vector<Rollup> by_field;
  std::vector<Rollup> by_unit;  // the children of the subtree's root
  bool grades_visible = false;
};

struct FollowUpInput {
  Id member_id = 0;
  std::string plan;
  std::string deadline;
  std::string outcome;
};

// Wrong codes per client address in a fixed window, in memory: a guesser
// is slowed at once; a restart forgets, which costs a guesser nothing
// against 2^84 codes.
class WrongCodeThrottle {
 public:
  static constexpr int64_t kWindowMs = 10 * 60 * 1000;
  static constexpr int64_t kMaxWrong = 10;
  Status check(const std::string& client, int64_t now_ms);
  void record(const std::string& client, int64_t now_ms);

 private:
  struct Window {
    int64_t start_ms = 0;
    int64_t wrong = 0;
  };
  std::mutex mutex_;
  std::unordered_map<std::string, Window> windows_;
};

class EvaluationsService {
 public:
  EvaluationsService(storage::Database& db, const Clock& clock, Random& random)
      : db_(db), clock_(clock), random_(random) {}

  // A committee admin (manage_evaluations on `unit_code`) defines a round
  // over units of its subtree.
  Result<RoundView> create_round(const auth::Actor& actor, std::string_view unit_code,
                                 const RoundInput& input);
  Result<RoundView> update_round(const auth::Actor& actor, Id id, const RoundInput& input);
  Result<RoundView> open_round(const auth::Actor& actor, Id id);
  Result<RoundView> close_round(const auth::Actor& actor, Id id);
  Result<RoundView> publish_round(const auth::Actor& actor, Id id);
  Result<RoundView> admin_round(const auth::Actor& actor, Id id);
  Result<std::vector<RoundView>> admin_rounds(const auth::Actor& actor);

  Result<IssuedCodes> issue_codes(const auth::Actor& actor, Id round_id, std::string_view unit_code,
                                  std::string_view class_code, int64_t count);

  Result<BallotPage> ballot_page(std::string_view code, const std::string& client);
  // One transaction for the whole batch; one result per ballot, in order. A
  // bad or used code fails only its own ballot.
  std::vector<Result<Receipt>> cast(std::span<const CastRequest> ballots);
  // 党员互评: the actor's member account instead of a code.
  Result<Receipt> cast_as_member(const auth::Actor& actor, Id round_id,
                                 const std::map<Id, std::vector<std::string>>& grades);
  Result<BallotPage> member_ballot_page(const auth::Actor& actor, Id round_id);
  // The open member rounds the actor's member account may vote in (its
  // branch takes part); empty for an account linked to no member.
  Result<std::vector<UnitRound>> member_rounds(const auth::Actor& actor);
  // Public: whether a receipt's ballot is counted, with its grades.
  Result<store::StoredBallot> find_receipt(Id round_id, std::string_view receipt);

  // Public: the rounds a unit owns or takes part in (not drafts), newest first.
  Result<std::vector<UnitRound>> public_rounds_of_unit(std::string_view unit_code);
  // Public: participation during the round, grades after it closes.
  Result<RoundResults> public_results(Id round_id);
  Result<UnitResults> public_unit(Id round_id, std::string_view unit_code);
  // Admins of any unit in the round's tree: their subtree, live.
  Result<RoundResults> admin_results(const auth::Actor& actor, Id round_id,
                                     std::string_view unit_code);
  Result<UnitResults> admin_unit(const auth::Actor& actor, Id round_id, std::string_view unit_code);

  Result<UnitResults> set_final_grades(const auth::Actor& actor, Id round_id,
                                       std::string_view unit_code,
                                       std::span<const rules::FinalGradeInput> grades);
  Result<UnitResults> update_follow_up(const auth::Actor& actor, Id round_id,
                                       const FollowUpInput& input);

  // Rebuilds the round's tallies and cast counts from its ballots (the CLI's
  // `tally --recompute`); answers the number of ballots read.
  Result<int64_t> recompute(Id round_id);

 private:
  int64_t now_ms() const { return to_epoch_ms(clock_.now()); }
  Result<UnitResults> unit_results(storage::Transaction& tx, const Round& round,
                                   const BallotUnit& unit, bool grades_visible);
  Result<RoundResults> results(storage::Transaction& tx, const Round& round,
                               const organizations::Unit& root, bool grades_visible);

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  WrongCodeThrottle throttle_;
};

// The hot path: ballots from concurrent requests share one transaction and
// one durable commit (EvaluationsService::cast on the committer's thread).
using BallotCommitter = storage::GroupCommit<CastRequest, Result<Receipt>>;

}  // namespace xf::evaluations
