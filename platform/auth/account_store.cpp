#include "platform/auth/account_store.h"

#include <cctype>

namespace xf::auth {
namespace {

using storage::p;

const char* const kAccountColumns =
    "id, username, display_name, password_hash, lang, disabled, password_changed_at, "
    "created_at, member_id";

Account account_from_row(const storage::Row& row) {
  Account a;
  a.id = row.int64(0);
  a.username = row.text(1);
  a.display_name = row.text(2);
  a.password_hash = row.text(3);
  a.lang = parse_lang(row.text(4));
  a.disabled = row.boolean(5);
  a.password_changed_at = row.int64(6);
  a.created_at = row.int64(7);
  a.member_id = row.opt_int64(8);
  return a;
}

Result<std::optional<Account>> find_account(storage::Transaction& tx, const std::string& where,
                                            storage::Param key) {
  XF_TRY(auto row,
         tx.query_one(std::string("SELECT ") + kAccountColumns + " FROM accounts WHERE " + where,
                      {std::move(key)}));
  if (!row) return std::optional<Account>{};
  return std::optional<Account>{account_from_row(*row)};
}

// '%' and '_' in what a person typed are literal characters, not wildcards.
std::string like_pattern(std::string_view text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out + "%";
}

}  // namespace

Result<std::optional<Account>> AccountStore::find_by_username(storage::Transaction& tx,
                                                              std::string_view username) {
  return find_account(tx, "username = $1", p(username));
}

Result<std::optional<Account>> AccountStore::find_by_id(storage::Transaction& tx, Id id) {
  return find_account(tx, "id = $1", p(id));
}

Status AccountStore::insert(storage::Transaction& tx, const Account& a) {
  XF_CHECK(tx.execute(
      std::string("INSERT INTO accounts (") + kAccountColumns +
          ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
      {p(a.id), p(a.username), p(a.display_name), p(a.password_hash), p(lang_code(a.lang)),
       p(a.disabled), p(a.password_changed_at), p(a.created_at), p(a.member_id)}));
  return {};
}

Status AccountStore::set_password(storage::Transaction& tx, Id id, const std::string& hash,
                                  int64_t now_ms) {
  XF_CHECK(
      tx.execute("UPDATE accounts SET password_hash = $2, password_changed_at = $3 "
                 "WHERE id = $1",
                 {p(id), p(hash), p(now_ms)}));
  return {};
}

Status AccountStore::set_disabled(storage::Transaction& tx, Id id, bool disabled) {
  XF_CHECK(tx.execute("UPDATE accounts SET disabled = $2 WHERE id = $1", {p(id), p(disabled)}));
  return {};
}

Status AccountStore::set_member(storage::Transaction& tx, Id id, std::optional<Id> member_id) {
  XF_CHECK(tx.execute("UPDATE accounts SET member_id = $2 WHERE id = $1", {p(id), p(member_id)}));
  return {};
}

Result<std::optional<Account>> AccountStore::find_by_member(storage::Transaction& tx,
                                                            Id member_id) {
  return find_account(tx, "member_id = $1", p(member_id));
}

Status AccountStore::set_profile(storage::Transaction& tx, Id id, Lang lang,
                                 const std::string& display_name) {
  XF_CHECK(tx.execute("UPDATE accounts SET lang = $2, display_name = $3 WHERE id = $1",
                      {p(id), p(lang_code(lang)), p(display_name)}));
  return {};
}

Result<std::pair<std::vector<Account>, int64_t>> AccountStore::list(storage::Transaction& tx,
                                                                    const AccountFilter& filter) {
  storage::Params params;
  std::string where = " WHERE 1 = 1";
  if (!filter.query.empty()) {
    params.push_back(p(like_pattern(filter.query)));
    where += " AND (username LIKE $1 ESCAPE '\\' OR LOWER(display_name) LIKE $1 ESCAPE '\\')";
  }
  if (filter.grant_units) {
    if (filter.grant_units->empty()) return std::make_pair(std::vector<Account>{}, int64_t{0});
    std::string in;
    for (Id unit : *filter.grant_units) {
      params.push_back(p(unit));
      in += (in.empty() ? "$" : ", $") + std::to_string(params.size());
    }
    where += " AND id IN (SELECT account_id FROM grants WHERE unit_id IN (" + in + "))";
  }
  XF_TRY(auto total, tx.query_one("SELECT COUNT(*) FROM accounts" + where, params));
  XF_TRY(auto rows, tx.query(std::string("SELECT ") + kAccountColumns + " FROM accounts" + where +
                                 " ORDER BY username LIMIT " + std::to_string(filter.limit) +
                                 " OFFSET " + std::to_string(filter.offset),
                             params));
  std::vector<Account> accounts;
  for (const auto& row : rows) accounts.push_back(account_from_row(row));
  return std::make_pair(std::move(accounts), total ? total->int64(0) : 0);
}

Result<std::vector<Grant>> AccountStore::grants_of(storage::Transaction& tx, Id account_id) {
  XF_TRY(auto rows, tx.query("SELECT id, role, unit_id FROM grants WHERE account_id = $1 "
                             "ORDER BY created_at, id",
                             {p(account_id)}));
  std::vector<Grant> grants;
  for (const auto& row : rows) {
    auto role = parse_role(row.text(1));
    if (!role) return Error::internal("unknown role in grants: " + row.text(1));
    grants.push_back({row.int64(0), *role, row.int64(2)});
  }
  return grants;
}

Result<std::vector<Id>> AccountStore::granted_units(storage::Transaction& tx) {
  XF_TRY(auto rows, tx.query("SELECT DISTINCT unit_id FROM grants WHERE unit_id <> 0"));
  std::vector<Id> units;
  for (const auto& row : rows) units.push_back(row.int64(0));
  return units;
}

Status AccountStore::insert_grant(storage::Transaction& tx, Id account_id, const Grant& grant,
                                  int64_t now_ms) {
  XF_CHECK(tx.execute(
      "INSERT INTO grants (id, account_id, role, unit_id, created_at) VALUES ($1, $2, $3, $4, $5)",
      {p(grant.id), p(account_id), p(role_name(grant.role)), p(grant.unit_id), p(now_ms)}));
  return {};
}

Status AccountStore::delete_grant(storage::Transaction& tx, Id grant_id) {
  XF_CHECK(tx.execute("DELETE FROM grants WHERE id = $1", {p(grant_id)}));
  return {};
}

Status AccountStore::insert_session(storage::Transaction& tx, const StoredSession& s,
                                    const std::string& token_hash) {
  XF_CHECK(
      tx.execute("INSERT INTO sessions (id, token_hash, account_id, csrf_token, created_at, "
                 "last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                 {p(s.id), p(token_hash), p(s.account_id), p(s.csrf_token), p(s.created_at),
                  p(s.last_seen_at), p(s.expires_at)}));
  return {};
}

