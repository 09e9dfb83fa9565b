#include "features/evaluations/evaluations.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "features/organizations/organizations.h"
#include "platform/core/crypto.h"

namespace xf::evaluations {
namespace {

constexpr std::array<std::pair<RoundKind, std::string_view>, 2> kKinds{
    {{RoundKind::unit, "unit"}, {RoundKind::member, "member"}}};
constexpr std::array<std::pair<RoundState, std::string_view>, 4> kStates{
    {{RoundState::draft, "draft"},
     {RoundState::open, "open"},
     {RoundState::closed, "closed"},
     {RoundState::published, "published"}}};

template <typename E, size_t N>
std::string_view name_in(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [v, name] : table)
    if (v == value) return name;
  return "";
}

template <typename E, size_t N>
std::optional<E> parse_in(const std::array<std::pair<E, std::string_view>, N>& table,
                          std::string_view text) {
  for (const auto& [v, name] : table)
    if (name == text) return v;
  return std::nullopt;
}

constexpr int kModulus = static_cast<int>(kCodeAlphabet.size());  // 31, prime

int symbol_value(char c) {
  auto at = kCodeAlphabet.find(c);
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

// Σ i·v_i mod 31 over 1-based positions.
int weighted_sum(std::string_view symbols) {
  int sum = 0;
  for (size_t i = 0; i < symbols.size(); ++i)
    sum = (sum + static_cast<int>(i + 1) * symbol_value(symbols[i])) % kModulus;
  return sum;
}

}  // namespace

std::string_view kind_name(RoundKind kind) {
  return name_in(kKinds, kind);
}
std::string_view state_name(RoundState state) {
  return name_in(kStates, state);
}
std::optional<RoundKind> parse_kind(std::string_view text) {
  return parse_in(kKinds, text);
}
std::optional<RoundState> parse_state(std::string_view text) {
  return parse_in(kStates, text);
}

std::vector<Grade> default_scale(RoundKind kind) {
  if (kind == RoundKind::unit)
    return {{"satisfied", "满意", "Satisfied", 100, true, false},
            {"basically_satisfied", "基本满意", "Basically satisfied", 60, true, false},
            {"dissatisfied", "不满意", "Dissatisfied", 0, false, false}};
  return {{"excellent", "优秀", "Excellent", 100, true, false},
          {"competent", "合格", "Competent", 80, true, false},
          {"basically_competent", "基本合格", "Basically competent", 60, false, true},
          {"incompetent", "不合格", "Not competent", 0, false, true}};
}

const ElectorateClass* Round::find_class(std::string_view code) const {
  for (const auto& c : classes)
    if (c.code == code) return &c;
  return nullptr;
}

std::optional<int> Round::grade_index(std::string_view code) const {
  for (size_t i = 0; i < grades.size(); ++i)
    if (grades[i].code == code) return static_cast<int>(i);
  return std::nullopt;
}

bool Round::accepts_ballots(int64_t now_ms) const {
  return state == RoundState::open && now_ms >= opens_at && now_ms < closes_at;
}

std::vector<FieldError> validate_round_input(const RoundInput& in) {
  std::vector<FieldError> errors;
  auto add = [&](std::string field, Text message) {
    errors.push_back({std::move(field), std::move(message), std::nullopt});
  };
  if (!parse_kind(in.kind)) add("kind", {"应为 unit 或 member", "must be unit or member"});
  if (in.name.empty() || organizations::utf8_length(in.name) > kMaxName)
    add("name", {"请填写名称(不超过 100 字)", "A name of at most 100 characters is required"});
  if (in.target_units.empty() == in.subtree.empty())
    add("target_units",
        {"请给出被评单位列表或一个上级单位(二者选一)",
         "Give either the list of target units or one unit whose subtree is evaluated"});
  if (in.opens_at <= 0 || in.closes_at <= in.opens_at)
    add("closes_at", {"截止时间须晚于开始时间", "The closing time must follow the opening time"});
  if (in.classes.empty()) add("classes", {"至少需要一个评议群体", "At least one electorate class"});
  int total = 0;
  for (size_t i = 0; i < in.classes.size(); ++i) {
    const auto& c = in.classes[i];
    std::string at = "classes[" + std::to_string(i) + "]";
    if (c.code.empty() || c.code.size() > 20 ||
        !std::all_of(c.code.begin(), c.code.end(),
                     [](char ch) { return (ch >= 'a' && ch <= 'z') || ch == '_'; }))
      add(at + ".code", {"代码应为小写字母或下划线(不超过 20 个)",
                         "A code of at most 20 lower-case letters or underscores"});
    if (c.name.empty() || organizations::utf8_length(c.name) > kMaxName)
      add(at + ".name", {"请填写名称", "A name is required"});
    if (c.weight <= 0 || c.weight > 100)
      add(at + ".weight", {"权重应在 1 到 100 之间", "A weight between 1 and 100"});
    for (size_t j = 0; j < i; ++j)
      if (in.classes[j].code == c.code) add(at + ".code", {"代码重复", "Duplicate code"});
    total += c.weight;
  }
  if (!in.classes.empty() && total != 100)
    add("classes", {"各评议群体的权重之和须为 100%(现为 " + std::to_string(total) + "%)",
                    "The weights must sum to 100 % (they sum to " + std::to_string(total) + " %)"});
  for (size_t i = 0; i < in.grades.size(); ++i) {
    const auto& g = in.grades[i];
    std::string at = "grades[" + std::to_string(i) + "]";
    if (g.code.empty() || g.code.size() > 30)
      add(at + ".code", {"请填写代码", "A code is required"});
    if (g.name.empty()) add(at + ".name", {"请填写名称", "A name is required"});
    if (g.score < 0 || g.score > 100)
      add(at + ".score", {"分值应在 0 到 100 之间", "A score between 0 and 100"});
    for (size_t j = 0; j < i; ++j)
      if (in.grades[j].code == g.code) add(at + ".code", {"代码重复", "Duplicate code"});
  }
  if (!in.grades.empty() && in.grades.size() < 2)
    add("grades", {"至少需要两个等次", "At least two grades"});
  if (in.cap && (in.cap->numerator < 0 || in.cap->denominator <= 0 ||
                 in.cap->numerator > in.cap->denominator))
    add("excellent_cap", {"比例应在 0 到 1 之间", "A share between 0 and 1"});
  return errors;
}

// ---- Ballot codes --------------------------------------------------------

char check_symbol(std::string_view data) {
  // 18·c ≡ −Σ (mod 31); 18⁻¹ ≡ 19 (mod 31) since 18·19 = 342 = 11·31 + 1.
  int weight = static_cast<int>(data.size() + 1);
  int inverse = 1;
  while ((weight * inverse) % kModulus != 1) ++inverse;
  int value = ((kModulus - weighted_sum(data)) % kModulus) * inverse % kModulus;
  return kCodeAlphabet[static_cast<size_t>(value)];
}

std::string new_code(Random& random) {
  std::string data;
  data.reserve(kCodeChars);
  std::array<unsigned char, 32> bytes{};
  while (data.size() < kCodeDataChars) {
    random.fill(bytes);
    // Rejection keeps every symbol equally likely: 5 bits, 31 of 32 accepted.
    for (unsigned char b : bytes) {
      int v = b & 31;
      if (v < kModulus && data.size() < kCodeDataChars)
        data.push_back(kCodeAlphabet[static_cast<size_t>(v)]);
    }
  }
  data.push_back(check_symbol(data));
  return grouped(data);
}

std::string normalise_code(std::string_view typed) {
  std::string out;
  out.reserve(typed.size());
  for (char c : typed) {
    if (c == ' ' || c == '-' || c == '\t') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    out.push_back(c);
  }
  return out;
}

bool well_formed(std::string_view code) {
  if (code.size() != kCodeChars) return false;
  if (!std::all_of(code.begin(), code.end(), [](char c) { return symbol_value(c) >= 0; }))
    return false;
  return weighted_sum(code) == 0;
}

std::string grouped(std::string_view code) {
  std::string out;
  for (size_t i = 0; i < code.size(); ++i) {
    if (i && i % kCodeGroup == 0) out.push_back('-');
    out.push_back(code[i]);
  }
  return out;
}

std::string code_hash(std::string_view normalised) {
  return sha256_hex(normalised).substr(0, 32);
}

// ---- Ballots and tallies -------------------------------------------------

// The bytes nlohmann's dump() gives for the ballot as an object — compact,
// keys sorted as strings (so target "10" before "9") — written out without
// building the object: this runs for every ballot cast, on the committer's
// thread, where building and dumping it was ~6 % of the thread (bench/ballots
// README, session 9). Only the class code is data that may need escaping.
std::string canonical_json(const Ballot& ballot) {
  std::vector<std::pair<std::string, const std::vector<int>*>> grades;
  grades.reserve(ballot.grades.size());
  for (const auto& [target, marks] : ballot.grades)
    grades.emplace_back(id_to_string(target), &marks);
  std::sort(grades.begin(), grades.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out = R"({"class":)" + nlohmann::json(ballot.class_code).dump() + R"(,"grades":{)";
  for (size_t i = 0; i < grades.size(); ++i) {
    if (i > 0) out += ',';
    out.append("\"").append(grades[i].first).append("\":[");
    const auto& marks = *grades[i].second;
    for (size_t j = 0; j < marks.size(); ++j) {
      if (j > 0) out += ',';
      out += std::to_string(marks[j]);
    }
    out += ']';
  }
  out.append(R"(},"round":")").append(id_to_string(ballot.round_id));
  out.append(R"(","unit":")").append(id_to_string(ballot.unit_id)).append("\"}");
  return out;
}

Result<Ballot> parse_canonical(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return Error::internal("stored ballot is not JSON: " + std::string(text.substr(0, 80)));
  Ballot b;
  b.round_id = parse_id(j.value("round", "")).value_or(0);
  b.unit_id = parse_id(j.value("unit", "")).value_or(0);
  b.class_code = j.value("class", "");
  for (const auto& [key, marks] : j.at("grades").items())
    b.grades[parse_id(key).value_or(0)] = marks.get<std::vector<int>>();
  return b;
}

std::string receipt_of(Id unit_id, std::string_view canonical, std::string_view salt_hex) {
  char unit[17];
  std::snprintf(unit, sizeof unit, "%016llx", static_cast<unsigned long long>(unit_id));
  return unit + sha256_hex(std::string(canonical) + std::string(salt_hex)).substr(0, 48);
}

void count_ballot(const Ballot& ballot, TallyCounts& into) {
  for (const auto& [target, marks] : ballot.grades)
    for (size_t criterion = 0; criterion < marks.size(); ++criterion)
      ++into[{target, static_cast<int>(criterion), marks[criterion], ballot.class_code}];
}

Figures weigh(const Round& round, const ClassVotes& votes) {
  Figures f;
  f.share.assign(round.grades.size(), 0.0);
  double weight_sum = 0;
  for (const auto& c : round.classes) {
    auto it = votes.find(c.code);
    if (it == votes.end()) continue;
    int64_t total = 0;
    for (auto v : it->second) total += v;
    if (total == 0) continue;
    f.votes += total;
    weight_sum += c.weight;
    for (size_t g = 0; g < round.grades.size() && g < it->second.size(); ++g) {
      double part = c.weight * static_cast<double>(it->second[g]) / static_cast<double>(total);
      f.score += part * round.grades[g].score;
      if (round.grades[g].satisfied) f.satisfaction += part;
      f.share[g] += part;
    }
  }
  if (weight_sum == 0) return f;
  f.score /= weight_sum;
  f.satisfaction /= weight_sum;
  for (auto& s : f.share) s /= weight_sum;
  // Ties go to the better grade: the vote is a recommendation the branch weighs.
  auto best = std::max_element(f.share.begin(), f.share.end());
  f.leading_grade = static_cast<int>(best - f.share.begin());
  return f;
}

}  // namespace xf::evaluations
