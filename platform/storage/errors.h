#pragma once
// Errors shared by the two backends, so that a service sees the same Error
// whichever database it runs on. Internal to platform/storage.
#include <string>
#include <string_view>

#include "platform/core/result.h"

namespace xf::storage {

// Error.detail of a UNIQUE / PRIMARY KEY violation starts with this, on both
// backends; is_unique_violation() looks for it.
inline constexpr std::string_view unique_violation_prefix = "unique_violation: ";

// A UNIQUE or PRIMARY KEY constraint refused the row.
Error unique_violation_error(std::string_view detail);
// Another constraint (foreign key, CHECK, NOT NULL) refused the row.
Error constraint_error(std::string_view detail);

}  // namespace xf::storage
