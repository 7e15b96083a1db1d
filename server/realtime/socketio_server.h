#pragma once

// Socket.IO v5 over Engine.IO v4 long-polling (CONTRACT §7), on top of the
// core's RealtimeHub. No WebSocket upgrade is offered. The wire format is in
// socketio_codec.h; this class keeps the sessions: handshake, held GETs
// woken as soon as something is queued, server pings and the pong timeout,
// CONNECT with auth {token}, join_room / leave_room / task_update with
// acks, and connection state recovery (a client dropped for up to
// RealtimeConfig::recovery_window gets its sid, rooms and missed events
// back, the missed events replayed from the outbox).
//
// Thread safe. Each held GET keeps the calling worker thread until
// something is queued or a ping is due (HoldGate caps how many).

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "config.h"
#include "json/body.h"
#include "realtime/hold_gate.h"
#include "realtime/socketio_session.h"
#include "util/url.h"

namespace taskcore {
class Core;
}

namespace taskcore::server::realtime {

struct SocketIoReply {
  int status = 200;
  std::string body;
  std::string content_type = "text/plain; charset=UTF-8";
  // Set on a 503: seconds after which a retry may succeed.
  int retry_after = 0;
};

struct SocketIoStats {
  std::size_t sessions = 0;          // Engine.IO sessions open
  std::size_t sockets = 0;           // of which with a connected socket
  std::size_t recoverable = 0;       // dropped sockets that may come back
};

class SocketIoServer {
 public:
  SocketIoServer(Core& core, const RealtimeConfig& config, HoldGate& holds);
  ~SocketIoServer();
  SocketIoServer(const SocketIoServer&) = delete;
  SocketIoServer& operator=(const SocketIoServer&) = delete;

  // GET /socket.io/: the handshake without `sid`, else a poll.
  SocketIoReply get(const QueryItems& query, const std::string& remote_ip);
  // POST /socket.io/?sid=...: packets from the client.
  SocketIoReply post(const QueryItems& query, std::string_view body);

  // Closes every session (their held GETs answer a close packet) and
  // refuses new ones.
  void shutdown();

  SocketIoStats stats() const;

 private:
  struct Recovery {
    std::string socket_id;
    std::int64_t user_id = 0;
    std::vector<std::string> rooms;
    std::int64_t cursor = 0;
    SteadyClock::time_point expires;
  };
  enum class Close { kClean, kRecoverable };

  SocketIoReply handshake(const std::string& remote_ip);
  std::shared_ptr<SocketIoSession> find(std::string_view sid) const;
  // Marks the session closed, forgets it and disconnects its socket;
  // `send_close` queues a close packet for a GET still held.
  void close(SocketIoSession& session, Close how, bool send_close);

  void on_socket_packet(const std::shared_ptr<SocketIoSession>& session,
                        std::string_view packet);
  void on_connect(const std::shared_ptr<SocketIoSession>& session, const Json& auth);
  // `args` is the event's array after its name.
  void on_event(SocketIoSession& session, const std::string& name, const Json& args,
                std::optional<std::uint64_t> ack_id);
  // The answer to an event: its result, or the contract's error body.
  std::string run_event(SocketIoSession& session, const std::string& name, const Json& args);
  // What a reconnecting socket gets back.
  struct Resumed {
    std::string socket_id;
    std::int64_t cursor = 0;
    std::vector<std::string> packets;  // the missed events
  };
  bool recover(const std::string& pid, const Principal& principal,
               RealtimeSubscriber& subscriber, Resumed& resumed);
  void queue(SocketIoSession& session, std::string packet);
  std::string collect(SocketIoSession& session, bool& overflowed);

  void reap_loop();
  void reap(SteadyClock::time_point now);

  Core& core_;
  const RealtimeConfig config_;
  HoldGate& holds_;

  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<SocketIoSession>, std::less<>> sessions_;
  std::map<std::string, Recovery, std::less<>> recoveries_;  // by pid
  bool stopping_ = false;
  std::condition_variable stop_;
  std::thread reaper_;
};

}  // namespace taskcore::server::realtime
