#include "app/commands.h"

#include <spdlog/spdlog.h>
#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "app/app.h"
#include "app/serve.h"
#include "platform/audit/audit.h"
#include "platform/core/text.h"

namespace xf::app {
namespace {

int g_exit_code = 0;

Lang operator_lang() {
  const char* lang = std::getenv("LANG");
  return parse_lang(lang ? lang : "");
}

// Prints an error for the operator, with every field (and import row) at
// fault, and sets the exit code.
void fail(const Error& error) {
  Lang lang = operator_lang();
  std::cerr << (lang == Lang::en ? "error: " : "错误:") << error.message.in(lang) << "\n";
  for (const auto& field : error.fields) {
    std::cerr << "  ";
    if (field.row)
      std::cerr << (lang == Lang::en ? "row " : "第 ") << *field.row
                << (lang == Lang::en ? ", " : " 行,");
    std::cerr << field.field << ": " << field.message.in(lang) << "\n";
  }
  if (!error.detail.empty()) std::cerr << "  (" << error.detail << ")\n";
  g_exit_code = 1;
}

// The password of a new or reset account: from the environment variable
// (for scripts), else asked twice on the terminal without echo.
std::optional<std::string> read_password(const char* env_name) {
  if (const char* value = std::getenv(env_name); value && *value) return std::string(value);
  if (!isatty(STDIN_FILENO)) {
    std::cerr << "set " << env_name << " or run on a terminal to be asked for the password\n";
    return std::nullopt;
  }
  auto ask = [](const char* prompt) {
    std::cerr << prompt << std::flush;
    termios old_tio{};
    tcgetattr(STDIN_FILENO, &old_tio);
    termios no_echo = old_tio;
    no_echo.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &no_echo);
    std::string line;
    std::getline(std::cin, line);
    tcsetattr(STDIN_FILENO, TCSANOW, &old_tio);
    std::cerr << "\n";
    return line;
  };
  std::string first = ask("密码 / password: ");
  if (ask("再次输入 / repeat: ") != first) {
    std::cerr << "两次输入的密码不一致 / the passwords differ\n";
    return std::nullopt;
  }
  return first;
}

// Opens the database and applies pending migrations: every verb works on a
// current schema.
std::unique_ptr<App> open_app(const AppOptions& options) {
  auto app = App::open(options);
  if (!app.ok()) {
    fail(app.error());
    return nullptr;
  }
  auto report = (*app)->migrate();
  if (!report.ok()) {
    fail(report.error());
    return nullptr;
  }
  for (const auto& name : report->applied) spdlog::info("migration applied: {}", name);
  return std::move(app).value();
}

void add_db_option(CLI::App& verb, std::string& url) {
  verb.add_option("--db", url, "sqlite:PATH or postgres://user@host:port/dbname")->required();
}

void register_serve(CLI::App& cli) {
  auto options = std::make_shared<ServeOptions>();
  auto* verb = cli.add_subcommand("serve", "Serve the web app and the API");
  add_db_option(*verb, options->app.db_url);
  verb->add_option("--listen", options->listen, "HOST:PORT (port 0 picks a free one)")
      ->default_val("127.0.0.1:8080");
  verb->add_option("--workers", options->workers, "worker threads (default: one per core)");
  verb->add_option("--pool-size", options->app.pool_size, "database connections")->default_val(4);
  verb->add_option("--sqlite-cache-mb", options->app.sqlite_cache_mb,
                   "SQLite: the writer's page cache in MB (size it to the database)")
      ->capture_default_str()
      ->check(CLI::Range(2, 65536));
  verb->add_option("--shed-after-lag-ms", options->shed_after_lag_ms,
                   "refuse ballots (503 + Retry-After) while answers run this late; 0: never")
      ->capture_default_str()
      ->check(CLI::Range(0, 60000));
  verb->add_option("--web", options->web_root, "folder of the built web app")
      ->default_val("web/dist");
  verb->add_option("--public-url", options->public_url,
                   "public address printed in QR codes, e.g. https://dangjian.example.gov.cn");
  verb->add_option("--trusted-proxy", options->trusted_proxies,
                   "address of a reverse proxy whose X-Forwarded-For is believed");
  verb->add_option("--uploads", options->app.uploads.root_dir,
                   "folder for uploaded files, outside the web root (default: uploads beside the "
                   "SQLite file, or ./data/uploads)");
  verb->add_option("--upload-max-bytes", options->app.uploads.max_file_bytes,
                   "largest file accepted")
      ->default_val(options->app.uploads.max_file_bytes);
  verb->add_option("--upload-quota-bytes", options->app.uploads.unit_quota_bytes,
                   "bytes each unit may store")
      ->default_val(options->app.uploads.unit_quota_bytes);
  verb->add_option("--time-zone", options->app.time_zone,
                   "IANA time zone in which dates and working days are counted")
      ->default_val(options->app.time_zone);
  verb->add_flag("--dev-cookies", options->app.auth.dev_cookies,
                 "plain-http cookies for localhost (no Secure, no __Host- prefix)");
  verb->callback([options] {
    auto app = open_app(options->app);
    if (!app) return;
    auto status = serve(*app, *options);
    if (!status.ok()) fail(status.error());
  });
}

void register_init(CLI::App& cli) {
  auto options = std::make_shared<AppOptions>();
  auto admin = std::make_shared<std::string>();
  auto* verb =
      cli.add_subcommand("init",
                         "Create the schema and the first system administrator (password from "
                         "XF_ADMIN_PASSWORD, else asked)");
  add_db_option(*verb, options->db_url);
  verb->add_option("--admin", *admin, "user name of the system administrator")->required();
  verb->callback([options, admin] {
    auto app = open_app(*options);
    if (!app) return;
    auto password = read_password("XF_ADMIN_PASSWORD");
    if (!password) return void(g_exit_code = 1);
    auto id = app->auth().add_user(*admin, *admin, *password);
    if (!id.ok()) return fail(id.error());
    auto granted = app->auth().grant(*admin, auth::Role::system_admin, "");
    if (!granted.ok()) return fail(granted.error());
    std::cout << "initialised; system administrator: " << *admin << "\n";
  });
}

void register_migrate(CLI::App& cli) {
  auto options = std::make_shared<AppOptions>();
  auto* verb = cli.add_subcommand("migrate", "Apply pending schema migrations");
  add_db_option(*verb, options->db_url);
  verb->callback([options] {
    if (open_app(*options)) std::cout << "schema is current\n";
  });
}

// The demo logins: one per role a visitor wants to try.
struct DemoLogin {
  std::string username;
  std::string display_name;
  auth::Role role;
  std::string unit_code;
};

std::vector<DemoLogin> demo_logins(const organizations::DemoSummary& demo) {
  return {
      {"county", "县委组织部管理员", auth::Role::org_admin, demo.county_code},
      {"township", "镇党委管理员", auth::Role::org_admin, demo.township_code},
      {"secretary", "支部书记", auth::Role::secretary, demo.branch_code},
      {"auditor", "县纪委监督员", auth::Role::auditor, demo.county_code},
  };
}

void register_demo(CLI::App& cli) {
  auto options = std::make_shared<AppOptions>();
  auto* verb =
      cli.add_subcommand("demo",
                         "Load the demo county (units, members and demo logins; password from "
                         "XF_DEMO_PASSWORD, default xianfeng-demo-2026)");
  add_db_option(*verb, options->db_url);
  verb->callback([options] {
    auto app = open_app(*options);
    if (!app) return;
    auto summary = app->organizations().load_demo();
    if (!summary.ok()) return fail(summary.error());
    const char* env_password = std::getenv("XF_DEMO_PASSWORD");
    std::string password = env_password && *env_password ? env_password : "xianfeng-demo-2026";
    for (const auto& login : demo_logins(*summary)) {
      auto id = app->auth().add_user(login.username, login.display_name, password);
      if (!id.ok()) return fail(id.error());
      auto granted = app->auth().grant(login.username, login.role, login.unit_code);
      if (!granted.ok()) return fail(granted.error());
      std::cout << "demo login: " << login.username << " (" << auth::role_name(login.role) << " @ "
                << login.unit_code << ")\n";
    }
    // A member of the featured branch with a login of their own and no role:
    // they act through their member record (member commitments, votes).
    auto member_login = app->auth().add_user("member", "党员", password);
    if (!member_login.ok()) return fail(member_login.error());
    auto linked = app->organizations().link_demo_member(*summary, "member");
    if (!linked.ok()) return fail(linked.error());
    std::cout << "demo login: member (member @ " << summary->branch_code << ")\n";
    std::cout << "demo county loaded: " << summary->units << " units, " << summary->members
              << " members\n";
    auto campaign = app->campaigns().load_demo(summary->county_code, summary->branch_code);
    if (!campaign.ok()) return fail(campaign.error());
    std::cout << "demo campaign loaded: " << id_to_string(campaign->campaign_id) << " ("
              << campaign->themes << " themes, " << campaign->approved_themes << " approved, "
              << campaign->plans << " plans)\n";
    auto problems = app->requests().load_demo(summary->county_code);
    if (!problems.ok()) return fail(problems.error());
    std::cout << "demo problems loaded: " << problems->problems << "\n";
    auto pledges = app->commitments().load_demo(summary->county_code, campaign->campaign_id,
                                                summary->branch_code);
    if (!pledges.ok()) return fail(pledges.error());
    std::cout << "demo commitments loaded: " << pledges->commitments << " (" << pledges->drafts
              << " drafts, " << pledges->submitted << " submitted, " << pledges->published
              << " public (" << pledges->overdue << " overdue), " << pledges->closed << " closed; "
              << pledges->progress_updates << " progress updates with " << pledges->photos.size()
              << " photos, " << pledges->ratings << " ratings)\n";
    auto rounds = app->evaluations().load_demo(summary->county_code, campaign->campaign_id);
    if (!rounds.ok()) return fail(rounds.error());
    std::cout << "demo evaluations loaded: closed round " << id_to_string(rounds->closed_round_id)
              << ", open round " << id_to_string(rounds->open_round_id) << " (" << rounds->units
              << " units, " << rounds->codes << " codes, " << rounds->ballots << " ballots)\n";
    for (const auto& code : rounds->sample_codes) std::cout << "demo ballot code: " << code << "\n";
  });
}

// Rebuilds a round's tallies from its stored ballots (after a restore, or
// when the live figures are in doubt).
void register_tally(CLI::App& cli) {
  auto options = std::make_shared<AppOptions>();
  auto round = std::make_shared<std::string>();
  auto recompute = std::make_shared<bool>(false);
  auto* verb = cli.add_subcommand("tally", "Evaluation round tallies");
  add_db_option(*verb, options->db_url);
  verb->add_option("--round", *round, "id of the evaluation round")->required();
  verb->add_flag("--recompute", *recompute, "recompute every tally from the stored ballots")
      ->required();
  // The callback holds the flag's storage, which CLI11 writes during parsing.
  verb->callback([options, round, recompute] {
    auto id = parse_id(*round);
    if (!id) {
      std::cerr << "not a round id: " << *round << "\n";
      return void(g_exit_code = 1);
    }
    auto app = open_app(*options);
    if (!app) return;
    auto read = app->evaluations().service().recompute(*id);
    if (!read.ok()) return fail(read.error());
    std::cout << "recomputed from " << *read << " ballots\n";
  });
}

void register_import(CLI::App& cli) {
  auto* verb = cli.add_subcommand("import",
                                  "Import units or members from a CSV file (UTF-8 or "
                                  "GB18030); all rows or none");
  verb->require_subcommand(1);
  auto options = std::make_shared<AppOptions>();
  auto file = std::make_shared<std::string>();
  auto unit = std::make_shared<std::string>();

  auto* units = verb->add_subcommand("units", "Import units below --parent");
  add_db_option(*units, options->db_url);
  units->add_option("FILE", *file, "CSV file")->required()->check(CLI::ExistingFile);
  units->add_option("--parent", *unit, "code of the unit the file's top units go under");
  units->callback([options, file, unit] {
    auto app = open_app(*options);
    if (!app) return;
    auto report = app->organizations().import_units_csv(*file, *unit);
    if (!report.ok()) return fail(report.error());
    std::cout << "imported " << report->imported << " units\n";
  });

  auto* members = verb->add_subcommand("members", "Import members into --unit and its subtree");
  add_db_option(*members, options->db_url);
  members->add_option("FILE", *file, "CSV file")->required()->check(CLI::ExistingFile);
  members->add_option("--unit", *unit, "code of the unit the members belong to (or under)")
      ->required();
  members->callback([options, file, unit] {
    auto app = open_app(*options);
    if (!app) return;
    auto report = app->organizations().import_members_csv(*file, *unit);
    if (!report.ok()) return fail(report.error());
    std::cout << "imported " << report->imported << " members\n";
  });
}

void register_export(CLI::App& cli) {
  auto* verb = cli.add_subcommand("export", "Export units or members to an XLSX file");
  verb->require_subcommand(1);
  auto options = std::make_shared<AppOptions>();
  auto file = std::make_shared<std::string>();
  auto unit = std::make_shared<std::string>();
  for (const char* what : {"units", "members"}) {
    auto* sub = verb->add_subcommand(what, std::string("Export ") + what + " of --unit's subtree");
    add_db_option(*sub, options->db_url);
    sub->add_option("FILE", *file, "XLSX file to write")->required();
    sub->add_option("--unit", *unit, "root of the subtree (default: everything)");
    bool is_units = std::string(what) == "units";
    sub->callback([options, file, unit, is_units] {
      auto app = open_app(*options);
      if (!app) return;
      auto status = is_units ? app->organizations().export_units_xlsx(*file, *unit)
                             : app->organizations().export_members_xlsx(*file, *unit);
      if (!status.ok()) return fail(status.error());
      std::cout << "wrote " << *file << "\n";
    });
  }
}

void register_user(CLI::App& cli) {
  auto* verb = cli.add_subcommand("user",
                                  "Manage accounts (passwords from XF_USER_PASSWORD, "
                                  "else asked)");
  verb->require_subcommand(1);
  auto options = std::make_shared<AppOptions>();
  auto name = std::make_shared<std::string>();
  auto display = std::make_shared<std::string>();
  auto role = std::make_shared<std::string>();
  auto unit = std::make_shared<std::string>();

  auto* add = verb->add_subcommand("add", "Create an account");
  add_db_option(*add, options->db_url);
  add->add_option("NAME", *name, "user name")->required();
  add->add_option("--display-name", *display, "name shown in the console");
  add->callback([options, name, display] {
    auto app = open_app(*options);
    if (!app) return;
    auto password = read_password("XF_USER_PASSWORD");
    if (!password) return void(g_exit_code = 1);
    auto id = app->auth().add_user(*name, display->empty() ? *name : *display, *password);
    if (!id.ok()) return fail(id.error());
    std::cout << "created " << *name << "\n";
  });

  auto* reset = verb->add_subcommand("reset-password", "Set a new password; ends its sessions");
  add_db_option(*reset, options->db_url);
  reset->add_option("NAME", *name, "user name")->required();
  reset->callback([options, name] {
    auto app = open_app(*options);
    if (!app) return;
    auto password = read_password("XF_USER_PASSWORD");
    if (!password) return void(g_exit_code = 1);
    auto status = app->auth().reset_password(*name, *password);
    if (!status.ok()) return fail(status.error());
    std::cout << "password changed for " << *name << "\n";
  });

  auto* disable = verb->add_subcommand("disable", "Disable an account; ends its sessions");
  add_db_option(*disable, options->db_url);
  disable->add_option("NAME", *name, "user name")->required();
  disable->callback([options, name] {
    auto app = open_app(*options);
    if (!app) return;
    auto status = app->auth().disable_user(*name);
    if (!status.ok()) return fail(status.error());
    std::cout << "disabled " << *name << "\n";
  });

  auto* grant = verb->add_subcommand("grant", "Grant a role on a unit (and its subtree)");
  add_db_option(*grant, options->db_url);
  grant->add_option("NAME", *name, "user name")->required();
  grant->add_option("--role", *role, "system_admin, org_admin, secretary, auditor")->required();
  grant->add_option("--unit", *unit, "unit code (not for system_admin)");
  grant->callback([options, name, role, unit] {
    auto parsed = auth::parse_role(*role);
    if (!parsed) {
      std::cerr << "unknown role: " << *role << "\n";
      return void(g_exit_code = 1);
    }
    auto app = open_app(*options);
    if (!app) return;
    auto status = app->auth().grant(*name, *parsed, *unit);
    if (!status.ok()) return fail(status.error());
    std::cout << "granted " << *role << (unit->empty() ? "" : " on " + *unit) << " to " << *name
              << "\n";
  });
}

void register_verify_audit(CLI::App& cli) {
  auto options = std::make_shared<AppOptions>();
  auto* verb = cli.add_subcommand("verify-audit",
                                  "Check the audit hash chain; exit 0 and "
                                  "`OK <entries> <head-hash>` when it holds");
  add_db_option(*verb, options->db_url);
  verb->callback([options] {
    auto app = App::open(*options);
    if (!app.ok()) return fail(app.error());
    auto result = audit::verify((*app)->db());
    if (!result.ok()) return fail(result.error());
    if (result->ok) {
      std::cout << "OK " << result->entries << " " << result->head_hash << "\n";
      return;
    }
    std::cout << "BROKEN at entry " << result->first_broken_seq.value_or(0) << " of chain "
              << result->first_broken_shard.value_or(0) << ": " << result->reason << "\n";
    g_exit_code = 2;
  });
}

}  // namespace

