#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "crypto/bytes.hpp"
#include "protocol/batch.hpp"
#include "server/service/caller.hpp"
#include "server/service/content_service.hpp"
#include "server/service/context.hpp"
#include "server/service/node_service.hpp"
#include "server/service/outcome.hpp"

namespace coffer::server::service {

// What one batch op came to, before the HTTP layer gives it a status.
struct BatchOpResult {
  enum class Success { ok, created, no_content };
  std::optional<Error> error;  // set when the op failed and changed nothing
  protocol::Json details = protocol::Json::object();
  Success success = Success::ok;
  protocol::Json body = protocol::Json(nullptr);
};

// POST /v1/batch: every op in one transaction, each inside its own savepoint. A commit or
// set_attributes that fails changes nothing while the others apply. The ops that change
// entries (create, link, move, remove) stand or fall together with the folder records the
// request carries (FolderRecords), which commit to the entry sets they leave: when one of them
// fails, or cannot be parsed, nothing in the batch is applied and every op that had not failed
// on its own is answered `aborted`. The inline blobs of all commit ops are verified first and
// staged together (durable, one sync pass) before the transaction starts; inside it, only the
// blobs of the commits that were applied are published (one more sync pass), so a refused op
// leaves no blob behind.
class BatchService {
 public:
  BatchService(Context& context, NodeService& nodes, ContentService& content)
      : context_(context), nodes_(nodes), content_(content) {}

  Outcome<std::vector<BatchOpResult>> run(const Caller& caller, const std::vector<Result<protocol::BatchOp>>& ops,
                                          const std::vector<protocol::FolderUpdate>& folders);

 private:
  struct DecodedBlob {
    std::string id;
    Bytes bytes;
  };
  // Decodes and checks every commit op's blobs; ops with a bad blob fail here.
  std::vector<std::vector<DecodedBlob>> decode_blobs(const std::vector<Result<protocol::BatchOp>>& ops,
                                                     std::vector<BatchOpResult>& results);
  // Applies one op; a commit adds the blobs whose rows it created to `new_blobs`.
  BatchOpResult apply(storage::Transaction& txn, const Caller& caller, const protocol::BatchOp& op,
                      const std::vector<DecodedBlob>& blobs, std::vector<std::string>& new_blobs);
  // Runs the ops; false when an op that changes entries failed (the batch is to be undone).
  // `publish` gets the new blobs of the ops that were applied.
  Result<bool> apply_all(storage::Transaction& txn, const Caller& caller,
                         const std::vector<Result<protocol::BatchOp>>& ops,
                         const std::vector<std::vector<DecodedBlob>>& blobs, std::vector<BatchOpResult>& results,
                         std::set<std::string>& publish);

  Context& context_;
  NodeService& nodes_;
  ContentService& content_;
};

}  // namespace coffer::server::service
