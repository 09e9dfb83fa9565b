#include "features/organizations/organizations_service.h"

#include <algorithm>

#include "platform/audit/write.h"
#include "platform/auth/account_service.h"

namespace xf::organizations {

namespace {

Error unit_not_found() {
  return Error::not_found({"找不到该单位", "No such unit"});
}
Error member_not_found() {
  return Error::not_found({"找不到该党员", "No such member"});
}

Error closed_unit(std::string_view field) {
  Error e = Error::conflict({"该单位已撤销,不能再作变更", "The unit is closed and cannot change"});
  e.fields.push_back({std::string(field), e.message, {}});
  return e;
}

bool is_inside(const Unit& candidate, const Unit& root) {
  return candidate.path.compare(0, root.path.size(), root.path) == 0;
}

// Appends "field" to `changed` and takes the new value when the patch sets it.
void apply(std::optional<std::string> const& value, std::string& target, std::string_view field,
           std::string& changed) {
  if (!value || *value == target) return;
  target = *value;
  changed += (changed.empty() ? "" : ",") + std::string(field);
}

Status check_field(storage::Transaction& tx, std::string_view field,
                   std::vector<FieldError>& errors) {
  if (field.empty()) return {};  // validate_unit already reported it
  XF_TRY(auto found, store::find_field(tx, field));
  if (!found)
    errors.push_back(
        {"field",
         {"没有这个领域:" + std::string(field), "No such field: " + std::string(field)},
         {}});
  return {};
}

UnitInput input_of(const Unit& u) {
  return {u.code,          u.name,   std::string(kind_name(u.kind)), u.field, u.contact_name,
          u.contact_phone, u.address};
}

MemberInput input_of(const Member& m) {
  return {m.name,
          m.post,
          m.joined_on,
          std::string(member_status_name(m.status)),
          m.phone.value_or(""),
          m.id_number.value_or("")};
}

}  // namespace

auth::Actor system_actor() {
  auth::Actor actor;
  actor.username = "system";
  actor.display_name = "system";
  actor.grants.push_back({0, auth::Role::system_admin, 0});
  return actor;
}

audit::Entry audit_entry(const auth::Actor& actor, std::string action, std::string object_type,
                         std::string object_id, const Unit& unit, std::string summary) {
  audit::Entry e;
  e.actor_id = actor.account_id;
  e.actor_name = actor.username;
  e.action = std::move(action);
  e.object_type = std::move(object_type);
  e.object_id = std::move(object_id);
  e.unit_id = unit.id;
  e.unit_path = audit::unit_path_of(ancestry_from_path(unit.path));
  e.shard_id = unit.shard_id;
  e.summary = std::move(summary);
  return e;
}

Result<std::unique_ptr<storage::Transaction>> OrganizationsService::read() {
  return db_.begin(storage::Access::read);
}

Result<Unit> OrganizationsService::authorized_unit(storage::Transaction& tx,
                                                   const auth::Actor& actor, auth::Action action,
                                                   std::string_view code) {
  XF_TRY(auto unit, store::find_unit_by_code(tx, code));
  if (!unit) return unit_not_found();
  auto ancestry = ancestry_from_path(unit->path);
  XF_CHECK(auth::authorize(actor, action, ancestry));
  return std::move(*unit);
}

Result<Unit> OrganizationsService::active_unit_for_change(storage::Transaction& tx,
                                                          const auth::Actor& actor,
                                                          auth::Action action,
                                                          std::string_view code,
                                                          std::string_view field) {
  XF_TRY(auto unit, authorized_unit(tx, actor, action, code));
  // Locked and read again: a concurrent move must not leave us a stale path.
  XF_TRY(auto locked, store::lock_unit(tx, unit));
  if (!locked) return unit_not_found();
  if (locked->status != UnitStatus::active) return closed_unit(field);
  return std::move(*locked);
}

Result<std::pair<Member, Unit>> OrganizationsService::authorized_member(storage::Transaction& tx,
                                                                        const auth::Actor& actor,
                                                                        Id member_id) {
  XF_TRY(auto member, store::find_member(tx, member_id));
  if (!member) return member_not_found();
  XF_TRY(auto unit, store::find_unit_by_id(tx, member->unit_id));
  if (!unit) return member_not_found();
  auto ancestry = ancestry_from_path(unit->path);
  auto allowed = auth::authorize(actor, auth::Action::manage_members, ancestry);
  if (!allowed.ok()) {
    // Hide the member itself, not just the unit, from actors outside.
    if (allowed.error().code == ErrorCode::not_found) return member_not_found();
    return std::move(allowed).error();
  }
  return std::pair{std::move(*member), std::move(*unit)};
}

Result<std::vector<store::UnitNode>> OrganizationsService::admin_children(
    const auth::Actor& actor, std::optional<std::string_view> parent_code) {
  XF_TRY(auto tx, read());
  if (parent_code) {
    XF_TRY(auto parent, authorized_unit(*tx, actor, auth::Action::view_unit_admin, *parent_code));
    return store::children(*tx, parent, false);
  }
  auto scope = auth::admin_scope(actor);
  if (scope.all) return store::roots(*tx, false);
  XF_TRY(auto nodes, store::nodes_by_ids(*tx, scope.roots));
  // A grant inside another grant's subtree is not a root of the actor's view.
  std::vector<Id> nested;
  for (const auto& n : nodes)
    for (const auto& other : nodes)
      if (other.unit.id != n.unit.id && is_inside(n.unit, other.unit)) nested.push_back(n.unit.id);
  std::erase_if(nodes, [&](const store::UnitNode& n) {
    return std::find(nested.begin(), nested.end(), n.unit.id) != nested.end();
  });
  return nodes;
}

Result<std::vector<Unit>> OrganizationsService::search_units(const auth::Actor& actor,
                                                             std::string_view q) {
  constexpr int kSearchLimit = 50;
  std::string query = trimmed(q);
  if (query.empty()) return std::vector<Unit>{};
  XF_TRY(auto tx, read());
  auto scope = auth::admin_scope(actor);
  if (scope.all) return store::search(*tx, query, {}, kSearchLimit);
  if (scope.roots.empty()) return std::vector<Unit>{};
  XF_TRY(auto roots, store::nodes_by_ids(*tx, scope.roots));
  std::vector<Unit> root_units;
  for (auto& node : roots) root_units.push_back(std::move(node.unit));
  if (root_units.empty()) return std::vector<Unit>{};
  return store::search(*tx, query, root_units, kSearchLimit);
}

Result<UnitDetail> OrganizationsService::admin_unit(const auth::Actor& actor,
                                                    std::string_view code) {
  XF_TRY(auto tx, read());
  XF_TRY(auto unit, authorized_unit(*tx, actor, auth::Action::view_unit_admin, code));
  XF_TRY(auto node, store::node_of(*tx, unit, false));
  XF_TRY(auto field, store::find_field(*tx, unit.field));
  XF_TRY(auto chain, store::ancestors(*tx, unit));
  return UnitDetail{std::move(node), field.value_or(Field{unit.field, unit.field, unit.field}),
                    std::move(chain)};
}

Result<store::MemberPage> OrganizationsService::list_members(const auth::Actor& actor,
                                                             std::string_view unit_code,
                                                             const store::MemberQuery& query) {
  XF_TRY(auto tx, read());
  XF_TRY(auto unit, authorized_unit(*tx, actor, auth::Action::view_unit_admin, unit_code));
  return store::list_members(*tx, unit, query);
}

Result<Unit> OrganizationsService::create_unit(const auth::Actor& actor, const UnitInput& input,
                                               std::string_view parent_code) {
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<Unit> {
    std::optional<Unit> parent;
    if (!parent_code.empty()) {
      XF_TRY(auto found, active_unit_for_change(change.tx, actor, auth::Action::manage_units,
                                                parent_code, "parent_code"));
      parent = std::move(found);
    } else if (!actor.is_system_admin()) {
      return Error::invalid("parent_code", {"请选择上级单位", "The parent unit is required"});
    }
    auto errors = validate_unit(input);
    XF_CHECK(check_field(change.tx, input.field, errors));
    if (!errors.empty()) return Error::invalid_fields(std::move(errors));

    Unit unit = make_unit(random_.next_id(), input, parent ? &*parent : nullptr, change.now_ms);
    XF_CHECK(store::insert_units(change.tx, std::span<const Unit>(&unit, 1)));
    change.record(audit_entry(
        actor, "unit.create", "unit", id_to_string(unit.id), unit,
        "code=" + unit.code + " name=" + unit.name + " parent=" + std::string(parent_code)));
    return unit;
  });
}

