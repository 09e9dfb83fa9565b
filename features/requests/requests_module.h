#pragma once
// Residents' problems as app/main.cpp sees them: the routes (JSON and
// Open311), the CLI verbs (close-stale, register an Open311 application)
// and the demo loader. The module adapts platform/calendar and
// platform/uploads to the two small interfaces the service uses
// (requests_ports.h) and registers the upload purposes it accepts.
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "features/requests/requests_demo.h"
#include "features/requests/requests_service.h"
#include "platform/calendar/calendar_module.h"
#include "platform/core/clock.h"
#include "platform/core/random.h"
#include "platform/http/http.h"
#include "platform/storage/database.h"
#include "platform/storage/migrations.h"
#include "platform/uploads/uploads_module.h"

namespace xf::requests {

// Defined by the embedded migrations (cmake xf_migrations).
std::span<const storage::Migration> requests_migrations();

// Upload purposes: a resident's photos of a problem (anyone may upload) and
// the unit's evidence of its resolution (handle_requests on the unit). Both
// become public once a problem refers to them.
inline constexpr std::string_view kPhotoPurpose = "request_photo";
inline constexpr std::string_view kEvidencePurpose = "request_evidence";

class RequestsModule {
 public:
  RequestsModule(storage::Database& db, const Clock& clock, Random& random,
                 calendar::CalendarModule& calendar, uploads::UploadsModule& uploads);
  ~RequestsModule();

  // Before the server serves: the upload purposes.
  Status register_upload_purposes();
  void register_routes(http::Router& router);

  // `xianfeng requests close-stale`: returns how many closed.
  Result<int> close_stale();
  // `xianfeng requests register-app NAME`: the api_key, shown once.
  Result<std::string> register_app(std::string_view name);
  // The demo county's problems (after the organisations demo).
  Result<DemoRequests> load_demo(std::string_view county_code);

  RequestsService& service() { return *service_; }

 private:
  class CalendarDays;
  class UploadedPhotos;

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  uploads::UploadsModule& uploads_;
  std::unique_ptr<CalendarDays> working_days_;
  std::unique_ptr<UploadedPhotos> photos_;
  std::unique_ptr<RequestsService> service_;
};

}  // namespace xf::requests
