#include <gtest/gtest.h>
#include <vips/vips.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "platform/audit/audit.h"
#include "platform/auth/session_service.h"
#include "platform/testing/databases.h"
#include "platform/testing/fakes.h"
#include "platform/uploads/uploads_module.h"

namespace xf::uploads {
namespace {

// county(1) ─┬ branch-a(11)
//            └ branch-b(12)
class FakeDirectory final : public auth::UnitDirectory {
 public:
  FakeDirectory() {
    units_ = {{1, "county", "县委", 1, {1}},
              {11, "branch-a", "甲支部", 1, {1, 11}},
              {12, "branch-b", "乙支部", 1, {1, 12}}};
  }
  Result<auth::UnitRef> find_by_code(storage::Transaction&, std::string_view code) override {
    for (const auto& u : units_)
      if (u.code == code) return u;
    return Error::not_found({"未找到该单位", "Unit not found"});
  }
  Result<auth::UnitRef> find_by_id(storage::Transaction&, Id id) override {
    for (const auto& u : units_)
      if (u.id == id) return u;
    return Error::not_found({"未找到该单位", "Unit not found"});
  }

 private:
  std::vector<auth::UnitRef> units_;
};

auth::Actor actor_with(Id account, auth::Role role, Id unit_id) {
  auth::Actor actor;
  actor.account_id = account;
  actor.username = "user" + std::to_string(account);
  actor.grants.push_back({account, role, unit_id});
  return actor;
}

// A width×height grey image in `kind`, with a GPS position in its EXIF
// when `with_gps` (JPEG only).
std::string make_image(FileKind kind, int width, int height, bool with_gps = false) {
  VipsImage* black = nullptr;
  EXPECT_EQ(vips_black(&black, width, height, "bands", 3, nullptr), 0);
  VipsImage* grey = nullptr;
  EXPECT_EQ(vips_linear1(black, &grey, 1.0, 128.0, "uchar", TRUE, nullptr), 0);
  g_object_unref(black);
  if (with_gps) {
    vips_image_set_string(grey, "exif-ifd3-GPSLatitudeRef", "N");
    vips_image_set_string(grey, "exif-ifd3-GPSLatitude", "39/1 54/1 2670/100");
  }
  void* buffer = nullptr;
  size_t length = 0;
  int rc = kind == FileKind::png    ? vips_pngsave_buffer(grey, &buffer, &length, nullptr)
           : kind == FileKind::webp ? vips_webpsave_buffer(grey, &buffer, &length, nullptr)
                                    : vips_jpegsave_buffer(grey, &buffer, &length, nullptr);
  EXPECT_EQ(rc, 0) << vips_error_buffer();
  g_object_unref(grey);
  std::string bytes(static_cast<char*>(buffer), length);
  g_free(buffer);
  return bytes;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

class UploadsTest : public xf::testing::BothDatabases {
 protected:
  std::vector<storage::Migration> migrations() const override {
    return xf::testing::all_of({audit::audit_migrations(), uploads_migrations()});
  }
  void SetUp() override {
    BothDatabases::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    VIPS_INIT("uploads-test");
    config.root_dir = files_dir.path() / "uploads";
    config.max_file_bytes = 64 * 1024;
    config.unit_quota_bytes = 200 * 1024;
    config.anonymous_per_hour = 3;
    rebuild();
  }
  void rebuild() {
    module = std::make_unique<UploadsModule>(db(), clock, random, directory, config);
    ASSERT_TRUE(module->register_purpose({"evidence", auth::Action::edit_unit, nullptr}).ok());
    ASSERT_TRUE(module
                    ->register_purpose({"request_photo", std::nullopt,
                                        [this](storage::Transaction&, const UploadRef&) {
                                          return Result<bool>(photos_public);
                                        }})
                    .ok());
    router = http::Router();
    module->register_routes(router);
  }

  Result<UploadRef> upload(const auth::Actor* actor, std::string unit, std::string purpose,
                           std::string name, std::string bytes, std::string address = "10.0.0.1") {
    return module->service().upload(actor, {unit, purpose, name, bytes, address});
  }

  // Every regular file under the uploads folder, relative names.
  std::set<std::string> stored_files() {
    std::set<std::string> names;
    if (!std::filesystem::exists(config.root_dir)) return names;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(config.root_dir))
      if (entry.is_regular_file())
        names.insert(std::filesystem::relative(entry.path(), config.root_dir).string());
    return names;
  }
  int64_t rows() {
    auto tx = db().begin(storage::Access::read);
    auto row = (*tx)->query_one("SELECT COUNT(*) FROM uploads");
    return (*row)->int64(0);
  }
  int64_t audit_entries() {
    auto result = audit::verify(db());
    EXPECT_TRUE(result.ok() && result->ok);
    return result->entries;
  }

  http::Response get(const std::string& path, const auth::Actor* actor,
                     std::string if_none_match = "") {
    http::Request req;
    req.method = http::Method::GET;
    req.path = path;
    if (!if_none_match.empty()) req.headers.set("if-none-match", if_none_match);
    if (actor) req.context[auth::kSessionKey] = auth::SessionContext{*actor, "csrf"};
    auto match = router.match(http::Method::GET, path);
    EXPECT_NE(match.handler, nullptr);
    req.path_params = match.params;
    return (*match.handler)(req);
  }

  xf::testing::TempDir files_dir;
  xf::testing::FakeClock clock;
  xf::testing::FakeRandom random{11};
  FakeDirectory directory;
  UploadsConfig config;
  std::unique_ptr<UploadsModule> module;
  http::Router router;
  bool photos_public = false;
  auth::Actor secretary_a = actor_with(21, auth::Role::secretary, 11);
  auth::Actor county_admin = actor_with(22, auth::Role::org_admin, 1);
};
XF_ON_BOTH_DATABASES(UploadsTest);

TEST_P(UploadsTest, APngNamedPdfIsStoredAsAPng) {
  auto stored =
      upload(&secretary_a, "branch-a", "evidence", "report.pdf", make_image(FileKind::png, 40, 30));
  ASSERT_TRUE(stored.ok()) << stored.error().message.en;
  EXPECT_EQ(stored->content_type, "image/png");
  EXPECT_EQ(stored->filename, "report.pdf");
  EXPECT_EQ(stored->width, 40);
  EXPECT_EQ(stored->height, 30);
  EXPECT_EQ(stored->sha256.size(), 64u);
  EXPECT_EQ(rows(), 1);
  EXPECT_EQ(audit_entries(), 1);
}

TEST_P(UploadsTest, TextNamedJpgIsRefusedOnFieldFileAndLeavesNothing) {
  auto before = stored_files();
  auto refused = upload(&secretary_a, "branch-a", "evidence", "photo.jpg", "just some text");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_argument);
  ASSERT_EQ(refused.error().fields.size(), 1u);
  EXPECT_EQ(refused.error().fields[0].field, "file");
  EXPECT_FALSE(refused.error().fields[0].message.zh.empty());
  EXPECT_FALSE(refused.error().fields[0].message.en.empty());
  EXPECT_EQ(stored_files(), before);
  EXPECT_EQ(rows(), 0);
}

TEST_P(UploadsTest, ADamagedJpegIsRefused) {
  auto jpeg = make_image(FileKind::jpeg, 64, 64);
  auto refused = upload(&secretary_a, "branch-a", "evidence", "cut.jpg", jpeg.substr(0, 200));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().fields.at(0).field, "file");
  EXPECT_TRUE(stored_files().empty());
}

