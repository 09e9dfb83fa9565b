#pragma once
// The organisation tree's use cases. Each admin call: find the target unit,
// authorize the actor on its ancestry (outside their subtree → not_found),
// validate, change and audit in one transaction (audit::write).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "features/organizations/organizations.h"
#include "features/organizations/organizations_store.h"
#include "platform/audit/audit.h"
#include "platform/auth/auth.h"
#include "platform/core/clock.h"
#include "platform/core/random.h"
#include "platform/storage/database.h"

namespace xf::organizations {

// Keys an admin may change with PATCH; absent ones stay as they are.
struct UnitPatch {
  std::optional<std::string> name, kind, field, contact_name, contact_phone, address;
};
struct MemberPatch {
  std::optional<std::string> name, post, joined_on, status, phone, id_number;
};

struct UnitDetail {
  store::UnitNode node;
  Field field;
  std::vector<Unit> parent_chain;  // root first
};

// What anyone may see of a unit: no contact person, no phone.
struct PublicUnit {
  Unit unit;
  Field field;
  std::vector<Unit> parent_chain;
  int64_t children_count = 0;
  int64_t member_count = 0;
};

// The actor the CLI and the demo loader act as: a system admin, audited as "system".
auth::Actor system_actor();

class OrganizationsService {
 public:
  OrganizationsService(storage::Database& db, const Clock& clock, Random& random)
      : db_(db), clock_(clock), random_(random) {}

  // Admin reads.
  Result<std::vector<store::UnitNode>> admin_children(const auth::Actor& actor,
                                                      std::optional<std::string_view> parent_code);
  Result<std::vector<Unit>> search_units(const auth::Actor& actor, std::string_view q);
  Result<UnitDetail> admin_unit(const auth::Actor& actor, std::string_view code);
  Result<store::MemberPage> list_members(const auth::Actor& actor, std::string_view unit_code,
                                         const store::MemberQuery& query);

  // Unit changes. parent_code "" makes a root, which only a system admin may.
  Result<Unit> create_unit(const auth::Actor& actor, const UnitInput& input,
                           std::string_view parent_code);
  Result<Unit> update_unit(const auth::Actor& actor, std::string_view code, const UnitPatch& patch);
  Result<Unit> move_unit(const auth::Actor& actor, std::string_view code,
                         std::string_view new_parent_code);
  // Only an empty unit closes: no active child units and no members.
  Result<Unit> close_unit(const auth::Actor& actor, std::string_view code);

  // Member changes.
  Result<store::MemberRow> add_member(const auth::Actor& actor, std::string_view unit_code,
                                      const MemberInput& input);
  Result<store::MemberRow> update_member(const auth::Actor& actor, Id member_id,
                                         const MemberPatch& patch);
  Result<store::MemberRow> move_member(const auth::Actor& actor, Id member_id,
                                       std::string_view unit_code);
  Status remove_member(const auth::Actor& actor, Id member_id);
  // Links a login to the member, so that the person makes their own member
  // commitments and votes in member rounds; no username unlinks it. Needs
  // manage_accounts on the member's unit (and manage_members).
  Result<store::MemberRow> set_member_account(const auth::Actor& actor, Id member_id,
                                              std::optional<std::string_view> username);

  // Public reads: active units only.
  Result<PublicUnit> public_unit(std::string_view code);
  Result<std::vector<store::UnitNode>> public_children(std::optional<std::string_view> parent_code);
  Result<std::vector<Field>> fields();

  // A unit the actor may act on with `action`, or not_found/permission_denied.
  Result<Unit> authorized_unit(storage::Transaction& tx, const auth::Actor& actor,
                               auth::Action action, std::string_view code);

 private:
  Result<std::unique_ptr<storage::Transaction>> read();
  Result<std::pair<Member, Unit>> authorized_member(storage::Transaction& tx,
                                                    const auth::Actor& actor, Id member_id);
  Result<Unit> active_unit_for_change(storage::Transaction& tx, const auth::Actor& actor,
                                      auth::Action action, std::string_view code,
                                      std::string_view field);

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
};

// The audit entry of a change that belongs to `unit`, made by `actor`.
audit::Entry audit_entry(const auth::Actor& actor, std::string action, std::string object_type,
                         std::string object_id, const Unit& unit, std::string summary);
}  // namespace xf::organizations
