#pragma once
// The SQL of accounts, grants and sessions (migrations/0001_accounts.sql),
// shared by the account and session services. Internal to platform/auth.
#include <optional>
#include <string>
#include <vector>

#include "platform/auth/auth.h"
#include "platform/storage/database.h"

namespace xf::auth {

struct Account {
  Id id = 0;
  std::string username;  // normalised
  std::string display_name;
  std::string password_hash;
  Lang lang = Lang::zh_CN;
  bool disabled = false;
  int64_t password_changed_at = 0;
  int64_t created_at = 0;
  std::optional<Id> member_id;
};

struct StoredSession {
  Id id = 0;
  Id account_id = 0;
  std::string csrf_token;
  int64_t created_at = 0;
  int64_t last_seen_at = 0;
  int64_t expires_at = 0;
};

struct AccountFilter {
  std::string query;                           // part of username or display name
  std::optional<std::vector<Id>> grant_units;  // only accounts with a grant on one of these
  int offset = 0;
  int limit = 20;
};

class AccountStore {
 public:
  static Result<std::optional<Account>> find_by_username(storage::Transaction& tx,
                                                         std::string_view username);
  static Result<std::optional<Account>> find_by_id(storage::Transaction& tx, Id id);
  static Status insert(storage::Transaction& tx, const Account& account);
  static Status set_password(storage::Transaction& tx, Id id, const std::string& hash,
                             int64_t now_ms);
  static Status set_disabled(storage::Transaction& tx, Id id, bool disabled);
  static Status set_member(storage::Transaction& tx, Id id, std::optional<Id> member_id);
  static Result<std::optional<Account>> find_by_member(storage::Transaction& tx, Id member_id);
  static Status set_profile(storage::Transaction& tx, Id id, Lang lang,
                            const std::string& display_name);
  // A page of accounts by username, and how many match in all.
  static Result<std::pair<std::vector<Account>, int64_t>> list(storage::Transaction& tx,
                                                               const AccountFilter& filter);

  static Result<std::vector<Grant>> grants_of(storage::Transaction& tx, Id account_id);
  // Units that carry at least one grant (for subtree listings).
  static Result<std::vector<Id>> granted_units(storage::Transaction& tx);
  static Status insert_grant(storage::Transaction& tx, Id account_id, const Grant& grant,
                             int64_t now_ms);
  static Status delete_grant(storage::Transaction& tx, Id grant_id);

  static Status insert_session(storage::Transaction& tx, const StoredSession& session,
                               const std::string& token_hash);
  // The session behind a token, if it has not been ended.
  static Result<std::optional<StoredSession>> find_session(storage::Transaction& tx,
                                                           const std::string& token_hash);
  static Status touch_session(storage::Transaction& tx, Id session_id, int64_t now_ms);
  static Status end_session(storage::Transaction& tx, Id session_id, int64_t now_ms);
  static Status end_sessions_of(storage::Transaction& tx, Id account_id, int64_t now_ms);
};

}  // namespace xf::auth