TEST_P(UploadsTest, AFileOverTheSizeLimitIsRefused) {
  std::string pdf = "%PDF-1.4\n" + std::string(config.max_file_bytes, 'x');
  auto refused = upload(&secretary_a, "branch-a", "evidence", "big.pdf", pdf);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().fields.at(0).field, "file");
  EXPECT_NE(refused.error().fields[0].message.en.find("MiB"), std::string::npos);
  EXPECT_TRUE(stored_files().empty());
  EXPECT_TRUE(upload(&secretary_a, "branch-a", "evidence", "ok.pdf", pdf.substr(0, 1000)).ok());
}

TEST_P(UploadsTest, TheUnitQuotaRefusesTheFileThatWouldPassItAndLeavesNothing) {
  std::string pdf = "%PDF-1.4\n" + std::string(60 * 1024, 'x');
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(upload(&secretary_a, "branch-a", "evidence", "p.pdf", pdf).ok());
  auto before = stored_files();
  auto refused = upload(&secretary_a, "branch-a", "evidence", "p.pdf", pdf);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::conflict);
  EXPECT_EQ(stored_files(), before);
  EXPECT_EQ(rows(), 3);
  // Another unit has its own quota.
  EXPECT_TRUE(upload(&county_admin, "branch-b", "evidence", "p.pdf", pdf).ok());
}

TEST_P(UploadsTest, ImagesGetA320PixelThumbnailAndLoseTheirGpsPosition) {
  auto jpeg = make_image(FileKind::jpeg, 800, 600, true);
  ASSERT_NE(jpeg.find("Exif"), std::string::npos);  // the test image does carry EXIF
  auto stored = upload(&secretary_a, "branch-a", "evidence", "site.jpg", jpeg);
  ASSERT_TRUE(stored.ok()) << stored.error().message.en << stored.error().detail;
  EXPECT_TRUE(stored->has_thumbnail);
  auto download = module->service().download(&secretary_a, stored->id, true);
  ASSERT_TRUE(download.ok());
  VipsImage* thumb = vips_image_new_from_file(download->path.c_str(), nullptr);
  ASSERT_NE(thumb, nullptr);
  EXPECT_EQ(vips_image_get_width(thumb), 320);
  EXPECT_EQ(vips_image_get_height(thumb), 240);
  g_object_unref(thumb);
  auto original = module->service().download(&secretary_a, stored->id, false);
  ASSERT_TRUE(original.ok());
  auto kept = read_file(original->path);
  EXPECT_EQ(kept.find("Exif"), std::string::npos);
  EXPECT_EQ(kept.find("GPS"), std::string::npos);
  EXPECT_EQ(read_file(download->path).find("Exif"), std::string::npos);
}

