#pragma once

// One client connection: its socket, the bytes received and not yet
// served, the framing of the current request and its deadlines. Owned by
// one thread at a time: the accept thread, the reactor while it waits, or
// a worker while it serves.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "transport/connection_limits.h"
#include "transport/connection_options.h"
#include "transport/http_framing.h"

namespace taskcore::server::transport {

using Clock = std::chrono::steady_clock;

// Request bytes buffered by every connection together, beyond a free first
// part of each. A bound on what slow uploads can make the server hold.
class BufferBudget {
 public:
  explicit BufferBudget(std::size_t limit) : limit_(limit) {}
  bool take(std::size_t bytes);
  void give_back(std::size_t bytes) { used_.fetch_sub(bytes, std::memory_order_relaxed); }

 private:
  const std::size_t limit_;
  std::atomic<std::size_t> used_{0};
};

class Connection {
 public:
  // Takes ownership of `fd`, a connected non-blocking socket.
  Connection(int fd, ConnectionLimits::Slot slot, const ConnectionOptions& options,
             BufferBudget& budget, Clock::time_point now);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  int fd() const { return fd_; }
  const std::string& remote_ip() const { return remote_ip_; }
  int remote_port() const { return remote_port_; }
  const std::string& local_ip() const { return local_ip_; }
  int local_port() const { return local_port_; }

  enum class Fill { kData, kNothing, kPeerClosed, kFailed, kOverBudget };
  // Reads what the socket holds, without blocking.
  Fill fill();
  // Waits up to `timeout` for the socket to become readable.
  bool wait_readable(std::chrono::microseconds timeout) const;

  // Frames the buffered bytes; sends "100 Continue" when the client waits
  // for it and the head is acceptable.
  RequestFramer::Status frame(Clock::time_point now);
  const RequestFramer& framer() const { return framer_; }
  // The current request's head and body, once framed.
  std::string_view request_bytes() const;
  std::string_view head_bytes() const;
  // The body of a streamed request (RequestHead::streamed), which the
  // framer hands on with its head only: reads up to `size` bytes into
  // `out`, waiting for the socket until `deadline`, and drops them from the
  // buffer. 0 at the body's end, -1 when the client is gone or too slow.
  long read_streamed_body(char* out, std::size_t size, Clock::time_point deadline);
  // A streamed body not read to its end: its rest would be taken for the
  // next request, so the connection must close after this one.
  bool streamed_body_pending() const;

  // Drops the served request's bytes and starts framing the next.
  void finish_request(Clock::time_point now);
  // Frees the buffers while the connection waits with nothing pending.
  void release_buffers();

  // When the current phase (idle, head, body) runs out of time.
  Clock::time_point deadline() const;
  bool peer_closed() const { return peer_closed_; }
  std::size_t requests_served() const { return requests_served_; }

  // Answered 503 instead of served: over the per-IP cap at accept, or
  // over the buffer budget.
  void mark_refused(const char* reason) { refused_reason_ = reason; }
  const char* refused_reason() const { return refused_reason_; }

  // After a refusal: the response is sent and the write side shut; what the
  // client still sends is read and dropped for a moment, so that closing
  // with unread bytes (a TCP reset) does not destroy the response before
  // the client reads it.
  void start_draining(Clock::time_point now);
  bool draining() const { return draining_; }
  // Reads and drops what arrived; false once the connection should close.
  bool drain();

  // Writes all of `data` before `deadline`.
  bool send_all(std::string_view data, Clock::time_point deadline);
  // Response bytes collected before a send (one write per response).
  std::string& output() { return output_; }

  // The reactor's list of waiting connections.
  Connection* prev = nullptr;
  Connection* next = nullptr;
  bool registered = false;

 private:
  void charge_budget();

  const int fd_;
  ConnectionLimits::Slot slot_;
  const ConnectionOptions& options_;
  BufferBudget& budget_;
  std::string remote_ip_;
  int remote_port_ = 0;
  std::string local_ip_;
  int local_port_ = 0;

  std::string buffer_;
  std::string output_;
  std::size_t charged_ = 0;
  RequestFramer framer_;
  bool continue_sent_ = false;
  std::uint64_t streamed_read_ = 0;
  bool peer_closed_ = false;
  const char* refused_reason_ = nullptr;
  std::size_t requests_served_ = 0;
  bool draining_ = false;
  std::size_t drained_ = 0;
  Clock::time_point drain_until_;

  Clock::time_point idle_since_;
  // The head's time starts at accept for the first request (a silent new
  // connection must not wait a whole keep-alive period), at its first byte
  // for later ones.
  Clock::time_point head_started_;
  bool head_clock_running_ = true;
  Clock::time_point body_started_;
  bool body_clock_running_ = false;
};

}  // namespace taskcore::server::transport
