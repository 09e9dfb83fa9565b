#pragma once
// Accounts, sessions and roles as one module for app/main.cpp to wire: the
// middleware (session, then CSRF), the routes (README.md, "Endpoints"), and
// the account operations of the CLI, which act as the system.
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "platform/auth/auth.h"
#include "platform/auth/unit_directory.h"
#include "platform/core/clock.h"
#include "platform/core/random.h"
#include "platform/http/http.h"
#include "platform/storage/database.h"
#include "platform/storage/migrations.h"

namespace xf::auth {

struct AuthConfig {
  // Plain http on localhost: the cookie is `xf_session` without Secure
  // (the __Host- prefix requires Secure).
  bool dev_cookies = false;
};

class AccountService;
class SessionService;

class AuthModule {
 public:
  // Hashes a dummy password once (for the timing of unknown usernames).
  AuthModule(storage::Database& db, const Clock& clock, Random& random, UnitDirectory& directory,
             AuthConfig config);
  ~AuthModule();

  std::vector<http::Middleware> middleware();  // session, then CSRF
  void register_routes(http::Router& router);

  // For the CLI (`xianfeng init`, `xianfeng user add|reset-password|disable|grant`).
  Result<Id> add_user(std::string_view username, std::string_view display_name,
                      std::string_view password);
  Status reset_password(std::string_view username, std::string_view password);
  Status disable_user(std::string_view username);
  Status grant(std::string_view username, Role role,
               std::string_view unit_code /* "" for system_admin */);

 private:
  std::string cookie_name() const;

  AuthConfig config_;
  std::unique_ptr<AccountService> accounts_;
  std::unique_ptr<SessionService> sessions_;
};

// The "auth" feature's schema (migrations/), generated at build time.
std::span<const storage::Migration> auth_migrations();

}  // namespace xf::auth
