#pragma once

// The server's realtime transports, shared by their routes: the Socket.IO
// sessions and the cap on held polls. Owned by the App.

#include <atomic>
#include <cstddef>

#include "config.h"
#include "realtime/hold_gate.h"
#include "realtime/socketio_server.h"

namespace taskcore {
class Core;
}

namespace taskcore::server::realtime {

class RealtimeEnv {
 public:
  // `max_threads`: the worker cap; held polls get at most three quarters
  // of it whatever RealtimeConfig::max_held_polls says, so REST keeps
  // threads.
  RealtimeEnv(Core& core, const RealtimeConfig& config, std::size_t max_threads);

  HoldGate& holds() { return holds_; }
  SocketIoServer& socketio() { return socketio_; }

  // Held polls answer now and new ones at once (the server is stopping).
  void shutdown();
  bool stopping() const { return stopping_.load(std::memory_order_relaxed); }

 private:
  HoldGate holds_;
  SocketIoServer socketio_;
  std::atomic<bool> stopping_{false};
};

}  // namespace taskcore::server::realtime
