#pragma once
// Public evaluation rounds (群众评议 of units, 民主评议 of members): the
// round's configuration, grade scales as data, ballot codes with their check
// character, ballots in canonical form and the weighted figures of a tally.
// Pure types and functions, no storage; the state rules are in
// evaluations_rules.h.
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/id.h"
#include "platform/core/random.h"
#include "platform/core/result.h"

namespace xf::evaluations {

enum class RoundKind { unit, member };  // units graded by the public, members by peers and public
enum class RoundState { draft, open, closed, published };

std::string_view kind_name(RoundKind kind);
std::string_view state_name(RoundState state);
std::optional<RoundKind> parse_kind(std::string_view text);
std::optional<RoundState> parse_state(std::string_view text);

// One step of a grade scale, best first. `score` feeds the weighted score
// (0–100); `satisfied` counts it in the satisfaction rate; `follow_up`
// opens a follow-up record when it is a member's final grade.
struct Grade {
  std::string code;
  std::string name;
  std::string name_en;
  int score = 0;
  bool satisfied = false;
  bool follow_up = false;
};
// 满意/基本满意/不满意 for units; 优秀/合格/基本合格/不合格 for members.
std::vector<Grade> default_scale(RoundKind kind);

// Who votes and how much their class weighs (percent; all sum to 100).
// The class `members` of a member round votes with member accounts, every
// other class with ballot codes.
struct ElectorateClass {
  std::string code;
  std::string name;
  int weight = 0;
};
inline constexpr std::string_view kMemberClass = "members";

struct CriterionRef {
  std::string name;
  std::string name_en;
};

// 优秀 may be at most numerator/denominator of a branch's full members.
struct Cap {
  int numerator = 1;
  int denominator = 3;
  int64_t allowed(int64_t graded) const { return graded * numerator / denominator; }
};

struct Round {
  Id id = 0;
  Id shard_id = 0;
  Id campaign_id = 0;
  Id owner_unit_id = 0;  // the committee that defined it; its subtree holds the targets
  RoundKind kind = RoundKind::unit;
  std::string name;
  std::string field;  // "" = targets of every field
  std::vector<CriterionRef> criteria;
  std::vector<Grade> grades;
  std::vector<ElectorateClass> classes;
  Cap cap;
  int64_t opens_at = 0;
  int64_t closes_at = 0;
  RoundState state = RoundState::draft;
  int64_t created_at = 0;
  int64_t updated_at = 0;

  const ElectorateClass* find_class(std::string_view code) const;
  std::optional<int> grade_index(std::string_view code) const;
  // Casting is possible: open, and now inside [opens_at, closes_at).
  bool accepts_ballots(int64_t now_ms) const;
};

// A unit whose voters cast ballots in the round (the graded unit itself, or
// for a member round the branch whose members are graded).
struct BallotUnit {
  Id unit_id = 0;
  std::string code;
  std::string name;
  std::string field;
  std::string path;
};

// Who is graded: a unit (target id = unit id) or a member.
struct Target {
  Id id = 0;
  Id unit_id = 0;  // the ballot unit it belongs to
  std::string name;
  bool graded = true;  // false for probationary members: they vote, are not graded
};

// What an admin supplies for a round; validated by validate_round_input().
struct RoundInput {
  Id campaign_id = 0;
  std::string kind;
  std::string name;
  std::string field;
  std::vector<std::string> target_units;  // unit codes; or
  std::string subtree;                    // every branch below this unit (of `field` if set)
  std::vector<Grade> grades;              // empty: the default scale of the kind
  std::vector<ElectorateClass> classes;
  std::optional<Cap> cap;
  int64_t opens_at = 0;
  int64_t closes_at = 0;
};
inline constexpr size_t kMaxName = 100;
inline constexpr size_t kMaxReason = 1000;
std::vector<FieldError> validate_round_input(const RoundInput& in);

// ---- Ballot codes --------------------------------------------------------

// Crockford's base32 without Z (easily read as 2): 31 symbols, a prime, so
// that the check below works modulo the alphabet's size.
inline constexpr std::string_view kCodeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXY";
inline constexpr size_t kCodeDataChars = 17;  // 17 × log2(31) ≈ 84.2 random bits
inline constexpr size_t kCodeChars = kCodeDataChars + 1;
inline constexpr size_t kCodeGroup = 6;  // printed as XXXXXX-XXXXXX-XXXXXX

// The check symbol c makes Σ i·v_i ≡ 0 (mod 31) over positions i = 1…18
// (c last). Weights are distinct and non-zero mod 31, so one wrong symbol
// changes the sum by i·Δ ≢ 0 and swapping neighbours by v_i − v_{i+1} ≢ 0.
char check_symbol(std::string_view data);
// A new code from `random`: 17 uniform symbols and the check, grouped.
std::string new_code(Random& random);
// Upper case, without spaces and dashes, O read as 0 and I, L as 1.
std::string normalise_code(std::string_view typed);
// Right length, alphabet and check symbol (after normalise_code).
bool well_formed(std::string_view normalised);
std::string grouped(std::string_view normalised);
// What is stored: the first 128 bits of SHA-256 of the normalised code, in
// hex. The code's own 84 bits bound a guess, not the hash's length.
std::string code_hash(std::string_view normalised);

// ---- Ballots and tallies -------------------------------------------------

// The grades of one ballot: for each target (by id, ascending), one grade
// index per criterion, in the round's criterion order.
struct Ballot {
  Id round_id = 0;
  Id unit_id = 0;
  std::string class_code;
  std::map<Id, std::vector<int>> grades;
};
// The bytes a receipt hashes: compact JSON with sorted keys.
std::string canonical_json(const Ballot& ballot);
Result<Ballot> parse_canonical(std::string_view json);
// 64 lowercase hex digits: the ballot's unit id (16), then the first 48 of
// the SHA-256 of the canonical JSON followed by the salt's hex. The unit
// leads so that a unit's receipts sit together in the receipt key: a
// village voting fills a few index pages, where a bare hash dirtied one
// random page of a many-million-entry index per ballot (bench/ballots: 78 %
// of the pages a commit wrote). It says nothing the ballot does not (its
// JSON names the unit), and it keeps the length and alphabet of the bare
// hash the receipts had before, so stored receipts and the column fit.
std::string receipt_of(Id unit_id, std::string_view canonical, std::string_view salt_hex);

// One tally cell: votes for one target × criterion × grade × class.
struct TallyKey {
  Id target_id = 0;
  int criterion = 0;
  int grade = 0;
  std::string class_code;
  auto operator<=>(const TallyKey&) const = default;
};
using TallyCounts = std::map<TallyKey, int64_t>;
// Adds one ballot's votes.
void count_ballot(const Ballot& ballot, TallyCounts& into);

// Votes per grade, per electorate class.
using ClassVotes = std::map<std::string, std::vector<int64_t>>;
struct Figures {
  int64_t votes = 0;                 // grade marks counted (ballots × criteria)
  double score = 0;                  // weighted mean of grade scores, 0–100
  double satisfaction = 0;           // weighted share of `satisfied` grades, 0–1
  std::vector<double> share;         // weighted share of each grade
  std::optional<int> leading_grade;  // the grade with the largest weighted share
};
// Each class's own mean, then weighted by the classes' weights; a class
// without votes drops out and the others' weights are scaled up to 100.
Figures weigh(const Round& round, const ClassVotes& votes);

}  // namespace xf::evaluations
