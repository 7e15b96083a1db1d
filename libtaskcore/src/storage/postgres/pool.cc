#include "storage/postgres/pool.h"

namespace taskcore::postgres {

Pool::Pool(ConnectSettings settings, int size, std::chrono::milliseconds wait, Logger& logger)
    : settings_(std::move(settings)), size_(std::max(1, size)), wait_(wait), logger_(logger) {}

Pool::~Pool() = default;

Pool::Lease::~Lease() {
  if (conn_) pool_->release(std::move(conn_));
}

Pool::Lease Pool::acquire() {
  std::unique_lock lock(mutex_);
  const bool ready = available_.wait_for(
      lock, wait_, [&] { return !idle_.empty() || open_ < size_; });
  if (!ready) {
    logger_.log(LogLevel::kWarning, "postgres pool: no free connection in time");
    throw PgError("");
  }
  if (!idle_.empty()) {
    std::unique_ptr<Connection> conn = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(conn));
  }
  ++open_;
  lock.unlock();
  try {
    return Lease(*this, std::make_unique<Connection>(settings_, logger_));
  } catch (const ConnectError& e) {
    logger_.log(LogLevel::kWarning, "postgres: cannot connect: " + e.reason());
    lock.lock();
    --open_;
    available_.notify_one();
    throw;
  } catch (...) {
    lock.lock();
    --open_;
    available_.notify_one();
    throw;
  }
}

void Pool::release(std::unique_ptr<Connection> conn) noexcept {
  const bool broken = conn->broken();
  std::vector<std::unique_ptr<Connection>> closing;
  {
    std::lock_guard lock(mutex_);
    if (broken) {
      --open_;
      closing.swap(idle_);
      open_ -= static_cast<int>(closing.size());
    } else {
      idle_.push_back(std::move(conn));
    }
  }
  available_.notify_all();
  // Closed outside the lock: PQfinish may write to the socket.
  conn.reset();
  closing.clear();
}

std::pair<int, int> Pool::usage() {
  std::lock_guard lock(mutex_);
  return {size_, open_ - static_cast<int>(idle_.size())};
}

void Pool::drop_idle() {
  std::vector<std::unique_ptr<Connection>> closing;
  {
    std::lock_guard lock(mutex_);
    closing.swap(idle_);
    open_ -= static_cast<int>(closing.size());
  }
  available_.notify_all();
}

}  // namespace taskcore::postgres
