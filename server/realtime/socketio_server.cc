#include "realtime/socketio_server.h"

#include <algorithm>

#include "realtime/event_json.h"
#include "realtime/engineio_codec.h"
#include "taskcore/taskcore.h"

namespace taskcore::server::realtime {
namespace {

// Packets in one POST body; the official clients send a handful.
constexpr std::size_t kMaxPacketsPerPayload = 256;

// Engine.IO's error answers (engine.io's Server.errorMessages).
enum EngineError { kUnknownTransport = 0, kUnknownSid = 1, kBadHandshakeMethod = 2,
                   kBadRequest = 3, kUnsupportedVersion = 5 };

SocketIoReply engine_error(EngineError code) {
  static const char* const kMessages[] = {"Transport unknown", "Session ID unknown",
                                          "Bad handshake method", "Bad request", "Forbidden",
                                          "Unsupported protocol version"};
  SocketIoReply reply;
  reply.status = 400;
  reply.content_type = "application/json";
  reply.body = dump_json(Json{{"code", static_cast<int>(code)}, {"message", kMessages[code]}});
  return reply;
}

SocketIoReply unavailable(std::string_view message) {
  SocketIoReply reply;
  reply.status = 503;
  reply.content_type = "application/json";
  reply.body = dump_json(Json{{"code", static_cast<int>(kBadRequest)}, {"message", message}});
  reply.retry_after = 1;
  return reply;
}

const std::string* query_value(const QueryItems& query, std::string_view name) {
  for (const auto& [key, value] : query) {
    if (key == name) return &value;
  }
  return nullptr;
}

// EIO=4 and transport=polling, or the error the official server gives.
std::optional<SocketIoReply> check_transport(const QueryItems& query) {
  const std::string* eio = query_value(query, "EIO");
  if (!eio || *eio != "4") return engine_error(kUnsupportedVersion);
  const std::string* transport = query_value(query, "transport");
  if (!transport || *transport != "polling") return engine_error(kUnknownTransport);
  return std::nullopt;
}

}  // namespace

SocketIoServer::SocketIoServer(Core& core, const RealtimeConfig& config, HoldGate& holds)
    : core_(core), config_(config), holds_(holds) {
  reaper_ = std::thread([this] { reap_loop(); });
}

SocketIoServer::~SocketIoServer() { shutdown(); }

void SocketIoServer::shutdown() {
  std::vector<std::shared_ptr<SocketIoSession>> open;
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !reaper_.joinable()) return;
    stopping_ = true;
    for (auto& [sid, session] : sessions_) open.push_back(session);
  }
  stop_.notify_all();
  for (const auto& session : open) close(*session, Close::kRecoverable, true);
  if (reaper_.joinable()) reaper_.join();
}

SocketIoStats SocketIoServer::stats() const {
  std::vector<std::shared_ptr<SocketIoSession>> open;
  SocketIoStats stats;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [sid, session] : sessions_) open.push_back(session);
    stats.recoverable = recoveries_.size();
  }
  stats.sessions = open.size();
  for (const auto& session : open) {
    std::lock_guard lock(session->mutex);
    if (session->connected) ++stats.sockets;
  }
  return stats;
}

std::shared_ptr<SocketIoSession> SocketIoServer::find(std::string_view sid) const {
  std::lock_guard lock(mutex_);
  const auto it = sessions_.find(sid);
  return it == sessions_.end() ? nullptr : it->second;
}

SocketIoReply SocketIoServer::handshake(const std::string& remote_ip) {
  auto session = std::make_shared<SocketIoSession>(core_.random().hex_token(16), remote_ip);
  session->next_ping = SteadyClock::now() + config_.ping_interval;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return unavailable("The server is shutting down.");
    if (sessions_.size() >= config_.max_sessions) return unavailable("Too many sessions.");
    sessions_.emplace(session->sid, session);
  }
  SocketIoReply reply;
  reply.body = encode_engine_open(
      {session->sid, static_cast<std::uint32_t>(config_.ping_interval.count()),
       static_cast<std::uint32_t>(config_.ping_timeout.count()),
       static_cast<std::uint32_t>(config_.max_payload)});
  return reply;
}

