// The pure parts: ballot codes and their check symbol, canonical ballots,
// the weighted figures, and the rules of final grades.
#include "features/evaluations/evaluations.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "features/evaluations/evaluations_rules.h"
#include "platform/testing/fakes.h"

namespace xf::evaluations {
namespace {

// A valid normalised code from 17 data symbols.
std::string with_check(std::string data) {
  data.push_back(check_symbol(data));
  return data;
}

TEST(BallotCodes, AreGroupedEighteenSymbolsOfTheAlphabetAndWellFormed) {
  xf::testing::FakeRandom random(7);
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) {
    std::string code = new_code(random);
    ASSERT_EQ(code.size(), kCodeChars + 2) << code;  // two dashes
    EXPECT_EQ(code[6], '-');
    EXPECT_EQ(code[13], '-');
    std::string normal = normalise_code(code);
    EXPECT_EQ(normal.size(), kCodeChars);
    EXPECT_TRUE(well_formed(normal)) << code;
    EXPECT_TRUE(seen.insert(normal).second);
  }
}

TEST(BallotCodes, NormalisingForgivesCaseDashesSpacesAndLookalikes) {
  std::string code = with_check("0123456789ABCDEFG");
  std::string typed = "o123 456789-abcdefg" + std::string(1, code.back());
  for (char& c : typed) c = static_cast<char>(std::tolower(c));
  EXPECT_EQ(normalise_code(typed), code);
  EXPECT_EQ(normalise_code("I"), "1");
  EXPECT_EQ(normalise_code("l"), "1");
  EXPECT_EQ(code_hash(code).size(), 32u);
  EXPECT_EQ(code_hash(code), code_hash(normalise_code(grouped(code))));
}

// The check is linear: changing position i from a to b changes the sum by
// i·(b − a) whatever the other symbols are, so trying every position and
// every pair of symbols over one base code is a proof for all codes.
TEST(BallotCodes, EverySingleWrongSymbolIsCaughtExhaustively) {
  std::string base = with_check("K3T9QWXY0AB7MNP2R");
  ASSERT_TRUE(well_formed(base));
  int64_t tried = 0;
  for (size_t i = 0; i < kCodeChars; ++i)
    for (char a : kCodeAlphabet)
      for (char b : kCodeAlphabet) {
        if (a == b) continue;
        // Two codes that differ only in position i (a there, b here) are
        // never both valid: whichever is the right one, the other is caught.
        std::string code = base;
        code[i] = a;
        std::string other = code;
        other[i] = b;
        EXPECT_FALSE(well_formed(code) && well_formed(other)) << i << a << b;
        ++tried;
      }
  // And from a valid code, each single substitution is refused.
  for (size_t i = 0; i < kCodeChars; ++i)
    for (char b : kCodeAlphabet) {
      if (b == base[i]) continue;
      std::string code = base;
      code[i] = b;
      EXPECT_FALSE(well_formed(code)) << "position " << i << " → " << b;
    }
  EXPECT_EQ(tried, 18 * 31 * 30);
}

// Swapping neighbours i, i+1 holding a ≠ b changes the sum by a − b,
// whatever else the code holds: every position and pair, from codes that
// are valid with a, b in place.
TEST(BallotCodes, EverySwapOfTwoNeighboursIsCaughtExhaustively) {
  int64_t tried = 0;
  for (size_t i = 0; i + 1 < kCodeChars; ++i)
    for (char a : kCodeAlphabet)
      for (char b : kCodeAlphabet) {
        if (a == b) continue;
        // A valid code with a at i and b at i+1: choose the data, then the
        // check; when i+1 is the check position, adjust position 0 until
        // the check symbol is b.
        std::string data = "K3T9QWXY0AB7MNP2R";
        std::string code;
        if (i + 1 < kCodeDataChars) {
          data[i] = a;
          data[i + 1] = b;
          code = with_check(data);
        } else {
          data[i] = a;
          for (char first : kCodeAlphabet) {
            data[0] = first;
            if (check_symbol(data) == b) break;
          }
          code = with_check(data);
          if (code.back() != b) continue;
        }
        ASSERT_TRUE(well_formed(code));
        std::swap(code[i], code[i + 1]);
        EXPECT_FALSE(well_formed(code)) << "swap at " << i << ": " << a << b;
        ++tried;
      }
  EXPECT_EQ(tried, 17 * 31 * 30);
}

TEST(Ballots, CanonicalJsonRoundTripsAndTheReceiptDependsOnTheSalt) {
  Ballot b{11, 22, "residents", {{5, {0, 1, 2}}, {3, {2, 2, 0}}}};
  std::string json = canonical_json(b);
  EXPECT_EQ(json,
            R"({"class":"residents","grades":{"3":[2,2,0],"5":[0,1,2]},"round":"11","unit":"22"})");
  auto back = parse_canonical(json);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(canonical_json(*back), json);
  // Unit 22 in hex, then SHA-256 of the JSON and the salt (as python3's hashlib gives it).
  EXPECT_EQ(receipt_of(22, json, "aa"),
            "0000000000000016"
            "56b01b26a4bf1bcf09ab36e422fb5e799d70331386a1bc3d");
  EXPECT_NE(receipt_of(22, json, "aa"), receipt_of(22, json, "ab"));
}

// canonical_json writes the JSON out by hand; it must stay what dump() of
// the same object gives, which is what the receipts already issued hash.
TEST(Ballots, CanonicalJsonIsWhatDumpingTheObjectGives) {
  const std::vector<Ballot> ballots = {
      {11, 22, "residents", {}},
      {914922509621378966, 7, "居民 \"代表\"\\\n", {{9, {1}}, {10, {0, 2}}, {100, {}}}},
      {1, 2, "", {{123456789012345678, {3, 10, 0}}, {2, {0}}}}};
  for (const auto& b : ballots) {
    nlohmann::json grades = nlohmann::json::object();
    for (const auto& [target, marks] : b.grades) grades[id_to_string(target)] = marks;
    nlohmann::json object = {{"round", id_to_string(b.round_id)},
                             {"unit", id_to_string(b.unit_id)},
                             {"class", b.class_code},
                             {"grades", grades}};
    EXPECT_EQ(canonical_json(b), object.dump());
  }
  EXPECT_NE(canonical_json(ballots[1]).find(R"("grades":{"10":[0,2],"100":[],"9":[1]})"),
            std::string::npos);
}

Round unit_round() {
  Round r;
  r.kind = RoundKind::unit;
  r.grades = default_scale(RoundKind::unit);
  r.classes = {
      {"party_reps", "党员代表", 30}, {"public_reps", "群众代表", 30}, {"residents", "居民", 40}};
  r.criteria = {{"a", ""}, {"b", ""}};
  return r;
}

TEST(Figures, EachClassIsAveragedThenWeighted) {
  Round r = unit_round();
  // Party reps all satisfied (100), residents all dissatisfied (0), public
  // reps half and half (50 % satisfied, score 50).
  ClassVotes votes{
      {"party_reps", {10, 0, 0}}, {"public_reps", {1, 0, 1}}, {"residents", {0, 0, 400}}};
  auto f = weigh(r, votes);
  EXPECT_EQ(f.votes, 412);
  EXPECT_DOUBLE_EQ(f.score, 0.3 * 100 + 0.3 * 50 + 0.4 * 0);
  EXPECT_DOUBLE_EQ(f.satisfaction, 0.3 + 0.15);
  EXPECT_EQ(f.leading_grade, 2);  // 不满意: 0.4 + 0.15
}

TEST(Figures, AClassWithoutVotesDropsOutAndTheOthersAreScaledUp) {
  Round r = unit_round();
  auto f = weigh(r, {{"party_reps", {0, 3, 0}}, {"residents", {0, 0, 0}}});
  EXPECT_DOUBLE_EQ(f.score, 60);
  EXPECT_DOUBLE_EQ(f.satisfaction, 1);
  EXPECT_FALSE(weigh(r, {}).leading_grade.has_value());
}

TEST(RoundInput, WeightsMustSumToOneHundred) {
  RoundInput in;
  in.kind = "unit";
  in.name = "评议";
  in.subtree = "county";
  in.opens_at = 1;
  in.closes_at = 2;
  in.classes = {{"residents", "居民", 60}, {"public_reps", "群众代表", 30}};
  auto errors = validate_round_input(in);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "classes");
  EXPECT_NE(errors[0].message.en.find("sum to 90"), std::string::npos);
  in.classes[0].weight = 70;
  EXPECT_TRUE(validate_round_input(in).empty());
}

