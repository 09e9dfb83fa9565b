#include "platform/audit/audit_routes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "platform/audit/write.h"
#include "platform/auth/auth_test_support.h"
#include "platform/http/json.h"

namespace xf::audit {
namespace {

using http::Json;
using ::testing::ElementsAre;

class AuditRoutes : public auth::testing::AuthStore {
 protected:
  void SetUp() override {
    AuthStore::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    register_audit_routes(router, db(), directory, clock);
  }

  // An entry about a unit of the test tree (auth_test_support.h).
  void record_on(std::vector<Id> ancestry, std::string summary) {
    auto written = write(db(), clock, [&](Change& c) -> Result<int> {
      Entry e;
      e.actor_name = "system";
      e.action = "unit.update";
      e.object_type = "unit";
      e.object_id = id_to_string(ancestry.back());
      e.unit_id = ancestry.back();
      e.unit_path = unit_path_of(ancestry);
      e.shard_id = 1;
      e.summary = std::move(summary);
      c.record(std::move(e));
      return 0;
    });
    ASSERT_TRUE(written.ok());
    clock.advance(std::chrono::minutes(1));
  }

  // GET `path` as `username` (logged in through the session service), or
  // anonymously when username is empty.
  http::Response get(const std::string& path, const std::string& username = "") {
    http::Request request;
    request.method = http::Method::GET;
    request.path = path.substr(0, path.find('?'));
    if (path.find('?') != std::string::npos) {
      std::string query = path.substr(path.find('?') + 1);
      for (size_t start = 0; start < query.size();) {
        size_t end = std::min(query.find('&', start), query.size());
        std::string pair = query.substr(start, end - start);
        size_t eq = pair.find('=');
        request.query.emplace(pair.substr(0, eq), pair.substr(eq + 1));
        start = end + 1;
      }
    }
    if (!username.empty()) {
      auto login = sessions->login(username, "correct horse battery", "10.0.0.1", std::nullopt);
      EXPECT_TRUE(login.ok());
      auto session = sessions->resolve(login->token);
      EXPECT_TRUE(session.ok() && *session);
      request.context[auth::kSessionKey] = **session;
    }
    auto match = router.match(request.method, request.path);
    EXPECT_TRUE(match.handler);
    return (*match.handler)(request);
  }

  std::vector<std::string> summaries(const http::Response& response) {
    EXPECT_EQ(response.status, 200) << response.body;
    Json body = Json::parse(response.body);
    std::vector<std::string> out;
    for (const auto& e : body["entries"]) {
      std::string summary = e["summary"];
      if (summary.rfind("logged in", 0) != 0) out.push_back(summary);
    }
    return out;
  }

  http::Router router;
};

TEST_P(AuditRoutes, PublicSummaryPublishesTheHeadsAndTheDailyHeads) {
  record_on({1, 11}, "first");
  clock.advance(std::chrono::hours(24));
  record_on({1, 12}, "second");
  http::Response response = get("/api/v1/audit");
  ASSERT_EQ(response.status, 200);
  Json body = Json::parse(response.body);
  auto verified = verify(db());
  ASSERT_TRUE(verified.ok() && verified->ok);
  EXPECT_EQ(body["entries"], verified->entries);
  EXPECT_EQ(body["head_hash"], verified->head_hash);
  ASSERT_EQ(body["daily"].size(), 2u);
  EXPECT_EQ(body["daily"][0]["day"], "2025-11-26");
  EXPECT_EQ(body["daily"][1]["day"], "2025-11-25");
  bool found_chain = false;
  for (const auto& chain : body["chains"])
    if (chain["shard_id"] == "1") found_chain = chain["entries"] == 2;
  EXPECT_TRUE(found_chain);
}

TEST_P(AuditRoutes, AnAuditorReadsItsSubtreeOnly) {
  make_user("eastaudit", auth::Role::auditor, "t11");
  record_on({1, 11, 111}, "east branch");
  record_on({1, 12, 121}, "west branch");
  record_on({1, 11}, "east township");
  // (Its own grant, on t11, is in its subtree too: hence the action filter.)
  EXPECT_THAT(summaries(get("/api/v1/admin/audit?action=unit.update", "eastaudit")),
              ElementsAre("east township", "east branch"));
  EXPECT_THAT(summaries(get("/api/v1/admin/audit?unit=b111", "eastaudit")),
              ElementsAre("east branch"));
  EXPECT_EQ(get("/api/v1/admin/audit?unit=b121", "eastaudit").status, 404);
}

TEST_P(AuditRoutes, SecretariesAndAnonymousCallersAreRefused) {
  make_user("sec", auth::Role::secretary, "b111");
  EXPECT_EQ(get("/api/v1/admin/audit", "sec").status, 403);
  EXPECT_EQ(get("/api/v1/admin/audit").status, 401);
}

TEST_P(AuditRoutes, SystemAdminsPageThroughEverythingNewestFirst) {
  make_user("root", auth::Role::system_admin, "");
  for (int i = 0; i < 5; ++i) record_on({1, 12}, "change " + std::to_string(i));
  http::Response first = get("/api/v1/admin/audit?action=unit.update&limit=3", "root");
  ASSERT_EQ(first.status, 200);
  EXPECT_THAT(summaries(first), ElementsAre("change 4", "change 3", "change 2"));
  std::string cursor = Json::parse(first.body)["next_before"];
  http::Response second =
      get("/api/v1/admin/audit?action=unit.update&limit=3&before=" + cursor, "root");
  EXPECT_THAT(summaries(second), ElementsAre("change 1", "change 0"));
  EXPECT_TRUE(Json::parse(second.body)["next_before"].is_null());
}

TEST_P(AuditRoutes, TimeFiltersTakeDaysOrMilliseconds) {
  make_user("root", auth::Role::system_admin, "");
  record_on({1, 11}, "day one");
  clock.advance(std::chrono::hours(24));
  record_on({1, 11}, "day two");
  EXPECT_THAT(summaries(get("/api/v1/admin/audit?from=2025-11-26", "root")),
              ElementsAre("day two"));
  EXPECT_THAT(summaries(get("/api/v1/admin/audit?to=2025-11-25&action=unit.update", "root")),
              ElementsAre("day one"));
  EXPECT_EQ(get("/api/v1/admin/audit?from=yesterday", "root").status, 400);
  EXPECT_EQ(get("/api/v1/admin/audit?before=nonsense", "root").status, 400);
}

XF_ON_BOTH_DATABASES(AuditRoutes);

}  // namespace
}  // namespace xf::audit
