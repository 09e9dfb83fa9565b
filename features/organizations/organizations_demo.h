#pragma once
// The demo county: the same realistic county every time (its own seeded
// generator, not the injected Random), loaded in one transaction.
#include <string>

#include "platform/core/clock.h"
#include "platform/core/result.h"
#include "platform/storage/database.h"

namespace xf::organizations {

struct DemoSummary {
  std::string county_code, township_code, branch_code;
  int units = 0, members = 0;
};

// conflict when the database already holds units.
Result<DemoSummary> load_demo(storage::Database& db, const Clock& clock);

}  // namespace xf::organizations
