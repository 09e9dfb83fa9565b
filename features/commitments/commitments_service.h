#pragma once
// The use cases of public commitments. Every change: find the commitment,
// authorize the actor on its unit (or, for a member's commitment, check that
// it is theirs), lock it and its campaign, ask the rules, validate, change
// and audit in one transaction (audit::write). Reads answer not_found for
// anything outside the actor's reach; the public reads show only published
// and closed commitments.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "features/commitments/commitments.h"
#include "features/commitments/commitments_board_cache.h"
#include "features/commitments/commitments_store.h"
#include "platform/auth/auth.h"
#include "platform/calendar/calendar.h"
#include "platform/core/clock.h"
#include "platform/core/random.h"
#include "platform/storage/database.h"

namespace xf::commitments {

// The platform/uploads purpose of evidence files (CommitmentsModule registers it).
inline constexpr std::string_view kEvidencePurpose = "commitment_evidence";

// Evidence files are platform/uploads files; the module adapts the uploads
// store to this, so the service needs no file system.
class EvidenceFiles {
 public:
  virtual ~EvidenceFiles() = default;
  // ok when `upload_id` is a commitment_evidence upload of the unit;
  // invalid_argument naming `field` otherwise.
  virtual Status check(storage::Transaction& tx, Id upload_id, Id unit_id,
                       std::string_view field) = 0;
};

// Residents' problems linked to a commitment (为群众办实事) live in
// features/requests, which keeps the link table; app/ wires its answer here
// so that this feature does not depend on that one.
class LinkedProblems {
 public:
  virtual ~LinkedProblems() = default;
  // How many problems linked to the commitment are still open.
  virtual Result<int64_t> open_count(std::string_view unit_code, Id commitment_id) = 0;
};

struct UnitBrief {
  Id id = 0;
  std::string code;
  std::string name;
  std::string field;
};

// A commitment with everything its pages show.
struct CommitmentView {
  Commitment commitment;
  UnitBrief unit;
  std::string member_name;  // "" for a unit's commitment
  std::string campaign_name;
  std::vector<Progress> progress;  // newest first
  std::vector<Review> reviews;
  RatingCounts ratings;
  std::vector<store::PublicComment> rating_comments;  // newest, at most 20
  std::vector<Version> versions;
  Weights weights;
  ResultInputs result_inputs;  // the result as it would be now (or as it was at closing)
  std::string today;
  bool overdue = false;
  // campaign task and carrier names by id, for the items
  std::vector<std::pair<Id, std::string>> task_names, carrier_names;
};

struct ListQuery {
  std::string unit_code;
  bool subtree = false;
  std::optional<Id> campaign_id;
  std::optional<State> status;
  bool overdue_only = false;
  bool mine = false;  // a member's own commitments
  int64_t page = 1;
  int64_t page_size = 20;
};
struct ListView {
  std::vector<store::ListRow> items;
  int64_t total = 0;
  std::string today;
};

// The public board (公开承诺栏) of a unit.
struct BoardCommitment {
  store::ListRow row;
  RatingCounts ratings;
  std::vector<store::EvidenceRef> evidence;  // the newest few
  bool overdue = false;
};
struct BoardTheme {
  std::string title, reason;
  std::vector<std::string> central_tasks, carriers;
};
struct BoardPlan {
  Id id = 0;
  std::string title;
  std::string status;  // consultation or adopted
  std::optional<int64_t> closes_at, adopted_at;
  int64_t comments = 0, adopted = 0, partly_adopted = 0, not_adopted = 0;
};
struct Board {
  UnitBrief unit;
  std::optional<Id> campaign_id;
  std::string campaign_name;
  std::optional<BoardTheme> theme;
  std::optional<BoardPlan> plan;
  std::vector<BoardCommitment> commitments;
  std::string today;
};

// Who rates on the public board: a resident with an account, or a browser
// known by the random token it keeps (stored hashed); the client address is
// counted for the rate limit only.
struct Rater {
  const auth::Actor* actor = nullptr;
  std::string browser_token;
  std::string client_address;
};

class CommitmentsService {
 public:
  // Ratings per client address in a fixed window: a family shares an
  // address, a flood does not get through.
  static constexpr int64_t kRatingWindowMs = 60 * 60 * 1000;
  static constexpr int64_t kRatingsPerWindow = 30;
  static constexpr int kBoardEvidence = 3;

  CommitmentsService(storage::Database& db, const Clock& clock, Random& random,
                     const calendar::TimeZone& zone)
      : db_(db), clock_(clock), random_(random), zone_(zone), board_cache_(clock, kBoardTtl) {}
  void set_evidence_files(EvidenceFiles* files) { evidence_ = files; }
  void set_linked_problems(LinkedProblems* problems) { problems_ = problems; }

  // 提诺. A unit's commitment: manage_commitments on `unit_code`. A member's
  // (member = true): the actor's own member record, at its unit and post.
  Result<CommitmentView> create(const auth::Actor& actor, Id campaign_id,
                                std::string_view unit_code, bool member,
                                const CommitmentInput& input);
  Result<CommitmentView> update_draft(const auth::Actor& actor, Id id,
                                      const CommitmentInput& input);
  Result<CommitmentView> submit(const auth::Actor& actor, Id id);
  // 审诺 by the parent (a member's: by its branch).
  Result<CommitmentView> approve(const auth::Actor& actor, Id id, std::string_view comment);
  Result<CommitmentView> return_to_draft(const auth::Actor& actor, Id id, std::string_view reason);
  // After publication: a new public version, with its reason.
  Result<CommitmentView> revise(const auth::Actor& actor, Id id, const CommitmentInput& input,
                                std::string_view reason);
  // 践诺.
  Result<CommitmentView> report_progress(const auth::Actor& actor, Id id, const ProgressInput& in);
  // 评诺.
  Result<CommitmentView> review(const auth::Actor& actor, Id id, Source source, Grade grade,
                                std::string_view comment);
  Status rate(const Rater& rater, Id id, Rating rating, std::string_view comment);
  // The result, from the reviews and ratings with the campaign's weights.
  Result<CommitmentView> close(const auth::Actor& actor, Id id);

  Result<CommitmentView> admin_commitment(const auth::Actor& actor, Id id);
  Result<ListView> admin_list(const auth::Actor& actor, const ListQuery& query);
  Result<CommitmentView> public_commitment(Id id);
  Result<Board> board(std::string_view unit_code);

  // Public: every result is shown with the weights it was computed with.
  Result<Weights> weights(Id campaign_id);
  Result<Weights> set_weights(const auth::Actor& actor, Id campaign_id, const Weights& weights);

  std::string today() const;

  // The public board's answers, kept per unit (see commitments_board_cache.h).
  BoardCache& board_cache() { return board_cache_; }
  static constexpr std::chrono::seconds kBoardTtl{10};

 private:
  // Answers a write with the commitment as it now is, and forgets its unit's
  // board so that the public sees the change at once.
  Result<CommitmentView> after_change(const auth::Actor& actor, Id id);

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  const calendar::TimeZone& zone_;
  EvidenceFiles* evidence_ = nullptr;
  LinkedProblems* problems_ = nullptr;
  BoardCache board_cache_;
};

}  // namespace xf::commitments
