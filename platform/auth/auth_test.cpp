#include "platform/auth/auth.h"

#include <gtest/gtest.h>

#include <set>

namespace xf::auth {
namespace {

const std::vector<Action> kAllActions = {
    Action::view_unit_admin,   Action::edit_unit,           Action::manage_units,
    Action::manage_members,    Action::import_data,         Action::manage_accounts,
    Action::read_audit,        Action::view_requests_admin, Action::handle_requests,
    Action::route_requests,    Action::configure_requests,  Action::manage_campaigns,
    Action::manage_theme,      Action::approve_theme,       Action::manage_plan,
    Action::moderate_comments, Action::manage_commitments,  Action::vet_commitments,
    Action::issue_bulletins,   Action::manage_evaluations,  Action::grade_members};

// What each role may do inside its subtree: the table README.md shows.
const std::map<Role, std::set<Action>> kExpected = {
    {Role::org_admin, {kAllActions.begin(), kAllActions.end()}},
    {Role::secretary,
     {Action::view_unit_admin, Action::edit_unit, Action::manage_members, Action::import_data,
      Action::view_requests_admin, Action::handle_requests, Action::manage_theme,
      Action::manage_plan, Action::manage_commitments, Action::grade_members}},
    {Role::auditor, {Action::view_unit_admin, Action::read_audit, Action::view_requests_admin}},
    {Role::member, {}},
    {Role::resident, {}},
};

Actor actor_with(Role role, Id unit_id) {
  Actor actor;
  actor.account_id = 7;
  actor.grants = {{1, role, unit_id}};
  return actor;
}

const std::vector<Id> kInside = {1, 11, 111};  // a branch below the granted township 11
const std::vector<Id> kGrantedUnit = {1, 11};
const std::vector<Id> kOutside = {1, 12, 121};  // the other township's branch
const std::vector<Id> kAbove = {1};             // the county above the grant

TEST(Authorize, EveryScopedRoleAndActionInsideAndOutsideItsSubtree) {
  for (const auto& [role, allowed] : kExpected) {
    // member and resident hold no unit: nothing of the admin tree is theirs.
    Id unit = (role == Role::member || role == Role::resident) ? 0 : 11;
    Actor actor = actor_with(role, unit);
    for (Action action : kAllActions) {
      SCOPED_TRACE(std::string(role_name(role)) + " action " +
                   std::to_string(static_cast<int>(action)));
      for (const auto* ancestry : {&kInside, &kGrantedUnit}) {
        Status status = authorize(actor, action, *ancestry);
        if (unit == 0) {
          ASSERT_FALSE(status.ok());
          EXPECT_EQ(status.error().code, ErrorCode::not_found);
        } else if (allowed.contains(action)) {
          EXPECT_TRUE(status.ok());
        } else {
          ASSERT_FALSE(status.ok());
          EXPECT_EQ(status.error().code, ErrorCode::permission_denied);
        }
      }
      for (const auto* ancestry : {&kOutside, &kAbove}) {
        Status status = authorize(actor, action, *ancestry);
        ASSERT_FALSE(status.ok());
        EXPECT_EQ(status.error().code, ErrorCode::not_found);
      }
    }
  }
}

TEST(Authorize, SystemAdminMayDoEverythingEverywhere) {
  Actor admin = actor_with(Role::system_admin, 0);
  for (Action action : kAllActions) {
    EXPECT_TRUE(authorize(admin, action, kOutside).ok());
    EXPECT_TRUE(authorize(admin, action, kAbove).ok());
  }
}

TEST(Authorize, TheMostPermissiveGrantCoveringTheUnitDecides) {
  Actor actor = actor_with(Role::auditor, 1);
  actor.grants.push_back({2, Role::secretary, 11});
  EXPECT_TRUE(authorize(actor, Action::manage_members, kInside).ok());
  EXPECT_EQ(authorize(actor, Action::manage_members, kOutside).error().code,
            ErrorCode::permission_denied);
  EXPECT_TRUE(authorize(actor, Action::read_audit, kOutside).ok());
}

TEST(Authorize, AnActorWithoutGrantsFindsNothing) {
  Actor nobody;
  EXPECT_EQ(authorize(nobody, Action::view_unit_admin, kInside).error().code, ErrorCode::not_found);
}

TEST(Scope, RootsAreTheGrantsWhoseRoleAllowsTheAction) {
  Actor actor = actor_with(Role::secretary, 111);
  actor.grants.push_back({2, Role::auditor, 12});
  EXPECT_EQ(admin_scope(actor).roots, (std::vector<Id>{111, 12}));
  EXPECT_EQ(scope_for(actor, Action::read_audit).roots, (std::vector<Id>{12}));
  EXPECT_TRUE(scope_for(actor, Action::manage_accounts).roots.empty());
  EXPECT_FALSE(scope_for(actor, Action::manage_accounts).all);
  EXPECT_TRUE(admin_scope(actor_with(Role::system_admin, 0)).all);
}

TEST(Roles, NamesRoundTrip) {
  for (Role role : {Role::system_admin, Role::org_admin, Role::secretary, Role::auditor,
                    Role::member, Role::resident})
    EXPECT_EQ(parse_role(role_name(role)), role);
  EXPECT_FALSE(parse_role("root"));
}

}  // namespace
}  // namespace xf::auth
