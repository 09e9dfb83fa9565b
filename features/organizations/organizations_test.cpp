#include "features/organizations/organizations.h"

#include <gtest/gtest.h>
#include <unicode/ucnv.h>

#include "features/organizations/organizations_import.h"
#include "features/organizations/organizations_qr.h"

namespace xf::organizations {
namespace {

std::vector<std::string> fields_of(const std::vector<FieldError>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.field);
  return out;
}

std::string to_gb18030(std::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  std::string out(utf8.size() * 2 + 16, '\0');
  int32_t n = ucnv_convert("GB18030", "UTF-8", out.data(), static_cast<int32_t>(out.size()),
                           utf8.data(), static_cast<int32_t>(utf8.size()), &status);
  EXPECT_FALSE(U_FAILURE(status));
  out.resize(static_cast<size_t>(n));
  return out;
}

TEST(UnitCode, AcceptsLowerCaseDigitsAndHyphensOfTwoToFortyCharacters) {
  EXPECT_FALSE(check_code("qh"));
  EXPECT_FALSE(check_code("qh-chengguan-v01"));
  EXPECT_FALSE(check_code(std::string(40, 'a')));
  EXPECT_TRUE(check_code("q"));
  EXPECT_TRUE(check_code(std::string(41, 'a')));
  EXPECT_TRUE(check_code("BAD"));
  EXPECT_TRUE(check_code("bad code"));
  EXPECT_TRUE(check_code("路"));
  EXPECT_TRUE(check_code("a/b"));
}

TEST(ValidateUnit, ReportsEveryBadField) {
  UnitInput in{"BAD CODE", "", "church", "", "", "phone?", std::string(201, 'x')};
  EXPECT_EQ(fields_of(validate_unit(in)), (std::vector<std::string>{"code", "name", "kind", "field",
                                                                    "contact_phone", "address"}));
  UnitInput good{"ok-1", std::string(100 * 3, '\0'), "党支部", "rural", "张三", "0311-1234567", ""};
  good.name.clear();
  for (int i = 0; i < 100; ++i) good.name += "党";  // 100 characters, 300 bytes
  EXPECT_TRUE(validate_unit(good).empty());
  good.name += "党";
  EXPECT_EQ(fields_of(validate_unit(good)), std::vector<std::string>{"name"});
}

TEST(ValidateMember, ChecksDatesStatusPhoneAndIdNumber) {
  MemberInput in{"张三", "网格员", "2024-02-29", "预备", "13812341234", "11010119900101123X"};
  EXPECT_TRUE(validate_member(in).empty());
  in.joined_on = "2023-02-29";
  in.status = "maybe";
  in.phone = "call me";
  in.id_number = "12345";
  EXPECT_EQ(fields_of(validate_member(in)),
            (std::vector<std::string>{"joined_on", "status", "phone", "id_number"}));
  for (auto date : {"1920-12-31", "2020-13-01", "2020-1-01", "20200101", "2020-04-31"}) {
    in = {"张三", "", date, "full", "", ""};
    EXPECT_EQ(fields_of(validate_member(in)), std::vector<std::string>{"joined_on"}) << date;
  }
}

TEST(Masking, HidesTheMiddleOfPhoneAndIdNumbers) {
  EXPECT_EQ(mask_phone("13812341234"), "138****1234");
  EXPECT_EQ(mask_phone("0311-12345678"), "031******5678");
  EXPECT_EQ(mask_phone("12345"), "***45");
  EXPECT_EQ(mask_id_number("110101199001011234"), "1101**********1234");
  EXPECT_EQ(mask_id_number("1234"), "****");
}

TEST(MaterializedPath, IsFixedWidthDigitsWhoseRangeIsTheSubtree) {
  std::string root = child_path("", 1);
  std::string child = child_path(root, 10);
  std::string grandchild = child_path(child, 9'223'372'036'854'775'807);
  EXPECT_EQ(root, "0000000000000000001");
  EXPECT_EQ(depth_of(grandchild), 2);
  EXPECT_EQ(ancestry_from_path(grandchild), (std::vector<Id>{1, 10, 9'223'372'036'854'775'807}));
  EXPECT_EQ(shard_of(grandchild), 1);
  // Inside: the unit and its descendants; outside: a sibling whose id
  // shares the first digits (id 1 vs 10 vs 100), and the next root.
  std::string end = subtree_end(child);
  for (const auto& inside : {child, grandchild}) {
    EXPECT_GE(inside, child);
    EXPECT_LT(inside, end);
  }
  for (const auto& outside :
       {child_path(root, 100), child_path(root, 11), child_path("", 2), root}) {
    EXPECT_TRUE(outside < child || outside >= end) << outside;
  }
  EXPECT_EQ(subtree_end("0199"), "0200");
}

TEST(Utf8, TellsValidUtf8FromGb18030) {
  EXPECT_TRUE(is_valid_utf8("中共清河县委员会 abc"));
  EXPECT_FALSE(is_valid_utf8(to_gb18030("中共清河县委员会")));
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));  // a surrogate
  EXPECT_FALSE(is_valid_utf8("\xE4\xB8"));      // cut short
  EXPECT_EQ(utf8_length("党支部ab"), 5u);
}

