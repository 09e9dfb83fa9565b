#include "features/organizations/organizations_import.h"

#include <unicode/ucnv.h>

#include <map>
#include <optional>
#include <set>

#include "features/organizations/organizations.h"
#include "features/organizations/organizations_service.h"
#include "features/organizations/organizations_store.h"
#include "platform/audit/write.h"
#include "platform/core/crypto.h"

namespace xf::organizations {

namespace {

using Records = std::vector<std::vector<std::string>>;

// A column: the key the code uses, and the header names a file may use.
struct Column {
  std::string_view key;
  std::vector<std::string_view> names;
  bool required;
};

const std::vector<Column>& unit_columns() {
  static const std::vector<Column> columns{
      {"code", {"编码", "单位编码", "code"}, true},
      {"name", {"名称", "单位名称", "name"}, true},
      {"kind", {"类型", "组织类型", "kind"}, true},
      {"field", {"领域", "field"}, true},
      {"parent_code", {"上级编码", "上级单位编码", "parent_code"}, false},
      {"contact_name", {"联系人", "contact_name"}, false},
      {"contact_phone", {"联系电话", "contact_phone"}, false},
      {"address", {"地址", "address"}, false},
  };
  return columns;
}

const std::vector<Column>& member_columns() {
  static const std::vector<Column> columns{
      {"name", {"姓名", "name"}, true},
      {"unit_code", {"单位编码", "unit_code"}, false},
      {"post", {"岗位", "post"}, false},
      {"joined_on", {"入党日期", "joined_on"}, true},
      {"status", {"状态", "党员状态", "status"}, true},
      {"phone", {"手机号", "手机", "联系电话", "phone"}, false},
      {"id_number", {"身份证号", "身份证号码", "id_number"}, false},
  };
  return columns;
}

// Where each column's key sits in the file's records.
class Header {
 public:
  static Result<Header> read(const std::vector<std::string>& cells,
                             const std::vector<Column>& columns) {
    Header header;
    std::vector<FieldError> errors;
    for (size_t i = 0; i < cells.size(); ++i) {
      std::string name = trimmed(cells[i]);
      if (name.empty()) continue;
      const Column* match = nullptr;
      for (const auto& c : columns)
        for (auto n : c.names)
          if (n == name) match = &c;
      if (!match) {
        errors.push_back({name, {"不认识的列名:" + name, "Unknown column: " + name}, {}});
      } else if (!header.index_.emplace(std::string(match->key), i).second) {
        errors.push_back({name, {"列重复:" + name, "Repeated column: " + name}, {}});
      }
    }
    for (const auto& c : columns)
      if (c.required && !header.index_.count(std::string(c.key)))
        errors.push_back({std::string(c.key),
                          {"缺少必需的列:" + std::string(c.names.front()),
                           "Missing required column: " + std::string(c.key)},
                          {}});
    if (!errors.empty()) return Error::invalid_fields(std::move(errors));
    return header;
  }

  // The trimmed cell of `key` in `record` ("" when the column or cell is absent).
  std::string cell(const std::vector<std::string>& record, std::string_view key) const {
    auto it = index_.find(std::string(key));
    if (it == index_.end() || it->second >= record.size()) return "";
    return trimmed(record[it->second]);
  }

