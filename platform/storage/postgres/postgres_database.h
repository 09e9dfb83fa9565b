#pragma once
#include <memory>
#include <string>

#include "platform/storage/database.h"

namespace xf::storage {

// Opens a pool of `options.pool_size` libpq connections to `url` (a libpq
// connection URI). One connection is made now, so a wrong URL or an
// unreachable server is reported at once; the others on first use.
Result<std::unique_ptr<Database>> open_postgres(const std::string& url,
                                                const DatabaseOptions& options);

}  // namespace xf::storage
