#include "features/campaigns/campaigns_service.h"

#include <algorithm>
#include <charconv>
#include <ctime>

#include "features/campaigns/campaigns_markdown.h"
#include "features/campaigns/campaigns_rules.h"
#include "features/organizations/organizations.h"
#include "features/organizations/organizations_service.h"
#include "features/organizations/organizations_store.h"
#include "platform/audit/write.h"
#include "platform/uploads/uploads_store.h"

namespace xf::campaigns {

using organizations::Unit;
using organizations::UnitKind;
namespace org_store = organizations::store;

struct CampaignsService::Locked {
  Campaign campaign;
  Unit owner;
};

namespace {

Error campaign_not_found() {
  return Error::not_found({"找不到该活动", "No such campaign"});
}
Error unit_not_found() {
  return Error::not_found({"找不到该单位", "No such unit"});
}
Error theme_not_found() {
  return Error::not_found({"找不到该主题", "No such theme"});
}
Error plan_not_found() {
  return Error::not_found({"找不到该方案", "No such plan"});
}
Error comment_not_found() {
  return Error::not_found({"找不到该意见", "No such comment"});
}

UnitBrief brief(const Unit& u) {
  return {u.id, u.code, u.name, std::string(organizations::kind_name(u.kind)), u.field};
}

std::vector<Id> ancestry(const Unit& u) {
  return organizations::ancestry_from_path(u.path);
}

bool is_inside(const Unit& candidate, const Unit& root) {
  return candidate.path.compare(0, root.path.size(), root.path) == 0;
}

// Branches and general branches take part with themes and plans; the
// committees above them lead and vet.
bool takes_part(const Unit& u) {
  return u.kind == UnitKind::branch || u.kind == UnitKind::general_branch;
}

Result<Unit> unit_by_code(storage::Transaction& tx, std::string_view code) {
  XF_TRY(auto unit, org_store::find_unit_by_code(tx, code));
  if (!unit) return unit_not_found();
  return std::move(*unit);
}

Result<Unit> unit_by_id(storage::Transaction& tx, Id id) {
  XF_TRY(auto unit, org_store::find_unit_by_id(tx, id));
  if (!unit) return unit_not_found();
  return std::move(*unit);
}

Result<Campaign> campaign_by_id(storage::Transaction& tx, Id id) {
  XF_TRY(auto campaign, store::find_campaign(tx, id));
  if (!campaign) return campaign_not_found();
  return std::move(*campaign);
}

Result<CampaignView> view_of(storage::Transaction& tx, const Campaign& c) {
  XF_TRY(auto owner, unit_by_id(tx, c.owner_unit_id));
  return CampaignView{c, brief(owner)};
}

Result<std::vector<TaskView>> task_views(storage::Transaction& tx, const Campaign& c) {
  XF_TRY(auto tasks, store::central_tasks(tx, c));
  std::vector<TaskView> out;
  for (auto& t : tasks) {
    XF_TRY(auto owner, unit_by_id(tx, t.owner_unit_id));
    out.push_back({std::move(t), brief(owner)});
  }
  return out;
}

Result<CampaignDetail> detail_of(storage::Transaction& tx, const Campaign& c, bool admin) {
  CampaignDetail d;
  XF_TRY(d.head, view_of(tx, c));
  XF_TRY(d.tasks, task_views(tx, c));
  XF_TRY(d.carriers, store::carriers(tx, c, admin));
  XF_TRY(d.criteria, store::all_criteria(tx, c));
  XF_TRY(d.templates, store::field_templates(tx, c, ""));
  return d;
}

// Admins see a campaign when its owner is in their subtree, or when their
// subtree lies inside its scope (a township or branch taking part).
Status can_view(storage::Transaction& tx, const auth::Actor& actor, const Unit& owner) {
  if (auth::authorize(actor, auth::Action::view_unit_admin, ancestry(owner)).ok()) return {};
  for (Id root_id : auth::admin_scope(actor).roots) {
    XF_TRY(auto root, org_store::find_unit_by_id(tx, root_id));
    if (root && is_inside(*root, owner)) return {};
  }
  return campaign_not_found();
}

Result<ThemeView> theme_view(storage::Transaction& tx, Theme theme) {
  ThemeView v;
  XF_TRY(auto campaign, campaign_by_id(tx, theme.campaign_id));
  XF_TRY(v.campaign, view_of(tx, campaign));
  XF_TRY(auto unit, unit_by_id(tx, theme.unit_id));
  v.unit = brief(unit);
  for (Id id : theme.central_task_ids) {
    XF_TRY(auto task, store::find_central_task(tx, campaign, id));
    if (task) v.tasks.push_back(std::move(*task));
  }
  for (Id id : theme.carrier_ids) {
    XF_TRY(auto carrier, store::find_carrier(tx, campaign, id));
    if (carrier) v.carriers.push_back(std::move(*carrier));
  }
  v.theme = std::move(theme);
  return v;
}

Result<PlanView> plan_view(storage::Transaction& tx, Plan plan) {
  PlanView v;
  XF_TRY(auto campaign, campaign_by_id(tx, plan.campaign_id));
  XF_TRY(v.campaign, view_of(tx, campaign));
  XF_TRY(auto unit, unit_by_id(tx, plan.unit_id));
  v.unit = brief(unit);
  XF_TRY(v.comments, store::comments(tx, plan));
  v.unanswered = std::count_if(v.comments.begin(), v.comments.end(),
                               [](const Comment& c) { return !c.answer && !c.hidden(); });
  v.html = render_markdown(plan.body);
  v.plan = std::move(plan);
  return v;
}

std::string actor_label(const auth::Actor& actor) {
  return actor.display_name.empty() ? actor.username : actor.display_name;
}

// The unit of `code` if it may register a theme or plan in the campaign.
Result<Unit> participant(storage::Transaction& tx, const Campaign& c, std::string_view code) {
  XF_TRY(auto unit, unit_by_code(tx, code));
  if (!covers(c, ancestry(unit)) || unit.id == c.owner_unit_id)
    return Error::invalid("unit_code",
                          {"该单位不在本活动范围内", "The unit is outside the campaign"});
  if (!takes_part(unit))
    return Error::invalid("unit_code", {"主题和方案由党支部、党总支登记",
                                        "Themes and plans are registered by branches"});
  if (unit.status != organizations::UnitStatus::active)
    return Error::conflict({"该单位已撤销", "The unit is closed"});
  return unit;
}

// Checks the links of a theme: the campaign's own central tasks, and
// carriers that are current and suit the unit's field.
Status check_links(storage::Transaction& tx, const Campaign& c, const Unit& unit,
                   const ThemeInput& in) {
  std::vector<FieldError> errors;
  for (Id id : in.central_task_ids) {
    XF_TRY(auto task, store::find_central_task(tx, c, id));
    if (!task)
      errors.push_back({"central_task_ids",
                        {"本活动没有这项中心工作:" + id_to_string(id),
                         "The campaign has no such central task: " + id_to_string(id)},
                        {}});
  }
  for (Id id : in.carrier_ids) {
    XF_TRY(auto carrier, store::find_carrier(tx, c, id));
    if (!carrier || carrier->retired_at || !carrier->suits(unit.field))
      errors.push_back({"carrier_ids",
                        {"该载体不可选(不存在、已停用或不适用本领域):" + id_to_string(id),
                         "The carrier cannot be chosen (absent, retired or not for this field): " +
                             id_to_string(id)},
                        {}});
  }
  if (!errors.empty()) return Error::invalid_fields(std::move(errors));
  return {};
}

Status check_field(storage::Transaction& tx, std::string_view field) {
  XF_TRY(auto found, org_store::find_field(tx, field));
  if (!found)
    return Error::invalid(
        "field", {"没有这个领域:" + std::string(field), "No such field: " + std::string(field)});
  return {};
}

// Attachments are files uploaded for this unit's plan (platform/uploads,
// purpose plan_attachment): never another unit's file, nor a file uploaded
// for something else.
Status check_attachments(storage::Transaction& tx, const Unit& unit, std::span<const Id> ids) {
  for (Id id : ids) {
    XF_TRY(auto upload, uploads::store::find(tx, id));
    if (!upload || upload->unit_id != unit.id || upload->purpose != kPlanAttachmentPurpose)
      return Error::invalid("attachments",
                            {"附件不存在或不属于本单位的方案:" + id_to_string(id),
                             "No such attachment for this unit's plan: " + id_to_string(id)});
  }
  return {};
}

Status invalid_if_any(std::vector<FieldError> errors) {
  if (!errors.empty()) return Error::invalid_fields(std::move(errors));
  return {};
}

audit::Entry entry(const auth::Actor& actor, std::string action, std::string type, Id id,
                   const Unit& unit, std::string summary) {
  return organizations::audit_entry(actor, std::move(action), std::move(type), id_to_string(id),
                                    unit, std::move(summary));
}

// The theme, its campaign (locked, open to changes), its unit, and the
// actor's right to `action` on the given ancestry of the unit.
struct ThemeContext {
  Theme theme;
  Campaign campaign;
  Unit unit;
};

Result<Campaign> locked_for_change(storage::Transaction& tx, const Campaign& c, bool taking_part) {
  XF_TRY(auto locked, store::lock_campaign(tx, c));
  if (!locked) return campaign_not_found();
  XF_CHECK(taking_part ? rules::can_take_part(locked->status) : rules::can_change(locked->status));
  return std::move(*locked);
}

Result<ThemeContext> theme_for_change(storage::Transaction& tx, const auth::Actor& actor,
                                      Id theme_id, auth::Action action) {
  XF_TRY(auto theme, store::find_theme(tx, theme_id));
  if (!theme) return theme_not_found();
  XF_TRY(auto unit, unit_by_id(tx, theme->unit_id));
  auto path = ancestry(unit);
  // The parent vets: approval is asked on the ancestry above the unit, so
  // no grant on the unit itself (its secretary, or an admin of it) suffices.
  if (action == auth::Action::approve_theme) path.pop_back();
  auto allowed = auth::authorize(actor, action, path);
  if (!allowed.ok()) {
    if (allowed.error().code == ErrorCode::not_found) return theme_not_found();
    return std::move(allowed).error();
  }
  XF_TRY(auto campaign, campaign_by_id(tx, theme->campaign_id));
  XF_TRY(auto locked, locked_for_change(tx, campaign, true));
  return ThemeContext{std::move(*theme), std::move(locked), std::move(unit)};
}

struct PlanContext {
  Plan plan;
  Campaign campaign;
  Unit unit;
};

Result<PlanContext> plan_for_change(storage::Transaction& tx, const auth::Actor& actor, Id plan_id,
                                    auth::Action action) {
  XF_TRY(auto plan, store::find_plan(tx, plan_id));
  if (!plan) return plan_not_found();
  XF_TRY(auto unit, unit_by_id(tx, plan->unit_id));
  auto allowed = auth::authorize(actor, action, ancestry(unit));
  if (!allowed.ok()) {
    if (allowed.error().code == ErrorCode::not_found) return plan_not_found();
    return std::move(allowed).error();
  }
  XF_TRY(auto campaign, campaign_by_id(tx, plan->campaign_id));
  XF_TRY(auto locked, locked_for_change(tx, campaign, true));
  return PlanContext{std::move(*plan), std::move(locked), std::move(unit)};
}

Result<Comment> comment_of(storage::Transaction& tx, const Plan& plan, Id comment_id) {
  XF_TRY(auto comment, store::find_comment(tx, plan, comment_id));
  if (!comment) return comment_not_found();
  return std::move(*comment);
}

bool is_public(const Plan& plan) {
  return plan.status != PlanStatus::draft;
}

auth::Actor anonymous_actor() {
  auth::Actor a;
  a.username = "anonymous";
  return a;
}

}  // namespace

std::optional<int64_t> parse_iso8601_ms(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') ||
      s[13] != ':' || s[16] != ':')
    return std::nullopt;
  if (!is_valid_date(s.substr(0, 10))) return std::nullopt;
  auto number = [&](size_t at, size_t len) -> std::optional<int> {
    int v = 0;
    auto part = s.substr(at, len);
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (ec != std::errc() || end != part.data() + part.size()) return std::nullopt;
    return v;
  };
  auto year = number(0, 4), month = number(5, 2), day = number(8, 2);
  auto hour = number(11, 2), minute = number(14, 2), second = number(17, 2);
  if (!hour || !minute || !second || *hour > 23 || *minute > 59 || *second > 59)
    return std::nullopt;
  size_t at = 19;
  int millis = 0;
  if (at < s.size() && s[at] == '.') {
    size_t start = ++at;
    while (at < s.size() && s[at] >= '0' && s[at] <= '9') ++at;
    if (at == start) return std::nullopt;
    std::string digits(s.substr(start, std::min<size_t>(at - start, 3)));
    digits.resize(3, '0');  // ".5" is 500 ms
    std::from_chars(digits.data(), digits.data() + 3, millis);
  }
  int offset_minutes = 0;
  auto zone = s.substr(at);
  if (zone == "Z") {
    offset_minutes = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    auto oh = number(at + 1, 2), om = number(at + 4, 2);
    if (!oh || !om || *oh > 14 || *om > 59) return std::nullopt;
    offset_minutes = (zone[0] == '+' ? 1 : -1) * (*oh * 60 + *om);
  } else {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = *year - 1900;
  tm.tm_mon = *month - 1;
  tm.tm_mday = *day;
  tm.tm_hour = *hour;
  tm.tm_min = *minute;
  tm.tm_sec = *second;
  int64_t seconds = static_cast<int64_t>(timegm(&tm)) - offset_minutes * 60;
  return seconds * 1000 + millis;
}

// ---- campaigns ----------------------------------------------------------

Result<CampaignsService::Locked> CampaignsService::campaign_for_change(storage::Transaction& tx,
                                                                       const auth::Actor& actor,
                                                                       Id campaign_id) {
  XF_TRY(auto campaign, campaign_by_id(tx, campaign_id));
  XF_TRY(auto owner, unit_by_id(tx, campaign.owner_unit_id));
  auto allowed = auth::authorize(actor, auth::Action::manage_campaigns, ancestry(owner));
  if (!allowed.ok()) {
    if (allowed.error().code == ErrorCode::not_found) return campaign_not_found();
    return std::move(allowed).error();
  }
  XF_TRY(auto locked, locked_for_change(tx, campaign, false));
  return Locked{std::move(locked), std::move(owner)};
}

Result<std::vector<CampaignView>> CampaignsService::admin_campaigns(const auth::Actor& actor) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto all, store::all_campaigns(*tx));
  std::vector<CampaignView> out;
  for (const auto& c : all) {
    XF_TRY(auto owner, unit_by_id(*tx, c.owner_unit_id));
    if (can_view(*tx, actor, owner).ok()) out.push_back({c, brief(owner)});
  }
  return out;
}

