#pragma once
// The SQL of commitments and bulletins. Every function runs inside the
// caller's transaction; authorization and validation happen in the service.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "features/commitments/commitments.h"
#include "platform/storage/database.h"

namespace xf::commitments::store {

// Inserts the commitment and its items.
Status insert_commitment(storage::Transaction& tx, const Commitment& c);
// Writes every column but the ids, campaign, unit and member.
Status update_commitment(storage::Transaction& tx, const Commitment& c);
// Drafts only: the items are replaced as a whole.
Status replace_items(storage::Transaction& tx, const Commitment& c);
// A revision after publication: the items keep their numbers (progress
// refers to them); their text, target and due date change.
Status update_item_texts(storage::Transaction& tx, const Commitment& c);
// The item's progress and completion, and the commitment's, written first
// (UPDATE … RETURNING takes the row lock before anything is read).
Status set_item_progress(storage::Transaction& tx, const Commitment& c, const Item& item);

Result<std::optional<Commitment>> find_commitment(storage::Transaction& tx, Id id);
// The row lock (no-op UPDATE … RETURNING) and a fresh read: transitions are
// decided on the state as it is, not as another transaction left it.
Result<std::optional<Commitment>> lock_commitment(storage::Transaction& tx, Id shard_id, Id id);

struct ListFilter {
  Id shard_id = 0;
  // The unit itself (subtree_end empty), or the subtree path range.
  Id unit_id = 0;
  std::string path, subtree_end;
  std::optional<Id> campaign_id;
  std::optional<State> status;
  std::optional<Id> member_id;
  // Only published commitments with an item past its date and not complete.
  std::optional<std::string> overdue_on;
  bool public_only = false;  // published and closed
  int64_t limit = 50;
  int64_t offset = 0;
};
struct ListRow {
  Commitment commitment;
  std::string unit_code, unit_name, member_name;
};
struct ListPage {
  std::vector<ListRow> items;
  int64_t total = 0;
};
Result<ListPage> list_commitments(storage::Transaction& tx, const ListFilter& f);

Status insert_version(storage::Transaction& tx, const Commitment& c, const Version& v);
Result<std::vector<Version>> versions(storage::Transaction& tx, const Commitment& c);

// Ties uploaded files to a progress update, in the given order.
Status insert_evidence(storage::Transaction& tx, Id shard_id, Id progress_id, Id commitment_id,
                       std::span<const Id> upload_ids);
Status insert_progress(storage::Transaction& tx, const Progress& p);
// Newest first.
Result<std::vector<Progress>> progress_of(storage::Transaction& tx, const Commitment& c);
// The newest evidence files of the commitments (board thumbnails), at most
// `per_commitment` each, with what platform/uploads knows of them.
struct EvidenceRef {
  Id commitment_id = 0;
  Id upload_id = 0;
  std::string content_type;
  bool has_thumbnail = false;
};
Result<std::vector<EvidenceRef>> recent_evidence(storage::Transaction& tx, Id shard_id,
                                                 std::span<const Id> commitment_ids,
                                                 int per_commitment);
// Whether the upload is evidence of a published or closed commitment.
Result<bool> is_public_evidence(storage::Transaction& tx, Id shard_id, Id upload_id);

// conflict (unique violation) when that reviewer already reviewed.
Status insert_review(storage::Transaction& tx, const Commitment& c, const Review& r);
Result<std::vector<Review>> reviews(storage::Transaction& tx, const Commitment& c);

// conflict (unique violation) when the voter already rated it.
Status insert_rating(storage::Transaction& tx, const Commitment& c, Id rating_id,
                     std::string_view voter, Rating rating, std::string_view comment,
                     int64_t now_ms);
Result<RatingCounts> rating_counts(storage::Transaction& tx, const Commitment& c);
// Counts for many commitments of one shard at once (the board).
Result<std::vector<std::pair<Id, RatingCounts>>> rating_counts_of(
    storage::Transaction& tx, Id shard_id, std::span<const Id> commitment_ids);
struct PublicComment {
  Rating rating = Rating::satisfied;
  std::string comment;
  int64_t created_at = 0;
};
// The newest residents' comments (those that wrote one), at most `limit`.
Result<std::vector<PublicComment>> recent_rating_comments(storage::Transaction& tx,
                                                          const Commitment& c, int limit);
// One more rating from `key` in a fixed window from its first; answers the
// count so far, this one included (written first: INSERT … ON CONFLICT).
Result<int64_t> count_rating(storage::Transaction& tx, std::string_view key, int64_t now_ms,
                             int64_t window_ms);

// The campaign's weights; nullopt when it uses the defaults.
Result<std::optional<Weights>> weights(storage::Transaction& tx, Id shard_id, Id campaign_id);
Status put_weights(storage::Transaction& tx, Id shard_id, Id campaign_id, const Weights& w,
                   int64_t now_ms);

// Items of many commitments of one shard, by commitment (board, lists).
Result<std::vector<std::pair<Id, Item>>> items_of(storage::Transaction& tx, Id shard_id,
                                                  std::span<const Id> commitment_ids);

}  // namespace xf::commitments::store
