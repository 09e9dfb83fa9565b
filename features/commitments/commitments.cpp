#include "features/commitments/commitments.h"

#include <algorithm>
#include <cmath>

#include "features/campaigns/campaigns.h"

namespace xf::commitments {
namespace {

template <typename E, size_t N>
std::optional<E> parse_of(std::string_view text, const std::array<std::string_view, N>& names) {
  for (size_t i = 0; i < N; ++i)
    if (names[i] == text) return static_cast<E>(i);
  return std::nullopt;
}

constexpr std::array<std::string_view, 4> kStatusNames{"draft", "submitted", "published", "closed"};
constexpr std::array<std::string_view, 3> kGradeNames{"fulfilled", "partly_fulfilled",
                                                      "not_fulfilled"};
constexpr std::array<std::string_view, 3> kRatingNames{"satisfied", "basically_satisfied",
                                                       "dissatisfied"};
constexpr std::array<std::string_view, 3> kSourceNames{"self", "peer", "superior"};
constexpr std::array<std::string_view, 2> kBulletinNames{"draft", "published"};

size_t code_points(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

void check_length(std::vector<FieldError>& errors, const std::string& field, std::string_view value,
                  size_t max, bool required) {
  if (required && blank(value))
    errors.push_back({field, {"不能为空", "is required"}, {}});
  else if (code_points(value) > max)
    errors.push_back({field,
                      {"不能超过 " + std::to_string(max) + " 个字",
                       "must be at most " + std::to_string(max) + " characters"},
                      {}});
}

void check_item(std::vector<FieldError>& errors, const ItemInput& item, size_t index) {
  std::string at = "items[" + std::to_string(index) + "].";
  check_length(errors, at + "text", item.text, kMaxItemText, true);
  check_length(errors, at + "target_unit", item.target_unit, kMaxTargetUnit, true);
  if (!(item.target_value > 0) || !std::isfinite(item.target_value))
    errors.push_back(
        {at + "target_value", {"目标值应为正数", "The target must be a positive number"}, {}});
  if (!campaigns::is_valid_date(item.due_on))
    errors.push_back(
        {at + "due_on",
         {"完成时限应为有效日期(YYYY-MM-DD)", "The due date must be a real day (YYYY-MM-DD)"},
         {}});
  if (item.central_task_id == 0)
    errors.push_back({at + "central_task_id",
                      {"请选择关联的中心工作", "Choose the central task it serves"},
                      {}});
  if (item.carrier_id == 0)
    errors.push_back({at + "carrier_id", {"请选择载体", "Choose a carrier"}, {}});
}

}  // namespace

std::string_view status_name(State s) {
  return kStatusNames[static_cast<size_t>(s)];
}
std::string_view grade_name(Grade g) {
  return kGradeNames[static_cast<size_t>(g)];
}
std::string_view rating_name(Rating r) {
  return kRatingNames[static_cast<size_t>(r)];
}
std::string_view source_name(Source s) {
  return kSourceNames[static_cast<size_t>(s)];
}
std::string_view bulletin_status_name(BulletinStatus s) {
  return kBulletinNames[static_cast<size_t>(s)];
}
std::optional<State> parse_status(std::string_view t) {
  return parse_of<State>(t, kStatusNames);
}
std::optional<Grade> parse_grade(std::string_view t) {
  return parse_of<Grade>(t, kGradeNames);
}
std::optional<Rating> parse_rating(std::string_view t) {
  return parse_of<Rating>(t, kRatingNames);
}
std::optional<Source> parse_source(std::string_view t) {
  return parse_of<Source>(t, kSourceNames);
}
std::optional<BulletinStatus> parse_bulletin_status(std::string_view t) {
  return parse_of<BulletinStatus>(t, kBulletinNames);
}

std::vector<FieldError> validate_commitment(const CommitmentInput& in) {
  std::vector<FieldError> errors;
  check_length(errors, "title", in.title, kMaxTitle, true);
  if (in.items.empty())
    errors.push_back({"items", {"至少要有一项承诺事项", "At least one item is required"}, {}});
  if (in.items.size() > kMaxItems)
    errors.push_back({"items",
                      {"承诺事项不能超过 " + std::to_string(kMaxItems) + " 项",
                       "At most " + std::to_string(kMaxItems) + " items"},
                      {}});
  for (size_t i = 0; i < in.items.size() && i < kMaxItems; ++i) check_item(errors, in.items[i], i);
  return errors;
}

std::vector<FieldError> validate_progress(const ProgressInput& in, size_t item_count) {
  std::vector<FieldError> errors;
  if (in.item_no < 1 || static_cast<size_t>(in.item_no) > item_count)
    errors.push_back({"item_no", {"没有这一承诺事项", "No such item"}, {}});
  if (!campaigns::is_valid_date(in.on_date))
    errors.push_back({"on_date",
                      {"日期应为有效日期(YYYY-MM-DD)", "The date must be a real day (YYYY-MM-DD)"},
                      {}});
  check_length(errors, "text", in.text, kMaxText, true);
  if (in.value.has_value() == in.percent.has_value())
    errors.push_back(
        {"value", {"请填写完成数值或百分比(二选一)", "Give either a value or a percentage"}, {}});
  if (in.value && (!std::isfinite(*in.value) || *in.value < 0))
    errors.push_back({"value", {"完成数值不能为负数", "The value cannot be negative"}, {}});
  if (in.percent && (!std::isfinite(*in.percent) || *in.percent < 0 || *in.percent > 100))
    errors.push_back(
        {"percent", {"百分比应在 0 到 100 之间", "The percentage must be between 0 and 100"}, {}});
  if (in.evidence_ids.size() > kMaxEvidence)
    errors.push_back({"evidence_ids",
                      {"佐证材料不能超过 " + std::to_string(kMaxEvidence) + " 个",
                       "At most " + std::to_string(kMaxEvidence) + " evidence files"},
                      {}});
  return errors;
}

std::vector<FieldError> validate_weights(const Weights& w) {
  std::vector<FieldError> errors;
  for (auto [name, v] : {std::pair{"self", w.self},
                         {"peer", w.peer},
                         {"public", w.public_},
                         {"superior", w.superior}})
    if (v < 0 || v > 100)
      errors.push_back(
          {name, {"权重应在 0 到 100 之间", "A weight must be between 0 and 100"}, {}});
  if (errors.empty() && w.self + w.peer + w.public_ + w.superior != 100)
    errors.push_back(
        {"weights", {"四项权重之和应为 100", "The four weights must add up to 100"}, {}});
  if (errors.empty() && w.superior == 0)
    errors.push_back(
        {"superior", {"上级点评的权重不能为 0", "The superior's weight cannot be 0"}, {}});
  return errors;
}

std::vector<FieldError> validate_text(std::string_view field, std::string_view text,
                                      bool required) {
  std::vector<FieldError> errors;
  check_length(errors, std::string(field), text, kMaxText, required);
  return errors;
}

double item_progress(const Progress& update, const Item& item) {
  double p = update.percent ? *update.percent : *update.value / item.target_value * 100.0;
  return std::clamp(p, 0.0, 100.0);
}

double commitment_progress(std::span<const Item> items) {
  if (items.empty()) return 0;
  double sum = 0;
  for (const auto& i : items) sum += i.progress;
  return sum / static_cast<double>(items.size());
}

std::string last_due_on(std::span<const Item> items) {
  std::string last;
  for (const auto& i : items) last = std::max(last, i.due_on);
  return last;
}

std::optional<std::string> completed_on(std::span<const Item> items) {
  std::string last;
  for (const auto& i : items) {
    if (!i.completed_on) return std::nullopt;
    last = std::max(last, *i.completed_on);
  }
  if (items.empty()) return std::nullopt;
  return last;
}

bool item_overdue(const Item& item, std::string_view today) {
  return item.due_on < today && !item.completed_on;
}

bool overdue(const Commitment& c, std::string_view today) {
  if (c.status != State::published) return false;
  return std::any_of(c.items.begin(), c.items.end(),
                     [&](const Item& i) { return item_overdue(i, today); });
}

double grade_score(Grade g) {
  switch (g) {
    case Grade::fulfilled:
      return 100;
    case Grade::partly_fulfilled:
      return 50;
    case Grade::not_fulfilled:
      return 0;
  }
  return 0;
}

double rating_score(Rating r) {
  switch (r) {
    case Rating::satisfied:
      return 100;
    case Rating::basically_satisfied:
      return 50;
    case Rating::dissatisfied:
      return 0;
  }
  return 0;
}

Grade grade_of_score(double score) {
  if (score >= 80) return Grade::fulfilled;
  if (score >= 50) return Grade::partly_fulfilled;
  return Grade::not_fulfilled;
}

ResultInputs compute_result(std::span<const Review> reviews, const RatingCounts& ratings,
                            const Weights& weights) {
  auto from_reviews = [&](Source source, int weight) {
    SourceScore s{source, false, 0, std::nullopt, weight, 0};
    double sum = 0;
    for (const auto& r : reviews)
      if (r.source == source) {
        ++s.count;
        sum += grade_score(r.grade);
      }
    if (s.count > 0) s.score = sum / static_cast<double>(s.count);
    return s;
  };
  SourceScore public_part{Source::self, true, ratings.total(), std::nullopt, weights.public_, 0};
  if (ratings.total() > 0)
    public_part.score = (ratings.satisfied * rating_score(Rating::satisfied) +
                         ratings.basically_satisfied * rating_score(Rating::basically_satisfied) +
                         ratings.dissatisfied * rating_score(Rating::dissatisfied)) /
                        static_cast<double>(ratings.total());
  ResultInputs out;
  out.sources = {from_reviews(Source::self, weights.self), from_reviews(Source::peer, weights.peer),
                 public_part, from_reviews(Source::superior, weights.superior)};
  int present = 0;
  for (const auto& s : out.sources)
    if (s.score) present += s.weight;
  for (auto& s : out.sources) {
    if (!s.score || present == 0) continue;
    s.effective_weight = static_cast<double>(s.weight) / present;
    out.score += *s.score * s.effective_weight;
  }
  out.score = std::round(out.score * 10) / 10;
  out.result = grade_of_score(out.score);
  return out;
}

}  // namespace xf::commitments
