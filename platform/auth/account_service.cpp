#include "platform/auth/account_service.h"

#include <algorithm>

#include "platform/audit/write.h"
#include "platform/auth/password.h"

namespace xf::auth {
namespace {

constexpr size_t kMaxDisplayNameChars = 64;

Error no_such_account() {
  return Error::not_found({"账号不存在", "No such account"});
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

Result<std::string> valid_display_name(std::string_view text) {
  std::string name(trim(text));
  size_t chars = 0;
  bool control = false;
  for (unsigned char c : name) {
    if ((c & 0xC0) != 0x80) ++chars;
    if (c < 0x20 || c == 0x7f) control = true;
  }
  if (name.empty())
    return Error::invalid("display_name", {"姓名不能为空", "The display name is required"});
  if (chars > kMaxDisplayNameChars || control)
    return Error::invalid("display_name", {"姓名最多 64 个字符,且不能包含控制字符",
                                           "The display name may have at most 64 characters "
                                           "and no control characters"});
  return name;
}

// An admin of accounts: a system admin, or an org admin somewhere.
Status require_account_admin(const Actor& actor) {
  if (actor.is_system_admin() || !scope_for(actor, Action::manage_accounts).roots.empty())
    return {};
  return Error::permission_denied();
}

bool is_grantable(Role role) {
  return role == Role::system_admin || role == Role::org_admin || role == Role::secretary ||
         role == Role::auditor;
}

}  // namespace

Result<std::string> normalise_username(std::string_view username) {
  std::string name(trim(username));
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  bool valid_chars = std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
  if (name.size() < 3 || name.size() > 32 || !valid_chars)
    return Error::invalid("username",
                          {"用户名须为 3–32 个字母、数字或 . _ -",
                           "The username must be 3–32 letters, digits, '.', '_' or '-'"});
  return name;
}

Actor system_actor() {
  Actor actor;
  actor.username = "system";
  actor.display_name = "system";
  actor.grants = {Grant{0, Role::system_admin, 0}};
  return actor;
}

audit::Entry account_audit_entry(const Actor& actor, std::string action, Id account_id,
                                 std::string summary) {
  audit::Entry entry;
  entry.actor_id = actor.account_id;
  entry.actor_name = actor.username;
  entry.action = std::move(action);
  entry.object_type = "account";
  entry.object_id = id_to_string(account_id);
  entry.summary = std::move(summary);
  return entry;
}

AccountService::AccountService(storage::Database& db, const Clock& clock, Random& random,
                               UnitDirectory& directory)
    : db_(db), clock_(clock), random_(random), directory_(directory) {}

Result<Id> AccountService::create(const Actor& actor, std::string_view username,
                                  std::string_view display_name, std::string_view password) {
  XF_CHECK(require_account_admin(actor));
  std::vector<FieldError> invalid;
  auto name = normalise_username(username);
  auto display = valid_display_name(display_name);
  auto policy = check_password_policy(password);
  for (const Error* e :
       {name.ok() ? nullptr : &name.error(), display.ok() ? nullptr : &display.error(),
        policy.ok() ? nullptr : &policy.error()})
    if (e) invalid.insert(invalid.end(), e->fields.begin(), e->fields.end());
  if (!invalid.empty()) return Error::invalid_fields(std::move(invalid));
  // Hashing takes tens of milliseconds: done before the write transaction.
  XF_TRY(std::string hash, hash_password(password, random_));
  auto created = audit::write(db_, clock_, [&](audit::Change& change) -> Result<Id> {
    Account account{random_.next_id(), *name,         *display,    hash, Lang::zh_CN, false,
                    change.now_ms,     change.now_ms, std::nullopt};
    XF_CHECK(AccountStore::insert(change.tx, account));
    change.record(account_audit_entry(actor, "account.create", account.id,
                                      "created account " + account.username));
    return account.id;
  });
  if (!created.ok() && storage::is_unique_violation(created.error()))
    return Error::invalid("username", {"该用户名已被使用", "This username is already taken"});
  return created;
}

Result<Account> AccountService::managed_account(storage::Transaction& tx, const Actor& actor,
                                                Id target) {
  XF_TRY(auto account, AccountStore::find_by_id(tx, target));
  if (!account) return no_such_account();
  if (actor.is_system_admin()) return *account;
  XF_CHECK(require_account_admin(actor));
  XF_TRY(auto grants, AccountStore::grants_of(tx, target));
  // Every unit the account holds a role on must lie in the actor's subtree,
  // so an org admin cannot take over an account with power elsewhere.
  for (const auto& grant : grants) {
    if (grant.role == Role::system_admin) return no_such_account();
    if (grant.unit_id == 0) continue;
    auto unit = directory_.find_by_id(tx, grant.unit_id);
    if (!unit.ok()) return no_such_account();
    auto allowed = authorize(actor, Action::manage_accounts, unit->ancestry);
    if (!allowed.ok()) return no_such_account();
  }
  return *account;
}

Status AccountService::reset_password(const Actor& actor, Id target, std::string_view password) {
  XF_CHECK(check_password_policy(password));
  XF_TRY(std::string hash, hash_password(password, random_));
  return audit::write(db_, clock_, [&](audit::Change& change) -> Status {
    XF_TRY(auto account, managed_account(change.tx, actor, target));
    XF_CHECK(AccountStore::set_password(change.tx, target, hash, change.now_ms));
    XF_CHECK(AccountStore::end_sessions_of(change.tx, target, change.now_ms));
    change.record(account_audit_entry(
        actor, "account.password_reset", target,
        "password of " + account.username + " reset by an administrator; sessions ended"));
    return {};
  });
}

Status AccountService::set_disabled(const Actor& actor, Id target, bool disabled) {
  if (disabled && target == actor.account_id)
    return Error::conflict({"不能停用自己的账号", "You cannot disable your own account"});
  return audit::write(db_, clock_, [&](audit::Change& change) -> Status {
    XF_TRY(auto account, managed_account(change.tx, actor, target));
    XF_CHECK(AccountStore::set_disabled(change.tx, target, disabled));
    if (disabled) XF_CHECK(AccountStore::end_sessions_of(change.tx, target, change.now_ms));
    change.record(account_audit_entry(
        actor, disabled ? "account.disable" : "account.enable", target,
        (disabled ? "disabled account " : "enabled account ") + account.username));
    return {};
  });
}

Result<UnitRef> AccountService::unit_for_grant(storage::Transaction& tx, const Actor& actor,
                                               Role role, std::string_view unit_code) {
  if (role == Role::system_admin) {
    if (!actor.is_system_admin()) return Error::permission_denied();
    if (!unit_code.empty())
      return Error::invalid("unit_code", {"系统管理员角色不属于任何组织",
                                          "The system admin role is not granted on a unit"});
    return UnitRef{};
  }
  if (unit_code.empty()) return Error::invalid("unit_code", {"请选择组织", "Choose the unit"});
  auto unit = directory_.find_by_code(tx, unit_code);
  if (!unit.ok()) {
    if (unit.error().code != ErrorCode::not_found) return std::move(unit).error();
    return Error::invalid("unit_code", {"没有这个组织代码", "There is no unit with this code"});
  }
  XF_CHECK(authorize(actor, Action::manage_accounts, unit->ancestry));
  return std::move(unit).value();
}

Result<Grant> AccountService::add_grant(const Actor& actor, Id target, Role role,
                                        std::string_view unit_code) {
  if (!is_grantable(role))
    return Error::invalid("role", {"只能授予系统管理员、组织管理员、支部书记或监督员角色",
                                   "Only system_admin, org_admin, secretary or auditor can be "
                                   "granted here"});
  auto granted = audit::write(db_, clock_, [&](audit::Change& change) -> Result<Grant> {
    XF_TRY(auto account, managed_account(change.tx, actor, target));
    XF_TRY(auto unit, unit_for_grant(change.tx, actor, role, unit_code));
    Grant grant{random_.next_id(), role, unit.id};
    XF_CHECK(AccountStore::insert_grant(change.tx, target, grant, change.now_ms));
    audit::Entry entry =
        account_audit_entry(actor, "grant.add", target,
                            "granted " + std::string(role_name(role)) + " to " + account.username +
                                (unit.id ? " on unit " + unit.code : std::string()));
    entry.unit_id = unit.id;
    entry.unit_path = audit::unit_path_of(unit.ancestry);
    entry.shard_id = unit.shard_id;
    change.record(std::move(entry));
    return grant;
  });
  if (!granted.ok() && storage::is_unique_violation(granted.error()))
    return Error::conflict({"该账号已拥有这个角色", "The account already holds this role"});
  return granted;
}

Status AccountService::remove_grant(const Actor& actor, Id target, Id grant_id) {
  return audit::write(db_, clock_, [&](audit::Change& change) -> Status {
    XF_TRY(auto account, AccountStore::find_by_id(change.tx, target));
    if (!account) return no_such_account();
    XF_TRY(auto grants, AccountStore::grants_of(change.tx, target));
    auto grant = std::find_if(grants.begin(), grants.end(),
                              [&](const Grant& g) { return g.id == grant_id; });
    if (grant == grants.end()) return Error::not_found({"没有这个角色授予", "No such grant"});
    UnitRef unit;
    if (grant->role == Role::system_admin) {
      // Not found for anyone else, so nothing leaks about system admins.
      if (!actor.is_system_admin()) return no_such_account();
      if (target == actor.account_id)
        return Error::conflict(
            {"不能撤销自己的系统管理员角色", "You cannot revoke your own system admin role"});
    } else if (grant->unit_id != 0) {
      XF_TRY(unit, directory_.find_by_id(change.tx, grant->unit_id));
      XF_CHECK(authorize(actor, Action::manage_accounts, unit.ancestry));
    } else if (!actor.is_system_admin()) {
      return Error::permission_denied();
    }
    XF_CHECK(AccountStore::delete_grant(change.tx, grant_id));
    audit::Entry entry = account_audit_entry(
        actor, "grant.remove", target,
        "revoked " + std::string(role_name(grant->role)) + " from " + account->username +
            (unit.id ? " on unit " + unit.code : std::string()));
    entry.unit_id = unit.id;
    entry.unit_path = audit::unit_path_of(unit.ancestry);
    entry.shard_id = unit.shard_id;
    change.record(std::move(entry));
    return {};
  });
}

Result<UserPage> AccountService::list(const Actor& actor, std::string_view query, int page,
                                      int page_size) {
  XF_CHECK(require_account_admin(actor));
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  AccountFilter filter;
  filter.query = std::string(trim(query));
  filter.limit = page_size;
  filter.offset = (page - 1) * page_size;
  if (!actor.is_system_admin()) {
    // The units holding grants are few next to the accounts: each is placed
    // in or out of the actor's subtree through the organisation tree.
    XF_TRY(auto units, AccountStore::granted_units(*tx));
    std::vector<Id> inside;
    for (Id unit_id : units) {
      auto unit = directory_.find_by_id(*tx, unit_id);
      if (unit.ok() && authorize(actor, Action::manage_accounts, unit->ancestry).ok())
        inside.push_back(unit_id);
    }
    filter.grant_units = std::move(inside);
  }
  XF_TRY(auto found, AccountStore::list(*tx, filter));
  UserPage result;
  result.total = found.second;
  for (const auto& account : found.first) {
    XF_TRY(auto view, view_in(*tx, account));
    result.users.push_back(std::move(view));
  }
  return result;
}

Status AccountService::update_profile(const Actor& actor, std::optional<Lang> lang,
                                      std::optional<std::string> display_name) {
  std::optional<std::string> valid_name;
  if (display_name) {
    XF_TRY(valid_name, valid_display_name(*display_name));
  }
  return audit::write(db_, clock_, [&](audit::Change& change) -> Status {
    XF_TRY(auto account, AccountStore::find_by_id(change.tx, actor.account_id));
    if (!account) return no_such_account();
    XF_CHECK(AccountStore::set_profile(change.tx, account->id, lang.value_or(account->lang),
                                       valid_name.value_or(account->display_name)));
    change.record(account_audit_entry(actor, "account.update", account->id,
                                      "updated own language or display name"));
    return {};
  });
}

Result<Id> link_member(storage::Transaction& tx, std::string_view username, Id member_id) {
  XF_TRY(std::string name, normalise_username(username));
  XF_TRY(auto account, AccountStore::find_by_username(tx, name));
  if (!account) return Error::invalid("username", {"账号不存在", "No such account"});
  if (account->member_id && *account->member_id != member_id)
    return Error::conflict({"该账号已关联另一名党员", "The account is linked to another member"});
  XF_CHECK(unlink_member(tx, member_id));
  XF_CHECK(AccountStore::set_member(tx, account->id, member_id));
  return account->id;
}

Result<std::optional<Id>> unlink_member(storage::Transaction& tx, Id member_id) {
  XF_TRY(auto linked, AccountStore::find_by_member(tx, member_id));
  if (!linked) return std::optional<Id>{};
  XF_CHECK(AccountStore::set_member(tx, linked->id, std::nullopt));
  return std::optional<Id>{linked->id};
}

Result<Id> AccountService::id_of(std::string_view username) {
  XF_TRY(std::string name, normalise_username(username));
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto account, AccountStore::find_by_username(*tx, name));
  if (!account) return no_such_account();
  return account->id;
}

Result<UserView> AccountService::view(Id account_id) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto account, AccountStore::find_by_id(*tx, account_id));
  if (!account) return no_such_account();
  return view_in(*tx, *account);
}

Result<UserView> AccountService::view_in(storage::Transaction& tx, const Account& account) {
  XF_TRY(auto grants, AccountStore::grants_of(tx, account.id));
  UserView view{account, {}};
  for (const auto& grant : grants) {
    RoleView role{grant, "", ""};
    if (grant.unit_id != 0) {
      // A unit closed since the grant still shows, by id.
      auto unit = directory_.find_by_id(tx, grant.unit_id);
      if (unit.ok()) {
        role.unit_code = unit->code;
        role.unit_name = unit->name;
      }
    }
    view.roles.push_back(std::move(role));
  }
  return view;
}

Result<std::optional<Actor>> AccountService::load_actor(storage::Transaction& tx, Id account_id) {
  XF_TRY(auto account, AccountStore::find_by_id(tx, account_id));
  if (!account || account->disabled) return std::optional<Actor>{};
  XF_TRY(auto grants, AccountStore::grants_of(tx, account_id));
  Actor actor;
  actor.account_id = account->id;
  actor.username = account->username;
  actor.display_name = account->display_name;
  actor.lang = account->lang;
  actor.grants = std::move(grants);
  actor.member_id = account->member_id;
  return std::optional<Actor>{std::move(actor)};
}

}  // namespace xf::auth
