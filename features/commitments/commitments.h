#pragma once
// Public commitments (公开承诺) and bulletins (通报): pure types, validation,
// progress and the result computed from the review sources. No storage;
// the state rules are in commitments_rules.h.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/id.h"
#include "platform/core/result.h"

namespace xf::commitments {

enum class State { draft, submitted, published, closed };
enum class Grade { fulfilled, partly_fulfilled, not_fulfilled };  // also the result
enum class Rating { satisfied, basically_satisfied, dissatisfied };
enum class Source { self, peer, superior };
enum class BulletinStatus { draft, published };

std::string_view status_name(State s);
std::string_view grade_name(Grade g);
std::string_view rating_name(Rating r);
std::string_view source_name(Source s);
std::string_view bulletin_status_name(BulletinStatus s);
std::optional<State> parse_status(std::string_view text);
std::optional<Grade> parse_grade(std::string_view text);
std::optional<Rating> parse_rating(std::string_view text);
std::optional<Source> parse_source(std::string_view text);
std::optional<BulletinStatus> parse_bulletin_status(std::string_view text);

struct Item {
  int no = 0;  // 1-based, stable: progress refers to it
  std::string text;
  double target_value = 0;
  std::string target_unit;
  std::string due_on;  // YYYY-MM-DD
  Id central_task_id = 0;
  Id carrier_id = 0;
  double progress = 0;  // 0–100, from the latest progress update
  std::optional<std::string> completed_on;
};

struct Commitment {
  Id id = 0;
  Id shard_id = 0;
  Id campaign_id = 0;
  Id unit_id = 0;
  std::optional<Id> member_id;  // set: a member's commitment (立足岗位)
  std::string post;             // the member's post when drafted
  std::string title;
  State status = State::draft;
  std::string return_reason;  // the parent's reasons when it last returned it
  std::string vet_comment;    // the parent's comment when it approved it
  int version = 0;            // 0 until published, then 1, 2 … per revision
  std::string due_on;         // the last item's
  double progress = 0;        // the items' average
  std::optional<std::string> completed_on;
  std::optional<Grade> result;
  std::optional<double> result_score;
  Id created_by = 0;
  std::optional<int64_t> submitted_at, published_at, revised_at, closed_at;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  std::vector<Item> items;
  bool is_member() const { return member_id.has_value(); }
};

struct Progress {
  Id id = 0;
  Id shard_id = 0;
  Id commitment_id = 0;
  int item_no = 0;
  std::string on_date;
  std::string text;
  std::optional<double> value;
  std::optional<double> percent;
  std::string author_name;
  int64_t created_at = 0;
  std::vector<Id> evidence_ids;
};

struct Review {
  Source source = Source::self;
  Id reviewer_key = 0;  // 0 for self and superior; the member's id for a peer
  Grade grade = Grade::fulfilled;
  std::string comment;
  std::string reviewer_name;
  int64_t created_at = 0;
};

struct RatingCounts {
  int64_t satisfied = 0;
  int64_t basically_satisfied = 0;
  int64_t dissatisfied = 0;
  int64_t total() const { return satisfied + basically_satisfied + dissatisfied; }
};

// Percentages of the four sources, summing to 100, per campaign.
struct Weights {
  int self = 10;
  int peer = 20;
  int public_ = 40;
  int superior = 30;
};

struct Version {
  int version = 0;
  std::string title;
  std::string items_json;
  std::string reason;
  std::string edited_by;
  int64_t edited_at = 0;
};

// What a secretary or member supplies; validated before use.
struct ItemInput {
  std::string text;
  double target_value = 0;
  std::string target_unit;
  std::string due_on;
  Id central_task_id = 0;
  Id carrier_id = 0;
};
struct CommitmentInput {
  std::string title;
  std::vector<ItemInput> items;
};
struct ProgressInput {
  int item_no = 0;
  std::string on_date;
  std::string text;
  std::optional<double> value;
  std::optional<double> percent;
  std::vector<Id> evidence_ids;
};

inline constexpr size_t kMaxTitle = 100;
inline constexpr size_t kMaxItemText = 500;
inline constexpr size_t kMaxTargetUnit = 20;
inline constexpr size_t kMaxItems = 20;
inline constexpr size_t kMaxText = 2000;
inline constexpr size_t kMaxEvidence = 9;

// Every problem, each naming its field ("items[1].due_on"); empty when valid.
std::vector<FieldError> validate_commitment(const CommitmentInput& in);
std::vector<FieldError> validate_progress(const ProgressInput& in, size_t item_count);
std::vector<FieldError> validate_weights(const Weights& w);
std::vector<FieldError> validate_text(std::string_view field, std::string_view text, bool required);

// The progress (0–100) an update gives its item: the percent, or value over
// the target, capped at 100.
double item_progress(const Progress& update, const Item& item);
// The average of the items' progress.
double commitment_progress(std::span<const Item> items);
// The last due date, and the day every item reached 100 % (nullopt before).
std::string last_due_on(std::span<const Item> items);
std::optional<std::string> completed_on(std::span<const Item> items);
// An item is overdue when its due date has passed (today is later) and it
// is not complete; a commitment when any item is, until it is closed.
bool item_overdue(const Item& item, std::string_view today);
bool overdue(const Commitment& c, std::string_view today);

// Scores on one scale (0–100) so that the sources can be weighed together.
double grade_score(Grade g);
double rating_score(Rating r);
// fulfilled ≥ 80, partly fulfilled ≥ 50, else not fulfilled.
Grade grade_of_score(double score);

// One source's part in the result: its mean score over `count` reviews,
// and the weight it had and the weight it was given after renormalising
// over the sources that have reviews.
struct SourceScore {
  Source source = Source::self;
  bool is_public = false;  // the residents' ratings (not a Source)
  int64_t count = 0;
  std::optional<double> score;
  int weight = 0;
  double effective_weight = 0;
};
struct ResultInputs {
  std::vector<SourceScore> sources;  // self, peer, public, superior
  double score = 0;
  Grade result = Grade::not_fulfilled;
};
// Sources without a review drop out and the others' weights are scaled up
// to 100 %, so a commitment no resident rated is judged on what exists.
ResultInputs compute_result(std::span<const Review> reviews, const RatingCounts& ratings,
                            const Weights& weights);

}  // namespace xf::commitments
