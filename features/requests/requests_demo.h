#pragma once
// The demo county's problems: about 2000, over the past six months, in
// every state, with their timelines — the same every time (a seeded
// generator of its own, not the injected Random), loaded in one transaction.
#include <string_view>

#include "features/requests/requests_ports.h"
#include "platform/core/clock.h"
#include "platform/core/result.h"
#include "platform/storage/database.h"

namespace xf::requests {

struct DemoRequests {
  int problems = 0;
};

// conflict when the county already has problems.
Result<DemoRequests> load_demo(storage::Database& db, const Clock& clock, WorkingDays& working_days,
                               std::string_view county_code);

}  // namespace xf::requests
