#pragma once

#include <httplib.h>

#include "transport/connection.h"

namespace taskcore::server::transport {

// The httplib::Stream one request is parsed from and answered on. Reads
// come from the connection's buffer, where the framer has already placed
// the whole request: httplib never waits on the socket and never reads
// into the next request. Writes are collected and sent together when the
// response is done (httplib writes the head and the body separately).
class RequestStream final : public httplib::Stream {
 public:
  // A streamed body (RequestHead::streamed) is read from the connection as
  // it arrives, each read waiting at most until `body_deadline`.
  RequestStream(Connection& connection, Clock::time_point write_deadline,
                Clock::time_point body_deadline = {});

  bool is_readable() const override {
    return position_ < request_.size() || connection_.streamed_body_pending();
  }
  bool is_writable() const override { return !failed_; }
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  // httplib answers 500 to any stream whose socket() is at or past
  // FD_SETSIZE (1024), a check meant for its select() calls, which this
  // stream never makes. No socket is select()ed here, so none is reported.
  socket_t socket() const override { return INVALID_SOCKET; }

  // Sends what is collected; false when the client did not take it in time.
  bool flush();

 private:
  Connection& connection_;
  const std::string_view request_;
  std::size_t position_ = 0;
  const Clock::time_point write_deadline_;
  const Clock::time_point body_deadline_;
  bool failed_ = false;
};

}  // namespace taskcore::server::transport
