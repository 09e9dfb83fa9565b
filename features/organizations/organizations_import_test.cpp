#include "features/organizations/organizations_import.h"

#include <gtest/gtest.h>
#include <unicode/ucnv.h>

#include <set>

#include "features/organizations/organizations_test_support.h"

namespace xf::organizations {
namespace {

std::string to_gb18030(std::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  std::string out(utf8.size() * 2 + 16, '\0');
  int32_t n = ucnv_convert("GB18030", "UTF-8", out.data(), static_cast<int32_t>(out.size()),
                           utf8.data(), static_cast<int32_t>(utf8.size()), &status);
  out.resize(static_cast<size_t>(n));
  return out;
}

class ImportTest : public OrganizationsDb {
 protected:
  void SetUp() override {
    OrganizationsDb::SetUp();
    if (IsSkipped()) return;
    build_small_tree();
  }
  Result<ImportReport> units(std::string_view csv, std::string_view parent,
                             const auth::Actor* as = nullptr) {
    return import_units(db(), clock, random, as ? *as : admin, csv, parent);
  }
  Result<ImportReport> members(std::string_view csv, std::string_view unit,
                               const auth::Actor* as = nullptr) {
    return import_members(db(), clock, random, as ? *as : admin, csv, unit);
  }
  int64_t member_total(std::string_view unit) {
    return service().list_members(admin, unit, {"", true, 0, 1})->total;
  }
};
XF_ON_BOTH_DATABASES(ImportTest);

std::set<std::pair<int, std::string>> row_fields(const Error& error) {
  std::set<std::pair<int, std::string>> out;
  for (const auto& f : error.fields) out.insert({f.row.value_or(0), f.field});
  return out;
}

TEST_P(ImportTest, ImportsUnitsWithChineseHeadersAndParentsFromEarlierRows) {
  int64_t before = audit_entries();
  auto report = units(
      "\xEF\xBB\xBF编码,名称,类型,领域,上级编码,联系人,联系电话,地址\n"
      "new-town,中共新镇委员会,党委,农村,,张三,13800001111,\"新镇, 政府大院\n1号\"\n"
      "new-v1,新一村党支部,党支部,rural,new-town,,,\n"
      "new-s1,新华社区党支部,branch,社区,township,,,\n",
      "county");
  ASSERT_TRUE(report.ok()) << report.error().message.en << report.error().detail;
  EXPECT_EQ(report->imported, 3);
  EXPECT_EQ(audit_entries(), before + 1);  // one entry per import
  auto town = service().admin_unit(admin, "new-town");
  ASSERT_TRUE(town.ok());
  EXPECT_EQ(town->node.unit.address, "新镇, 政府大院\n1号");
  EXPECT_EQ(town->node.unit.kind, UnitKind::committee);
  EXPECT_EQ(town->node.child_count, 1);
  auto village = service().admin_unit(admin, "new-v1");
  ASSERT_TRUE(village.ok());
  EXPECT_EQ(village->parent_chain.back().code, "new-town");
  EXPECT_EQ(service().admin_unit(admin, "new-s1")->parent_chain.back().code, "township");
}

TEST_P(ImportTest, ReportsEveryBadRowAndWritesNothing) {
  int64_t before = audit_entries();
  auto report = units(
      "code,name,kind,field,parent_code\n"
      "good-1,好支部,branch,rural,\n"
      "BAD,,church,moon,\n"
      "good-2,好支部二,branch,rural,\n"
      "branch-a,重复,branch,rural,\n"
      "good-3,好支部三,branch,rural,nowhere\n"
      "good-1,文件内重复,branch,rural,\n",
      "township");
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(row_fields(report.error()), (std::set<std::pair<int, std::string>>{{2, "code"},
                                                                               {2, "name"},
                                                                               {2, "kind"},
                                                                               {2, "field"},
                                                                               {4, "code"},
                                                                               {5, "parent_code"},
                                                                               {6, "code"}}));
  EXPECT_FALSE(service().admin_unit(admin, "good-1").ok());
  EXPECT_FALSE(service().admin_unit(admin, "good-2").ok());
  EXPECT_EQ(audit_entries(), before);
}

TEST_P(ImportTest, RefusesAFileWithUnknownOrMissingColumns) {
  auto report = units("编码,名称,颜色\nx1,某支部,红\n", "township");
  ASSERT_FALSE(report.ok());
  std::set<std::string> fields;
  for (const auto& f : report.error().fields) fields.insert(f.field);
  EXPECT_EQ(fields, (std::set<std::string>{"颜色", "kind", "field"}));
}

TEST_P(ImportTest, ImportsAGb18030MemberFile) {
  std::string csv = to_gb18030(
      "姓名,岗位,入党日期,状态,手机号,身份证号\n"
      "李明,网格员,2019-07-01,正式,13800001111,\n"
      "王芳,\"教师,班主任\",2024-03-15,预备,,11010119900101123X\n");
  ASSERT_FALSE(is_valid_utf8(csv));
  auto report = members(csv, "branch-a");
  ASSERT_TRUE(report.ok()) << report.error().message.en << report.error().detail;
  EXPECT_EQ(report->imported, 2);
  auto page = service().list_members(admin, "branch-a", {"王", false, 0, 20});
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].member.post, "教师,班主任");
  EXPECT_EQ(page->items[0].member.status, MemberStatus::probationary);
  EXPECT_EQ(page->items[0].member.id_number, "11010119900101123X");
}

TEST_P(ImportTest, MemberImportIsAllOrNothingWithEveryBadRow) {
  auto report = members(
      "姓名,单位编码,岗位,入党日期,状态,手机号,身份证号\n"
      "李明,branch-a,网格员,2019-07-01,正式,13800001111,\n"
      ",branch-a,网格员,2019-07-01,正式,,\n"
      "王芳,branch-b,教师,not-a-date,预备,,\n"
      "赵六,county,教师,2019-07-01,预备,,\n",
      "township");
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(row_fields(report.error()), (std::set<std::pair<int, std::string>>{
                                            {2, "name"}, {3, "joined_on"}, {4, "unit_code"}}));
  EXPECT_EQ(member_total("township"), 0);
}

TEST_P(ImportTest, ASecretaryImportsOnlyIntoTheirBranch) {
  auto secretary = actor_with(auth::Role::secretary, branch_a.id);
  std::string csv = "姓名,入党日期,状态\n李明,2019-07-01,正式\n";
  EXPECT_EQ(members(csv, "branch-b", &secretary).error().code, ErrorCode::not_found);
  EXPECT_EQ(
      units("编码,名称,类型,领域\nx-1,某支部,branch,rural\n", "branch-a", &secretary).error().code,
      ErrorCode::permission_denied);
  auto ok = members(csv, "branch-a", &secretary);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(member_total("branch-a"), 1);
}

}  // namespace
}  // namespace xf::organizations
