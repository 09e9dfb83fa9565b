#pragma once
// Uploading and downloading, for the routes and for features. Features
// declare the purposes they accept files for (register_purpose, at start-up,
// before the server serves); the service authorizes, checks the bytes,
// stores them and writes the row with its audit entry.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "platform/auth/auth.h"
#include "platform/auth/unit_directory.h"
#include "platform/core/clock.h"
#include "platform/core/random.h"
#include "platform/storage/database.h"
#include "platform/uploads/uploads.h"
#include "platform/uploads/uploads_files.h"
#include "platform/uploads/uploads_images.h"

namespace xf::uploads {

struct UploadsConfig {
  std::filesystem::path root_dir = "data/uploads";
  int64_t max_file_bytes = 10 << 20;     // per file, as uploaded
  int64_t unit_quota_bytes = 1LL << 30;  // per unit, as stored
  int64_t anonymous_per_hour = 20;       // per client address, for "anyone" purposes
  ImageLimits images;
};

// Whether the feature that owns the file has made it public (a published
// commitment's evidence, an adopted plan's attachment…).
using PublicCheck = std::function<Result<bool>(storage::Transaction&, const UploadRef&)>;

struct UploadPurpose {
  std::string name;  // "commitment_evidence", "plan_attachment", "request_photo"
  // Who may upload: an actor holding this action on the unit (or above it);
  // nullopt: anyone, with or without an account, rate-limited per address.
  std::optional<auth::Action> uploader_action;
  // null: never public (admins of the unit and the uploader only).
  PublicCheck is_public;
};

struct NewUpload {
  std::string unit_code;
  std::string purpose;
  std::string filename;  // as sent; cleaned by the service
  std::string_view bytes;
  std::string client_address;
};

struct Download {
  UploadRef upload;
  std::filesystem::path path;
  std::string content_type;
  bool is_public = false;
};

class UploadsService {
 public:
  UploadsService(storage::Database& db, const Clock& clock, Random& random,
                 auth::UnitDirectory& directory, UploadsConfig config);

  // conflict when the name is taken; invalid_argument for an empty name.
  Status register_purpose(UploadPurpose purpose);
  Status prepare_storage() const { return files_.prepare(); }
  const UploadsConfig& config() const { return config_; }

  // `actor` is null for a request without a session.
  Result<UploadRef> upload(const auth::Actor* actor, const NewUpload& in);
  // not_found unless the file is public or the actor may view the unit in
  // the admin console (or uploaded it); for a thumbnail, also when there is none.
  Result<Download> download(const auth::Actor* actor, Id id, bool thumbnail);
  // For features that reference an upload: not_found when absent.
  Result<UploadRef> find(storage::Transaction& tx, Id id);

 private:
  Result<const UploadPurpose*> purpose_named(std::string_view name) const;
  Status authorize_upload(const auth::Actor* actor, const UploadPurpose& purpose,
                          const auth::UnitRef& unit, const std::string& client_address);
  Status throttle(const std::string& client_address);
  enum class Visibility { hidden, to_actor, to_everyone };
  Result<Visibility> visibility(storage::Transaction& tx, const auth::Actor* actor,
                                const UploadRef& upload);

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  auth::UnitDirectory& directory_;
  UploadsConfig config_;
  FileStore files_;
  std::map<std::string, UploadPurpose, std::less<>> purposes_;
};

}  // namespace xf::uploads
