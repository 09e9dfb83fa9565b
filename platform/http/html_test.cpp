#include "platform/http/html.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace xf::http {
namespace {

namespace fs = std::filesystem;

TEST(HtmlEscape, EscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(html_escape("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
  EXPECT_EQ(html_escape("党支部"), "党支部");
}

class AppPageTest : public ::testing::Test {
 protected:
  fs::path root = fs::temp_directory_path() / ("xf-app-page-" + std::to_string(::getpid()));
  void SetUp() override { fs::create_directories(root); }
  void TearDown() override { fs::remove_all(root); }
};

TEST_F(AppPageTest, PutsTheContentInsideTheAppElementAndEscapesTheTitle) {
  std::ofstream(root / "index.html")
      << "<html><head><title>先锋</title><script type=\"module\" src=\"/a.js\"></script></head>"
         "<body>\n    <div id=\"app\"></div>\n  </body></html>";
  Request request;
  Response page = app_page(root.string(), request, "A & B", "<main>board</main>");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.headers.get("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(page.headers.get("cache-control"), "no-cache");
  EXPECT_NE(page.body.find("<title>A &amp; B</title>"), std::string::npos);
  EXPECT_NE(page.body.find("<div id=\"app\"><main>board</main></div>"), std::string::npos);
  EXPECT_NE(page.body.find("<script type=\"module\" src=\"/a.js\">"), std::string::npos);
}

TEST_F(AppPageTest, IsNotFoundWithoutABuiltWebApp) {
  Request request;
  EXPECT_EQ(app_page((root / "missing").string(), request, "t", "x").status, 404);
}

}  // namespace
}  // namespace xf::http
