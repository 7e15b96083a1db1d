#include "realtime/realtime_env.h"

#include <algorithm>

namespace taskcore::server::realtime {

RealtimeEnv::RealtimeEnv(Core& core, const RealtimeConfig& config, std::size_t max_threads)
    : holds_(std::max<std::size_t>(1, std::min(config.max_held_polls, max_threads * 3 / 4))),
      socketio_(core, config, holds_) {}

void RealtimeEnv::shutdown() {
  stopping_.store(true, std::memory_order_relaxed);
  socketio_.shutdown();
}

}  // namespace taskcore::server::realtime