TEST(Csv, ParsesQuotesEmbeddedCommasAndLineBreaks) {
  auto records = parse_csv("编码,地址\r\nq1,\"清河县, 人民路\n1号\"\r\nq2,\"说\"\"好\"\"\"\nq3,");
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 4u);
  EXPECT_EQ((*records)[1], (std::vector<std::string>{"q1", "清河县, 人民路\n1号"}));
  EXPECT_EQ((*records)[2], (std::vector<std::string>{"q2", "说\"好\""}));
  EXPECT_EQ((*records)[3], (std::vector<std::string>{"q3", ""}));
}

TEST(Csv, RefusesAnUnclosedQuoteNamingItsRow) {
  auto records = parse_csv("a,b\nx,\"never closed\ny,z\n");
  ASSERT_FALSE(records.ok());
  ASSERT_EQ(records.error().fields.size(), 1u);
  EXPECT_EQ(records.error().fields[0].row, 1);
}

TEST(Csv, DecodesUtf8WithBomAndGb18030) {
  EXPECT_EQ(*decode_csv_bytes("\xEF\xBB\xBF编码,名称"), "编码,名称");
  EXPECT_EQ(*decode_csv_bytes("编码,名称"), "编码,名称");
  EXPECT_EQ(*decode_csv_bytes(to_gb18030("编码,名称\n清河,中共清河县委员会")),
            "编码,名称\n清河,中共清河县委员会");
}

TEST(Qr, SvgIsOneWellFormedSvgDocument) {
  auto svg = qr_svg("https://example.org/u/qh-chengguan-v01");
  ASSERT_TRUE(svg.ok());
  EXPECT_EQ(svg->rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 0), 0u);
  EXPECT_EQ(svg->substr(svg->size() - 7), "</svg>\n");
  EXPECT_NE(svg->find("viewBox=\"0 0 "), std::string::npos);
  EXPECT_NE(svg->find("h1v1h-1z"), std::string::npos);
  // Every element is closed: two self-closing ones and the svg itself.
  size_t opened = 0, closed = 0;
  for (size_t at = svg->find('<', 1); at != std::string::npos; at = svg->find('<', at + 1))
    (*svg)[at + 1] == '/' ? ++closed : ++opened;
  size_t self_closed = 0;
  for (size_t at = svg->find("/>"); at != std::string::npos; at = svg->find("/>", at + 1))
    ++self_closed;
  EXPECT_EQ(opened, closed + self_closed);
}

TEST(Qr, PngHasPngMagicAndTheRequestedSize) {
  auto png = qr_png("https://example.org/u/qh", 300);
  ASSERT_TRUE(png.ok());
  ASSERT_GT(png->size(), 24u);
  EXPECT_EQ(png->substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  auto be32 = [&](size_t at) {
    auto b = [&](size_t i) {
      return static_cast<uint32_t>(static_cast<unsigned char>((*png)[at + i]));
    };
    return b(0) << 24 | b(1) << 16 | b(2) << 8 | b(3);
  };
  uint32_t width = be32(16), height = be32(20);
  EXPECT_EQ(width, height);
  EXPECT_LE(width, 300u);
  EXPECT_GE(width, 150u);  // whole pixels per module, never more than half lost
}

}  // namespace
}  // namespace xf::organizations
