#include "features/requests/requests_module.h"

#include "features/organizations/organizations_service.h"
#include "features/requests/requests_open311.h"
#include "features/requests/requests_routes.h"
#include "platform/calendar/calendar.h"

namespace xf::requests {

// Deadlines fall at the same time of day, `days` working days after the
// date (in the installation's time zone) on which the time limit started.
class RequestsModule::CalendarDays final : public WorkingDays {
 public:
  explicit CalendarDays(calendar::CalendarModule& calendar) : calendar_(calendar) {}
  Result<int64_t> add_working_days(storage::Transaction& tx, int64_t from_ms, int days) override {
    calendar::Date start = calendar_.zone().date_of(from_epoch_ms(from_ms));
    XF_TRY(calendar::Date due, calendar::Calendar::add_working_days(tx, start, days));
    return from_ms + (due - start).count() * 24LL * 60 * 60 * 1000;
  }

 private:
  calendar::CalendarModule& calendar_;
};

class RequestsModule::UploadedPhotos final : public PhotoUploads {
 public:
  explicit UploadedPhotos(uploads::UploadsModule& uploads) : uploads_(uploads) {}
  Status check(storage::Transaction& tx, Id upload_id, std::string_view field) override {
    auto found = uploads_.find(tx, upload_id);
    bool photo =
        found.ok() && (found->purpose == kPhotoPurpose || found->purpose == kEvidencePurpose);
    if (!found.ok() && found.error().code != ErrorCode::not_found) return std::move(found).error();
    if (!photo)
      return Error::invalid(std::string(field),
                            {"照片 " + id_to_string(upload_id) + " 不存在或不是问题照片",
                             "Photo " + id_to_string(upload_id) + " is not a problem photo"});
    return {};
  }

 private:
  uploads::UploadsModule& uploads_;
};

RequestsModule::RequestsModule(storage::Database& db, const Clock& clock, Random& random,
                               calendar::CalendarModule& calendar, uploads::UploadsModule& uploads)
    : db_(db),
      clock_(clock),
      random_(random),
      uploads_(uploads),
      working_days_(std::make_unique<CalendarDays>(calendar)),
      photos_(std::make_unique<UploadedPhotos>(uploads)),
      service_(std::make_unique<RequestsService>(db, clock, random, *working_days_, *photos_)) {}

RequestsModule::~RequestsModule() = default;

Status RequestsModule::register_upload_purposes() {
  // A photo is public once a problem shows it (problems are public).
  auto referenced = [](storage::Transaction& tx, const uploads::UploadRef& upload) {
    return store::photo_is_referenced(tx, upload.shard_id, upload.id);
  };
  XF_CHECK(uploads_.register_purpose({std::string(kPhotoPurpose), std::nullopt, referenced}));
  return uploads_.register_purpose(
      {std::string(kEvidencePurpose), auth::Action::handle_requests, referenced});
}

void RequestsModule::register_routes(http::Router& router) {
  register_public_routes(router, *service_, clock_);
  register_admin_routes(router, *service_, clock_);
  register_open311_routes(router, *service_, db_, clock_);
}

Result<int> RequestsModule::close_stale() {
  return service_->close_stale(100000);
}

Result<std::string> RequestsModule::register_app(std::string_view name) {
  return service_->register_app(organizations::system_actor(), name);
}

Result<DemoRequests> RequestsModule::load_demo(std::string_view county_code) {
  return requests::load_demo(db_, clock_, *working_days_, county_code);
}

}  // namespace xf::requests