void register_requests(CLI::App& cli) {
  auto* verb = cli.add_subcommand("requests", "Residents' problems: jobs and Open311 applications");
  verb->require_subcommand(1);
  auto options = std::make_shared<AppOptions>();
  auto name = std::make_shared<std::string>();

  auto* stale = verb->add_subcommand(
      "close-stale",
      "Close resolved problems whose reporter did not confirm in time (the server "
      "also does it on every read); prints how many");
  add_db_option(*stale, options->db_url);
  stale->callback([options] {
    auto app = open_app(*options);
    if (!app) return;
    auto closed = app->requests().close_stale();
    if (!closed.ok()) return fail(closed.error());
    std::cout << "closed unconfirmed: " << *closed << "\n";
  });

  auto* register_app = verb->add_subcommand(
      "register-app",
      "Register an application that may POST through Open311; prints its api_key once");
  add_db_option(*register_app, options->db_url);
  register_app->add_option("NAME", *name, "the application's name")->required();
  register_app->callback([options, name] {
    auto app = open_app(*options);
    if (!app) return;
    auto key = app->requests().register_app(*name);
    if (!key.ok()) return fail(key.error());
    std::cout << "api_key: " << *key << "\n";
  });
}

void register_commands(CLI::App& cli) {
  register_serve(cli);
  register_init(cli);
  register_migrate(cli);
  register_demo(cli);
  register_import(cli);
  register_export(cli);
  register_user(cli);
  register_verify_audit(cli);
  register_requests(cli);
  register_tally(cli);
}

int exit_code() {
  return g_exit_code;
}

}  // namespace xf::app