SocketIoReply SocketIoServer::get(const QueryItems& query, const std::string& remote_ip) {
  if (auto error = check_transport(query)) return *error;
  const std::string* sid = query_value(query, "sid");
  if (!sid) return handshake(remote_ip);
  const std::shared_ptr<SocketIoSession> session = find(*sid);
  if (!session) return engine_error(kUnknownSid);

  std::unique_lock lock(session->mutex);
  if (session->polling) {
    // A second GET while one is held: the spec's answer is 400 and the
    // session's end (the client has lost track of its own requests).
    lock.unlock();
    close(*session, Close::kRecoverable, true);
    return engine_error(kBadRequest);
  }
  session->polling = true;
  // The client asks again, so it has read the previous answer.
  session->confirmed_cursor = std::max(session->confirmed_cursor, session->sent_cursor);

  bool overflowed = false;
  std::string payload = collect(*session, overflowed);
  if (payload.empty() && !session->closed && !overflowed) {
    HoldGate::Ticket ticket = holds_.try_enter();
    if (!ticket) {
      session->polling = false;
      return unavailable("Too many polls are held; retry shortly.");
    }
    // Woken by a queued packet, the subscriber's waker, a ping (the reaper
    // queues it) or the session's close; the deadline is a backstop.
    const auto deadline = SteadyClock::now() + config_.ping_interval + config_.ping_timeout;
    bool timed_out = false;
    while (payload.empty() && !session->closed && !overflowed && !timed_out) {
      timed_out = session->wake.wait_until(lock, deadline) == std::cv_status::timeout;
      payload = collect(*session, overflowed);
    }
  }
  if (payload.empty() && session->closed) payload = "1";
  session->polling = false;
  lock.unlock();
  if (overflowed) {
    // The subscriber fell too far behind: the client reconnects and its
    // recovery replays what it missed from the outbox.
    close(*session, Close::kRecoverable, false);
    payload += payload.empty() ? "1" : "\x1e" "1";
  }
  SocketIoReply reply;
  reply.body = payload.empty() ? std::string("6") : std::move(payload);
  return reply;
}

// Called with session.mutex held.
std::string SocketIoServer::collect(SocketIoSession& session, bool& overflowed) {
  std::vector<std::string> packets = std::move(session.outbound);
  session.outbound.clear();
  if (session.subscriber) {
    for (const RealtimeEvent& event : session.subscriber->take()) {
      if (event.sequence != 0 && event.sequence <= session.replay_floor) continue;
      session.sent_cursor = std::max(session.sent_cursor, event.sequence);
      packets.push_back(socketio_event_message(event));
    }
    overflowed = session.subscriber->overflowed();
  }
  return encode_engine_payload(packets);
}

void SocketIoServer::queue(SocketIoSession& session, std::string packet) {
  std::lock_guard lock(session.mutex);
  if (session.closed) return;
  session.outbound.push_back(std::move(packet));
  session.wake.notify_all();
}

