#include "feed/share_refresher.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "log/thread_barrier.hpp"

namespace coffer::feed {
namespace {

constexpr std::chrono::milliseconds kFirstRetry{1000};
constexpr std::chrono::milliseconds kMaxRetry{30000};

}  // namespace

ShareRefresher::~ShareRefresher() { stop(); }

Status ShareRefresher::refresh() {
  auto listed = shares_.list();
  if (!listed) return std::move(listed).error();
  vfs_.apply_shares(std::move(listed).value());
  return {};
}

Status ShareRefresher::load() {
  Status loaded = refresh();
  if (!loaded) poke();
  return loaded;
}

void ShareRefresher::start() {
  thread_ = std::jthread([this](std::stop_token stop) { run(std::move(stop)); });
}

void ShareRefresher::poke() {
  {
    std::lock_guard lock(mutex_);
    wanted_ = true;
  }
  wake_.notify_all();
}

void ShareRefresher::stop() {
  thread_.request_stop();
  if (thread_.joinable()) thread_.join();
}

void ShareRefresher::run(std::stop_token stop) {
  std::chrono::milliseconds retry = kFirstRetry;
  std::unique_lock lock(mutex_);
  while (!stop.stop_requested()) {
    if (!wake_.wait(lock, stop, [&] { return wanted_; })) return;
    wanted_ = false;
    lock.unlock();
    Status refreshed = log::barrier("shares", [&] { return refresh(); });
    lock.lock();
    if (refreshed) {
      retry = kFirstRetry;
      continue;
    }
    spdlog::warn("shares: the list of shares is not read ({}); asking again in {} ms", refreshed.error().message,
                 retry.count());
    wanted_ = true;
    wake_.wait_for(lock, stop, retry, [] { return false; });
    retry = std::min(retry * 2, kMaxRetry);
  }
}

}  // namespace coffer::feed