 private:
  std::map<std::string, size_t> index_;
};

bool is_blank(const std::vector<std::string>& record) {
  for (const auto& cell : record)
    if (!trimmed(cell).empty()) return false;
  return true;
}

FieldError row_error(int row, std::string field, Text message) {
  return {std::move(field), std::move(message), row};
}

void add_row_errors(std::vector<FieldError>& all, int row, std::vector<FieldError> errors) {
  for (auto& e : errors) {
    e.row = row;
    all.push_back(std::move(e));
  }
}

struct ParsedFile {
  Header header;
  Records records;  // data records, without the header
  std::string sha256;
};

Result<ParsedFile> parse_file(std::string_view bytes, const std::vector<Column>& columns) {
  XF_TRY(auto text, decode_csv_bytes(bytes));
  XF_TRY(auto records, parse_csv(text));
  if (records.empty())
    return Error::invalid("file", {"文件是空的,第一行应为列名",
                                   "The file is empty; the first row must name the columns"});
  XF_TRY(auto header, Header::read(records.front(), columns));
  records.erase(records.begin());
  return ParsedFile{std::move(header), std::move(records), sha256_hex(bytes)};
}

Error nothing_to_import() {
  return Error::invalid("file", {"文件中没有数据行", "The file has no data rows"});
}

// The unit everything imported must sit under: active, and the actor may
// import there and make the change the rows describe (`action`). nullopt
// for a system admin importing top-level units.
Result<std::optional<Unit>> import_base(OrganizationsService& service, storage::Transaction& tx,
                                        const auth::Actor& actor, auth::Action action,
                                        std::string_view code, std::string_view param) {
  if (code.empty()) {
    if (actor.is_system_admin()) return std::optional<Unit>{};
    return Error::invalid(std::string(param),
                          {"请指定导入到哪个单位", "Say which unit to import into"});
  }
  XF_TRY(auto unit, service.authorized_unit(tx, actor, auth::Action::import_data, code));
  XF_CHECK(auth::authorize(actor, action, ancestry_from_path(unit.path)));
  XF_TRY(auto locked, store::lock_unit(tx, unit));
  if (!locked || locked->status != UnitStatus::active)
    return Error::conflict({"该单位已撤销", "The unit is closed"});
  return locked;
}

bool inside(const Unit& unit, const std::optional<Unit>& base) {
  return !base || unit.path.compare(0, base->path.size(), base->path) == 0;
}

// Accepts a field's code or its Chinese or English name.
Result<std::map<std::string, std::string>> field_lookup(storage::Transaction& tx) {
  XF_TRY(auto fields, store::fields(tx));
  std::map<std::string, std::string> lookup;
  for (const auto& f : fields) {
    lookup[f.code] = f.code;
    lookup[f.name_zh] = f.code;
    lookup[f.name_en] = f.code;
  }
  return lookup;
}

std::string base_label(const std::optional<Unit>& base) {
  return base ? base->code : "-";
}

}  // namespace

Result<std::string> decode_csv_bytes(std::string_view bytes) {
  constexpr std::string_view bom = "\xEF\xBB\xBF";
  if (bytes.substr(0, bom.size()) == bom) bytes.remove_prefix(bom.size());
  if (is_valid_utf8(bytes)) return std::string(bytes);
  UErrorCode status = U_ZERO_ERROR;
  int32_t needed = ucnv_convert("UTF-8", "GB18030", nullptr, 0, bytes.data(),
                                static_cast<int32_t>(bytes.size()), &status);
  if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status))
    return Error::invalid("file", {"文件编码无法识别,请存为 UTF-8 或 GB18030",
                                   "Unknown file encoding; save it as UTF-8 or GB18030"});
  std::string out(static_cast<size_t>(needed), '\0');
  status = U_ZERO_ERROR;
  ucnv_convert("UTF-8", "GB18030", out.data(), needed, bytes.data(),
               static_cast<int32_t>(bytes.size()), &status);
  if (U_FAILURE(status))
    return Error::invalid("file", {"文件编码无法识别,请存为 UTF-8 或 GB18030",
                                   "Unknown file encoding; save it as UTF-8 or GB18030"});
  return out;
}

Result<std::vector<std::vector<std::string>>> parse_csv(std::string_view text) {
  Records records;
  std::vector<std::string> record;
  std::string cell;
  bool quoted = false;       // inside a quoted field
  bool any = false;          // the current record has begun
  int quote_started_at = 0;  // record number of an open quote, for the error
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c != '"') {
        cell += c;
      } else if (i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else {
        quoted = false;
      }
      continue;
    }
    any = true;
    if (c == '"') {
      quoted = true;
      quote_started_at = static_cast<int>(records.size());
    } else if (c == ',') {
      record.push_back(std::move(cell));
      cell.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      record.push_back(std::move(cell));
      cell.clear();
      records.push_back(std::move(record));
      record.clear();
      any = false;
    } else {
      cell += c;
    }
  }
  if (quoted)
    return Error::invalid_fields(
        {{"file", {"引号没有闭合", "A quoted field is never closed"}, quote_started_at}});
  if (any) {
    record.push_back(std::move(cell));
    records.push_back(std::move(record));
  }
  return records;
}

