#include "transport/request_stream.h"

#include <algorithm>
#include <cstring>

namespace taskcore::server::transport {
namespace {

// Past this much the collected response is sent before httplib writes more.
constexpr std::size_t kFlushBytes = 64 * 1024;

}  // namespace

RequestStream::RequestStream(Connection& connection, Clock::time_point write_deadline,
                             Clock::time_point body_deadline)
    : connection_(connection),
      request_(connection.request_bytes()),
      write_deadline_(write_deadline),
      body_deadline_(body_deadline) {}

ssize_t RequestStream::read(char* ptr, size_t size) {
  // The head is read from request_ first; a streamed body then comes from
  // the connection (request_ may be stale once the buffer has grown, but
  // it is not read again).
  if (position_ >= request_.size() && connection_.streamed_body_pending())
    return connection_.read_streamed_body(ptr, size, body_deadline_);
  const std::size_t n = std::min(size, request_.size() - position_);
  std::memcpy(ptr, request_.data() + position_, n);
  position_ += n;
  return static_cast<ssize_t>(n);
}

ssize_t RequestStream::write(const char* ptr, size_t size) {
  if (failed_) return -1;
  std::string& out = connection_.output();
  out.append(ptr, size);
  if (out.size() >= kFlushBytes && !flush()) return -1;
  return static_cast<ssize_t>(size);
}

bool RequestStream::flush() {
  std::string& out = connection_.output();
  if (!failed_ && !out.empty()) failed_ = !connection_.send_all(out, write_deadline_);
  out.clear();
  return !failed_;
}

void RequestStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  ip = connection_.remote_ip();
  port = connection_.remote_port();
}

void RequestStream::get_local_ip_and_port(std::string& ip, int& port) const {
  ip = connection_.local_ip();
  port = connection_.local_port();
}

}  // namespace taskcore::server::transport
