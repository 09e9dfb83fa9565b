#include "features/organizations/organizations.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>

namespace xf::organizations {

namespace {

struct KindName {
  UnitKind kind;
  std::string_view code;
  std::string_view zh;
};
constexpr std::array<KindName, 3> kKinds{{{UnitKind::committee, "committee", "党委"},
                                          {UnitKind::general_branch, "general_branch", "党总支"},
                                          {UnitKind::branch, "branch", "党支部"}}};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool all_digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), is_digit);
}

int to_int(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

bool is_leap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

// "YYYY-MM-DD", a real calendar day, from 1921 (the Party's founding) to 2100.
bool is_valid_date(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  auto y = d.substr(0, 4), m = d.substr(5, 2), day = d.substr(8, 2);
  if (!all_digits(y) || !all_digits(m) || !all_digits(day)) return false;
  int year = to_int(y), month = to_int(m), dd = to_int(day);
  if (year < 1921 || year > 2100 || month < 1 || month > 12 || dd < 1) return false;
  constexpr std::array<int, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int max_day = days[month - 1] + (month == 2 && is_leap(year) ? 1 : 0);
  return dd <= max_day;
}

// Digits with optional separators ('+', '-', spaces), 5 to 20 digits:
// landlines with area codes and mobiles both fit.
bool is_valid_phone(std::string_view phone) {
  int digits = 0;
  for (char c : phone) {
    if (is_digit(c))
      ++digits;
    else if (c != '-' && c != ' ' && c != '+')
      return false;
  }
  return digits >= 5 && digits <= 20;
}

// 18 characters (17 digits and a digit or X check character) or the old 15 digits.
bool is_valid_id_number(std::string_view id) {
  if (id.size() == 15) return all_digits(id);
  if (id.size() != 18) return false;
  char last = id.back();
  return all_digits(id.substr(0, 17)) && (is_digit(last) || last == 'X' || last == 'x');
}

void require_text(std::vector<FieldError>& errors, std::string_view field, std::string_view value,
                  size_t max_chars, const Text& label) {
  if (value.empty()) {
    errors.push_back({std::string(field), {label.zh + "不能为空", label.en + " is required"}, {}});
  } else if (utf8_length(value) > max_chars || !is_valid_utf8(value)) {
    errors.push_back({std::string(field),
                      {label.zh + "不能超过" + std::to_string(max_chars) + "个字符",
                       label.en + " must be at most " + std::to_string(max_chars) + " characters"},
                      {}});
  }
}

void limit_text(std::vector<FieldError>& errors, std::string_view field, std::string_view value,
                size_t max_chars, const Text& label) {
  if (!value.empty()) require_text(errors, field, value, max_chars, label);
}

void check_phone(std::vector<FieldError>& errors, std::string_view field, std::string_view phone) {
  if (!phone.empty() && !is_valid_phone(phone))
    errors.push_back(
        {std::string(field), {"电话号码格式不正确", "The phone number is not valid"}, {}});
}

}  // namespace

std::string_view kind_name(UnitKind kind) {
  for (const auto& k : kKinds)
    if (k.kind == kind) return k.code;
  return "branch";
}

std::string_view kind_name_zh(UnitKind kind) {
  for (const auto& k : kKinds)
    if (k.kind == kind) return k.zh;
  return "党支部";
}

std::optional<UnitKind> parse_kind(std::string_view text) {
  for (const auto& k : kKinds)
    if (text == k.code || text == k.zh) return k.kind;
  return std::nullopt;
}

std::string_view unit_status_name(UnitStatus status) {
  return status == UnitStatus::active ? "active" : "closed";
}

std::optional<UnitStatus> parse_unit_status(std::string_view text) {
  if (text == "active") return UnitStatus::active;
  if (text == "closed") return UnitStatus::closed;
  return std::nullopt;
}

std::string_view member_status_name(MemberStatus status) {
  return status == MemberStatus::full ? "full" : "probationary";
}

std::string_view member_status_name_zh(MemberStatus status) {
  return status == MemberStatus::full ? "正式党员" : "预备党员";
}

std::optional<MemberStatus> parse_member_status(std::string_view text) {
  if (text == "full" || text == "正式" || text == "正式党员") return MemberStatus::full;
  if (text == "probationary" || text == "预备" || text == "预备党员")
    return MemberStatus::probationary;
  return std::nullopt;
}

void assign_unit_input(Unit& unit, const UnitInput& in) {
  unit.code = in.code;
  unit.name = in.name;
  unit.kind = parse_kind(in.kind).value_or(UnitKind::branch);
  unit.field = in.field;
  unit.contact_name = in.contact_name;
  unit.contact_phone = in.contact_phone;
  unit.address = in.address;
}

Unit make_unit(Id id, const UnitInput& input, const Unit* parent, int64_t now_ms) {
  Unit unit;
  unit.id = id;
  assign_unit_input(unit, input);
  unit.path = child_path(parent ? std::string_view(parent->path) : std::string_view(), id);
  unit.depth = depth_of(unit.path);
  unit.shard_id = shard_of(unit.path);
  if (parent) unit.parent_id = parent->id;
  unit.created_at = unit.updated_at = now_ms;
  return unit;
}

void assign_member_input(Member& m, const MemberInput& in) {
  auto non_empty = [](const std::string& s) {
    return s.empty() ? std::nullopt : std::optional<std::string>(s);
  };
  m.name = in.name;
  m.post = in.post;
  m.joined_on = in.joined_on;
  m.status = parse_member_status(in.status).value_or(MemberStatus::full);
  m.phone = non_empty(in.phone);
  m.id_number = non_empty(in.id_number);
}