Result<Unit> OrganizationsService::update_unit(const auth::Actor& actor, std::string_view code,
                                               const UnitPatch& patch) {
  // Contact details are the unit's own business (edit_unit); what the unit
  // is — its name, kind and field — belongs to whoever manages the tree.
  bool structural = patch.name || patch.kind || patch.field;
  auto action = structural ? auth::Action::manage_units : auth::Action::edit_unit;
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<Unit> {
    XF_TRY(Unit unit, active_unit_for_change(change.tx, actor, action, code, "code"));
    UnitInput input = input_of(unit);
    std::string changed;
    apply(patch.name, input.name, "name", changed);
    apply(patch.kind, input.kind, "kind", changed);
    apply(patch.field, input.field, "field", changed);
    apply(patch.contact_name, input.contact_name, "contact_name", changed);
    apply(patch.contact_phone, input.contact_phone, "contact_phone", changed);
    apply(patch.address, input.address, "address", changed);
    auto errors = validate_unit(input);
    XF_CHECK(check_field(change.tx, input.field, errors));
    if (!errors.empty()) return Error::invalid_fields(std::move(errors));

    assign_unit_input(unit, input);
    unit.updated_at = change.now_ms;
    XF_CHECK(store::update_unit(change.tx, unit));
    change.record(audit_entry(actor, "unit.update", "unit", id_to_string(unit.id), unit,
                              "code=" + unit.code + " changed=" + changed));
    return unit;
  });
}

