#include "features/commitments/commitments.h"

#include <gtest/gtest.h>

namespace xf::commitments {
namespace {

ItemInput good_item() {
  return {"走访独居老人", 120, "户次", "2026-06-30", 11, 22};
}

std::vector<std::string> fields_of(const std::vector<FieldError>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.field);
  return out;
}

TEST(CommitmentValidation, NamesEveryBadFieldOfEveryItem) {
  EXPECT_TRUE(validate_commitment({"网格化服务全覆盖", {good_item()}}).empty());
  ItemInput bad{"", -1, "", "2026-02-30", 0, 0};
  auto errors = validate_commitment({"", {good_item(), bad}});
  EXPECT_EQ(fields_of(errors),
            (std::vector<std::string>{"title", "items[1].text", "items[1].target_unit",
                                      "items[1].target_value", "items[1].due_on",
                                      "items[1].central_task_id", "items[1].carrier_id"}));
  EXPECT_EQ(fields_of(validate_commitment({"x", {}})), std::vector<std::string>{"items"});
  EXPECT_EQ(fields_of(validate_commitment({std::string(101 * 3, 'a'), {good_item()}})),
            std::vector<std::string>{"title"});
  // 100 Chinese characters are 300 bytes and still fit.
  std::string hundred;
  for (int i = 0; i < 100; ++i) hundred += "党";
  EXPECT_TRUE(validate_commitment({hundred, {good_item()}}).empty());
}

TEST(CommitmentValidation, ProgressTakesAValueOrAPercentageNotBoth) {
  ProgressInput in{1, "2026-01-10", "已走访 30 户", 30.0, std::nullopt, {}};
  EXPECT_TRUE(validate_progress(in, 2).empty());
  in.percent = 20;
  EXPECT_EQ(fields_of(validate_progress(in, 2)), std::vector<std::string>{"value"});
  in.value.reset();
  in.percent = 120;
  EXPECT_EQ(fields_of(validate_progress(in, 2)), std::vector<std::string>{"percent"});
  in.percent = 50;
  in.item_no = 3;
  EXPECT_EQ(fields_of(validate_progress(in, 2)), std::vector<std::string>{"item_no"});
}

TEST(CommitmentValidation, WeightsAreFourPercentagesSummingToHundred) {
  EXPECT_TRUE(validate_weights(Weights{}).empty());
  EXPECT_EQ(fields_of(validate_weights({10, 20, 40, 40})), std::vector<std::string>{"weights"});
  EXPECT_EQ(fields_of(validate_weights({-10, 30, 40, 40})), std::vector<std::string>{"self"});
  EXPECT_EQ(fields_of(validate_weights({50, 10, 40, 0})), std::vector<std::string>{"superior"});
}

TEST(CommitmentProgress, ValueOverTargetCappedAtHundredAndAveragedOverItems) {
  Item item;
  item.target_value = 120;
  Progress by_value;
  by_value.value = 30;
  EXPECT_DOUBLE_EQ(item_progress(by_value, item), 25);
  by_value.value = 500;
  EXPECT_DOUBLE_EQ(item_progress(by_value, item), 100);
  Progress by_percent;
  by_percent.percent = 40;
  EXPECT_DOUBLE_EQ(item_progress(by_percent, item), 40);
  std::vector<Item> items(2);
  items[0].progress = 100;
  items[0].completed_on = "2026-01-05";
  items[0].due_on = "2026-03-01";
  items[1].progress = 50;
  items[1].due_on = "2026-02-01";
  EXPECT_DOUBLE_EQ(commitment_progress(items), 75);
  EXPECT_EQ(last_due_on(items), "2026-03-01");
  EXPECT_FALSE(completed_on(items));
  items[1].completed_on = "2026-01-20";
  EXPECT_EQ(completed_on(items), "2026-01-20");
}

TEST(CommitmentProgress, AnItemIsOverdueTheDayAfterItsDueDateUntilComplete) {
  Commitment c;
  c.status = State::published;
  c.items.resize(1);
  c.items[0].due_on = "2026-02-01";
  EXPECT_FALSE(overdue(c, "2026-02-01"));
  EXPECT_TRUE(overdue(c, "2026-02-02"));
  c.items[0].completed_on = "2026-02-05";
  EXPECT_FALSE(overdue(c, "2026-02-06"));
  c.items[0].completed_on.reset();
  c.status = State::closed;
  EXPECT_FALSE(overdue(c, "2026-02-06"));
}

TEST(CommitmentResult, WeighsTheSourcesAndRenormalisesOverThoseThatSpoke) {
  std::vector<Review> reviews = {{Source::self, 0, Grade::fulfilled, "", "", 0},
                                 {Source::peer, 1, Grade::fulfilled, "", "", 0},
                                 {Source::peer, 2, Grade::partly_fulfilled, "", "", 0},
                                 {Source::superior, 0, Grade::fulfilled, "", "", 0}};
  RatingCounts ratings{3, 1, 0};
  // self 100×10 + peers 75×20 + public 87.5×40 + superior 100×30 = 90 → fulfilled
  auto r = compute_result(reviews, ratings, Weights{});
  EXPECT_DOUBLE_EQ(r.score, 90);
  EXPECT_EQ(r.result, Grade::fulfilled);
  ASSERT_EQ(r.sources.size(), 4u);
  EXPECT_EQ(r.sources[1].count, 2);
  EXPECT_DOUBLE_EQ(*r.sources[2].score, 87.5);
  EXPECT_TRUE(r.sources[2].is_public);
  // No resident rated: self, peers, superior share 100 % (10:20:30).
  auto unrated = compute_result(reviews, RatingCounts{}, Weights{});
  EXPECT_FALSE(unrated.sources[2].score);
  EXPECT_DOUBLE_EQ(unrated.sources[3].effective_weight, 0.5);
  EXPECT_DOUBLE_EQ(unrated.score, 91.7);
  // Residents dissatisfied pull a good self-assessment down to partly.
  auto poor = compute_result(reviews, RatingCounts{0, 0, 5}, Weights{});
  EXPECT_EQ(poor.result, Grade::partly_fulfilled);
  EXPECT_EQ(grade_of_score(49.9), Grade::not_fulfilled);
  EXPECT_EQ(grade_of_score(50), Grade::partly_fulfilled);
  EXPECT_EQ(grade_of_score(80), Grade::fulfilled);
}

}  // namespace
}  // namespace xf::commitments
