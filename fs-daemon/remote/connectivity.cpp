#include "remote/connectivity.hpp"

namespace coffer::remote {

Connectivity::Connectivity() { state_.since = std::chrono::system_clock::now(); }

void Connectivity::answered() {
  std::function<void()> listener;
  {
    std::lock_guard lock(mutex_);
    if (state_.online) return;
    state_.online = true;
    state_.since = std::chrono::system_clock::now();
    listener = on_online_;
  }
  if (listener) listener();
}

void Connectivity::unanswered(std::string why) {
  std::lock_guard lock(mutex_);
  state_.last_error = std::move(why);
  if (!state_.online) return;
  state_.online = false;
  state_.since = std::chrono::system_clock::now();
}

bool Connectivity::online() const {
  std::lock_guard lock(mutex_);
  return state_.online;
}

Connectivity::State Connectivity::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

void Connectivity::set_online_listener(std::function<void()> listener) {
  std::lock_guard lock(mutex_);
  on_online_ = std::move(listener);
}

}  // namespace coffer::remote