Result<std::optional<StoredSession>> AccountStore::find_session(storage::Transaction& tx,
                                                                const std::string& token_hash) {
  XF_TRY(auto row,
         tx.query_one("SELECT id, account_id, csrf_token, created_at, last_seen_at, "
                      "expires_at FROM sessions WHERE token_hash = $1 AND ended_at IS NULL",
                      {p(token_hash)}));
  if (!row) return std::optional<StoredSession>{};
  return std::optional<StoredSession>{StoredSession{row->int64(0), row->int64(1), row->text(2),
                                                    row->int64(3), row->int64(4), row->int64(5)}};
}

Status AccountStore::touch_session(storage::Transaction& tx, Id session_id, int64_t now_ms) {
  XF_CHECK(tx.execute("UPDATE sessions SET last_seen_at = $2 WHERE id = $1",
                      {p(session_id), p(now_ms)}));
  return {};
}

Status AccountStore::end_session(storage::Transaction& tx, Id session_id, int64_t now_ms) {
  XF_CHECK(tx.execute("UPDATE sessions SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL",
                      {p(session_id), p(now_ms)}));
  return {};
}

Status AccountStore::end_sessions_of(storage::Transaction& tx, Id account_id, int64_t now_ms) {
  XF_CHECK(
      tx.execute("UPDATE sessions SET ended_at = $2 WHERE account_id = $1 AND ended_at IS NULL",
                 {p(account_id), p(now_ms)}));
  return {};
}

}  // namespace xf::auth