Result<ImportReport> import_units(storage::Database& db, const Clock& clock, Random& random,
                                  const auth::Actor& actor, std::string_view bytes,
                                  std::string_view parent_code) {
  XF_TRY(auto file, parse_file(bytes, unit_columns()));
  OrganizationsService service(db, clock, random);
  return audit::write(db, clock, [&](audit::Change& change) -> Result<ImportReport> {
    auto& tx = change.tx;
    XF_TRY(auto base,
           import_base(service, tx, actor, auth::Action::manage_units, parent_code, "parent"));
    XF_TRY(auto field_codes, field_lookup(tx));
    std::vector<Unit> units;
    std::map<std::string, size_t> in_file;  // code → index in `units`
    std::vector<FieldError> errors;
    for (size_t r = 0; r < file.records.size(); ++r) {
      const auto& record = file.records[r];
      if (is_blank(record)) continue;
      int row = static_cast<int>(r) + 1;
      UnitInput in{
          file.header.cell(record, "code"),         file.header.cell(record, "name"),
          file.header.cell(record, "kind"),         file.header.cell(record, "field"),
          file.header.cell(record, "contact_name"), file.header.cell(record, "contact_phone"),
          file.header.cell(record, "address")};
      auto found_field = field_codes.find(in.field);
      size_t errors_before = errors.size();
      add_row_errors(errors, row, validate_unit(in));
      if (!in.field.empty() && found_field == field_codes.end())
        errors.push_back(
            row_error(row, "field", {"没有这个领域:" + in.field, "No such field: " + in.field}));
      if (in_file.count(in.code))
        errors.push_back(
            row_error(row, "code",
                      {"编码在文件中重复:" + in.code, "The code repeats in the file: " + in.code}));
      XF_TRY(auto existing, store::find_unit_by_code(tx, in.code));
      if (existing)
        errors.push_back(row_error(
            row, "code", {"编码已被使用:" + in.code, "The code is already taken: " + in.code}));

      // The parent: the base, a unit earlier in the file, or one already in the tree.
      std::string parent_cell = file.header.cell(record, "parent_code");
      std::optional<Unit> parent = base;
      if (!parent_cell.empty()) {
        parent.reset();
        if (auto it = in_file.find(parent_cell); it != in_file.end()) {
          parent = units[it->second];
        } else {
          XF_TRY(auto stored, store::find_unit_by_code(tx, parent_cell));
          if (stored && stored->status == UnitStatus::active && inside(*stored, base))
            parent = stored;
        }
        if (!parent)
          errors.push_back(
              row_error(row, "parent_code",
                        {"上级编码 " + parent_cell + " 不存在、已撤销、不在 " + base_label(base) +
                             " 之下,或在文件中排在后面",
                         "The parent " + parent_cell + " does not exist, is closed, is not under " +
                             base_label(base) + ", or comes later in the file"}));
      }
      if (errors.size() != errors_before) continue;

      in.field = found_field->second;
      in_file[in.code] = units.size();
      units.push_back(make_unit(random.next_id(), in, parent ? &*parent : nullptr, change.now_ms));
    }
    if (!errors.empty()) return Error::invalid_fields(std::move(errors));
    if (units.empty()) return nothing_to_import();
    XF_CHECK(store::insert_units(tx, units));
    change.record(audit_entry(actor, "unit.import", "unit", base ? id_to_string(base->id) : "",
                              base.value_or(Unit{}),
                              "units=" + std::to_string(units.size()) +
                                  " under=" + base_label(base) + " file_sha256=" + file.sha256));
    return ImportReport{static_cast<int>(units.size())};
  });
}

Result<ImportReport> import_members(storage::Database& db, const Clock& clock, Random& random,
                                    const auth::Actor& actor, std::string_view bytes,
                                    std::string_view unit_code) {
  if (unit_code.empty())
    return Error::invalid("unit", {"请指定导入到哪个单位", "Say which unit to import into"});
  XF_TRY(auto file, parse_file(bytes, member_columns()));
  OrganizationsService service(db, clock, random);
  return audit::write(db, clock, [&](audit::Change& change) -> Result<ImportReport> {
    auto& tx = change.tx;
    XF_TRY(auto base_unit,
           import_base(service, tx, actor, auth::Action::manage_members, unit_code, "unit"));
    const Unit& base = *base_unit;
    std::map<std::string, std::optional<Unit>> units_by_code{{base.code, base}};
    std::vector<Member> members;
    std::vector<FieldError> errors;
    for (size_t r = 0; r < file.records.size(); ++r) {
      const auto& record = file.records[r];
      if (is_blank(record)) continue;
      int row = static_cast<int>(r) + 1;
      MemberInput in{file.header.cell(record, "name"),      file.header.cell(record, "post"),
                     file.header.cell(record, "joined_on"), file.header.cell(record, "status"),
                     file.header.cell(record, "phone"),     file.header.cell(record, "id_number")};
      auto row_errors = validate_member(in);
      std::string code = file.header.cell(record, "unit_code");
      if (code.empty()) code = base.code;
      if (!units_by_code.count(code)) {
        XF_TRY(auto stored, store::find_unit_by_code(tx, code));
        bool usable = stored && stored->status == UnitStatus::active && inside(*stored, base_unit);
        units_by_code[code] = usable ? stored : std::nullopt;
      }
      const auto& unit = units_by_code[code];
      if (!unit)
        row_errors.push_back(
            {"unit_code",
             {"单位编码 " + code + " 不存在、已撤销或不在 " + base.code + " 之下",
              "The unit " + code + " does not exist, is closed or is not under " + base.code},
             {}});
      if (!row_errors.empty()) {
        add_row_errors(errors, row, std::move(row_errors));
        continue;
      }
      members.push_back(make_member(random.next_id(), in, *unit, change.now_ms));
    }
    if (!errors.empty()) return Error::invalid_fields(std::move(errors));
    if (members.empty()) return nothing_to_import();
    XF_CHECK(store::insert_members(tx, members));
    change.record(audit_entry(actor, "member.import", "unit", id_to_string(base.id), base,
                              "members=" + std::to_string(members.size()) + " under=" + base.code +
                                  " file_sha256=" + file.sha256));
    return ImportReport{static_cast<int>(members.size())};
  });
}

}  // namespace xf::organizations
