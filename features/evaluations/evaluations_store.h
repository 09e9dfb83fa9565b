#pragma once
// The SQL of evaluation rounds. Every function runs inside the caller's
// transaction; authorization and validation happen in the service before.
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "features/evaluations/evaluations.h"
#include "platform/storage/database.h"

namespace xf::evaluations::store {

Status insert_round(storage::Transaction& tx, const Round& round);
Status update_round(storage::Transaction& tx, const Round& round);
Result<std::optional<Round>> find_round(storage::Transaction& tx, Id id);
// Takes the round's row lock (a no-op UPDATE … RETURNING) and reads it
// again, so a state change and a configuration change cannot interleave.
Result<std::optional<Round>> lock_round(storage::Transaction& tx, const Round& round);
// Every round, newest first (an installation holds few).
Result<std::vector<Round>> all_rounds(storage::Transaction& tx);
// Rounds past their draft that the unit owns or takes part in, newest
// opening first.
Result<std::vector<Round>> rounds_of_unit(storage::Transaction& tx, Id unit_id, int limit);

// Replaces the round's ballot units and targets (a draft's configuration).
Status replace_targets(storage::Transaction& tx, const Round& round,
                       std::span<const BallotUnit> units, std::span<const Target> targets);
Result<std::vector<BallotUnit>> units(storage::Transaction& tx, const Round& round);
Result<std::optional<BallotUnit>> find_unit(storage::Transaction& tx, const Round& round,
                                            Id unit_id);
// Targets of one ballot unit, or of the whole round when unit_id is nullopt.
Result<std::vector<Target>> targets(storage::Transaction& tx, const Round& round,
                                    std::optional<Id> unit_id);
// Targets of many ballot units in one statement, by unit.
Result<std::map<Id, std::vector<Target>>> targets_of_units(storage::Transaction& tx,
                                                           const Round& round,
                                                           std::span<const Id> unit_ids);

// ---- Codes ---------------------------------------------------------------

struct CodeBatch {
  Id id = 0;
  Id shard_id = 0;
  Id round_id = 0;
  Id unit_id = 0;
  std::string class_code;
  int64_t codes = 0;
  int64_t created_at = 0;
};
// The batch row and one row per code hash, many rows per statement.
Status insert_batch(storage::Transaction& tx, const CodeBatch& batch,
                    std::span<const std::string> hashes);
Result<std::vector<CodeBatch>> batches(storage::Transaction& tx, const Round& round);
// The batch a code hash was issued in; nullopt for a code never issued.
Result<std::optional<CodeBatch>> batch_of_code(storage::Transaction& tx, std::string_view hash);
// The same for many hashes in one statement (casting a batch): hashes never
// issued are absent from the answer.
Result<std::map<std::string, CodeBatch>> batches_of_codes(storage::Transaction& tx,
                                                          std::span<const std::string> hashes);

// ---- Ballots ---------------------------------------------------------------

// Whether the code already has a ballot.
Result<bool> code_used(storage::Transaction& tx, const CodeBatch& batch, std::string_view hash);

struct StoredBallot {
  Id shard_id = 0;
  Id round_id = 0;
  Id unit_id = 0;
  std::string class_code;
  std::optional<std::string> code_hash;  // nullopt for a member's ballot
  std::string receipt;
  std::string content;  // canonical JSON
};
// Code ballots of a batch, in multi-row statements; answers the code hashes
// whose ballot was written. A code that already has a ballot is left out
// (the UNIQUE constraint said so), and nothing of its ballot is written.
// The hashes must be distinct.
Result<std::set<std::string>> insert_code_ballots(storage::Transaction& tx,
                                                  std::span<const StoredBallot> ballots);
// One ballot (a member's); false when its code already has a ballot.
Result<bool> insert_ballot(storage::Transaction& tx, const StoredBallot& ballot);
// false when the member already voted in the round.
Result<bool> insert_voter(storage::Transaction& tx, const Round& round, Id member_id);
Result<bool> has_voted(storage::Transaction& tx, const Round& round, Id member_id);
Result<std::optional<StoredBallot>> find_by_receipt(storage::Transaction& tx, const Round& round,
                                                    std::string_view receipt);
// Ballots in receipt order after `after_receipt` ("" for the first page),
// at most `limit` (recompute pages).
Result<std::vector<StoredBallot>> ballots_after(storage::Transaction& tx, const Round& round,
                                                std::string_view after_receipt, int limit);

// ---- Tallies -------------------------------------------------------------

// votes += count for every cell, many cells per upsert statement.
Status add_tallies(storage::Transaction& tx, const Round& round, const TallyCounts& counts);
struct TurnoutKey {
  Id unit_id = 0;
  std::string class_code;
  auto operator<=>(const TurnoutKey&) const = default;
};
// Every cell of the round (recompute's comparison, tests).
Result<TallyCounts> tallies(storage::Transaction& tx, const Round& round);
// Votes of the targets of one ballot unit, summed over criteria when
// `by_criterion` is false (criterion is then 0).
Result<TallyCounts> unit_tallies(storage::Transaction& tx, const Round& round, Id unit_id,
                                 bool by_criterion);
// Sets every tally to what `counts` says and the cast counts to `cast`
// (recompute): deletes the round's cells, writes the new ones.
Status replace_tallies(storage::Transaction& tx, const Round& round, const TallyCounts& counts,
                       const std::map<TurnoutKey, int64_t>& cast);

struct Turnout {
  Id unit_id = 0;
  std::string class_code;
  int64_t issued = 0;
  int64_t cast = 0;
};
// issued += issued, cast_ballots += cast per (unit, class), many per upsert
// statement; the (unit, class) pairs must be distinct.
Status add_turnout(storage::Transaction& tx, const Round& round, std::span<const Turnout> rows);
// Of one ballot unit, or of the whole round when unit_id is nullopt.
Result<std::vector<Turnout>> turnout(storage::Transaction& tx, const Round& round,
                                     std::optional<Id> unit_id);

// Figures of a subtree (units whose path is in [from, to)), by field.
struct FieldVotes {
  std::string field;
  int grade = 0;
  std::string class_code;
  int64_t votes = 0;
};
Result<std::vector<FieldVotes>> subtree_votes(storage::Transaction& tx, const Round& round,
                                              std::string_view from, std::string_view to);
struct FieldTurnout {
  std::string field;
  std::string class_code;
  int64_t issued = 0;
  int64_t cast = 0;
};
Result<std::vector<FieldTurnout>> subtree_turnout(storage::Transaction& tx, const Round& round,
                                                  std::string_view from, std::string_view to);

// ---- Final grades and follow-ups --------------------------------------------

struct FinalGrade {
  Id target_id = 0;
  int grade = 0;
  std::optional<int> vote_grade;
  std::string reason;
  std::string set_by;
  int64_t set_at = 0;
};
Status upsert_final_grade(storage::Transaction& tx, const Round& round, const FinalGrade& grade);
Result<std::vector<FinalGrade>> final_grades(storage::Transaction& tx, const Round& round);

struct FollowUp {
  Id target_id = 0;
  std::string plan;
  std::string deadline;  // YYYY-MM-DD or ""
  std::string outcome;
  int64_t updated_at = 0;
};
// Opens an empty follow-up unless the target already has one.
Status open_follow_up(storage::Transaction& tx, const Round& round, Id target_id, int64_t now_ms);
Status update_follow_up(storage::Transaction& tx, const Round& round, const FollowUp& follow_up);
Result<std::vector<FollowUp>> follow_ups(storage::Transaction& tx, const Round& round);

}  // namespace xf::evaluations::store
