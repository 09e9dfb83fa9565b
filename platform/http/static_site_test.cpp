#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "platform/http/json.h"
#include "platform/http/middleware.h"

namespace xf::http {
namespace {

namespace fs = std::filesystem;

void write_file(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

class StaticSite : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("xf_static_" +
             std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(root_);
    write_file(root_ / "site/index.html", "<!doctype html><title>先锋</title>");
    write_file(root_ / "site/assets/app-1a2b.js", "console.log(1)");
    write_file(root_ / "site/assets/app-1a2b.js.gz", "gzipped bytes");
    write_file(root_ / "site/assets/logo.svg", "<svg/>");
    write_file(root_ / "site/favicon.ico", "ico");
    write_file(root_ / "secret.txt", "outside the root");
    site_ = static_site((root_ / "site").string());
  }
  void TearDown() override { fs::remove_all(root_); }

  Response get(std::string path, std::vector<std::pair<std::string, std::string>> headers = {}) {
    Request request;
    request.path = std::move(path);
    for (auto& [name, value] : headers) request.headers.set(name, value);
    return site_(request);
  }

  fs::path root_;
  Handler site_;
};

TEST_F(StaticSite, ServesFilesWithTheirContentTypes) {
  Response js = get("/assets/app-1a2b.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.headers.get("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js.file_path, (root_ / "site/assets/app-1a2b.js").string());
  EXPECT_EQ(get("/assets/logo.svg").headers.get("content-type"), "image/svg+xml");
  EXPECT_EQ(get("/favicon.ico").headers.get("content-type"), "image/x-icon");
  EXPECT_EQ(get("/").headers.get("content-type"), "text/html; charset=utf-8");
}

TEST_F(StaticSite, HashedAssetsAreImmutableAndTheIndexIsRevalidated) {
  EXPECT_EQ(get("/assets/logo.svg").headers.get("cache-control"),
            "public, max-age=31536000, immutable");
  EXPECT_EQ(get("/").headers.get("cache-control"), "no-cache");
  EXPECT_EQ(get("/u/abc").headers.get("cache-control"), "no-cache");
}

TEST_F(StaticSite, AMatchingIfNoneMatchIsA304) {
  Response first = get("/assets/logo.svg");
  std::string etag(first.headers.get("etag").value());
  EXPECT_EQ(etag.front(), '"');
  Response again = get("/assets/logo.svg", {{"If-None-Match", "\"other\", " + etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_FALSE(again.file_path);
  EXPECT_EQ(get("/assets/logo.svg", {{"If-None-Match", "\"other\""}}).status, 200);
}

TEST_F(StaticSite, ServesTheGzipSiblingWhenTheClientAcceptsIt) {
  Response gz = get("/assets/app-1a2b.js", {{"Accept-Encoding", "br, gzip;q=0.8"}});
  EXPECT_EQ(gz.file_path, (root_ / "site/assets/app-1a2b.js.gz").string());
  EXPECT_EQ(gz.headers.get("content-encoding"), "gzip");
  EXPECT_EQ(gz.headers.get("vary"), "Accept-Encoding");
  EXPECT_EQ(gz.headers.get("content-type"), "text/javascript; charset=utf-8");

  Response plain = get("/assets/app-1a2b.js", {{"Accept-Encoding", "gzip;q=0"}});
  EXPECT_EQ(plain.file_path, (root_ / "site/assets/app-1a2b.js").string());
  EXPECT_EQ(plain.headers.get("content-encoding"), std::nullopt);
  EXPECT_EQ(plain.headers.get("vary"), "Accept-Encoding");
  EXPECT_NE(plain.headers.get("etag"), gz.headers.get("etag"));
}

TEST_F(StaticSite, ClientSideRoutesGetTheIndexButMissingFilesA404) {
  Response route = get("/u/abc");
  EXPECT_EQ(route.status, 200);
  EXPECT_EQ(route.file_path, (root_ / "site/index.html").string());
  EXPECT_EQ(get("/assets/missing-9f9f.js").status, 404);
  Response api = get("/api/v1/nothing");
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(Json::parse(api.body)["error"]["code"], "not_found");
}

TEST_F(StaticSite, NeverLeavesTheRoot) {
  for (std::string path : {"/../secret.txt", "/assets/../../secret.txt", "/..", "/./index.html",
                           "/assets\\..\\..\\secret.txt"}) {
    Response response = get(path);
    EXPECT_EQ(response.status, 404) << path;
    EXPECT_FALSE(response.file_path) << path;
  }
}

}  // namespace
}  // namespace xf::http
