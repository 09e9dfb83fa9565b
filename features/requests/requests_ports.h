#pragma once
// What requests needs from two platform services, as small interfaces so
// that the service does not depend on how they are stored:
// - the working-day calendar (platform/calendar) for the time limits;
// - the photo store (platform/uploads) to check that a photo id is an upload
//   for this purpose.
// requests_module.cpp adapts the platform's implementations to these.
#include <cstdint>

#include "platform/core/id.h"
#include "platform/core/result.h"
#include "platform/storage/database.h"

namespace xf::requests {

class WorkingDays {
 public:
  virtual ~WorkingDays() = default;
  // The instant `days` working days after `from_ms` (the deadline of a
  // time limit that starts at from_ms).
  virtual Result<int64_t> add_working_days(storage::Transaction& tx, int64_t from_ms, int days) = 0;
};

class PhotoUploads {
 public:
  virtual ~PhotoUploads() = default;
  // ok when `upload_id` is a finished upload for request photos (purpose
  // "request_photo"); invalid_argument naming `field` otherwise.
  virtual Status check(storage::Transaction& tx, Id upload_id, std::string_view field) = 0;
};

}  // namespace xf::requests
