#pragma once
// Who is acting, and what they may do. Every permission is role × subtree:
// a grant of a role on a unit holds for that unit and everything below it.
//
// One function decides: authorize(actor, action, ancestry). The caller (a
// feature's service) passes the target unit's ancestry — its own id and the
// ids of all its ancestors, root first — which it reads from the
// organisation tree; auth itself knows no feature.
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "platform/core/id.h"
#include "platform/core/result.h"
#include "platform/core/text.h"

namespace xf::auth {

enum class Role { system_admin, org_admin, secretary, auditor, member, resident };
std::string_view role_name(Role role);
std::optional<Role> parse_role(std::string_view name);

struct Grant {
  Id id = 0;
  Role role = Role::resident;
  Id unit_id = 0;  // 0 for system_admin, member and resident
};

struct Actor {
  Id account_id = 0;
  std::string username;
  std::string display_name;
  Lang lang = Lang::zh_CN;
  std::vector<Grant> grants;
  Id session_id = 0;
  std::optional<Id> member_id;  // the member record linked to this account

  bool is_system_admin() const;
};

// What a service asks permission for. The table in auth.cpp says which role
// may do which; the unit (by its ancestry) says where.
enum class Action {
  view_unit_admin,  // admin view of a unit: contacts, members, exports
  edit_unit,        // contact and address of the unit itself
  manage_units,     // create below, rename, move, close
  manage_members,   // add, edit, move, remove members
  import_data,      // CSV imports into the subtree
  manage_accounts,  // create accounts and grant roles within the subtree
  read_audit,       // browse the audit trail of the subtree
  // Residents' problems (features/requests):
  view_requests_admin,  // the queue, contacts of reporters, figures
  handle_requests,      // accept, work on, resolve, refer up, close, answer reopen asks
  route_requests,       // reassign within the subtree, category routing rules
  configure_requests,   // the category lists and their time limits (on a top-level unit)
  // Campaigns (features/campaigns):
  manage_campaigns,   // campaigns of the subtree: central tasks, criteria, carriers, templates
  manage_theme,       // a unit's own theme (争创主题): draft and submit
  approve_theme,      // approve or return the themes of units strictly below the grant
  manage_plan,        // a unit's activity plan: draft, open for comment, answer, adopt
  moderate_comments,  // hide an abusive public comment, with a recorded reason
  // Public commitments (features/commitments):
  manage_commitments,  // a unit's own commitments: draft, submit, revise, progress, self-assessment
  vet_commitments,  // vet (approve/return), the superior's comment and the result, below the grant
  issue_bulletins,  // generate, edit and publish bulletins (通报) for the subtree
  // Evaluation rounds (features/evaluations):
  manage_evaluations,  // define, open, close and publish rounds of the subtree; issue ballot codes
  grade_members,       // the branch's final grades of its members (看票不唯票) and follow-ups
};

// ok, or not_found when the unit is outside every subtree the actor holds a
// role in (so nothing about it leaks), or permission_denied when inside but
// the role does not allow the action.
Status authorize(const Actor& actor, Action action, std::span<const Id> ancestry);

// Units the actor may view in the admin console (roots of their subtrees);
// empty with `all` true for a system admin.
struct Scope {
  bool all = false;
  std::vector<Id> roots;
};
Scope admin_scope(const Actor& actor);
// The roots of the subtrees in which the actor may do `action` (the units of
// its grants whose role allows it); `all` for a system admin. Used to list
// what an actor may see without asking about one unit at a time.
Scope scope_for(const Actor& actor, Action action);
// Whether `role` allows `action` inside its subtree (the table in auth.cpp).
bool role_allows(Role role, Action action);

}  // namespace xf::auth
