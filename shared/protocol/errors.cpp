#include "protocol/errors.hpp"

namespace coffer::protocol {

Result<ErrorBody> ErrorBody::from_json(const Json& value, const std::string& path) {
  ErrorBody out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.text("error", out.error, TextRule::any(64));
  in.text("message", out.message, TextRule::any(4096));
  COFFER_TRY_STATUS(in.finish());
  for (const auto& item : value.items()) {
    if (item.key() != "error" && item.key() != "message") out.details[item.key()] = item.value();
  }
  return out;
}

void to_json(Json& out, const ErrorBody& value) {
  out = value.details.is_object() ? value.details : Json::object();
  out["error"] = value.error;
  out["message"] = value.message;
}

}  // namespace coffer::protocol
