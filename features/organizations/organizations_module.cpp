#include "features/organizations/organizations_module.h"

#include <fstream>
#include <sstream>

#include "features/organizations/organizations_export.h"
#include "features/organizations/organizations_routes.h"

namespace xf::organizations {

namespace {

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::invalid("file", {"无法读取文件 " + path, "Cannot read the file " + path});
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace

OrganizationsModule::OrganizationsModule(storage::Database& db, const Clock& clock, Random& random)
    : db_(db), clock_(clock), random_(random), service_(db, clock, random) {}

void OrganizationsModule::register_routes(http::Router& router) {
  RouteContext context{db_, clock_, random_, service_, public_base_url_};
  register_public_routes(router, context);
  register_admin_routes(router, context);
}

Result<ImportReport> OrganizationsModule::import_units_csv(const std::string& file_path,
                                                           std::string_view parent_code) {
  XF_TRY(auto bytes, read_file(file_path));
  return import_units(db_, clock_, random_, system_actor(), bytes, parent_code);
}

Result<ImportReport> OrganizationsModule::import_members_csv(const std::string& file_path,
                                                             std::string_view unit_code) {
  XF_TRY(auto bytes, read_file(file_path));
  return import_members(db_, clock_, random_, system_actor(), bytes, unit_code);
}

Status OrganizationsModule::export_units_xlsx(const std::string& file_path,
                                              std::string_view root_code) {
  return organizations::export_units_xlsx(db_, system_actor(), root_code, file_path);
}

Status OrganizationsModule::export_members_xlsx(const std::string& file_path,
                                                std::string_view root_code) {
  return organizations::export_members_xlsx(db_, system_actor(), root_code, file_path);
}

Result<DemoSummary> OrganizationsModule::load_demo() {
  return organizations::load_demo(db_, clock_);
}

Status OrganizationsModule::link_demo_member(const DemoSummary& demo, std::string_view username) {
  const auth::Actor admin = system_actor();
  XF_TRY(auto members, service_.list_members(admin, demo.branch_code, {"", false, 0, 2}));
  if (members.items.size() < 2)
    return Error::conflict({"演示支部党员不足", "The demo branch has too few members"});
  XF_TRY(auto linked, service_.set_member_account(admin, members.items[1].member.id, username));
  (void)linked;
  return {};
}

}  // namespace xf::organizations
