#pragma once
// Accounts and role grants: every change authorizes, validates, writes and
// appends its audit entry in one transaction (audit::write). Internal to
// platform/auth; the routes and the CLI (through AuthModule) call it.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/audit/audit.h"
#include "platform/auth/account_store.h"
#include "platform/auth/auth.h"
#include "platform/auth/unit_directory.h"
#include "platform/core/clock.h"
#include "platform/core/random.h"
#include "platform/storage/database.h"

namespace xf::auth {

// Trimmed and lower-cased; invalid_argument naming "username" unless it is
// 3–32 of a–z, 0–9, '.', '_' and '-'.
Result<std::string> normalise_username(std::string_view username);

// Links an account to a member record (the person's own commitments and
// votes go through it), inside the caller's transaction: features/
// organizations owns members and decides who may link. The member's previous
// account, if any, is unlinked. not_found naming `username` for an unknown
// account; conflict when the account is linked to another member. Returns
// the account's id.
Result<Id> link_member(storage::Transaction& tx, std::string_view username, Id member_id);
// Unlinks whichever account is linked to the member; its id, if there was one.
Result<std::optional<Id>> unlink_member(storage::Transaction& tx, Id member_id);

// The account a CLI verb acts as: a system admin named "system".
Actor system_actor();

// An audit entry about an account, on the installation-wide chain.
audit::Entry account_audit_entry(const Actor& actor, std::string action, Id account_id,
                                 std::string summary);

struct RoleView {
  Grant grant;
  std::string unit_code;  // "" for roles without a unit
  std::string unit_name;
};
struct UserView {
  Account account;
  std::vector<RoleView> roles;
};
struct UserPage {
  std::vector<UserView> users;
  int64_t total = 0;
};

class AccountService {
 public:
  AccountService(storage::Database& db, const Clock& clock, Random& random,
                 UnitDirectory& directory);

  Result<Id> create(const Actor& actor, std::string_view username, std::string_view display_name,
                    std::string_view password);
  // An admin sets a new password; every session of the account ends.
  Status reset_password(const Actor& actor, Id target, std::string_view password);
  // Disabling ends every session of the account.
  Status set_disabled(const Actor& actor, Id target, bool disabled);
  Result<Grant> add_grant(const Actor& actor, Id target, Role role, std::string_view unit_code);
  Status remove_grant(const Actor& actor, Id target, Id grant_id);
  // A system admin sees every account; an org admin the accounts holding a
  // grant within its subtree.
  Result<UserPage> list(const Actor& actor, std::string_view query, int page, int page_size);
  Status update_profile(const Actor& actor, std::optional<Lang> lang,
                        std::optional<std::string> display_name);

  Result<Id> id_of(std::string_view username);
  Result<UserView> view(Id account_id);
  // The actor as a session would see it: account fields and grants.
  Result<std::optional<Actor>> load_actor(storage::Transaction& tx, Id account_id);

 private:
  Result<UserView> view_in(storage::Transaction& tx, const Account& account);
  // not_found unless the actor may manage the target account (README.md).
  Result<Account> managed_account(storage::Transaction& tx, const Actor& actor, Id target);
  Result<UnitRef> unit_for_grant(storage::Transaction& tx, const Actor& actor, Role role,
                                 std::string_view unit_code);

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  UnitDirectory& directory_;
};

}  // namespace xf::auth
