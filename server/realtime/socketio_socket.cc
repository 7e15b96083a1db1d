// The Socket.IO layer inside an Engine.IO session: CONNECT and its auth,
// connection state recovery, and the client's events with their acks.

#include <algorithm>
#include <iostream>

#include "json/task_json.h"
#include "middleware/error_body.h"
#include "realtime/event_json.h"
#include "realtime/socketio_codec.h"
#include "realtime/socketio_server.h"
#include "taskcore/taskcore.h"

namespace taskcore::server::realtime {
namespace {

std::string connect_error(std::string_view message) {
  return encode_connect_error("/", message);
}

// join_room / leave_room name their room as {room} (or, leniently, as a
// bare string).
std::string room_argument(const Json& args) {
  if (!args.empty()) {
    const Json& first = args.front();
    if (first.is_string()) return first.get<std::string>();
    if (first.is_object()) {
      const auto it = first.find("room");
      if (it != first.end() && it->is_string()) return it->get<std::string>();
    }
  }
  throw Error::validation({{"room", {kRequired}}});
}

}  // namespace

void SocketIoServer::on_socket_packet(const std::shared_ptr<SocketIoSession>& session,
                                      std::string_view text) {
  const SocketDecodeResult decoded = decode_socket_packet(text);
  const SocketPacket* packet = decoded.ok() ? &decoded.packet : nullptr;
  bool connected = false;
  {
    std::lock_guard lock(session->mutex);
    connected = session->connected;
  }
  // What socket.io's server does with a packet it cannot use: end the
  // connection (a malformed packet, binary attachments we do not take, an
  // event before CONNECT).
  if (!packet || packet->type == SocketPacketType::kBinaryEvent ||
      packet->type == SocketPacketType::kBinaryAck || packet->type == SocketPacketType::kConnectError) {
    close(*session, Close::kClean, true);
    return;
  }
  if (packet->type == SocketPacketType::kConnect) {
    if (packet->nsp != "/") {
      queue(*session, encode_connect_error(packet->nsp, "Invalid namespace"));
    } else if (!connected) {
      on_connect(session, packet->data);
    }
    return;
  }
  if (!connected || packet->nsp != "/") {
    close(*session, Close::kClean, true);
    return;
  }
  switch (packet->type) {
    case SocketPacketType::kEvent: {
      const Json& data = packet->data;
      Json args = Json::array();
      for (std::size_t i = 1; i < data.size(); ++i) args.push_back(data[i]);
      on_event(*session, data[0].get<std::string>(), args, packet->ack_id);
      break;
    }
    case SocketPacketType::kDisconnect: {
      // The client left on purpose: no recovery, but the Engine.IO session
      // may go on (and connect again).
      std::shared_ptr<RealtimeSubscriber> subscriber;
      {
        std::lock_guard lock(session->mutex);
        subscriber = std::move(session->subscriber);
        session->subscriber.reset();
        session->connected = false;
      }
      if (subscriber) {
        subscriber->set_waker({});
        core_.realtime().disconnect(*subscriber);
      }
      break;
    }
    default:
      break;  // an ACK: we never ask the client for one
  }
}

void SocketIoServer::on_connect(const std::shared_ptr<SocketIoSession>& session,
                                const Json& auth) {
  std::string token;
  if (auth.is_object()) {
    const auto it = auth.find("token");
    if (it != auth.end() && it->is_string()) token = it->get<std::string>();
  }
  if (token.empty()) {
    queue(*session, connect_error("Authentication credentials were not provided."));
    return;
  }
  std::shared_ptr<RealtimeSubscriber> subscriber;
  Principal principal;
  try {
    principal = core_.auth().authenticate(token).principal;
    principal.origin = Origin{session->remote_ip, session->sid};
    subscriber = core_.realtime().connect(principal);
  } catch (const Error& e) {
    queue(*session, connect_error(e.code() == ErrorCode::kInternalError
                                      ? std::string_view("Internal server error.")
                                      : std::string_view(e.what())));
    return;
  }
  std::string pid;
  if (auth.is_object()) {
    const auto it = auth.find("pid");
    if (it != auth.end() && it->is_string()) pid = it->get<std::string>();
  }
  Resumed resumed;
  resumed.cursor = subscriber->cursor();
  const bool recovered = !pid.empty() && recover(pid, principal, *subscriber, resumed);
  if (!recovered) {
    pid = core_.random().hex_token(16);
    resumed.socket_id = core_.random().hex_token(10);
  }

  std::weak_ptr<SocketIoSession> weak = session;
  subscriber->set_waker([weak] {
    if (const auto s = weak.lock()) {
      // Under the mutex, so the GET cannot miss it between its check and
      // its wait.
      std::lock_guard lock(s->mutex);
      s->wake.notify_all();
    }
  });
  {
    // One step, so that a GET sees the CONNECT reply, then the replayed
    // events, then live ones, never a live event first.
    std::lock_guard lock(session->mutex);
    if (!session->closed) {
      session->principal = principal;
      session->token = token;
      session->subscriber = subscriber;
      session->socket_id = resumed.socket_id;
      session->pid = pid;
      session->connected = true;
      session->replay_floor = recovered ? resumed.cursor : 0;
      session->sent_cursor = session->confirmed_cursor = resumed.cursor;
      session->outbound.push_back(
          encode_connect("/", session->socket_id, session->pid));
      for (std::string& packet : resumed.packets) session->outbound.push_back(std::move(packet));
      session->wake.notify_all();
      return;
    }
  }
  // Closed while we authenticated: nothing may stay subscribed.
  subscriber->set_waker({});
  core_.realtime().disconnect(*subscriber);
}

// Connection state recovery: the dropped socket's id, rooms and the events
// it missed (read again from the outbox, from what it had certainly read).
bool SocketIoServer::recover(const std::string& pid, const Principal& principal,
                             RealtimeSubscriber& subscriber, Resumed& resumed) {
  Recovery record;
  {
    std::lock_guard lock(mutex_);
    const auto it = recoveries_.find(pid);
    if (it == recoveries_.end()) return false;
    record = std::move(it->second);
    recoveries_.erase(it);
  }
  if (record.user_id != principal.user_id || SteadyClock::now() > record.expires) return false;
  RealtimeHub& hub = core_.realtime();
  for (const std::string& room : record.rooms) {
    try {
      hub.join(subscriber, room);
    } catch (const Error&) {
      // The user may have lost the right to a room meanwhile.
    }
  }
  // Past this many missed events a replay costs more than a resync.
  constexpr std::size_t kMaxReplay = 10000;
  std::int64_t cursor = record.cursor;
  bool replayed = false;
  try {
    const std::vector<std::string> rooms = subscriber.rooms();
    while (resumed.packets.size() <= kMaxReplay) {
      // read() may scan a stretch that matches none of the rooms: only a
      // cursor that no longer moves means caught up.
      const RealtimeBatch batch = hub.read(principal, rooms, cursor, 1000);
      for (const RealtimeEvent& event : batch.events)
        resumed.packets.push_back(socketio_event_message(event));
      if (batch.cursor == cursor) {
        replayed = true;
        break;
      }
      cursor = batch.cursor;
    }
  } catch (const Error&) {
    // Pruned from the outbox meanwhile: not recoverable.
  }
  if (!replayed) {
    // A fresh connection instead: the client sees recovered == false and
    // resyncs.
    resumed.packets.clear();
    const std::string own = "user_" + std::to_string(principal.user_id);
    for (const std::string& room : subscriber.rooms()) {
      if (room != own) hub.leave(subscriber, room);
    }
    return false;
  }
  resumed.socket_id = record.socket_id;
  resumed.cursor = std::max(resumed.cursor, cursor);
  return true;
}

void SocketIoServer::on_event(SocketIoSession& session, const std::string& name,
                              const Json& args, std::optional<std::uint64_t> ack_id) {
  std::string answer = run_event(session, name, args);
  // The answer is JSON text already: framed here rather than parsed again
  // for encode_ack.
  if (ack_id) queue(session, "43" + std::to_string(*ack_id) + "[" + answer + "]");
}

std::string SocketIoServer::run_event(SocketIoSession& session, const std::string& name,
                                      const Json& args) {
  std::shared_ptr<RealtimeSubscriber> subscriber;
  std::string token;
  {
    std::lock_guard lock(session.mutex);
    subscriber = session.subscriber;
    token = session.token;
  }
  const std::string request_id = core_.random().hex_token(8);
  try {
    if (!subscriber) throw Error::not_found("Not connected.");
    if (name == "join_room" || name == "leave_room") {
      const std::string room = room_argument(args);
      if (name == "join_room") {
        core_.realtime().join(*subscriber, room);
      } else {
        core_.realtime().leave(*subscriber, room);
      }
      return dump_json(Json{{"ok", true}, {"room", room}});
    }
    if (name == "task_update") {
      // Verified again: the token may have expired or its session ended
      // since CONNECT.
      Principal actor = core_.auth().authenticate(token).principal;
      actor.origin = Origin{session.remote_ip, request_id};
      if (args.empty() || !args.front().is_object())
        throw Error::validation({{"task_id", {kRequired}}});
      const Json& body = args.front();
      const auto id = body.find("task_id");
      if (id == body.end()) throw Error::validation({{"task_id", {kRequired}}});
      if (!id->is_number_integer()) throw Error::validation({{"task_id", {kNotAnInteger}}});
      const auto updates = body.find("updates");
      if (updates == body.end()) throw Error::validation({{"updates", {kRequired}}});
      if (!updates->is_object())
        throw Error::validation({{"updates", {"Expected a dictionary of items."}}});
      const Task task = core_.tasks().update(actor, id->get<std::int64_t>(),
                                             task_input_from_json(*updates), WriteMode::kPartial);
      return task_json_text(task);
    }
    throw Error::not_found("Unknown event \"" + name.substr(0, 100) + "\".");
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kInternalError) {
      std::cerr << "taskcore-server: internal error (socket event " << request_id
                << "): " << e.what() << std::endl;
      return error_body_json(core_.clock(), Error::internal(), request_id);
    }
    return error_body_json(core_.clock(), e, request_id);
  } catch (const std::exception& e) {
    std::cerr << "taskcore-server: internal error (socket event " << request_id
              << "): " << e.what() << std::endl;
    return error_body_json(core_.clock(), Error::internal(), request_id);
  }
}

}  // namespace taskcore::server::realtime