Result<CampaignDetail> CampaignsService::admin_campaign(const auth::Actor& actor, Id campaign_id) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto campaign, campaign_by_id(*tx, campaign_id));
  XF_TRY(auto owner, unit_by_id(*tx, campaign.owner_unit_id));
  XF_CHECK(can_view(*tx, actor, owner));
  return detail_of(*tx, campaign, true);
}

Result<CampaignView> CampaignsService::create_campaign(const auth::Actor& actor,
                                                       std::string_view owner_code,
                                                       const CampaignInput& input) {
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<CampaignView> {
    XF_TRY(auto owner, unit_by_code(change.tx, owner_code));
    auto allowed = auth::authorize(actor, auth::Action::manage_campaigns, ancestry(owner));
    if (!allowed.ok()) {
      if (allowed.error().code == ErrorCode::not_found) return unit_not_found();
      return std::move(allowed).error();
    }
    if (owner.kind != UnitKind::committee)
      return Error::invalid("owner_code", {"活动由党委发起,请选择党委",
                                           "A campaign is owned by a "
                                           "committee"});
    if (owner.status != organizations::UnitStatus::active)
      return Error::conflict({"该单位已撤销", "The unit is closed"});
    XF_CHECK(invalid_if_any(validate_campaign(input)));
    Campaign c{random_.next_id(), owner.shard_id,  owner.id,      input.name,
               input.description, input.starts_on, input.ends_on, CampaignStatus::draft,
               change.now_ms,     change.now_ms};
    XF_CHECK(store::insert_campaign(change.tx, c));
    XF_CHECK(store::copy_defaults(change.tx, c, random_));
    change.record(entry(actor, "campaign.create", "campaign", c.id, owner, c.name));
    return CampaignView{c, brief(owner)};
  });
}

