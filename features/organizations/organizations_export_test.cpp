#include "features/organizations/organizations_export.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "features/organizations/organizations_test_support.h"

namespace xf::organizations {
namespace {

std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  pclose(pipe);
  return out;
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class ExportTest : public OrganizationsDb {
 protected:
  void SetUp() override {
    OrganizationsDb::SetUp();
    if (IsSkipped()) return;
    build_small_tree();
    add_member("branch-a", "李明", "13812341234");
    add_member("branch-b", "王芳", "13999998888");
    path_ = ::testing::TempDir() + "export-" + std::to_string(getpid()) + ".xlsx";
  }
  void TearDown() override {
    std::remove(path_.c_str());
    OrganizationsDb::TearDown();
  }
  // The text of every cell (shared strings) of the written workbook.
  std::string cells() { return run("unzip -p '" + path_ + "' xl/sharedStrings.xml"); }
  std::string path_;
};
XF_ON_BOTH_DATABASES(ExportTest);

TEST_P(ExportTest, WritesARealXlsxWorkbookOfTheSubtree) {
  ASSERT_TRUE(export_units_xlsx(db(), admin, "township", path_).ok());
  std::string bytes = read_all(path_);
  ASSERT_GT(bytes.size(), 4u);
  EXPECT_EQ(bytes.substr(0, 4), std::string("PK\x03\x04", 4));
  EXPECT_NE(run("unzip -l '" + path_ + "'").find("xl/worksheets/sheet1.xml"), std::string::npos);
  std::string text = cells();
  for (auto expected : {"编码", "上级编码", "township", "branch-a", "branch-b", "甲村党支部"})
    EXPECT_NE(text.find(expected), std::string::npos) << expected;
  EXPECT_EQ(text.find("中共测试县委员会"), std::string::npos);  // above the subtree
}

TEST_P(ExportTest, ShowsWholePhonesOnlyToTheRegisterKeepers) {
  ASSERT_TRUE(
      export_members_xlsx(db(), actor_with(auth::Role::org_admin, township.id), "township", path_)
          .ok());
  std::string text = cells();
  EXPECT_NE(text.find("13812341234"), std::string::npos);
  EXPECT_NE(text.find("王芳"), std::string::npos);

  auto secretary = actor_with(auth::Role::secretary, branch_a.id);
  ASSERT_TRUE(export_members_xlsx(db(), secretary, "branch-a", path_).ok());
  text = cells();
  EXPECT_NE(text.find("138****1234"), std::string::npos);
  EXPECT_EQ(text.find("13812341234"), std::string::npos);
  EXPECT_EQ(text.find("王芳"), std::string::npos);  // another branch
  EXPECT_EQ(export_members_xlsx(db(), secretary, "branch-b", path_).error().code,
            ErrorCode::not_found);
}

}  // namespace
}  // namespace xf::organizations
