#pragma once
// CSV imports of units and members: UTF-8 (with or without BOM) or GB18030,
// RFC 4180 quoting, Chinese or English headers, all rows or none.
#include <string>
#include <string_view>
#include <vector>

#include "platform/auth/auth.h"
#include "platform/core/clock.h"
#include "platform/core/random.h"
#include "platform/core/result.h"
#include "platform/storage/database.h"

namespace xf::organizations {

struct ImportReport {
  int imported = 0;
};

// The file's bytes as UTF-8: valid UTF-8 (a BOM is dropped) is taken as it
// is, anything else is read as GB18030, which Excel on Chinese Windows writes.
Result<std::string> decode_csv_bytes(std::string_view bytes);

// RFC 4180: fields separated by commas, quoted with '"' ("" inside quotes is
// a quote), quoted fields may hold commas and line breaks; CRLF or LF.
// invalid_argument naming the row of an unterminated quote.
Result<std::vector<std::vector<std::string>>> parse_csv(std::string_view text);

// Units go below `parent_code` (rows may name another parent inside its
// subtree, including one earlier in the file); "" lets a system admin
// import top-level units. Every bad row is reported, as {row, field, message}
// with row counted from 1 at the first data row; nothing is written then.
Result<ImportReport> import_units(storage::Database& db, const Clock& clock, Random& random,
                                  const auth::Actor& actor, std::string_view bytes,
                                  std::string_view parent_code);
// Members go into `unit_code`, or into the unit a row's 单位编码/unit_code
// names inside its subtree.
Result<ImportReport> import_members(storage::Database& db, const Clock& clock, Random& random,
                                    const auth::Actor& actor, std::string_view bytes,
                                    std::string_view unit_code);

}  // namespace xf::organizations
