#include "features/commitments/commitments_module.h"

#include "features/commitments/commitments_routes.h"
#include "features/commitments/commitments_store.h"
#include "features/organizations/organizations_service.h"
#include "platform/uploads/uploads_images.h"

namespace xf::commitments {

// Evidence ids name platform/uploads files of this purpose and unit.
class CommitmentsModule::UploadedEvidence final : public EvidenceFiles {
 public:
  explicit UploadedEvidence(uploads::UploadsModule& uploads) : uploads_(uploads) {}
  Status check(storage::Transaction& tx, Id upload_id, Id unit_id,
               std::string_view field) override {
    auto found = uploads_.find(tx, upload_id);
    if (!found.ok() && found.error().code != ErrorCode::not_found) return found.error();
    if (!found.ok() || found->purpose != kEvidencePurpose || found->unit_id != unit_id)
      return Error::invalid(std::string(field), {"不是本单位上传的佐证材料",
                                                 "Not an evidence file uploaded for this unit"});
    return {};
  }

 private:
  uploads::UploadsModule& uploads_;
};

CommitmentsModule::CommitmentsModule(storage::Database& db, const Clock& clock, Random& random,
                                     const calendar::TimeZone& zone)
    : db_(db),
      clock_(clock),
      service_(db, clock, random, zone),
      bulletins_(db, clock, random, zone) {}

CommitmentsModule::~CommitmentsModule() = default;

Status CommitmentsModule::register_upload_purposes(uploads::UploadsModule& uploads) {
  uploads_ = &uploads;
  evidence_ = std::make_unique<UploadedEvidence>(uploads);
  service_.set_evidence_files(evidence_.get());
  return uploads.register_purpose({std::string(kEvidencePurpose), auth::Action::manage_commitments,
                                   [](storage::Transaction& tx, const uploads::UploadRef& upload) {
                                     return store::is_public_evidence(tx, upload.shard_id,
                                                                      upload.id);
                                   }});
}

void CommitmentsModule::register_routes(http::Router& router) {
  register_commitment_routes(router, {service_, bulletins_, public_base_url_, web_root_});
}

Result<CommitmentDemoSummary> CommitmentsModule::load_demo(std::string_view county_code,
                                                           Id campaign_id,
                                                           std::string_view featured_unit_code) {
  XF_TRY(auto summary,
         commitments::load_demo(db_, clock_, county_code, campaign_id, featured_unit_code));
  XF_CHECK(upload_demo_photos(summary.photos));
  return summary;
}

// Through the uploads service, as a secretary's phone would send them (so
// each is re-encoded, thumbnailed, counted in the unit's quota and audited);
// then one transaction ties them to their progress updates.
Status CommitmentsModule::upload_demo_photos(const std::vector<DemoPhoto>& photos) {
  if (!uploads_)
    return Error::internal({"佐证材料用途未登记", "The evidence purpose is not registered"});
  const auth::Actor uploader = organizations::system_actor();
  std::vector<Id> upload_ids;
  uint32_t seed = 0;
  for (const auto& photo : photos) {
    XF_TRY(auto jpeg, uploads::sample_photo_jpeg(photo.caption, ++seed));
    XF_TRY(auto upload,
           uploads_->service().upload(
               &uploader, {photo.unit_code, std::string(kEvidencePurpose),
                           "践诺照片-" + std::to_string(seed) + ".jpg", jpeg, "127.0.0.1"}));
    upload_ids.push_back(upload.id);
  }
  XF_TRY(auto tx, db_.begin(storage::Access::write));
  for (size_t i = 0; i < photos.size(); ++i) {
    const Id upload = upload_ids[i];
    XF_CHECK(store::insert_evidence(*tx, photos[i].shard_id, photos[i].progress_id,
                                    photos[i].commitment_id, std::span(&upload, 1)));
  }
  return tx->commit();
}
}  // namespace xf::commitments
