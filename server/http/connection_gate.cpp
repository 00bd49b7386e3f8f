#include "server/http/connection_gate.hpp"

namespace coffer::server::http {

ConnectionGate::Ticket::~Ticket() {
  if (gate_ != nullptr) gate_->leave(address_);
}

std::optional<ConnectionGate::Ticket> ConnectionGate::admit(const std::string& address) {
  std::lock_guard lock(mutex_);
  auto& mine = by_address_[address];
  if (open_ >= total_ || mine >= per_address_) {
    if (mine == 0) by_address_.erase(address);
    return std::nullopt;
  }
  ++mine;
  ++open_;
  return Ticket(this, address);
}

void ConnectionGate::leave(const std::string& address) {
  std::lock_guard lock(mutex_);
  --open_;
  const auto found = by_address_.find(address);
  if (found != by_address_.end() && --found->second == 0) by_address_.erase(found);
}

}  // namespace coffer::server::http
