#include "transport/connection.h"

#include <cstring>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace taskcore::server::transport {
namespace {

// Each connection may buffer this much without touching the shared budget:
// every ordinary request fits.
constexpr std::size_t kFreeBufferBytes = 64 * 1024;
constexpr std::size_t kReadChunk = 16 * 1024;
// Reads per fill() before the connection lets others run.
constexpr int kReadsPerFill = 16;
// How long, and how much, a refused client may still send.
constexpr auto kDrainTime = std::chrono::seconds(2);
constexpr std::size_t kDrainBytes = 1024 * 1024;

void address_of(int fd, bool peer, std::string& ip, int& port) {
  sockaddr_storage storage{};
  socklen_t length = sizeof storage;
  auto* address = reinterpret_cast<sockaddr*>(&storage);
  if ((peer ? ::getpeername(fd, address, &length) : ::getsockname(fd, address, &length)) != 0)
    return;
  char text[INET6_ADDRSTRLEN] = {};
  if (storage.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(address);
    ::inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
    port = ntohs(v4->sin_port);
  } else if (storage.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(address);
    ::inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
    port = ntohs(v6->sin6_port);
  }
  ip = text;
}

timespec to_timespec(std::chrono::nanoseconds duration) {
  if (duration.count() < 0) duration = {};
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(duration);
  return timespec{static_cast<time_t>(seconds.count()),
                  static_cast<long>((duration - seconds).count())};
}

}  // namespace

bool BufferBudget::take(std::size_t bytes) {
  std::size_t used = used_.load(std::memory_order_relaxed);
  do {
    if (used + bytes > limit_) return false;
  } while (!used_.compare_exchange_weak(used, used + bytes, std::memory_order_relaxed));
  return true;
}

Connection::Connection(int fd, ConnectionLimits::Slot slot, const ConnectionOptions& options,
                       BufferBudget& budget, Clock::time_point now)
    : fd_(fd),
      slot_(std::move(slot)),
      options_(options),
      budget_(budget),
      framer_(options.framing),
      idle_since_(now),
      head_started_(now) {
  address_of(fd_, true, remote_ip_, remote_port_);
  address_of(fd_, false, local_ip_, local_port_);
}

Connection::~Connection() {
  if (charged_ > 0) budget_.give_back(charged_);
  ::close(fd_);
}

void Connection::charge_budget() {
  const std::size_t wanted =
      buffer_.size() > kFreeBufferBytes ? buffer_.size() - kFreeBufferBytes : 0;
  if (wanted < charged_) budget_.give_back(charged_ - wanted);
  charged_ = wanted < charged_ ? wanted : charged_;
}

