#include "platform/uploads/uploads_service.h"

#include "platform/audit/write.h"
#include "platform/core/crypto.h"
#include "platform/uploads/uploads_store.h"

namespace xf::uploads {
namespace {

constexpr int64_t kHourMs = 60 * 60 * 1000;
constexpr int64_t kMiB = 1 << 20;

Error upload_not_found() {
  return Error::not_found({"未找到该文件", "File not found"});
}

std::string mib(int64_t bytes) {
  return std::to_string((bytes + kMiB - 1) / kMiB) + " MiB";
}

Status check_size(std::string_view bytes, int64_t max_bytes) {
  if (bytes.empty()) return Error::invalid("file", {"文件为空", "The file is empty"});
  if (static_cast<int64_t>(bytes.size()) > max_bytes)
    return Error::invalid("file", {"文件过大,每个文件最大 " + mib(max_bytes),
                                   "The file is too large; the limit is " + mib(max_bytes)});
  return {};
}

Result<FileKind> check_kind(std::string_view bytes) {
  auto kind = sniff(bytes);
  if (!kind)
    return Error::invalid("file",
                          {"只接受 JPEG、PNG、WebP 图片或 PDF 文件(按文件内容判断,而非文件名)",
                           "Only JPEG, PNG or WebP images and PDF files are accepted "
                           "(judged by the content, not the name)"});
  return *kind;
}

// What is stored: images without metadata plus a thumbnail; PDFs as sent.
struct Prepared {
  std::string bytes;
  std::string thumbnail;
  std::optional<int> width;
  std::optional<int> height;
};

Result<Prepared> prepare(FileKind kind, std::string_view bytes, const ImageLimits& limits) {
  if (!is_image(kind)) return Prepared{std::string(bytes), "", std::nullopt, std::nullopt};
  XF_TRY(auto image, process_image(kind, bytes, limits));
  return Prepared{std::move(image.bytes), std::move(image.thumbnail), image.width, image.height};
}

std::string audit_summary(const UploadRef& u) {
  return u.purpose + ": " + u.filename + " (" + u.content_type + ", " + std::to_string(u.size) +
         " bytes, sha256 " + u.sha256 + ")";
}

}  // namespace

UploadsService::UploadsService(storage::Database& db, const Clock& clock, Random& random,
                               auth::UnitDirectory& directory, UploadsConfig config)
    : db_(db),
      clock_(clock),
      random_(random),
      directory_(directory),
      config_(std::move(config)),
      files_(config_.root_dir) {}

Status UploadsService::register_purpose(UploadPurpose purpose) {
  if (purpose.name.empty())
    return Error::invalid("purpose", {"用途名称不能为空", "The purpose needs a name"});
  auto name = purpose.name;
  if (!purposes_.emplace(name, std::move(purpose)).second)
    return Error::conflict(
        {"上传用途 " + name + " 已登记", "Upload purpose " + name + " is already registered"});
  return {};
}

Result<const UploadPurpose*> UploadsService::purpose_named(std::string_view name) const {
  auto it = purposes_.find(name);
  if (it == purposes_.end())
    return Error::invalid("purpose", {"未知的上传用途", "Unknown upload purpose"});
  return &it->second;
}

Status UploadsService::throttle(const std::string& client_address) {
  int64_t now = to_epoch_ms(clock_.now());
  XF_TRY(auto tx, db_.begin(storage::Access::write));
  XF_TRY(auto count, store::count_upload(*tx, "address:" + client_address, now, kHourMs));
  // Committed even when refused: every attempt counts.
  XF_CHECK(tx->commit());
  if (count.uploads <= config_.anonymous_per_hour) return {};
  int64_t wait_ms = count.window_start_ms + kHourMs - now;
  return Error::rate_limited(static_cast<int>((wait_ms + 999) / 1000));
}

Status UploadsService::authorize_upload(const auth::Actor* actor, const UploadPurpose& purpose,
                                        const auth::UnitRef& unit,
                                        const std::string& client_address) {
  if (!purpose.uploader_action) return throttle(client_address);
  if (!actor) return Error::unauthenticated();
  return auth::authorize(*actor, *purpose.uploader_action, unit.ancestry);
}

Result<UploadRef> UploadsService::upload(const auth::Actor* actor, const NewUpload& in) {
  XF_TRY(auto purpose, purpose_named(in.purpose));
  auth::UnitRef unit;
  {
    XF_TRY(auto tx, db_.begin(storage::Access::read));
    XF_TRY(unit, directory_.find_by_code(*tx, in.unit_code));
  }
  XF_CHECK(authorize_upload(actor, *purpose, unit, in.client_address));
  XF_CHECK(check_size(in.bytes, config_.max_file_bytes));
  XF_TRY(auto kind, check_kind(in.bytes));
  XF_TRY(auto prepared, prepare(kind, in.bytes, config_.images));

  UploadRef u;
  u.id = random_.next_id();
  u.shard_id = unit.shard_id;
  u.unit_id = unit.id;
  u.purpose = purpose->name;
  u.filename = clean_filename(in.filename);
  u.content_type = std::string(content_type_of(kind));
  u.size = static_cast<int64_t>(prepared.bytes.size());
  u.sha256 = sha256_hex(prepared.bytes);
  u.width = prepared.width;
  u.height = prepared.height;
  u.has_thumbnail = !prepared.thumbnail.empty();
  u.storage_name = FileStore::new_name(random_);
  u.created_by = actor ? actor->account_id : 0;

  // Files first, then the row: a crash in between leaves an unreferenced
  // file, never a row without its file. Any refusal removes the files.
  auto remove_files = [&] {
    files_.remove(u.storage_name, "");
    if (u.has_thumbnail) files_.remove(u.storage_name, kThumbnailSuffix);
  };
  Status written = files_.write(u.storage_name, "", prepared.bytes, random_);
  if (written.ok() && u.has_thumbnail)
    written = files_.write(u.storage_name, kThumbnailSuffix, prepared.thumbnail, random_);
  if (!written.ok()) {
    remove_files();
    return std::move(written).error();
  }

  auto stored = audit::write(db_, clock_, [&](audit::Change& change) -> Result<UploadRef> {
    u.created_at = change.now_ms;
    XF_TRY(bool fits, store::reserve_quota(change.tx, u.shard_id, u.unit_id, u.size,
                                           config_.unit_quota_bytes));
    if (!fits)
      return Error::conflict({"本单位的上传空间已满(上限 " + mib(config_.unit_quota_bytes) +
                                  "),请删除不需要的文件或联系管理员",
                              "The unit's upload quota (" + mib(config_.unit_quota_bytes) +
                                  ") is full; remove files it no longer needs or ask an "
                                  "administrator"});
    XF_CHECK(store::insert(change.tx, u));
    change.record({.actor_id = u.created_by,
                   .actor_name = actor ? actor->username : "anonymous",
                   .action = "upload.create",
                   .object_type = "upload",
                   .object_id = id_to_string(u.id),
                   .unit_id = u.unit_id,
                   .unit_path = audit::unit_path_of(unit.ancestry),
                   .shard_id = u.shard_id,
                   .summary = audit_summary(u)});
    return u;
  });
  if (!stored.ok()) remove_files();
  return stored;
}

Result<UploadsService::Visibility> UploadsService::visibility(storage::Transaction& tx,
                                                              const auth::Actor* actor,
                                                              const UploadRef& upload) {
  auto purpose = purposes_.find(upload.purpose);
  if (purpose != purposes_.end() && purpose->second.is_public) {
    XF_TRY(bool is_public, purpose->second.is_public(tx, upload));
    if (is_public) return Visibility::to_everyone;
  }
  if (!actor) return Visibility::hidden;
  if (upload.created_by != 0 && upload.created_by == actor->account_id) return Visibility::to_actor;
  XF_TRY(auto unit, directory_.find_by_id(tx, upload.unit_id));
  if (auth::authorize(*actor, auth::Action::view_unit_admin, unit.ancestry).ok())
    return Visibility::to_actor;
  return Visibility::hidden;
}

Result<Download> UploadsService::download(const auth::Actor* actor, Id id, bool thumbnail) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto found, store::find(*tx, id));
  if (!found || (thumbnail && !found->has_thumbnail)) return upload_not_found();
  XF_TRY(auto seen, visibility(*tx, actor, *found));
  if (seen == Visibility::hidden) return upload_not_found();
  Download d;
  d.path = files_.path_of(found->storage_name, thumbnail ? kThumbnailSuffix : "");
  d.content_type = thumbnail ? "image/jpeg" : found->content_type;
  d.is_public = seen == Visibility::to_everyone;
  d.upload = std::move(*found);
  return d;
}

Result<UploadRef> UploadsService::find(storage::Transaction& tx, Id id) {
  XF_TRY(auto found, store::find(tx, id));
  if (!found) return upload_not_found();
  return std::move(*found);
}

}  // namespace xf::uploads
