#include "features/organizations/organizations_export.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <map>
#include <vector>

#include "features/organizations/organizations_service.h"
#include "features/organizations/organizations_store.h"
#include "platform/core/clock.h"

namespace xf::organizations {

namespace {

// A workbook of one sheet: a bold header row, then text cells. Everything is
// written as text so that Excel keeps leading zeros and long ID numbers.
class Sheet {
 public:
  Sheet(const std::string& path, const char* sheet_name, const std::vector<std::string>& headers)
      : book_(workbook_new(path.c_str())) {
    if (!book_) return;
    sheet_ = workbook_add_worksheet(book_, sheet_name);
    lxw_format* bold = workbook_add_format(book_);
    format_set_bold(bold);
    for (size_t c = 0; c < headers.size(); ++c) {
      worksheet_write_string(sheet_, 0, static_cast<lxw_col_t>(c), headers[c].c_str(), bold);
      worksheet_set_column(sheet_, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), 18,
                           nullptr);
    }
  }
  ~Sheet() {
    if (book_) workbook_close(book_);  // only after a failure; close() clears book_
  }
  Sheet(const Sheet&) = delete;
  Sheet& operator=(const Sheet&) = delete;

  void add_row(const std::vector<std::string>& cells) {
    if (!sheet_) return;
    ++row_;
    for (size_t c = 0; c < cells.size(); ++c)
      worksheet_write_string(sheet_, row_, static_cast<lxw_col_t>(c), cells[c].c_str(), nullptr);
  }

  Status close() {
    if (!book_) return Error::internal("libxlsxwriter could not create the workbook");
    lxw_error error = workbook_close(book_);
    book_ = nullptr;
    if (error != LXW_NO_ERROR)
      return Error::internal(std::string("libxlsxwriter: ") + lxw_strerror(error));
    return {};
  }

 private:
  lxw_workbook* book_ = nullptr;
  lxw_worksheet* sheet_ = nullptr;
  lxw_row_t row_ = 0;
};

// A county exports in a second; a whole province's members would not fit a
// sheet (Excel stops at 1 048 576 rows) and should be exported per subtree.
constexpr int64_t kMaxExportRows = 500'000;

Error too_many_rows() {
  return Error::conflict({"数据太多,无法导出到一个表格;请选择较小的范围",
                          "Too many rows for one sheet; export a smaller subtree"});
}

// The subtrees to export: the one named (authorized), or every tree.
Result<std::vector<Unit>> export_roots(storage::Transaction& tx, const auth::Actor& actor,
                                       std::string_view root_code) {
  if (root_code.empty()) {
    if (!actor.is_system_admin())
      return Error::invalid("unit", {"请指定要导出的单位", "Say which unit to export"});
    XF_TRY(auto roots, store::roots(tx, false));
    std::vector<Unit> units;
    for (auto& node : roots) units.push_back(std::move(node.unit));
    return units;
  }
  XF_TRY(auto unit, store::find_unit_by_code(tx, root_code));
  if (!unit) return Error::not_found({"找不到该单位", "No such unit"});
  XF_CHECK(auth::authorize(actor, auth::Action::view_unit_admin, ancestry_from_path(unit->path)));
  return std::vector<Unit>{std::move(*unit)};
}

// Who keeps the registers of `root` and so sees whole phone numbers: a
// system admin or an org_admin of the root or above. Secretaries and
// auditors get them masked.
bool sees_full_phones(const auth::Actor& actor, const Unit& root) {
  if (actor.is_system_admin()) return true;
  auto ancestry = ancestry_from_path(root.path);
  return std::any_of(actor.grants.begin(), actor.grants.end(), [&](const auth::Grant& g) {
    return g.role == auth::Role::org_admin &&
           std::find(ancestry.begin(), ancestry.end(), g.unit_id) != ancestry.end();
  });
}

std::string phone_for(std::string_view phone, bool full) {
  if (phone.empty()) return "";
  return full ? std::string(phone) : mask_phone(phone);
}

}  // namespace

Status export_units_xlsx(storage::Database& db, const auth::Actor& actor,
                         std::string_view root_code, const std::string& file_path) {
  XF_TRY(auto tx, db.begin(storage::Access::read));
  XF_TRY(auto roots, export_roots(*tx, actor, root_code));
  XF_TRY(auto fields, store::fields(*tx));
  std::map<std::string, std::string> field_names;
  for (const auto& f : fields) field_names[f.code] = f.name_zh;

  Sheet sheet(file_path, "单位",
              {"编码", "名称", "类型", "领域", "上级编码", "联系人", "联系电话", "地址", "状态"});
  int64_t rows = 0;
  for (const auto& root : roots) {
    XF_TRY(auto units, store::subtree(*tx, root));
    rows += static_cast<int64_t>(units.size());
    if (rows > kMaxExportRows) return too_many_rows();
    bool full = sees_full_phones(actor, root);
    std::map<Id, std::string> codes;
    XF_TRY(auto above, store::ancestors(*tx, root));
    for (const auto& u : above) codes[u.id] = u.code;
    for (const auto& u : units) {
      codes[u.id] = u.code;
      sheet.add_row({u.code, u.name, std::string(kind_name_zh(u.kind)), field_names[u.field],
                     u.parent_id ? codes[*u.parent_id] : "", u.contact_name,
                     phone_for(u.contact_phone, full), u.address,
                     u.status == UnitStatus::active ? "正常" : "已撤销"});
    }
  }
  return sheet.close();
}

Status export_members_xlsx(storage::Database& db, const auth::Actor& actor,
                           std::string_view root_code, const std::string& file_path) {
  XF_TRY(auto tx, db.begin(storage::Access::read));
  XF_TRY(auto roots, export_roots(*tx, actor, root_code));
  Sheet sheet(file_path, "党员",
              {"姓名", "单位编码", "单位名称", "岗位", "入党日期", "状态", "手机号", "身份证号"});
  int64_t rows = 0;
  for (const auto& root : roots) {
    store::MemberQuery query;
    query.subtree = true;
    query.limit = kMaxExportRows + 1 - rows;
    XF_TRY(auto page, store::list_members(*tx, root, query));
    rows += page.total;
    if (rows > kMaxExportRows) return too_many_rows();
    bool full = sees_full_phones(actor, root);
    for (const auto& row : page.items) {
      const Member& m = row.member;
      sheet.add_row({m.name, row.unit_code, row.unit_name, m.post, m.joined_on,
                     std::string(member_status_name_zh(m.status)),
                     phone_for(m.phone.value_or(""), full),
                     m.id_number ? mask_id_number(*m.id_number) : ""});
    }
  }
  return sheet.close();
}

}  // namespace xf::organizations
