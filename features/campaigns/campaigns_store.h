#pragma once
// The SQL of campaigns. Every function runs inside the caller's transaction;
// authorization and validation happen in the service before.
//
// The read functions at the top are the API other features build on
// (commitments, evaluations, bulletins): include this header, link
// xf_campaigns, and read inside your own transaction:
//
//   XF_TRY(auto campaign, campaigns::store::find_campaign(tx, campaign_id));
//   if (!campaign) return not_found;
//   if (!campaigns::covers(*campaign, unit.ancestry)) … // outside its scope
//   XF_TRY(auto tasks, campaigns::store::central_tasks(tx, *campaign));
//   XF_TRY(auto criteria, campaigns::store::criteria_for(tx, *campaign,
//                                                       CriteriaKind::member, unit_field));
//   XF_TRY(auto theme, campaigns::store::approved_theme(tx, *campaign, unit.id));
//
// A feature that writes rows belonging to a campaign calls
// lock_campaign() first and rules::can_change() on the result, so that a
// campaign closing concurrently is seen (409), never raced.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "features/campaigns/campaigns.h"
#include "platform/core/random.h"
#include "platform/storage/database.h"

namespace xf::campaigns::store {

// ---- Read API for other features ----------------------------------------

Result<std::optional<Campaign>> find_campaign(storage::Transaction& tx, Id campaign_id);
// Every campaign, newest first (an installation holds few).
Result<std::vector<Campaign>> all_campaigns(storage::Transaction& tx);
// Active campaigns whose scope (owner's subtree) holds the unit of this
// ancestry, newest first.
Result<std::vector<Campaign>> active_campaigns_covering(storage::Transaction& tx,
                                                        std::span<const Id> ancestry);
// Takes the campaign's row lock (a no-op UPDATE … RETURNING, the same on
// both databases) and answers its current state; nullopt when absent.
Result<std::optional<Campaign>> lock_campaign(storage::Transaction& tx, const Campaign& campaign);

Result<std::vector<CentralTask>> central_tasks(storage::Transaction& tx, const Campaign& campaign);
Result<std::optional<CentralTask>> find_central_task(storage::Transaction& tx,
                                                     const Campaign& campaign, Id task_id);

// Carriers in the campaign's order; retired ones only when asked.
Result<std::vector<Carrier>> carriers(storage::Transaction& tx, const Campaign& campaign,
                                      bool include_retired);
Result<std::optional<Carrier>> find_carrier(storage::Transaction& tx, const Campaign& campaign,
                                            Id carrier_id);
// The carriers a unit of `field` may choose: not retired, suited to it.
Result<std::vector<Carrier>> carriers_for_field(storage::Transaction& tx, const Campaign& campaign,
                                                std::string_view field);

// The criteria that apply to a unit (or member of a unit) of `field`: the
// field's override when the owner made one, else the campaign's set.
Result<CriteriaSet> criteria_for(storage::Transaction& tx, const Campaign& campaign,
                                 CriteriaKind kind, std::string_view field);
// The campaign's sets and every override, for the admin page.
Result<std::vector<CriteriaSet>> all_criteria(storage::Transaction& tx, const Campaign& campaign);

// Suggested goals and task templates; one field, or every field when "".
Result<std::vector<FieldTemplate>> field_templates(storage::Transaction& tx,
                                                   const Campaign& campaign,
                                                   std::string_view field);

Result<std::optional<Theme>> find_theme(storage::Transaction& tx, Id theme_id);
Result<std::optional<Theme>> theme_of(storage::Transaction& tx, const Campaign& campaign,
                                      Id unit_id);
// The unit's theme when approved (the public one), else nullopt.
Result<std::optional<Theme>> approved_theme(storage::Transaction& tx, const Campaign& campaign,
                                            Id unit_id);
// Every theme of the campaign, without their links (for coverage counts).
Result<std::vector<Theme>> themes(storage::Transaction& tx, const Campaign& campaign);
// How many units of a subtree (units' path in [path_from, path_to), on the
// units_shard_path index) registered a theme (not a draft) and how many were
// approved: one aggregate, for bulletins.
struct ThemeCounts {
  int64_t registered = 0;
  int64_t approved = 0;
};
Result<ThemeCounts> theme_counts_in_subtree(storage::Transaction& tx, Id shard_id,
                                            std::string_view path_from, std::string_view path_to,
                                            Id campaign_id);

Result<std::optional<Plan>> find_plan(storage::Transaction& tx, Id plan_id);
Result<std::optional<Plan>> plan_of(storage::Transaction& tx, const Campaign& campaign, Id unit_id);
Result<std::vector<Plan>> plans(storage::Transaction& tx, const Campaign& campaign);
// Whether the upload is attached to a plan the public may read (opened for
// comment or adopted): platform/uploads serves it to anyone then.
Result<bool> is_public_attachment(storage::Transaction& tx, Id shard_id, Id upload_id);
// Comments in the order they came.
Result<std::vector<Comment>> comments(storage::Transaction& tx, const Plan& plan);
Result<std::optional<Comment>> find_comment(storage::Transaction& tx, const Plan& plan,
                                            Id comment_id);
// Comments that are neither answered nor hidden.
Result<int64_t> count_unanswered(storage::Transaction& tx, const Plan& plan);

// ---- Writes (the service's) ---------------------------------------------

Status insert_campaign(storage::Transaction& tx, const Campaign& campaign);
Status update_campaign(storage::Transaction& tx, const Campaign& campaign);
// Copies the installation's default criteria, carriers and field templates
// into the campaign, which from then on owns and edits its copy.
Status copy_defaults(storage::Transaction& tx, const Campaign& campaign, Random& random);

Status insert_central_task(storage::Transaction& tx, const CentralTask& task);
Status update_central_task(storage::Transaction& tx, const CentralTask& task);

// Replaces the set of (kind, field) with `items`; field "" is the
// campaign's own set. An empty `items` removes a field's override.
Status replace_criteria(storage::Transaction& tx, const Campaign& campaign, CriteriaKind kind,
                        std::string_view field, std::span<const Criterion> items, Random& random);

Status insert_carrier(storage::Transaction& tx, const Carrier& carrier, int64_t now_ms);
Status retire_carrier(storage::Transaction& tx, const Carrier& carrier, int64_t now_ms);

// Replaces the field's templates of one kind.
Status replace_templates(storage::Transaction& tx, const Campaign& campaign, std::string_view field,
                         TemplateKind kind, std::span<const FieldTemplate> items);

Status insert_theme(storage::Transaction& tx, const Theme& theme);
// Writes the theme's fields, status, review and links.
Status update_theme(storage::Transaction& tx, const Theme& theme);

Status insert_plan(storage::Transaction& tx, const Plan& plan);
Status update_plan(storage::Transaction& tx, const Plan& plan);

Status insert_comment(storage::Transaction& tx, const Comment& comment);
Status update_comment(storage::Transaction& tx, const Comment& comment);

// Counts one anonymous comment for `key` in a fixed window starting at the
// first comment; answers the count so far in the window, this one included.
// Written first (INSERT … ON CONFLICT … RETURNING), so concurrent comments
// from one address cannot both read a stale count.
struct ThrottleCount {
  int64_t count = 0;
  int64_t window_start_ms = 0;
};
Result<ThrottleCount> count_comment(storage::Transaction& tx, std::string_view key, int64_t now_ms,
                                    int64_t window_ms);

}  // namespace xf::campaigns::store