Result<CampaignView> CampaignsService::update_campaign(const auth::Actor& actor, Id campaign_id,
                                                       const CampaignPatch& patch) {
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<CampaignView> {
    XF_TRY(auto locked, campaign_for_change(change.tx, actor, campaign_id));
    Campaign c = locked.campaign;
    CampaignInput in{patch.name.value_or(c.name), patch.description.value_or(c.description),
                     patch.starts_on.value_or(c.starts_on), patch.ends_on.value_or(c.ends_on)};
    XF_CHECK(invalid_if_any(validate_campaign(in)));
    c.name = in.name;
    c.description = in.description;
    c.starts_on = in.starts_on;
    c.ends_on = in.ends_on;
    c.updated_at = change.now_ms;
    XF_CHECK(store::update_campaign(change.tx, c));
    change.record(entry(actor, "campaign.update", "campaign", c.id, locked.owner, c.name));
    return CampaignView{c, brief(locked.owner)};
  });
}

Result<CampaignView> CampaignsService::set_status(const auth::Actor& actor, Id campaign_id,
                                                  bool activate) {
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<CampaignView> {
    XF_TRY(auto locked, campaign_for_change(change.tx, actor, campaign_id));
    Campaign c = locked.campaign;
    if (activate) {
      XF_TRY(auto tasks, store::central_tasks(change.tx, c));
      XF_CHECK(rules::can_activate(c.status, static_cast<int64_t>(tasks.size())));
      c.status = CampaignStatus::active;
    } else {
      XF_CHECK(rules::can_close(c.status));
      c.status = CampaignStatus::closed;
    }
    c.updated_at = change.now_ms;
    XF_CHECK(store::update_campaign(change.tx, c));
    change.record(entry(actor, activate ? "campaign.activate" : "campaign.close", "campaign", c.id,
                        locked.owner, c.name));
    return CampaignView{c, brief(locked.owner)};
  });
}

