#pragma once

#include <optional>
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

// POST /v1/batch: every op in one transaction, each inside its own savepoint, so a failed op
// changes nothing while the others apply. The inline blobs of all commit ops are verified
// first and made durable together (one sync pass) before the transaction starts.
class BatchService {
 public:
  BatchService(Context& context, NodeService& nodes, ContentService& content)
      : context_(context), nodes_(nodes), content_(content) {}

  Outcome<std::vector<BatchOpResult>> run(const Caller& caller, const std::vector<Result<protocol::BatchOp>>& ops);

 private:
  struct DecodedBlob {
    std::string id;
    Bytes bytes;
  };
  // Decodes and checks every commit op's blobs; ops with a bad blob fail here.
  std::vector<std::vector<DecodedBlob>> decode_blobs(const std::vector<Result<protocol::BatchOp>>& ops,
                                                     std::vector<BatchOpResult>& results);
  BatchOpResult apply(storage::Transaction& txn, const Caller& caller, const protocol::BatchOp& op,
                      const std::vector<DecodedBlob>& blobs);

  Context& context_;
  NodeService& nodes_;
  ContentService& content_;
};

}  // namespace coffer::server::service
