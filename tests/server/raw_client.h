#pragma once

// HTTP spoken by hand over a raw TCP socket to 127.0.0.1, for tests of
// framing and of the connection layer, where a real client would refuse to
// send what they need (or would hide what the server answers).

#include <chrono>
#include <string>
#include <string_view>

namespace taskcore::server::testing {

using namespace std::chrono_literals;

struct RawResponse {
  int status = 0;  // 0: no complete response arrived
  std::string head;
  std::string body;

  // The value of the first header `name` (exact case), "" when absent.
  std::string header(std::string_view name) const;
};

class RawConnection {
 public:
  // Connects to 127.0.0.1:port, from `source_ip` when given (any
  // 127.0.0.0/8 address works on Linux: a second client address).
  explicit RawConnection(int port, const char* source_ip = nullptr);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return fd_ >= 0; }
  // False when the peer has closed or reset the connection.
  bool send(std::string_view bytes);
  // Stops sending (half-close); the server may still answer.
  void shutdown_write();
  // Reads one response: head, then Content-Length bytes of body. 1xx
  // interim responses are returned like any other.
  RawResponse read_response(std::chrono::milliseconds timeout = 5000ms);
  // True when the server closes (or resets) the connection within
  // `timeout`; bytes it sends meanwhile are kept in received().
  bool closed_within(std::chrono::milliseconds timeout);
  const std::string& received() const { return buffer_; }

 private:
  bool fill(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  bool eof_ = false;
  std::string buffer_;
};

// One request on a fresh connection, one response back.
RawResponse raw_exchange(int port, std::string_view bytes);

// The test process's resident memory (the in-process server's too), KiB.
long resident_kib();

}  // namespace taskcore::server::testing