Result<CampaignView> CampaignsService::activate_campaign(const auth::Actor& actor, Id campaign_id) {
  return set_status(actor, campaign_id, true);
}

Result<CampaignView> CampaignsService::close_campaign(const auth::Actor& actor, Id campaign_id) {
  return set_status(actor, campaign_id, false);
}

namespace {

// The owner of a central task: a unit within the campaign's scope.
Result<Unit> task_owner(storage::Transaction& tx, const Campaign& c, const Unit& campaign_owner,
                        std::string_view code) {
  if (code.empty()) return campaign_owner;
  auto unit = unit_by_code(tx, code);
  if (!unit.ok() || !covers(c, ancestry(*unit)))
    return Error::invalid("owner_unit_code", {"牵头单位应在本活动范围内",
                                              "The owner unit must be within the campaign"});
  return std::move(*unit);
}

}  // namespace

Result<TaskView> CampaignsService::add_central_task(const auth::Actor& actor, Id campaign_id,
                                                    const CentralTaskInput& input) {
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<TaskView> {
    XF_TRY(auto locked, campaign_for_change(change.tx, actor, campaign_id));
    XF_CHECK(invalid_if_any(validate_central_task(input)));
    XF_TRY(auto owner, task_owner(change.tx, locked.campaign, locked.owner, input.owner_unit_code));
    CentralTask t{random_.next_id(),  locked.campaign.shard_id,
                  locked.campaign.id, input.title,
                  input.description,  input.target_value,
                  input.target_unit,  owner.id,
                  change.now_ms,      change.now_ms};
    XF_CHECK(store::insert_central_task(change.tx, t));
    change.record(entry(actor, "central_task.create", "central_task", t.id, locked.owner, t.title));
    return TaskView{t, brief(owner)};
  });
}

Result<TaskView> CampaignsService::update_central_task(const auth::Actor& actor, Id campaign_id,
                                                       Id task_id, const CentralTaskInput& input) {
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<TaskView> {
    XF_TRY(auto locked, campaign_for_change(change.tx, actor, campaign_id));
    XF_TRY(auto found, store::find_central_task(change.tx, locked.campaign, task_id));
    if (!found) return Error::not_found({"找不到该中心工作", "No such central task"});
    XF_CHECK(invalid_if_any(validate_central_task(input)));
    XF_TRY(auto owner, task_owner(change.tx, locked.campaign, locked.owner, input.owner_unit_code));
    CentralTask t = *found;
    t.title = input.title;
    t.description = input.description;
    t.target_value = input.target_value;
    t.target_unit = input.target_unit;
    t.owner_unit_id = owner.id;
    t.updated_at = change.now_ms;
    XF_CHECK(store::update_central_task(change.tx, t));
    change.record(entry(actor, "central_task.update", "central_task", t.id, locked.owner, t.title));
    return TaskView{t, brief(owner)};
  });
}

Result<CriteriaSet> CampaignsService::set_criteria(const auth::Actor& actor, Id campaign_id,
                                                   CriteriaKind kind, std::string_view field,
                                                   const std::vector<Criterion>& items) {
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<CriteriaSet> {
    XF_TRY(auto locked, campaign_for_change(change.tx, actor, campaign_id));
    if (!field.empty()) XF_CHECK(check_field(change.tx, field));
    bool removing_override = !field.empty() && items.empty();
    if (!removing_override) XF_CHECK(invalid_if_any(validate_criteria(items)));
    XF_CHECK(store::replace_criteria(change.tx, locked.campaign, kind, field, items, random_));
    std::string which =
        std::string(kind_name(kind)) + (field.empty() ? "" : "/" + std::string(field));
    change.record(entry(actor, removing_override ? "criteria.reset" : "criteria.update", "campaign",
                        locked.campaign.id, locked.owner, which));
    return store::criteria_for(change.tx, locked.campaign, kind, field);
  });
}

Result<Carrier> CampaignsService::add_carrier(const auth::Actor& actor, Id campaign_id,
                                              const CarrierInput& input) {
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<Carrier> {
    XF_TRY(auto locked, campaign_for_change(change.tx, actor, campaign_id));
    auto errors = validate_carrier(input);
    for (const auto& f : input.fields) {
      XF_TRY(auto found, org_store::find_field(change.tx, f));
      if (!found) errors.push_back({"fields", {"没有这个领域:" + f, "No such field: " + f}, {}});
    }
    XF_CHECK(invalid_if_any(std::move(errors)));
    Carrier c{random_.next_id(), locked.campaign.shard_id, locked.campaign.id,   input.name,
              input.name_en,     input.description,        input.description_en, input.fields,
              std::nullopt};
    XF_CHECK(store::insert_carrier(change.tx, c, change.now_ms));
    change.record(entry(actor, "carrier.create", "carrier", c.id, locked.owner, c.name));
    return c;
  });
}