SocketIoReply SocketIoServer::post(const QueryItems& query, std::string_view body) {
  if (auto error = check_transport(query)) return *error;
  const std::string* sid = query_value(query, "sid");
  if (!sid) return engine_error(kBadHandshakeMethod);
  const std::shared_ptr<SocketIoSession> session = find(*sid);
  if (!session) return engine_error(kUnknownSid);
  if (body.size() > config_.max_payload) {
    close(*session, Close::kRecoverable, true);
    SocketIoReply reply = engine_error(kBadRequest);
    reply.status = 413;
    return reply;
  }
  bool overlap = false;
  {
    std::lock_guard lock(session->mutex);
    if (session->closed) return engine_error(kUnknownSid);
    overlap = session->posting;
    session->posting = true;
  }
  if (overlap) {
    // Two POSTs at once on one session: 400 and the session's end.
    close(*session, Close::kRecoverable, true);
    return engine_error(kBadRequest);
  }

  const EnginePayload payload = decode_engine_payload(body, kMaxPacketsPerPayload);
  bool bad = !payload.ok();
  if (!bad) {
    for (const EnginePacket& packet : payload.packets) {
      if (packet.type == EnginePacketType::kPong) {
        std::lock_guard lock(session->mutex);
        session->pong_deadline.reset();
        session->next_ping = SteadyClock::now() + config_.ping_interval;
      } else if (packet.type == EnginePacketType::kMessage) {
        on_socket_packet(session, packet.data);
      } else if (packet.type == EnginePacketType::kClose) {
        close(*session, Close::kRecoverable, true);
        break;
      } else if (packet.type == EnginePacketType::kPing) {
        queue(*session, "3" + packet.data);  // Engine.IO v3 habits: answer anyway
      } else if (packet.type != EnginePacketType::kNoop) {
        bad = true;  // open / upgrade from a client
        break;
      }
    }
  }
  {
    std::lock_guard lock(session->mutex);
    session->posting = false;
  }
  if (bad) {
    close(*session, Close::kRecoverable, true);
    return engine_error(kBadRequest);
  }
  SocketIoReply reply;
  reply.body = "ok";
  reply.content_type = "text/html";
  return reply;
}

void SocketIoServer::close(SocketIoSession& session, Close how, bool send_close) {
  std::shared_ptr<RealtimeSubscriber> subscriber;
  Recovery record;
  std::string pid;
  {
    std::lock_guard lock(session.mutex);
    if (session.closed) return;
    if (send_close) session.outbound.push_back("1");
    session.closed = true;
    subscriber = std::move(session.subscriber);
    session.subscriber.reset();
    if (session.connected && subscriber && how == Close::kRecoverable) {
      pid = session.pid;
      record.socket_id = session.socket_id;
      record.user_id = session.principal.user_id;
      record.cursor = session.confirmed_cursor;
      record.expires = SteadyClock::now() + config_.recovery_window;
    }
    session.connected = false;
    session.wake.notify_all();
  }
  if (subscriber) {
    subscriber->set_waker({});
    if (!pid.empty()) record.rooms = subscriber->rooms();
    core_.realtime().disconnect(*subscriber);
  }
  std::lock_guard lock(mutex_);
  sessions_.erase(session.sid);
  if (!pid.empty() && !stopping_) recoveries_[pid] = std::move(record);
}

void SocketIoServer::reap_loop() {
  // Fine enough for pings measured in seconds, cheap for thousands of
  // sessions (a pass only reads two time points of each).
  constexpr auto kTick = std::chrono::milliseconds(100);
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    stop_.wait_for(lock, kTick);
    if (stopping_) break;
    lock.unlock();
    reap(SteadyClock::now());
    lock.lock();
  }
}

void SocketIoServer::reap(SteadyClock::time_point now) {
  std::vector<std::shared_ptr<SocketIoSession>> open;
  {
    std::lock_guard lock(mutex_);
    open.reserve(sessions_.size());
    for (const auto& [sid, session] : sessions_) open.push_back(session);
    std::erase_if(recoveries_, [now](const auto& entry) { return entry.second.expires < now; });
  }
  for (const auto& session : open) {
    bool timed_out = false;
    {
      std::lock_guard lock(session->mutex);
      if (session->closed) continue;
      if (session->pong_deadline) {
        timed_out = now >= *session->pong_deadline;
      } else if (now >= session->next_ping) {
        session->outbound.emplace_back("2");
        session->pong_deadline = now + config_.ping_timeout;
        session->wake.notify_all();
      }
    }
    // No pong in time: the client is gone; it leaves its rooms now, and
    // may still come back with its pid.
    if (timed_out) close(*session, Close::kRecoverable, false);
  }
}

}  // namespace taskcore::server::realtime
