#pragma once
// What auth needs to know of the organisation tree, without depending on
// the feature that owns it: features/organizations implements this and
// app/main.cpp hands it to auth's services.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/id.h"
#include "platform/core/result.h"
#include "platform/storage/database.h"

namespace xf::auth {

struct UnitRef {
  Id id = 0;
  std::string code;
  std::string name;
  Id shard_id = 0;
  std::vector<Id> ancestry;  // root first, ending with id itself
};

class UnitDirectory {
 public:
  virtual ~UnitDirectory() = default;
  // not_found when there is no such unit.
  virtual Result<UnitRef> find_by_code(storage::Transaction& tx, std::string_view code) = 0;
  virtual Result<UnitRef> find_by_id(storage::Transaction& tx, Id id) = 0;
};

}  // namespace xf::auth