Result<Carrier> CampaignsService::retire_carrier(const auth::Actor& actor, Id campaign_id,
                                                 Id carrier_id) {
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<Carrier> {
    XF_TRY(auto locked, campaign_for_change(change.tx, actor, campaign_id));
    XF_TRY(auto found, store::find_carrier(change.tx, locked.campaign, carrier_id));
    if (!found) return Error::not_found({"找不到该载体", "No such carrier"});
    if (found->retired_at)
      return Error::conflict({"该载体已停用", "The carrier is already retired"});
    XF_CHECK(store::retire_carrier(change.tx, *found, change.now_ms));
    found->retired_at = change.now_ms;
    change.record(entry(actor, "carrier.retire", "carrier", found->id, locked.owner, found->name));
    return std::move(*found);
  });
}

Result<std::vector<FieldTemplate>> CampaignsService::set_templates(
    const auth::Actor& actor, Id campaign_id, std::string_view field, TemplateKind kind,
    const std::vector<FieldTemplate>& items) {
  return audit::write(
      db_, clock_, [&](audit::Change& change) -> Result<std::vector<FieldTemplate>> {
        XF_TRY(auto locked, campaign_for_change(change.tx, actor, campaign_id));
        XF_CHECK(check_field(change.tx, field));
        XF_CHECK(invalid_if_any(validate_templates(items)));
        XF_CHECK(store::replace_templates(change.tx, locked.campaign, field, kind, items));
        change.record(entry(actor, "field_templates.update", "campaign", locked.campaign.id,
                            locked.owner, std::string(field) + "/" + std::string(kind_name(kind))));
        return store::field_templates(change.tx, locked.campaign, field);
      });
}

// ---- themes -------------------------------------------------------------

Result<Workspace> CampaignsService::workspace(const auth::Actor& actor, Id campaign_id,
                                              std::string_view unit_code) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto campaign, campaign_by_id(*tx, campaign_id));
  XF_TRY(auto unit, unit_by_code(*tx, unit_code));
  XF_CHECK(auth::authorize(actor, auth::Action::view_unit_admin, ancestry(unit)));
  if (!covers(campaign, ancestry(unit))) return campaign_not_found();
  Workspace w;
  XF_TRY(w.campaign, view_of(*tx, campaign));
  w.unit = brief(unit);
  XF_TRY(auto theme, store::theme_of(*tx, campaign, unit.id));
  if (theme) {
    XF_TRY(w.theme, theme_view(*tx, std::move(*theme)));
  }
  XF_TRY(w.plan, store::plan_of(*tx, campaign, unit.id));
  XF_TRY(w.tasks, task_views(*tx, campaign));
  XF_TRY(w.carriers, store::carriers_for_field(*tx, campaign, unit.field));
  XF_TRY(w.unit_criteria, store::criteria_for(*tx, campaign, CriteriaKind::unit, unit.field));
  XF_TRY(w.member_criteria, store::criteria_for(*tx, campaign, CriteriaKind::member, unit.field));
  XF_TRY(w.templates, store::field_templates(*tx, campaign, unit.field));
  return w;
}

Result<ThemeView> CampaignsService::create_theme(const auth::Actor& actor, Id campaign_id,
                                                 std::string_view unit_code,
                                                 const ThemeInput& input) {
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<ThemeView> {
    XF_TRY(auto campaign, campaign_by_id(change.tx, campaign_id));
    XF_TRY(auto unit, unit_by_code(change.tx, unit_code));
    XF_CHECK(auth::authorize(actor, auth::Action::manage_theme, ancestry(unit)));
    XF_TRY(auto locked, locked_for_change(change.tx, campaign, true));
    XF_TRY(unit, participant(change.tx, locked, unit_code));
    XF_CHECK(invalid_if_any(validate_theme(input)));
    XF_CHECK(check_links(change.tx, locked, unit, input));
    Theme t;
    t.id = random_.next_id();
    t.shard_id = locked.shard_id;
    t.campaign_id = locked.id;
    t.unit_id = unit.id;
    t.title = input.title;
    t.reason = input.reason;
    t.central_task_ids = input.central_task_ids;
    t.carrier_ids = input.carrier_ids;
    t.created_at = t.updated_at = change.now_ms;
    auto inserted = store::insert_theme(change.tx, t);
    if (!inserted.ok() && storage::is_unique_violation(inserted.error()))
      return Error::conflict({"本单位已登记过本次活动的主题,请修改原主题",
                              "The unit already has a theme in this campaign: edit it instead"});
    XF_CHECK(std::move(inserted));
    change.record(entry(actor, "theme.create", "theme", t.id, unit, t.title));
    return theme_view(change.tx, std::move(t));
  });
}

Result<ThemeView> CampaignsService::update_theme(const auth::Actor& actor, Id theme_id,
                                                 const ThemeInput& input) {
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<ThemeView> {
    XF_TRY(auto ctx, theme_for_change(change.tx, actor, theme_id, auth::Action::manage_theme));
    XF_CHECK(rules::can_edit_theme(ctx.theme.status));
    XF_CHECK(invalid_if_any(validate_theme(input)));
    XF_CHECK(check_links(change.tx, ctx.campaign, ctx.unit, input));
    Theme t = ctx.theme;
    t.title = input.title;
    t.reason = input.reason;
    t.central_task_ids = input.central_task_ids;
    t.carrier_ids = input.carrier_ids;
    t.updated_at = change.now_ms;
    XF_CHECK(store::update_theme(change.tx, t));
    change.record(entry(actor, "theme.update", "theme", t.id, ctx.unit, t.title));
    return theme_view(change.tx, std::move(t));
  });
}

