#include "features/commitments/commitments_module.h"

#include "features/commitments/commitments_routes.h"
#include "features/commitments/commitments_store.h"

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
  evidence_ = std::make_unique<UploadedEvidence>(uploads);
  service_.set_evidence_files(evidence_.get());
  return uploads.register_purpose({std::string(kEvidencePurpose), auth::Action::manage_commitments,
                                   [](storage::Transaction& tx, const uploads::UploadRef& upload) {
                                     return store::is_public_evidence(tx, upload.shard_id,
                                                                      upload.id);
                                   }});
}

void CommitmentsModule::register_routes(http::Router& router) {
  register_commitment_routes(router, {service_, bulletins_, public_base_url_});
}

Result<CommitmentDemoSummary> CommitmentsModule::load_demo(std::string_view county_code,
                                                           Id campaign_id) {
  return commitments::load_demo(db_, clock_, county_code, campaign_id);
}

}  // namespace xf::commitments
