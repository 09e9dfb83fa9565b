#pragma once
// The organisation tree as app/main.cpp sees it: routes, auth's directory,
// and the CLI verbs (import, export, demo), which act as the system.
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "features/organizations/organizations_demo.h"
#include "features/organizations/organizations_import.h"
#include "features/organizations/organizations_service.h"
#include "features/organizations/organizations_store.h"
#include "platform/auth/unit_directory.h"
#include "platform/core/clock.h"
#include "platform/core/random.h"
#include "platform/http/http.h"
#include "platform/storage/database.h"
#include "platform/storage/migrations.h"

namespace xf::organizations {

// Defined by the embedded migrations (cmake xf_migrations).
std::span<const storage::Migration> organizations_migrations();

class OrganizationsModule {
 public:
  OrganizationsModule(storage::Database& db, const Clock& clock, Random& random);
  auth::UnitDirectory& directory() { return directory_; }
  // The public site's address ("https://dangjian.example.gov.cn") that QR
  // codes point to; when unset, it is taken from the request's Host header.
  void set_public_base_url(std::string url) { public_base_url_ = std::move(url); }
  void register_routes(http::Router& router);

  Result<ImportReport> import_units_csv(const std::string& file_path, std::string_view parent_code);
  Result<ImportReport> import_members_csv(const std::string& file_path, std::string_view unit_code);
  Status export_units_xlsx(const std::string& file_path, std::string_view root_code);
  Status export_members_xlsx(const std::string& file_path, std::string_view root_code);
  Result<DemoSummary> load_demo();
  // The demo's member login: the featured branch's first member after its
  // secretary (whose member commitments the demo makes) gets `username`.
  Status link_demo_member(const DemoSummary& demo, std::string_view username);

 private:
  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  store::UnitDirectory directory_;
  OrganizationsService service_;
  std::string public_base_url_;
};

}  // namespace xf::organizations