Result<ThemeView> CampaignsService::submit_theme(const auth::Actor& actor, Id theme_id) {
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<ThemeView> {
    XF_TRY(auto ctx, theme_for_change(change.tx, actor, theme_id, auth::Action::manage_theme));
    XF_CHECK(rules::can_submit_theme(ctx.theme.status));
    // The links are checked again: a carrier may have been retired since.
    ThemeInput current{ctx.theme.title, ctx.theme.reason, ctx.theme.central_task_ids,
                       ctx.theme.carrier_ids};
    XF_CHECK(invalid_if_any(validate_theme(current)));
    XF_CHECK(check_links(change.tx, ctx.campaign, ctx.unit, current));
    Theme t = ctx.theme;
    bool resubmitted = t.status == ThemeStatus::returned;
    t.status = ThemeStatus::submitted;
    t.submitted_at = change.now_ms;
    t.updated_at = change.now_ms;
    XF_CHECK(store::update_theme(change.tx, t));
    change.record(entry(actor, resubmitted ? "theme.resubmit" : "theme.submit", "theme", t.id,
                        ctx.unit, t.title));
    return theme_view(change.tx, std::move(t));
  });
}

Result<ThemeView> CampaignsService::review_theme(const auth::Actor& actor, Id theme_id,
                                                 bool approve, std::string_view comment) {
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<ThemeView> {
    XF_TRY(auto ctx, theme_for_change(change.tx, actor, theme_id, auth::Action::approve_theme));
    XF_CHECK(rules::can_review_theme(ctx.theme.status));
    XF_CHECK(invalid_if_any(validate_reason("comment", comment, !approve)));
    Theme t = ctx.theme;
    t.status = approve ? ThemeStatus::approved : ThemeStatus::returned;
    t.review_comment = std::string(comment);
    t.reviewer_name = actor_label(actor);
    t.reviewed_at = change.now_ms;
    t.updated_at = change.now_ms;
    XF_CHECK(store::update_theme(change.tx, t));
    change.record(entry(actor, approve ? "theme.approve" : "theme.return", "theme", t.id, ctx.unit,
                        approve ? t.title : std::string(comment)));
    return theme_view(change.tx, std::move(t));
  });
}

Result<ThemeView> CampaignsService::admin_theme(const auth::Actor& actor, Id theme_id) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto theme, store::find_theme(*tx, theme_id));
  if (!theme) return theme_not_found();
  XF_TRY(auto unit, unit_by_id(*tx, theme->unit_id));
  if (!auth::authorize(actor, auth::Action::view_unit_admin, ancestry(unit)).ok())
    return theme_not_found();
  return theme_view(*tx, std::move(*theme));
}

Result<Coverage> CampaignsService::coverage(const auth::Actor& actor, Id campaign_id,
                                            std::string_view unit_code) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto campaign, campaign_by_id(*tx, campaign_id));
  XF_TRY(auto root, unit_code.empty() ? unit_by_id(*tx, campaign.owner_unit_id)
                                      : unit_by_code(*tx, unit_code));
  XF_CHECK(auth::authorize(actor, auth::Action::view_unit_admin, ancestry(root)));
  if (!covers(campaign, ancestry(root))) return campaign_not_found();
  XF_TRY(auto units, org_store::subtree(*tx, root));
  XF_TRY(auto all_themes, store::themes(*tx, campaign));
  std::map<Id, Theme> by_unit;
  for (auto& t : all_themes) by_unit.emplace(t.unit_id, std::move(t));

  Coverage cov;
  cov.root = brief(root);
  for (const char* key : {"units", "approved", "submitted", "returned", "draft", "none"})
    cov.counts[key] = 0;
  for (const auto& u : units)
    if (u.parent_id == root.id) cov.by_child.push_back({brief(u), 0, 0});
  for (const auto& u : units) {
    if (!takes_part(u) || u.status != organizations::UnitStatus::active || u.id == root.id)
      continue;
    auto found = by_unit.find(u.id);
    std::optional<Theme> theme;
    if (found != by_unit.end()) theme = found->second;
    bool approved = theme && theme->status == ThemeStatus::approved;
    ++cov.counts["units"];
    ++cov.counts[theme ? std::string(status_name(theme->status)) : "none"];
    for (auto& child : cov.by_child) {
      XF_TRY(auto child_unit, unit_by_id(*tx, child.unit.id));
      if (!is_inside(u, child_unit)) continue;
      ++child.units;
      if (approved) ++child.approved;
    }
    cov.rows.push_back({brief(u), std::move(theme)});
  }
  std::erase_if(cov.by_child, [](const ChildCoverage& c) { return c.units == 0; });
  return cov;
}

// ---- plans --------------------------------------------------------------

Result<PlanView> CampaignsService::create_plan(const auth::Actor& actor, Id campaign_id,
                                               std::string_view unit_code, const PlanInput& input) {
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<PlanView> {
    XF_TRY(auto campaign, campaign_by_id(change.tx, campaign_id));
    XF_TRY(auto unit, unit_by_code(change.tx, unit_code));
    XF_CHECK(auth::authorize(actor, auth::Action::manage_plan, ancestry(unit)));
    XF_TRY(auto locked, locked_for_change(change.tx, campaign, true));
    XF_TRY(unit, participant(change.tx, locked, unit_code));
    XF_CHECK(invalid_if_any(validate_plan(input)));
    XF_CHECK(check_attachments(change.tx, unit, input.attachment_ids));
    Plan pl;
    pl.id = random_.next_id();
    pl.shard_id = locked.shard_id;
    pl.campaign_id = locked.id;
    pl.unit_id = unit.id;
    pl.title = input.title;
    pl.body = input.body;
    pl.attachment_ids = input.attachment_ids;
    pl.created_at = pl.updated_at = change.now_ms;
    auto inserted = store::insert_plan(change.tx, pl);
    if (!inserted.ok() && storage::is_unique_violation(inserted.error()))
      return Error::conflict({"本单位已有本次活动的方案,请修改原方案",
                              "The unit already has a plan in this campaign: edit it instead"});
    XF_CHECK(std::move(inserted));
    change.record(entry(actor, "plan.create", "plan", pl.id, unit, pl.title));
    return plan_view(change.tx, std::move(pl));
  });
}

