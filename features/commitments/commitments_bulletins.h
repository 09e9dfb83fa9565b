#pragma once
// Bulletins (通报): a committee's report on its subtree for one campaign and
// a period. The figures are SQL aggregates over the subtree's path range,
// frozen into the bulletin when generated; the admin writes the text around
// them and publishes it (a public page, a printable layout from the same
// JSON, and an XLSX of the figures).
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "features/commitments/commitments.h"
#include "platform/auth/auth.h"
#include "platform/calendar/calendar.h"
#include "platform/core/clock.h"
#include "platform/core/random.h"
#include "platform/storage/database.h"

namespace xf::commitments {

struct UnitScore {
  std::string field, code, name;
  int64_t commitments = 0;
  double score = 0;  // mean of result scores (closed) or progress (open), 0–100
};

struct Figures {
  int64_t branches = 0;  // active branches in the subtree
  int64_t themes_registered = 0, themes_approved = 0;
  int64_t published = 0;     // published within the period
  int64_t public_total = 0;  // public at the period's end
  int64_t on_time = 0;       // completed within the period, on or before the due date
  int64_t overdue = 0;       // public, with an item past due and not done in time
  int64_t fulfilled = 0, partly_fulfilled = 0, not_fulfilled = 0;  // judged within the period
  RatingCounts ratings;                                            // given within the period
  std::vector<UnitScore> best, weakest;                            // per field, three each
};

struct Bulletin {
  Id id = 0;
  Id shard_id = 0;
  Id unit_id = 0;
  std::string unit_code, unit_name;
  Id campaign_id = 0;
  std::string campaign_name;
  std::string period_from, period_to;  // YYYY-MM-DD, both inclusive
  std::string title, intro, closing;
  Figures figures;
  BulletinStatus status = BulletinStatus::draft;
  std::string created_by;
  int64_t generated_at = 0;
  std::optional<int64_t> published_at;
  int64_t created_at = 0, updated_at = 0;
};

struct BulletinInput {
  std::string unit_code;
  Id campaign_id = 0;
  std::string period_from, period_to, title;
};
struct BulletinPatch {
  std::optional<std::string> title, intro, closing;
};

std::string figures_json(const Figures& f);
Figures figures_from_json(std::string_view text);

// The workbook of a bulletin's figures (libxlsxwriter writes to a file).
Status write_bulletin_xlsx(const Bulletin& b, const std::filesystem::path& path);

class BulletinsService {
 public:
  BulletinsService(storage::Database& db, const Clock& clock, Random& random,
                   const calendar::TimeZone& zone)
      : db_(db), clock_(clock), random_(random), zone_(zone) {}

  Result<Bulletin> generate(const auth::Actor& actor, const BulletinInput& in);
  // Drafts only: the figures again, from the data as it is now.
  Result<Bulletin> regenerate(const auth::Actor& actor, Id id);
  Result<Bulletin> update(const auth::Actor& actor, Id id, const BulletinPatch& patch);
  Result<Bulletin> publish(const auth::Actor& actor, Id id);

  Result<Bulletin> admin_bulletin(const auth::Actor& actor, Id id);
  Result<std::vector<Bulletin>> admin_list(const auth::Actor& actor, std::string_view unit_code);
  Result<Bulletin> public_bulletin(Id id);
  Result<std::vector<Bulletin>> public_list(std::string_view unit_code);

 private:
  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  const calendar::TimeZone& zone_;
};

}  // namespace xf::commitments
