#pragma once
// Shared by the requests tests: a migrated database on both backends with a
// small tree (county ─ township ─ branch-a, branch-b) and members, the
// service over fakes of the calendar and the photo store, actors of every
// role, and an XML reader for the Open311 answers.
#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <memory>
#include <optional>
#include <set>
#include <string>

#include "features/organizations/organizations_module.h"
#include "features/organizations/organizations_service.h"
#include "features/requests/requests_module.h"
#include "features/requests/requests_service.h"
#include "platform/audit/audit.h"
#include "platform/testing/databases.h"
#include "platform/testing/fakes.h"

namespace xf::requests {

inline constexpr int64_t kDayMs = 24LL * 60 * 60 * 1000;

// Calendar days stand in for working days here: the working-day arithmetic
// (weekends, holidays, make-up days) is platform/calendar's, tested there;
// these tests check that deadlines come from it.
class FakeWorkingDays final : public WorkingDays {
 public:
  Result<int64_t> add_working_days(storage::Transaction&, int64_t from_ms, int days) override {
    return from_ms + days * kDayMs;
  }
};

// Knows the upload ids a test has "uploaded".
class FakePhotos final : public PhotoUploads {
 public:
  Status check(storage::Transaction&, Id upload_id, std::string_view field) override {
    if (known.contains(upload_id)) return {};
    return Error::invalid(std::string(field), {"照片不存在", "No such photo"});
  }
  std::set<Id> known;
};

class RequestsDb : public xf::testing::BothDatabases {
 protected:
  std::vector<storage::Migration> migrations() const override {
    return xf::testing::all_of({audit::audit_migrations(),
                                organizations::organizations_migrations(), requests_migrations()});
  }

  void SetUp() override {
    BothDatabases::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    orgs_ = std::make_unique<organizations::OrganizationsService>(db(), clock, random);
    county = unit("", "county", "中共测试县委员会", "committee", "agency");
    township = unit("county", "township", "中共测试镇委员会", "committee", "rural");
    branch_a = unit("township", "branch-a", "甲村党支部", "branch", "rural");
    branch_b = unit("township", "branch-b", "乙村党支部", "branch", "rural");
    member_a = member("branch-a", "王伟");
    member_b = member("branch-b", "李娜");
    county_admin = actor_with(auth::Role::org_admin, county.id, "county", 51);
    township_admin = actor_with(auth::Role::org_admin, township.id, "township", 52);
    secretary_a = actor_with(auth::Role::secretary, branch_a.id, "secretary-a", 53);
    secretary_b = actor_with(auth::Role::secretary, branch_b.id, "secretary-b", 54);
    auditor = actor_with(auth::Role::auditor, county.id, "auditor", 55);
    service_ = std::make_unique<RequestsService>(db(), clock, random, days, photos, limits);
  }

  RequestsService& service() { return *service_; }

  organizations::Unit unit(std::string parent, std::string code, std::string name, std::string kind,
                           std::string field) {
    organizations::UnitInput in{
        std::move(code), std::move(name), std::move(kind), std::move(field), "", "", ""};
    auto u = orgs_->create_unit(admin, in, parent);
    EXPECT_TRUE(u.ok()) << (u.ok() ? "" : u.error().message.en);
    return u.ok() ? *u : organizations::Unit{};
  }

  Id member(std::string unit_code, std::string name) {
    organizations::MemberInput in{std::move(name), "党员", "2019-07-01", "full", "", ""};
    auto m = orgs_->add_member(admin, unit_code, in);
    EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message.en);
    return m.ok() ? m->member.id : 0;
  }

  static auth::Actor actor_with(auth::Role role, Id unit_id, std::string name, Id account = 50) {
    auth::Actor a;
    a.account_id = account;
    a.username = std::move(name);
    a.display_name = a.username;
    a.grants.push_back({1, role, unit_id});
    return a;
  }

  static IntakeInput report(std::string unit_code = "branch-a",
                            std::string category = "rural-lighting") {
    IntakeInput in;
    in.category = std::move(category);
    in.description = "村口路灯坏了三盏";
    in.unit_code = std::move(unit_code);
    in.contact_phone = "13812341234";
    return in;
  }

  // An anonymous report from `address`; fails the test when refused.
  Submitted submit_anonymous(IntakeInput in = report(), std::string address = "10.0.0.1") {
    auto done = service().submit({nullptr, std::move(address), {}}, in);
    EXPECT_TRUE(done.ok()) << (done.ok() ? "" : done.error().message.en + done.error().detail);
    return done.ok() ? *done : Submitted{};
  }

  Caller reporter(const Submitted& s) { return {nullptr, "10.0.0.1", s.tracking_token}; }

  // Accepted, started and resolved by branch-a's secretary.
  Problem resolved(const Submitted& s) {
    EXPECT_TRUE(service().accept(secretary_a, s.problem.id, member_a).ok());
    EXPECT_TRUE(service().start(secretary_a, s.problem.id).ok());
    auto done = service().resolve(secretary_a, s.problem.id, "已更换灯泡", {});
    EXPECT_TRUE(done.ok()) << (done.ok() ? "" : done.error().message.en);
    return done.ok() ? *done : Problem{};
  }

  State state_of(Id id) {
    auto v = service().problem(id);
    EXPECT_TRUE(v.ok());
    return v.ok() ? v->problem.state : State::submitted;
  }

  int64_t verified_audit_entries() {
    auto result = audit::verify(db());
    EXPECT_TRUE(result.ok());
    EXPECT_TRUE(result->ok) << result->reason;
    return result->entries;
  }

  xf::testing::FakeClock clock;
  xf::testing::FakeRandom random{11};
  FakeWorkingDays days;
  FakePhotos photos;
  RateLimits limits;
  auth::Actor admin = organizations::system_actor();
  organizations::Unit county, township, branch_a, branch_b;
  Id member_a = 0, member_b = 0;
  auth::Actor county_admin, township_admin, secretary_a, secretary_b, auditor;

 private:
  std::unique_ptr<organizations::OrganizationsService> orgs_;
  std::unique_ptr<RequestsService> service_;
};

// The text of the first element at "root/child/…" of an XML document, read
// with libxml2; nullopt when the document does not parse or has no such element.
inline std::optional<std::string> xml_text(const std::string& xml, const std::string& path) {
  xmlDocPtr doc =
      xmlReadMemory(xml.data(), static_cast<int>(xml.size()), nullptr, "UTF-8", XML_PARSE_NONET);
  if (!doc) return std::nullopt;
  auto name_is = [](xmlNodePtr n, std::string_view name) {
    return n && n->type == XML_ELEMENT_NODE && name == reinterpret_cast<const char*>(n->name);
  };
  xmlNodePtr node = xmlDocGetRootElement(doc);
  std::string_view rest = path;
  auto slash = rest.find('/');
  if (!name_is(node, rest.substr(0, slash))) node = nullptr;
  while (node && slash != std::string_view::npos) {
    rest = rest.substr(slash + 1);
    slash = rest.find('/');
    xmlNodePtr child = node->children;
    while (child && !name_is(child, rest.substr(0, slash))) child = child->next;
    node = child;
  }
  std::optional<std::string> out;
  if (node) {
    xmlChar* content = xmlNodeGetContent(node);
    out = reinterpret_cast<const char*>(content);
    xmlFree(content);
  }
  xmlFreeDoc(doc);
  return out;
}

}  // namespace xf::requests