TEST(FinalGrades, TheCapAndTheReasonsAreEnforced) {
  Round r;
  r.kind = RoundKind::member;
  r.grades = default_scale(RoundKind::member);
  std::vector<Target> graded{{1, 9, "甲", true}, {2, 9, "乙", true}, {3, 9, "丙", true},
                             {4, 9, "丁", true}, {5, 9, "戊", true}, {6, 9, "己", true}};
  std::vector<std::optional<int>> votes(6, 1);
  std::vector<rules::FinalGradeInput> grades;
  for (Id id = 1; id <= 6; ++id) grades.push_back({id, 1, ""});
  EXPECT_TRUE(rules::check_final_grades(r, graded, grades, votes).empty());
  // Two of six may be 优秀, a third breaks the cap; each differs from the vote.
  for (int i = 0; i < 3; ++i) grades[static_cast<size_t>(i)] = {i + 1, 0, "表现突出"};
  auto errors = rules::check_final_grades(r, graded, grades, votes);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "excellent_cap");
  grades[2] = {3, 0, ""};
  grades[0].reason = "";
  errors = rules::check_final_grades(r, graded, grades, votes);
  std::set<std::string> fields;
  for (const auto& e : errors) fields.insert(e.field);
  EXPECT_TRUE(fields.contains("excellent_cap"));
  EXPECT_TRUE(fields.contains("grades[0].reason"));
  EXPECT_TRUE(fields.contains("grades[2].reason"));
  // A member left out is named.
  grades.pop_back();
  errors = rules::check_final_grades(r, graded, grades, votes);
  EXPECT_TRUE(std::any_of(errors.begin(), errors.end(), [](const FieldError& e) {
    return e.field == "grades" && e.message.en.find("己") != std::string::npos;
  }));
}

}  // namespace
}  // namespace xf::evaluations