Result<Unit> OrganizationsService::move_unit(const auth::Actor& actor, std::string_view code,
                                             std::string_view new_parent_code) {
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<Unit> {
    XF_TRY(Unit unit,
           active_unit_for_change(change.tx, actor, auth::Action::manage_units, code, "code"));
    XF_TRY(Unit parent, active_unit_for_change(change.tx, actor, auth::Action::manage_units,
                                               new_parent_code, "parent_code"));
    if (is_inside(parent, unit))
      return Error::conflict({"不能把单位移到它自己或它的下级单位之下",
                              "A unit cannot move under itself or one of its own sub-units"});
    if (parent.shard_id != unit.shard_id)
      return Error::conflict({"不能在不同的顶层单位之间移动单位",
                              "A unit cannot move to another top-level unit's tree"});
    auto old_chain = unit.parent_id ? id_to_string(*unit.parent_id) : std::string("none");
    XF_CHECK(store::move_subtree(change.tx, unit, parent, change.now_ms));
    XF_TRY(auto moved, store::find_unit_by_id(change.tx, unit.id));
    if (!moved) return unit_not_found();
    change.record(
        audit_entry(actor, "unit.move", "unit", id_to_string(unit.id), *moved,
                    "code=" + unit.code + " from_parent_id=" + old_chain + " to=" + parent.code));
    return std::move(*moved);
  });
}

Result<Unit> OrganizationsService::close_unit(const auth::Actor& actor, std::string_view code) {
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<Unit> {
    XF_TRY(Unit unit,
           active_unit_for_change(change.tx, actor, auth::Action::manage_units, code, "code"));
    XF_TRY(auto children, store::count_active_children(change.tx, unit));
    if (children > 0)
      return Error::conflict(
          {"该单位还有 " + std::to_string(children) + " 个未撤销的下级单位,不能撤销",
           "The unit still has " + std::to_string(children) +
               " active sub-units and cannot close"});
    XF_TRY(auto members, store::count_members(change.tx, unit));
    if (members > 0)
      return Error::conflict(
          {"该单位还有 " + std::to_string(members) + " 名党员,请先转出",
           "The unit still has " + std::to_string(members) + " members; move them first"});
    unit.status = UnitStatus::closed;
    unit.updated_at = change.now_ms;
    XF_CHECK(store::update_unit(change.tx, unit));
    change.record(
        audit_entry(actor, "unit.close", "unit", id_to_string(unit.id), unit, "code=" + unit.code));
    return unit;
  });
}

Result<store::MemberRow> OrganizationsService::add_member(const auth::Actor& actor,
                                                          std::string_view unit_code,
                                                          const MemberInput& input) {
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<store::MemberRow> {
    XF_TRY(Unit unit, active_unit_for_change(change.tx, actor, auth::Action::manage_members,
                                             unit_code, "unit_code"));
    auto errors = validate_member(input);
    if (!errors.empty()) return Error::invalid_fields(std::move(errors));
    Member member = make_member(random_.next_id(), input, unit, change.now_ms);
    XF_CHECK(store::insert_members(change.tx, std::span<const Member>(&member, 1)));
    change.record(audit_entry(actor, "member.add", "member", id_to_string(member.id), unit,
                              "name=" + member.name + " unit=" + unit.code));
    return store::MemberRow{std::move(member), unit.code, unit.name};
  });
}

