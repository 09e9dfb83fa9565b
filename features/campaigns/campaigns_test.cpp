#include "features/campaigns/campaigns.h"

#include <gtest/gtest.h>

#include "features/campaigns/campaigns_markdown.h"
#include "features/campaigns/campaigns_service.h"

namespace xf::campaigns {
namespace {

std::vector<std::string> fields_of(const std::vector<FieldError>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.field);
  return out;
}

TEST(CampaignValidation, NamesEveryBadField) {
  EXPECT_TRUE(validate_campaign({"清河县创先争优", "", "2026-01-01", "2026-12-31"}).empty());
  EXPECT_EQ(fields_of(validate_campaign({"", "", "2026-02-30", "2026-13-01"})),
            (std::vector<std::string>{"name", "starts_on", "ends_on"}));
  EXPECT_EQ(fields_of(validate_campaign({"x", "", "2026-12-31", "2026-01-01"})),
            (std::vector<std::string>{"ends_on"}));
}

TEST(CampaignValidation, CentralTaskNeedsAPositiveTargetWithAUnit) {
  EXPECT_TRUE(validate_central_task({"乡村振兴", "", 60, "个", ""}).empty());
  EXPECT_EQ(fields_of(validate_central_task({"", "", 0, "", ""})),
            (std::vector<std::string>{"title", "target_value", "target_unit"}));
}

TEST(CampaignValidation, ThemeNeedsATaskACarrierAndNoDuplicates) {
  EXPECT_TRUE(validate_theme({"主题", "理由", {1}, {2}}).empty());
  EXPECT_EQ(fields_of(validate_theme({"主题", "理由", {}, {}})),
            (std::vector<std::string>{"central_task_ids", "carrier_ids"}));
  EXPECT_EQ(fields_of(validate_theme({"主题", "理由", {1, 1}, {2}})),
            (std::vector<std::string>{"central_task_ids"}));
}

TEST(CampaignValidation, CriteriaSetHasItemsWithNamesAndDescriptions) {
  EXPECT_EQ(fields_of(validate_criteria({})), (std::vector<std::string>{"items"}));
  std::vector<Criterion> items{{"领导班子好", "", "", ""}};
  EXPECT_EQ(fields_of(validate_criteria(items)),
            (std::vector<std::string>{"items[0].description"}));
}

TEST(CampaignValidation, CommentLengthAndReasons) {
  EXPECT_TRUE(validate_comment("建议", "").empty());
  EXPECT_EQ(fields_of(validate_comment("", "")), (std::vector<std::string>{"body"}));
  EXPECT_EQ(fields_of(validate_comment(std::string(kMaxComment + 1, 'a'), "")),
            (std::vector<std::string>{"body"}));
  EXPECT_EQ(fields_of(validate_reason("reason", "", true)), (std::vector<std::string>{"reason"}));
  EXPECT_TRUE(validate_reason("comment", "", false).empty());
}

TEST(CampaignDomain, ScopeIsTheOwnersSubtree) {
  Campaign c;
  c.owner_unit_id = 11;
  std::vector<Id> inside{1, 11, 111}, owner{1, 11}, outside{1, 12, 121}, above{1};
  EXPECT_TRUE(covers(c, inside));
  EXPECT_TRUE(covers(c, owner));
  EXPECT_FALSE(covers(c, outside));
  EXPECT_FALSE(covers(c, above));
}

TEST(CampaignDomain, CarrierSuitsItsFieldsOrAll) {
  Carrier all;
  Carrier rural;
  rural.fields = split_fields("rural,community");
  EXPECT_TRUE(all.suits("school"));
  EXPECT_TRUE(rural.suits("community"));
  EXPECT_FALSE(rural.suits("school"));
  EXPECT_EQ(join_fields(rural.fields), "rural,community");
}

TEST(CampaignDomain, NamesRoundTrip) {
  for (auto s :
       {ThemeStatus::draft, ThemeStatus::submitted, ThemeStatus::approved, ThemeStatus::returned})
    EXPECT_EQ(parse_theme_status(status_name(s)), s);
  for (auto a : {Answer::adopted, Answer::partly_adopted, Answer::not_adopted})
    EXPECT_EQ(parse_answer(answer_name(a)), a);
  EXPECT_FALSE(parse_answer("maybe"));
}

TEST(CampaignDomain, ParsesIso8601WithZoneAndFraction) {
  EXPECT_EQ(parse_iso8601_ms("1970-01-01T00:00:00Z"), std::nullopt);  // before 2000: refused
  EXPECT_EQ(parse_iso8601_ms("2026-11-25T00:00:00Z"), 1795564800000);
  EXPECT_EQ(parse_iso8601_ms("2026-11-25T08:00:00+08:00"), 1795564800000);
  EXPECT_EQ(parse_iso8601_ms("2026-11-25T00:00:00.5Z"), 1795564800500);
  EXPECT_EQ(parse_iso8601_ms("2026-11-25"), std::nullopt);
  EXPECT_EQ(parse_iso8601_ms("2026-11-25T25:00:00Z"), std::nullopt);
  EXPECT_EQ(parse_iso8601_ms("2026-11-25T00:00:00"), std::nullopt);  // a zone is required
}

TEST(CampaignMarkdown, RendersTextAndDropsRawHtmlAndScriptLinks) {
  std::string html = render_markdown(
      "## 目标\n\n- **办实事**\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))");
  EXPECT_NE(html.find("<h2>目标</h2>"), std::string::npos);
  EXPECT_NE(html.find("<strong>办实事</strong>"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("javascript:"), std::string::npos);
}

}  // namespace
}  // namespace xf::campaigns
