#pragma once
// The audit trail over HTTP:
//   GET /api/v1/audit        public: the heads of the chains and the daily
//                            heads of the last 90 days, for anyone to keep
//                            and compare later;
//   GET /api/v1/admin/audit  entries for system admins, and for org admins
//                            and auditors within their subtrees.
// A separate target (xf_audit_routes) because it needs auth, and auth
// itself writes audit entries.
#include "platform/auth/unit_directory.h"
#include "platform/core/clock.h"
#include "platform/http/http.h"
#include "platform/storage/database.h"

namespace xf::audit {

void register_audit_routes(http::Router& router, storage::Database& db,
                           auth::UnitDirectory& directory, const Clock& clock);

}  // namespace xf::audit
