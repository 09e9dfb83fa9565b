#pragma once
#include <memory>
#include <string>

#include "platform/storage/database.h"

namespace xf::storage {

// Opens (creating if missing) the SQLite file at `path`: one write
// connection and `options.pool_size` read connections, in WAL mode with
// synchronous=FULL and foreign keys on.
Result<std::unique_ptr<Database>> open_sqlite(const std::string& path,
                                              const DatabaseOptions& options);

}  // namespace xf::storage