Result<PlanView> CampaignsService::update_plan(const auth::Actor& actor, Id plan_id,
                                               const PlanInput& input) {
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<PlanView> {
    XF_TRY(auto ctx, plan_for_change(change.tx, actor, plan_id, auth::Action::manage_plan));
    XF_CHECK(rules::can_edit_plan(ctx.plan.status));
    XF_CHECK(invalid_if_any(validate_plan(input)));
    XF_CHECK(check_attachments(change.tx, ctx.unit, input.attachment_ids));
    Plan pl = ctx.plan;
    pl.title = input.title;
    pl.body = input.body;
    pl.attachment_ids = input.attachment_ids;
    pl.updated_at = change.now_ms;
    XF_CHECK(store::update_plan(change.tx, pl));
    change.record(entry(actor, "plan.update", "plan", pl.id, ctx.unit, pl.title));
    return plan_view(change.tx, std::move(pl));
  });
}

Result<PlanView> CampaignsService::open_plan(const auth::Actor& actor, Id plan_id,
                                             std::optional<int64_t> opens_at, int64_t closes_at) {
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<PlanView> {
    XF_TRY(auto ctx, plan_for_change(change.tx, actor, plan_id, auth::Action::manage_plan));
    int64_t start = opens_at.value_or(change.now_ms);
    XF_CHECK(rules::can_open_plan(ctx.plan.status, change.now_ms, start, closes_at));
    Plan pl = ctx.plan;
    pl.status = PlanStatus::consultation;
    pl.opens_at = start;
    pl.closes_at = closes_at;
    pl.updated_at = change.now_ms;
    XF_CHECK(store::update_plan(change.tx, pl));
    change.record(entry(
        actor, "plan.open", "plan", pl.id, ctx.unit,
        format_iso8601(from_epoch_ms(start)) + " – " + format_iso8601(from_epoch_ms(closes_at))));
    return plan_view(change.tx, std::move(pl));
  });
}

Result<Comment> CampaignsService::answer_comment(const auth::Actor& actor, Id plan_id,
                                                 Id comment_id, Answer answer,
                                                 std::string_view reason) {
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<Comment> {
    XF_TRY(auto ctx, plan_for_change(change.tx, actor, plan_id, auth::Action::manage_plan));
    XF_TRY(auto comment, comment_of(change.tx, ctx.plan, comment_id));
    XF_CHECK(rules::can_answer(ctx.plan, comment));
    XF_CHECK(invalid_if_any(validate_reason("reason", reason, true)));
    comment.answer = answer;
    comment.answer_reason = std::string(reason);
    comment.answered_at = change.now_ms;
    comment.answered_by = actor_label(actor);
    XF_CHECK(store::update_comment(change.tx, comment));
    change.record(entry(actor, "comment.answer", "plan_comment", comment.id, ctx.unit,
                        std::string(answer_name(answer))));
    return comment;
  });
}

Result<PlanView> CampaignsService::adopt_plan(const auth::Actor& actor, Id plan_id) {
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<PlanView> {
    XF_TRY(auto ctx, plan_for_change(change.tx, actor, plan_id, auth::Action::manage_plan));
    XF_TRY(auto unanswered, store::count_unanswered(change.tx, ctx.plan));
    XF_CHECK(rules::can_adopt(ctx.plan, change.now_ms, unanswered));
    Plan pl = ctx.plan;
    pl.status = PlanStatus::adopted;
    pl.adopted_at = change.now_ms;
    pl.updated_at = change.now_ms;
    XF_CHECK(store::update_plan(change.tx, pl));
    change.record(entry(actor, "plan.adopt", "plan", pl.id, ctx.unit, pl.title));
    return plan_view(change.tx, std::move(pl));
  });
}

Result<Comment> CampaignsService::hide_comment(const auth::Actor& actor, Id plan_id, Id comment_id,
                                               std::string_view reason) {
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<Comment> {
    XF_TRY(auto ctx, plan_for_change(change.tx, actor, plan_id, auth::Action::moderate_comments));
    XF_TRY(auto comment, comment_of(change.tx, ctx.plan, comment_id));
    XF_CHECK(rules::can_hide(comment));
    XF_CHECK(invalid_if_any(validate_reason("reason", reason, true)));
    comment.hidden_reason = std::string(reason);
    comment.hidden_at = change.now_ms;
    comment.hidden_by = actor_label(actor);
    XF_CHECK(store::update_comment(change.tx, comment));
    change.record(
        entry(actor, "comment.hide", "plan_comment", comment.id, ctx.unit, std::string(reason)));
    return comment;
  });
}

Result<PlanView> CampaignsService::admin_plan(const auth::Actor& actor, Id plan_id) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto plan, store::find_plan(*tx, plan_id));
  if (!plan) return plan_not_found();
  XF_TRY(auto unit, unit_by_id(*tx, plan->unit_id));
  if (!auth::authorize(actor, auth::Action::view_unit_admin, ancestry(unit)).ok())
    return plan_not_found();
  return plan_view(*tx, std::move(*plan));
}