TEST_P(UploadsTest, PdfsHaveNoThumbnail) {
  auto stored = upload(&secretary_a, "branch-a", "evidence", "plan.pdf", "%PDF-1.4\n%%EOF\n");
  ASSERT_TRUE(stored.ok());
  EXPECT_FALSE(stored->has_thumbnail);
  EXPECT_FALSE(stored->width.has_value());
  EXPECT_EQ(get("/api/v1/uploads/" + id_to_string(stored->id) + "/thumbnail", &secretary_a).status,
            404);
}

TEST_P(UploadsTest, ASecretaryCannotUploadToAnotherBranch) {
  auto refused = upload(&secretary_a, "branch-b", "evidence", "x.pdf", "%PDF-1.4\n");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::not_found);
  auto anonymous = upload(nullptr, "branch-a", "evidence", "x.pdf", "%PDF-1.4\n");
  ASSERT_FALSE(anonymous.ok());
  EXPECT_EQ(anonymous.error().code, ErrorCode::unauthenticated);
  auto unknown = upload(&secretary_a, "branch-a", "selfies", "x.pdf", "%PDF-1.4\n");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().fields.at(0).field, "purpose");
  EXPECT_EQ(rows(), 0);
}

TEST_P(UploadsTest, AnonymousUploadsAreLimitedPerAddressPerHour) {
  auto png = make_image(FileKind::png, 8, 8);
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(upload(nullptr, "branch-a", "request_photo", "p.png", png).ok());
  auto limited = upload(nullptr, "branch-a", "request_photo", "p.png", png);
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(limited.error().code, ErrorCode::rate_limited);
  EXPECT_EQ(limited.error().retry_after_seconds, 3600);
  EXPECT_TRUE(upload(nullptr, "branch-a", "request_photo", "p.png", png, "10.0.0.2").ok());
  clock.advance(std::chrono::minutes(61));
  EXPECT_TRUE(upload(nullptr, "branch-a", "request_photo", "p.png", png).ok());
}

TEST_P(UploadsTest, DownloadsAreSeenByTheUnitsAdminsAndByAllOnlyWhenTheFeatureSaysPublic) {
  auto stored = upload(nullptr, "branch-a", "request_photo", "问题照片.png",
                       make_image(FileKind::png, 50, 50));
  ASSERT_TRUE(stored.ok());
  auto url = "/api/v1/uploads/" + id_to_string(stored->id);
  auto outsider = actor_with(30, auth::Role::secretary, 12);
  EXPECT_EQ(get(url, nullptr).status, 404);
  EXPECT_EQ(get(url, &outsider).status, 404);

  auto seen = get(url, &county_admin);
  EXPECT_EQ(seen.status, 200);
  EXPECT_EQ(seen.headers.get("content-type"), "image/png");
  EXPECT_EQ(seen.headers.get("x-content-type-options"), "nosniff");
  EXPECT_EQ(seen.headers.get("cache-control"), "private, no-cache");
  EXPECT_EQ(seen.headers.get("content-disposition"),
            "inline; filename=\"____.png\"; "
            "filename*=UTF-8''%E9%97%AE%E9%A2%98%E7%85%A7%E7%89%87.png");
  auto etag = std::string(*seen.headers.get("etag"));
  EXPECT_EQ(etag, "\"" + stored->sha256 + "\"");
  EXPECT_EQ(get(url, &county_admin, etag).status, 304);

  photos_public = true;
  auto open = get(url, nullptr);
  EXPECT_EQ(open.status, 200);
  EXPECT_EQ(open.headers.get("cache-control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(read_file(*open.file_path), read_file(*seen.file_path));
}

TEST_P(UploadsTest, PdfsDownloadAsAttachments) {
  auto stored = upload(&secretary_a, "branch-a", "evidence", "方案.pdf", "%PDF-1.4\n%%EOF\n");
  ASSERT_TRUE(stored.ok());
  auto r = get("/api/v1/uploads/" + id_to_string(stored->id), &secretary_a);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.get("content-type"), "application/pdf");
  EXPECT_EQ(r.headers.get("content-disposition")->substr(0, 11), "attachment;");
}

TEST_P(UploadsTest, APurposeIsRegisteredOnce) {
  auto again = module->register_purpose({"evidence", auth::Action::edit_unit, nullptr});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::conflict);
}

}  // namespace
}  // namespace xf::uploads