Member make_member(Id id, const MemberInput& input, const Unit& unit, int64_t now_ms) {
  Member m;
  m.id = id;
  m.shard_id = unit.shard_id;
  m.unit_id = unit.id;
  assign_member_input(m, input);
  m.created_at = m.updated_at = now_ms;
  return m;
}

std::string trimmed(std::string_view text) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return std::string(text);
}

std::optional<FieldError> check_code(std::string_view code) {
  bool charset_ok = std::all_of(code.begin(), code.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || is_digit(c) || c == '-';
  });
  if (code.size() >= 2 && code.size() <= 40 && charset_ok) return std::nullopt;
  return FieldError{"code",
                    {"编码须为 2–40 个小写字母、数字或连字符",
                     "The code must be 2–40 lower-case letters, digits or hyphens"},
                    {}};
}

std::vector<FieldError> validate_unit(const UnitInput& input) {
  std::vector<FieldError> errors;
  if (auto e = check_code(input.code)) errors.push_back(*e);
  require_text(errors, "name", input.name, kMaxUnitName, {"名称", "The name"});
  if (!parse_kind(input.kind))
    errors.push_back({"kind",
                      {"类型须为 党委、党总支 或 党支部",
                       "The kind must be committee, general_branch or branch"},
                      {}});
  if (input.field.empty())
    errors.push_back({"field", {"领域不能为空", "The field is required"}, {}});
  limit_text(errors, "contact_name", input.contact_name, kMaxContactName,
             {"联系人", "The contact"});
  check_phone(errors, "contact_phone", input.contact_phone);
  limit_text(errors, "address", input.address, kMaxAddress, {"地址", "The address"});
  return errors;
}

std::vector<FieldError> validate_member(const MemberInput& input) {
  std::vector<FieldError> errors;
  require_text(errors, "name", input.name, kMaxMemberName, {"姓名", "The name"});
  limit_text(errors, "post", input.post, kMaxPost, {"岗位", "The post"});
  if (!is_valid_date(input.joined_on))
    errors.push_back({"joined_on",
                      {"入党日期须为 YYYY-MM-DD 格式的有效日期",
                       "The joining date must be a valid date as YYYY-MM-DD"},
                      {}});
  if (!parse_member_status(input.status))
    errors.push_back(
        {"status", {"状态须为 正式 或 预备", "The status must be full or probationary"}, {}});
  check_phone(errors, "phone", input.phone);
  if (!input.id_number.empty() && !is_valid_id_number(input.id_number))
    errors.push_back(
        {"id_number",
         {"身份证号须为 18 位(或旧式 15 位)", "The ID number must have 18 (or 15) characters"},
         {}});
  return errors;
}

bool is_valid_utf8(std::string_view text) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = byte(i);
    size_t extra = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c < 0x80) {
      extra = 0;
    } else if (c >= 0xC2 && c <= 0xDF) {
      extra = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2;
      if (c == 0xE0) lo = 0xA0;  // overlong
      if (c == 0xED) hi = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3;
      if (c == 0xF0) lo = 0x90;  // overlong
      if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
      return false;
    }
    if (text.size() - i <= extra) return false;
    for (size_t k = 1; k <= extra; ++k) {
      unsigned char b = byte(i + k);
      if (k == 1 ? (b < lo || b > hi) : (b & 0xC0) != 0x80) return false;
    }
    i += extra + 1;
  }
  return true;
}

size_t utf8_length(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string mask_phone(std::string_view phone) {
  if (phone.size() >= 7)
    return std::string(phone.substr(0, 3)) + std::string(phone.size() - 7, '*') +
           std::string(phone.substr(phone.size() - 4));
  if (phone.size() <= 2) return std::string(phone.size(), '*');
  return std::string(phone.size() - 2, '*') + std::string(phone.substr(phone.size() - 2));
}

std::string mask_id_number(std::string_view id_number) {
  if (id_number.size() <= 8) return std::string(id_number.size(), '*');
  return std::string(id_number.substr(0, 4)) + std::string(id_number.size() - 8, '*') +
         std::string(id_number.substr(id_number.size() - 4));
}

std::string path_segment(Id id) {
  char buf[kPathSegment + 1];
  std::snprintf(buf, sizeof buf, "%019lld", static_cast<long long>(id));
  return buf;
}

std::string child_path(std::string_view parent_path, Id id) {
  return std::string(parent_path) + path_segment(id);
}

std::string subtree_end(std::string_view path) {
  std::string end(path);
  // Add one to the decimal number the path spells; ids stay below 2^63, so
  // the first digit of a segment is never a carry-out of all nines.
  for (size_t i = end.size(); i-- > 0;) {
    if (end[i] != '9') {
      ++end[i];
      return end;
    }
    end[i] = '0';
  }
  return "1" + end;
}

std::vector<Id> ancestry_from_path(std::string_view path) {
  std::vector<Id> ids;
  for (size_t at = 0; at + kPathSegment <= path.size(); at += kPathSegment) {
    Id id = 0;
    auto seg = path.substr(at, kPathSegment);
    std::from_chars(seg.data(), seg.data() + seg.size(), id);
    ids.push_back(id);
  }
  return ids;
}

Id shard_of(std::string_view path) {
  auto ids = ancestry_from_path(path.substr(0, kPathSegment));
  return ids.empty() ? 0 : ids.front();
}

}  // namespace xf::organizations
