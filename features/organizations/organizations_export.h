#pragma once
// XLSX exports (libxlsxwriter) of a subtree's units and members, with
// Chinese headers, for officials who live in Excel.
#include <string>
#include <string_view>

#include "platform/auth/auth.h"
#include "platform/core/result.h"
#include "platform/storage/database.h"

namespace xf::organizations {

// `root_code` "" exports every unit (system admins only). The actor needs
// view_unit_admin on the root.
Status export_units_xlsx(storage::Database& db, const auth::Actor& actor,
                         std::string_view root_code, const std::string& file_path);
// Phone numbers are complete only for a system admin or an org_admin over
// the root (they keep the registers); everyone else gets them masked. ID
// numbers are always masked: no export needs them whole.
Status export_members_xlsx(storage::Database& db, const auth::Actor& actor,
                           std::string_view root_code, const std::string& file_path);

}  // namespace xf::organizations
