#pragma once

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace coffer::server::http {

// Caps on open connections, in all and per source address, so that one address cannot take
// every slot; a connection past a cap is closed as soon as it is accepted.
class ConnectionGate {
 public:
  ConnectionGate(std::size_t per_address, std::size_t total) : per_address_(per_address), total_(total) {}

  // Holds one slot until destroyed.
  class Ticket {
   public:
    Ticket(ConnectionGate* gate, std::string address) : gate_(gate), address_(std::move(address)) {}
    Ticket(Ticket&& other) noexcept : gate_(other.gate_), address_(std::move(other.address_)) { other.gate_ = nullptr; }
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    Ticket& operator=(Ticket&&) = delete;
    ~Ticket();

   private:
    ConnectionGate* gate_;
    std::string address_;
  };

  std::optional<Ticket> admit(const std::string& address);

 private:
  void leave(const std::string& address);

  const std::size_t per_address_;
  const std::size_t total_;
  std::mutex mutex_;  // a leaf lock
  std::size_t open_ = 0;
  std::unordered_map<std::string, std::size_t> by_address_;
};

}  // namespace coffer::server::http