Connection::Fill Connection::fill() {
  // A complete request of the largest size, plus the start of the next.
  const FramingLimits& limits = options_.framing;
  const std::size_t max_buffer =
      2 * limits.max_head_bytes + 2 * limits.max_body_bytes + 2 * kFreeBufferBytes;
  char chunk[kReadChunk];
  Fill result = Fill::kNothing;
  for (int reads = 0; reads < kReadsPerFill; ++reads) {
    const std::size_t room = max_buffer - std::min(max_buffer, buffer_.size());
    if (room == 0) return result == Fill::kData ? result : Fill::kFailed;
    const ssize_t n = ::recv(fd_, chunk, std::min(room, sizeof chunk), 0);
    if (n > 0) {
      const std::size_t size = buffer_.size() + static_cast<std::size_t>(n);
      const std::size_t wanted = size > kFreeBufferBytes ? size - kFreeBufferBytes : 0;
      if (wanted > charged_) {
        if (!budget_.take(wanted - charged_)) return Fill::kOverBudget;
        charged_ = wanted;
      }
      buffer_.append(chunk, static_cast<std::size_t>(n));
      result = Fill::kData;
      if (static_cast<std::size_t>(n) < sizeof chunk) return result;
      continue;
    }
    if (n == 0) {
      peer_closed_ = true;
      return result == Fill::kData ? result : Fill::kPeerClosed;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return result;
    return Fill::kFailed;
  }
  return result;
}

bool Connection::wait_readable(std::chrono::microseconds timeout) const {
  pollfd entry{fd_, POLLIN, 0};
  const timespec wait = to_timespec(timeout);
  return ::ppoll(&entry, 1, &wait, nullptr) > 0;
}

RequestFramer::Status Connection::frame(Clock::time_point now) {
  if (!head_clock_running_ && !buffer_.empty()) {
    head_clock_running_ = true;
    head_started_ = now;
  }
  const RequestFramer::Status status = framer_.advance(buffer_);
  if (status != RequestFramer::Status::kNeedMore || !framer_.has_head()) return status;
  if (!body_clock_running_) {
    body_clock_running_ = true;
    body_started_ = now;
  }
  // RFC 9110 §10.1.1: the client holds its body back until it hears 100
  // (or gives up waiting). Only an acceptable head gets here, so an
  // oversized or malformed one is answered with its final status instead.
  if (framer_.head().expect_continue && !continue_sent_ &&
      buffer_.size() == framer_.head_end()) {
    continue_sent_ = true;
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    ::send(fd_, kContinue.data(), kContinue.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  }
  return status;
}

std::string_view Connection::request_bytes() const {
  return std::string_view(buffer_).substr(framer_.start(), framer_.end() - framer_.start());
}

std::string_view Connection::head_bytes() const {
  if (!framer_.has_head()) return {};
  return std::string_view(buffer_).substr(framer_.start(), framer_.head_end() - framer_.start());
}

long Connection::read_streamed_body(char* out, std::size_t size, Clock::time_point deadline) {
  const std::uint64_t length = framer_.head().content_length;
  while (streamed_read_ < length) {
    const std::size_t body_start = framer_.end();
    const std::size_t buffered = buffer_.size() - body_start;
    if (buffered > 0) {
      const std::size_t n = static_cast<std::size_t>(
          std::min<std::uint64_t>({size, buffered, length - streamed_read_}));
      std::memcpy(out, buffer_.data() + body_start, n);
      buffer_.erase(body_start, n);
      streamed_read_ += n;
      charge_budget();
      return static_cast<long>(n);
    }
    const auto now = Clock::now();
    if (peer_closed_ || now >= deadline) return -1;
    if (!wait_readable(std::chrono::duration_cast<std::chrono::microseconds>(deadline - now)))
      continue;
    const Fill fill_result = fill();
    if (fill_result == Fill::kFailed || fill_result == Fill::kOverBudget) return -1;
    if (fill_result == Fill::kPeerClosed && buffer_.size() == body_start) return -1;
  }
  return 0;
}

bool Connection::streamed_body_pending() const {
  return framer_.has_head() && framer_.head().streamed &&
         streamed_read_ < framer_.head().content_length;
}

void Connection::finish_request(Clock::time_point now) {
  buffer_.erase(0, framer_.end());
  charge_budget();
  framer_ = RequestFramer(options_.framing);
  continue_sent_ = false;
  streamed_read_ = 0;
  ++requests_served_;
  idle_since_ = now;
  head_clock_running_ = false;
  body_clock_running_ = false;
  if (output_.capacity() > kFreeBufferBytes) std::string().swap(output_);
}

void Connection::release_buffers() {
  if (buffer_.empty()) std::string().swap(buffer_);
  std::string().swap(output_);
}

void Connection::start_draining(Clock::time_point now) {
  ::shutdown(fd_, SHUT_WR);
  draining_ = true;
  drain_until_ = now + kDrainTime;
  buffer_.clear();
  charge_budget();
}

bool Connection::drain() {
  char chunk[kReadChunk];
  for (int reads = 0; reads < kReadsPerFill; ++reads) {
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n > 0) {
      drained_ += static_cast<std::size_t>(n);
      if (drained_ > kDrainBytes) return false;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
  return true;
}

Clock::time_point Connection::deadline() const {
  if (draining_) return drain_until_;
  if (body_clock_running_) return body_started_ + options_.body_timeout;
  if (head_clock_running_) return head_started_ + options_.header_timeout;
  return idle_since_ + options_.keep_alive_timeout;
}

bool Connection::send_all(std::string_view data, Clock::time_point deadline) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n > 0) {
      data.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return false;
    const auto left = deadline - Clock::now();
    if (left <= Clock::duration::zero()) return false;
    pollfd entry{fd_, POLLOUT, 0};
    const timespec wait = to_timespec(left);
    if (::ppoll(&entry, 1, &wait, nullptr) <= 0) return false;
  }
  return true;
}

}  // namespace taskcore::server::transport
