#include "storage/postgres/listener.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <charconv>
#include <limits>

#include "storage/postgres/schema.h"

namespace taskcore::postgres {
namespace {

constexpr std::chrono::milliseconds kFirstBackoff{100};
constexpr std::chrono::milliseconds kMaxBackoff{5000};

std::optional<std::int64_t> parse_sequence(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

Listener::Listener(ConnectSettings settings, Logger& logger)
    : settings_(std::move(settings)), logger_(logger) {
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  thread_ = std::thread([this] { run(); });
}

Listener::~Listener() {
  stopping_ = true;
  const std::uint64_t one = 1;
  if (wake_fd_ >= 0) (void)::write(wake_fd_, &one, sizeof one);
  if (thread_.joinable()) thread_.join();
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

Subscription Listener::subscribe(std::function<void(std::int64_t)> callback) {
  std::lock_guard lock(callbacks_mutex_);
  const std::uint64_t id = next_id_++;
  callbacks_.emplace(id, std::move(callback));
  return Subscription([this, id] {
    std::lock_guard lock(callbacks_mutex_);
    callbacks_.erase(id);
  });
}

void Listener::deliver(std::int64_t sequence) {
  std::lock_guard lock(callbacks_mutex_);
  // Copied: a callback may unsubscribe (itself or another) while we iterate.
  const auto callbacks = callbacks_;
  for (const auto& [id, callback] : callbacks) {
    if (!callbacks_.count(id)) continue;
    try {
      callback(sequence);
    } catch (...) {
      logger_.log(LogLevel::kError, "postgres listener: a subscriber threw");
    }
  }
}

bool Listener::listen(std::unique_ptr<Connection>& conn) {
  try {
    conn = std::make_unique<Connection>(settings_, logger_);
    conn->exec(std::string("LISTEN ") + kOutboxChannel);
    return true;
  } catch (const ConnectError& e) {
    // Once per outage, not once per retry.
    if (!reported_outage_)
      logger_.log(LogLevel::kWarning, "postgres listener: cannot connect: " + e.reason());
    reported_outage_ = true;
  } catch (const std::exception&) {
    // Logged by the connection.
  }
  conn.reset();
  return false;
}

void Listener::run() {
  std::unique_ptr<Connection> conn;
  auto backoff = kFirstBackoff;
  while (!stopping_) {
    if (!conn) {
      if (!listen(conn)) {
        // Sleep on the wake fd, so stopping is immediate.
        Connection::wait_readable(wake_fd_, backoff);
        backoff = std::min(backoff * 2, kMaxBackoff);
        continue;
      }
      backoff = kFirstBackoff;
      connected_ = true;
      if (reported_outage_) logger_.log(LogLevel::kInfo, "postgres listener: reconnected");
      reported_outage_ = false;
      // Whatever was committed while we were not listening.
      deliver(std::numeric_limits<std::int64_t>::max());
    }
    try {
      std::int64_t newest = 0;
      for (const std::string& payload :
           conn->wait_for_notifications(std::chrono::milliseconds(30000), wake_fd_)) {
        if (const auto sequence = parse_sequence(payload)) newest = std::max(newest, *sequence);
      }
      if (newest > 0) deliver(newest);
      // An idle socket may hide a dead server; keepalives catch that within
      // a minute, and this cheap round trip every 30 s sooner.
      if (!stopping_ && newest == 0) conn->exec("SELECT 1");
    } catch (const std::exception&) {
      connected_ = false;
      logger_.log(LogLevel::kWarning, "postgres listener: connection lost, reconnecting");
      conn.reset();
    }
  }
}

}  // namespace taskcore::postgres