Result<store::MemberRow> OrganizationsService::update_member(const auth::Actor& actor, Id member_id,
                                                             const MemberPatch& patch) {
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<store::MemberRow> {
    XF_TRY(auto found, authorized_member(change.tx, actor, member_id));
    auto& [member, unit] = found;
    MemberInput input = input_of(member);
    std::string changed;
    apply(patch.name, input.name, "name", changed);
    apply(patch.post, input.post, "post", changed);
    apply(patch.joined_on, input.joined_on, "joined_on", changed);
    apply(patch.status, input.status, "status", changed);
    apply(patch.phone, input.phone, "phone", changed);
    apply(patch.id_number, input.id_number, "id_number", changed);
    auto errors = validate_member(input);
    if (!errors.empty()) return Error::invalid_fields(std::move(errors));
    assign_member_input(member, input);
    member.updated_at = change.now_ms;
    XF_CHECK(store::update_member(change.tx, member));
    // Field names only: the summary never carries a phone or ID number.
    change.record(audit_entry(actor, "member.update", "member", id_to_string(member.id), unit,
                              "name=" + member.name + " changed=" + changed));
    return store::MemberRow{member, unit.code, unit.name};
  });
}

Result<store::MemberRow> OrganizationsService::move_member(const auth::Actor& actor, Id member_id,
                                                           std::string_view unit_code) {
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<store::MemberRow> {
    XF_TRY(auto found, authorized_member(change.tx, actor, member_id));
    auto& [member, from] = found;
    XF_TRY(Unit to, active_unit_for_change(change.tx, actor, auth::Action::manage_members,
                                           unit_code, "unit_code"));
    if (to.shard_id != member.shard_id)
      return Error::conflict({"不能把党员转到另一个顶层单位",
                              "A member cannot move to another top-level unit's tree"});
    member.unit_id = to.id;
    member.updated_at = change.now_ms;
    XF_CHECK(store::update_member(change.tx, member));
    change.record(audit_entry(actor, "member.move", "member", id_to_string(member.id), to,
                              "name=" + member.name + " from=" + from.code + " to=" + to.code));
    return store::MemberRow{member, to.code, to.name};
  });
}

Result<store::MemberRow> OrganizationsService::set_member_account(
    const auth::Actor& actor, Id member_id, std::optional<std::string_view> username) {
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<store::MemberRow> {
    XF_TRY(auto found, authorized_member(change.tx, actor, member_id));
    auto& [member, unit] = found;
    XF_CHECK(auth::authorize(actor, auth::Action::manage_accounts, ancestry_from_path(unit.path)));
    if (username) {
      XF_TRY(Id account, auth::link_member(change.tx, *username, member.id));
      member.account_id = account;
    } else {
      XF_CHECK(auth::unlink_member(change.tx, member.id));
      member.account_id.reset();
    }
    member.updated_at = change.now_ms;
    XF_CHECK(store::update_member(change.tx, member));
    change.record(audit_entry(
        actor, username ? "member.link_account" : "member.unlink_account", "member",
        id_to_string(member.id), unit,
        "name=" + member.name + (username ? " username=" + std::string(*username) : "")));
    return store::MemberRow{member, unit.code, unit.name};
  });
}

Status OrganizationsService::remove_member(const auth::Actor& actor, Id member_id) {
  return audit::write(db_, clock_, [&](audit::Change& change) -> Status {
    XF_TRY(auto found, authorized_member(change.tx, actor, member_id));
    auto& [member, unit] = found;
    XF_CHECK(store::remove_member(change.tx, member, change.now_ms));
    change.record(audit_entry(actor, "member.remove", "member", id_to_string(member.id), unit,
                              "name=" + member.name + " unit=" + unit.code));
    return {};
  });
}

Result<PublicUnit> OrganizationsService::public_unit(std::string_view code) {
  XF_TRY(auto tx, read());
  XF_TRY(auto unit, store::find_unit_by_code(*tx, code));
  if (!unit || unit->status != UnitStatus::active) return unit_not_found();
  XF_TRY(auto node, store::node_of(*tx, *unit, true));
  XF_TRY(auto field, store::find_field(*tx, unit->field));
  XF_TRY(auto chain, store::ancestors(*tx, *unit));
  return PublicUnit{std::move(node.unit),
                    field.value_or(Field{unit->field, unit->field, unit->field}), std::move(chain),
                    node.child_count, node.member_count};
}

Result<std::vector<store::UnitNode>> OrganizationsService::public_children(
    std::optional<std::string_view> parent_code) {
  XF_TRY(auto tx, read());
  if (!parent_code) return store::roots(*tx, true);
  XF_TRY(auto parent, store::find_unit_by_code(*tx, *parent_code));
  if (!parent || parent->status != UnitStatus::active) return unit_not_found();
  return store::children(*tx, *parent, true);
}

Result<std::vector<Field>> OrganizationsService::fields() {
  XF_TRY(auto tx, read());
  return store::fields(*tx);
}

}  // namespace xf::organizations
