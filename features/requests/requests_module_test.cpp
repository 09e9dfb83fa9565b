// The module with the real platform services: deadlines from the working-day
// calendar (across the 2026 National Day holiday and its make-up working
// day), and photos that must be uploads for problems, public once a problem
// shows them.
#include "features/requests/requests_module.h"

#include <gtest/gtest.h>
#include <vips/vips.h>

#include "features/organizations/organizations_store.h"
#include "features/requests/requests_test_support.h"
#include "features/requests/requests_time.h"
#include "platform/testing/temp_dir.h"

namespace xf::requests {
namespace {

std::string small_png() {
  VipsImage* black = nullptr;
  EXPECT_EQ(vips_black(&black, 8, 8, "bands", 3, nullptr), 0);
  void* buffer = nullptr;
  size_t length = 0;
  EXPECT_EQ(vips_pngsave_buffer(black, &buffer, &length, nullptr), 0);
  g_object_unref(black);
  std::string bytes(static_cast<char*>(buffer), length);
  g_free(buffer);
  return bytes;
}

class ModuleTest : public RequestsDb {
 protected:
  std::vector<storage::Migration> migrations() const override {
    return xf::testing::all_of(
        {audit::audit_migrations(), organizations::organizations_migrations(),
         uploads::uploads_migrations(), calendar::calendar_migrations(), requests_migrations()});
  }

  void SetUp() override {
    RequestsDb::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto zone = calendar::TimeZone::named("Asia/Shanghai");
    ASSERT_TRUE(zone.ok());
    calendar_ = std::make_unique<calendar::CalendarModule>(db(), clock, *zone);
    ASSERT_TRUE(calendar_->load_official_days().ok());
    uploads::UploadsConfig config;
    config.root_dir = files_.path();
    uploads_ = std::make_unique<uploads::UploadsModule>(db(), clock, random, directory_, config);
    module_ = std::make_unique<RequestsModule>(db(), clock, random, *calendar_, *uploads_);
    ASSERT_TRUE(module_->register_upload_purposes().ok());
  }

  xf::testing::TempDir files_;
  organizations::store::UnitDirectory directory_;
  std::unique_ptr<calendar::CalendarModule> calendar_;
  std::unique_ptr<uploads::UploadsModule> uploads_;
  std::unique_ptr<RequestsModule> module_;
};
XF_ON_BOTH_DATABASES(ModuleTest);

TEST_P(ModuleTest, DeadlinesCountWorkingDaysAcrossNationalDay) {
  // Wednesday 30 September 2026, 10:00 in China; 1–7 October are holidays,
  // Saturday 10 October is a make-up working day.
  clock.set(from_epoch_ms(*parse_w3c_datetime("2026-09-30T10:00:00+08:00")));
  auto done = module_->service().submit({nullptr, "10.0.0.1", {}}, report());
  ASSERT_TRUE(done.ok()) << done.error().message.en;
  // 2 working days: Thursday 8 and Friday 9 October.
  EXPECT_EQ(format_w3c_china(done->problem.respond_due_at), "2026-10-09T10:00:00+08:00");
  // 15 working days: 8, 9, 10 (make-up), 12–16, 19–23, 26, 27 October.
  EXPECT_EQ(format_w3c_china(done->problem.resolve_due_at), "2026-10-27T10:00:00+08:00");
}

TEST_P(ModuleTest, PhotosAreUploadsForProblemsAndBecomePublicWithTheProblem) {
  auto photo = uploads_->service().upload(
      nullptr, {"branch-a", std::string(kPhotoPurpose), "路灯.png", small_png(), "10.0.0.5"});
  ASSERT_TRUE(photo.ok()) << photo.error().message.en;
  // Not public while no problem shows it.
  EXPECT_FALSE(uploads_->service().download(nullptr, photo->id, false).ok());

  auto in = report();
  in.photo_ids = {photo->id, 424242};
  auto refused = module_->service().submit({nullptr, "10.0.0.1", {}}, in);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().fields.front().field, "photo_ids");

  in.photo_ids = {photo->id};
  auto done = module_->service().submit({nullptr, "10.0.0.1", {}}, in);
  ASSERT_TRUE(done.ok()) << done.error().message.en;
  EXPECT_EQ(done->problem.photo_ids, std::vector<Id>{photo->id});
  EXPECT_TRUE(uploads_->service().download(nullptr, photo->id, false).ok());
}

}  // namespace
}  // namespace xf::requests
