#include "platform/audit/audit_routes.h"

#include <ctime>

#include "platform/audit/audit.h"
#include "platform/auth/session.h"
#include "platform/http/json.h"

namespace xf::audit {
namespace {

using http::Json;
using http::Request;
using http::Response;

constexpr int64_t kDayMs = 24 * 60 * 60 * 1000;
constexpr int kPublishedDays = 90;
constexpr int kDefaultLimit = 50;
constexpr int kMaxLimit = 200;

Error invalid_time(std::string field) {
  return Error::invalid(std::move(field), {"时间须为 YYYY-MM-DD 或毫秒时间戳",
                                           "The time must be YYYY-MM-DD or epoch milliseconds"});
}

// "2026-11-25" (a UTC day) or epoch milliseconds. A day given as `to` means
// up to the end of that day.
Result<std::optional<int64_t>> time_param(const Request& request, const std::string& name,
                                          bool end_of_day) {
  auto text = request.query_param(name);
  if (!text || text->empty()) return std::optional<int64_t>{};
  std::string value(*text);
  if (value.find('-') == std::string::npos) {
    auto ms = parse_id(value);
    if (!ms) return invalid_time(name);
    return std::optional<int64_t>{*ms};
  }
  std::tm tm{};
  char rest = 0;
  if (value.size() != 10 ||
      std::sscanf(value.c_str(), "%4d-%2d-%2d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &rest) != 3)
    return invalid_time(name);
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  int64_t day_start = static_cast<int64_t>(timegm(&tm)) * 1000;
  return std::optional<int64_t>{end_of_day ? day_start + kDayMs : day_start};
}

Result<int> limit_param(const Request& request) {
  auto text = request.query_param("limit");
  if (!text || text->empty()) return kDefaultLimit;
  auto limit = parse_id(*text);
  if (!limit || *limit > kMaxLimit)
    return Error::invalid("limit", {"每页条数须为 1–200", "The limit must be 1–200"});
  return static_cast<int>(*limit);
}

// The subtrees whose entries the actor may read: the unit asked for, or
// every subtree where its roles allow reading the audit trail.
Result<std::vector<std::string>> readable_paths(storage::Transaction& tx,
                                                auth::UnitDirectory& directory,
                                                const auth::Actor& actor, const Request& request) {
  auto code = request.query_param("unit");
  if (code && !code->empty()) {
    XF_TRY(auto unit, directory.find_by_code(tx, *code));
    XF_CHECK(auth::authorize(actor, auth::Action::read_audit, unit.ancestry));
    return std::vector<std::string>{unit_path_of(unit.ancestry)};
  }
  auth::Scope scope = auth::scope_for(actor, auth::Action::read_audit);
  if (scope.all) return std::vector<std::string>{};
  if (scope.roots.empty()) return Error::permission_denied();
  std::vector<std::string> paths;
  for (Id root : scope.roots) {
    XF_TRY(auto unit, directory.find_by_id(tx, root));
    paths.push_back(unit_path_of(unit.ancestry));
  }
  return paths;
}

Json entry_json(const StoredEntry& e) {
  return {{"shard_id", id_to_string(e.shard_id)},
          {"seq", e.seq},
          {"at", format_iso8601(from_epoch_ms(e.at_ms))},
          {"actor_id", id_to_string(e.actor_id)},
          {"actor_name", e.actor_name},
          {"action", e.action},
          {"object_type", e.object_type},
          {"object_id", e.object_id},
          {"unit_id", e.unit_id ? Json(id_to_string(e.unit_id)) : Json(nullptr)},
          {"unit_path", e.unit_path},
          {"summary", e.summary},
          {"prev_hash", e.prev_hash},
          {"hash", e.hash}};
}

Result<Response> public_summary(storage::Database& db, const Clock& clock) {
  XF_TRY(auto tx, db.begin(storage::Access::read));
  XF_TRY(auto chains, heads(*tx));
  int64_t today = to_epoch_ms(clock.now()) / kDayMs * kDayMs;
  XF_TRY(auto daily, daily_heads(*tx, today - (kPublishedDays - 1) * kDayMs));
  int64_t total = 0;
  Json chain_list = Json::array();
  for (const auto& head : chains) {
    total += head.entries;
    chain_list.push_back({{"shard_id", id_to_string(head.shard_id)},
                          {"entries", head.entries},
                          {"head_hash", head.hash}});
  }
  Json daily_list = Json::array();
  for (const auto& day : daily)
    daily_list.push_back({{"day", day.day},
                          {"shard_id", id_to_string(day.shard_id)},
                          {"seq", day.seq},
                          {"hash", day.hash}});
  return http::json_ok({{"entries", total},
                        {"head_hash", installation_head_hash(chains)},
                        {"chains", std::move(chain_list)},
                        {"daily", std::move(daily_list)}});
}

Result<Response> admin_browse(storage::Database& db, auth::UnitDirectory& directory,
                              const Request& request) {
  XF_TRY(const auth::Actor* actor, auth::require_actor(request));
  BrowseFilter filter;
  filter.action = std::string(request.query_param("action").value_or(""));
  filter.actor_name = std::string(request.query_param("actor").value_or(""));
  XF_TRY(filter.from_ms, time_param(request, "from", false));
  XF_TRY(filter.to_ms, time_param(request, "to", true));
  XF_TRY(filter.limit, limit_param(request));
  auto before = request.query_param("before");
  if (before && !before->empty()) {
    filter.before = parse_cursor(*before);
    if (!filter.before)
      return Error::invalid("before", {"翻页参数无效", "The page cursor is not valid"});
  }
  XF_TRY(auto tx, db.begin(storage::Access::read));
  XF_TRY(filter.unit_paths, readable_paths(*tx, directory, *actor, request));
  XF_TRY(auto page, browse(*tx, filter));
  Json entries = Json::array();
  for (const auto& entry : page.entries) entries.push_back(entry_json(entry));
  return http::json_ok(
      {{"entries", std::move(entries)},
       {"next_before", page.next ? Json(format_cursor(*page.next)) : Json(nullptr)}});
}

Response answer(const Request& request, Result<Response> result) {
  if (!result.ok()) return http::error_response(result.error(), request.lang);
  return std::move(result).value();
}

}  // namespace

void register_audit_routes(http::Router& router, storage::Database& db,
                           auth::UnitDirectory& directory, const Clock& clock) {
  router.get("/api/v1/audit", [&db, &clock](Request& request) {
    return answer(request, public_summary(db, clock));
  });
  router.get("/api/v1/admin/audit", [&db, &directory](Request& request) {
    return answer(request, admin_browse(db, directory, request));
  });
}

}  // namespace xf::audit
