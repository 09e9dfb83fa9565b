#include "platform/auth/auth.h"

#include <algorithm>

namespace xf::auth {
namespace {

struct RoleRow {
  Role role;
  std::string_view name;
  // The actions the role allows inside the subtree of its grant.
  std::vector<Action> actions;
};

const std::vector<RoleRow>& role_table() {
  static const std::vector<RoleRow> table = {
      {Role::system_admin, "system_admin", {}},  // everything, everywhere: see authorize
      {Role::org_admin,
       "org_admin",
       {Action::view_unit_admin,   Action::edit_unit,           Action::manage_units,
        Action::manage_members,    Action::import_data,         Action::manage_accounts,
        Action::read_audit,        Action::view_requests_admin, Action::handle_requests,
        Action::route_requests,    Action::configure_requests,  Action::manage_campaigns,
        Action::manage_theme,      Action::approve_theme,       Action::manage_plan,
        Action::moderate_comments, Action::manage_commitments,  Action::vet_commitments,
        Action::issue_bulletins,   Action::manage_evaluations,  Action::grade_members}},
      // A branch secretary keeps the branch's own data; the structure of the
      // tree and who holds which role stay with the organisation's admins.
      {Role::secretary,
       "secretary",
       {Action::view_unit_admin, Action::edit_unit, Action::manage_members, Action::import_data,
        Action::view_requests_admin, Action::handle_requests, Action::manage_theme,
        Action::manage_plan, Action::manage_commitments, Action::grade_members}},
      // Read-only oversight.
      {Role::auditor,
       "auditor",
       {Action::view_unit_admin, Action::read_audit, Action::view_requests_admin}},
      {Role::member, "member", {}},
      {Role::resident, "resident", {}},
  };
  return table;
}

const RoleRow& row_of(Role role) {
  const auto& table = role_table();
  return *std::find_if(table.begin(), table.end(),
                       [role](const RoleRow& row) { return row.role == role; });
}

// Roles granted on a unit, whose grant covers its subtree.
bool is_scoped(Role role) {
  return role == Role::org_admin || role == Role::secretary || role == Role::auditor;
}

}  // namespace

std::string_view role_name(Role role) {
  return row_of(role).name;
}

std::optional<Role> parse_role(std::string_view name) {
  for (const auto& row : role_table())
    if (row.name == name) return row.role;
  return std::nullopt;
}

bool role_allows(Role role, Action action) {
  if (role == Role::system_admin) return true;
  const auto& actions = row_of(role).actions;
  return std::find(actions.begin(), actions.end(), action) != actions.end();
}

bool Actor::is_system_admin() const {
  return std::any_of(grants.begin(), grants.end(),
                     [](const Grant& g) { return g.role == Role::system_admin; });
}

Status authorize(const Actor& actor, Action action, std::span<const Id> ancestry) {
  if (actor.is_system_admin()) return {};
  bool inside = false;
  for (const auto& grant : actor.grants) {
    if (!is_scoped(grant.role)) continue;
    if (std::find(ancestry.begin(), ancestry.end(), grant.unit_id) == ancestry.end()) continue;
    inside = true;
    if (role_allows(grant.role, action)) return {};
  }
  if (!inside) return Error::not_found({"未找到该对象", "Not found"});
  return Error::permission_denied();
}

Scope scope_for(const Actor& actor, Action action) {
  if (actor.is_system_admin()) return {true, {}};
  Scope scope;
  for (const auto& grant : actor.grants) {
    if (!is_scoped(grant.role) || !role_allows(grant.role, action)) continue;
    if (std::find(scope.roots.begin(), scope.roots.end(), grant.unit_id) == scope.roots.end())
      scope.roots.push_back(grant.unit_id);
  }
  return scope;
}

Scope admin_scope(const Actor& actor) {
  return scope_for(actor, Action::view_unit_admin);
}

}  // namespace xf::auth
