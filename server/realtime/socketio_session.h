#pragma once

// One Engine.IO session (the polling transport) and the Socket.IO socket of
// the default namespace inside it. The fields are guarded by `mutex`; the
// SocketIoServer is the only code that touches them.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "taskcore/realtime.h"

namespace taskcore::server::realtime {

using SteadyClock = std::chrono::steady_clock;

struct SocketIoSession {
  SocketIoSession(std::string engine_sid, std::string ip)
      : sid(std::move(engine_sid)), remote_ip(std::move(ip)) {}

  const std::string sid;
  const std::string remote_ip;

  std::mutex mutex;
  // Signalled when a packet is queued, the subscriber has events, or the
  // session closes: wakes the held GET at once.
  std::condition_variable wake;

  // Engine.IO packets, already encoded, for the next GET.
  std::vector<std::string> outbound;
  bool polling = false;  // a GET is held or being answered
  bool posting = false;  // a POST is being read
  bool closed = false;
  SteadyClock::time_point next_ping;
  // Set while a ping waits for its pong.
  std::optional<SteadyClock::time_point> pong_deadline;

  // The Socket.IO socket, once CONNECT was accepted.
  bool connected = false;
  std::string socket_id;
  std::string pid;  // connection state recovery id
  std::string token;  // re-verified for every task_update
  Principal principal;
  std::shared_ptr<RealtimeSubscriber> subscriber;
  // Highest event sequence in the last GET answer, and in the answers the
  // client has certainly read (it polled again after them): recovery
  // replays from the latter, so nothing is lost with the connection.
  std::int64_t sent_cursor = 0;
  std::int64_t confirmed_cursor = 0;
  // After a recovery: task events at or below it were replayed from the
  // log already, so the live copies are skipped.
  std::int64_t replay_floor = 0;
};

}  // namespace taskcore::server::realtime