Result<std::vector<PlanView>> CampaignsService::admin_plans(const auth::Actor& actor,
                                                            Id campaign_id,
                                                            std::string_view unit_code) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto campaign, campaign_by_id(*tx, campaign_id));
  XF_TRY(auto root, unit_code.empty() ? unit_by_id(*tx, campaign.owner_unit_id)
                                      : unit_by_code(*tx, unit_code));
  XF_CHECK(auth::authorize(actor, auth::Action::view_unit_admin, ancestry(root)));
  XF_TRY(auto all, store::plans(*tx, campaign));
  std::vector<PlanView> out;
  for (auto& plan : all) {
    XF_TRY(auto unit, unit_by_id(*tx, plan.unit_id));
    if (!is_inside(unit, root)) continue;
    XF_TRY(auto view, plan_view(*tx, std::move(plan)));
    out.push_back(std::move(view));
  }
  return out;
}

// ---- public -------------------------------------------------------------

Result<std::vector<CampaignView>> CampaignsService::public_campaigns(
    std::optional<std::string_view> unit_code) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto all, store::all_campaigns(*tx));
  std::optional<Unit> unit;
  if (unit_code) {
    XF_TRY(unit, unit_by_code(*tx, *unit_code));
  }
  std::vector<CampaignView> out;
  for (const auto& c : all) {
    if (c.status == CampaignStatus::draft) continue;
    if (unit && !covers(c, ancestry(*unit))) continue;
    XF_TRY(auto view, view_of(*tx, c));
    out.push_back(std::move(view));
  }
  return out;
}

Result<CampaignDetail> CampaignsService::public_campaign(Id campaign_id) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto campaign, campaign_by_id(*tx, campaign_id));
  if (campaign.status == CampaignStatus::draft) return campaign_not_found();
  return detail_of(*tx, campaign, false);
}

namespace {

// The campaign named, or the newest active one covering the unit.
Result<Campaign> campaign_for_unit(storage::Transaction& tx, const Unit& unit,
                                   std::optional<Id> campaign_id) {
  if (campaign_id) {
    XF_TRY(auto c, campaign_by_id(tx, *campaign_id));
    if (c.status == CampaignStatus::draft || !covers(c, ancestry(unit)))
      return campaign_not_found();
    return c;
  }
  XF_TRY(auto active, store::active_campaigns_covering(tx, ancestry(unit)));
  if (active.empty()) return campaign_not_found();
  return std::move(active.front());
}

}  // namespace

Result<ThemeView> CampaignsService::public_theme(std::string_view unit_code,
                                                 std::optional<Id> campaign_id) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto unit, unit_by_code(*tx, unit_code));
  XF_TRY(auto campaign, campaign_for_unit(*tx, unit, campaign_id));
  XF_TRY(auto theme, store::approved_theme(*tx, campaign, unit.id));
  if (!theme)
    return Error::not_found({"该单位尚无审核通过的争创主题", "The unit has no approved theme yet"});
  return theme_view(*tx, std::move(*theme));
}

Result<PlanView> CampaignsService::public_plan(Id plan_id) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto plan, store::find_plan(*tx, plan_id));
  if (!plan || !is_public(*plan)) return plan_not_found();
  return plan_view(*tx, std::move(*plan));
}

Result<PlanView> CampaignsService::public_plan_of(std::string_view unit_code,
                                                  std::optional<Id> campaign_id) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto unit, unit_by_code(*tx, unit_code));
  XF_TRY(auto campaign, campaign_for_unit(*tx, unit, campaign_id));
  XF_TRY(auto plan, store::plan_of(*tx, campaign, unit.id));
  if (!plan || !is_public(*plan)) return plan_not_found();
  return plan_view(*tx, std::move(*plan));
}

Result<Comment> CampaignsService::add_comment(const Commenter& who, Id plan_id,
                                              std::string_view body, std::string_view author_name) {
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<Comment> {
    XF_TRY(auto plan, store::find_plan(change.tx, plan_id));
    if (!plan || !is_public(*plan)) return plan_not_found();
    XF_TRY(auto campaign, campaign_by_id(change.tx, plan->campaign_id));
    auto open = locked_for_change(change.tx, campaign, true);
    if (!open.ok()) return std::move(open).error();
    XF_CHECK(rules::can_comment(*plan, change.now_ms));
    std::string name = who.actor ? actor_label(*who.actor) : std::string(author_name);
    XF_CHECK(invalid_if_any(validate_comment(body, who.actor ? "" : author_name)));
    // Counted last, so a refused comment does not use up the allowance.
    std::string key = who.actor ? "account:" + id_to_string(who.actor->account_id)
                                : "address:" + who.client_address;
    int64_t limit = who.actor ? kAccountCommentsPerWindow : kAnonymousCommentsPerWindow;
    XF_TRY(auto counted, store::count_comment(change.tx, key, change.now_ms, kCommentWindowMs));
    if (counted.count > limit) {
      int64_t wait_ms = counted.window_start_ms + kCommentWindowMs - change.now_ms;
      return Error::rate_limited(static_cast<int>(std::max<int64_t>(1, (wait_ms + 999) / 1000)));
    }
    Comment c;
    c.id = random_.next_id();
    c.shard_id = plan->shard_id;
    c.plan_id = plan->id;
    if (who.actor) c.account_id = who.actor->account_id;
    c.author_name = name;
    c.body = std::string(body);
    c.created_at = change.now_ms;
    XF_CHECK(store::insert_comment(change.tx, c));
    XF_TRY(auto unit, unit_by_id(change.tx, plan->unit_id));
    change.record(entry(who.actor ? *who.actor : anonymous_actor(), "comment.create",
                        "plan_comment", c.id, unit, "plan " + id_to_string(plan->id)));
    return c;
  });
}

}  // namespace xf::campaigns
