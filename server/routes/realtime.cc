#include <httplib.h>

#include <charconv>
#include <cmath>

#include "json/writer.h"
#include "realtime/event_json.h"
#include "realtime/realtime_env.h"
#include "request_context.h"
#include "routes/routes.h"

namespace taskcore::server {
namespace {

using realtime::HoldGate;
using realtime::RealtimeEnv;

// CONTRACT §7: a poll holds at most 30 s; without `timeout` it holds 25 s,
// under the 30 s idle timeouts common in proxies.
constexpr double kMaxPollSeconds = 30;
constexpr double kDefaultPollSeconds = 25;
// A held poll wakes this often to notice a shutdown; the core's wait()
// cannot be interrupted from outside.
constexpr auto kPollSlice = std::chrono::seconds(2);

struct PollQuery {
  std::vector<std::string> rooms;
  std::optional<std::int64_t> cursor;
  std::chrono::milliseconds timeout{0};
};

PollQuery parse_poll_query(const QueryParams& query) {
  PollQuery poll;
  FieldErrors errors;
  poll.rooms = query.multi("rooms");
  if (poll.rooms.empty()) poll.rooms.emplace_back("tasks");
  if (const std::string* text = query.last("cursor")) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || end != text->data() + text->size() || value < 0) {
      errors["cursor"].push_back("A valid non-negative integer is required.");
    } else {
      poll.cursor = value;
    }
  }
  double seconds = kDefaultPollSeconds;
  if (const std::string* text = query.last("timeout")) {
    char* end = nullptr;
    seconds = std::strtod(text->c_str(), &end);
    if (text->empty() || end != text->c_str() + text->size() || !std::isfinite(seconds) ||
        seconds < 0) {
      errors["timeout"].push_back("A valid number of seconds (0 to 30) is required.");
    }
  }
  if (!errors.empty()) throw Error::validation(std::move(errors));
  poll.timeout = std::chrono::milliseconds(
      static_cast<std::int64_t>(std::min(seconds, kMaxPollSeconds) * 1000));
  return poll;
}

std::string batch_json(const RealtimeBatch& batch) {
  JsonWriter out(256 + batch.events.size() * 512);
  out.begin_object().key("cursor").number(batch.cursor).key("events").begin_array();
  for (const RealtimeEvent& event : batch.events) out.raw(realtime::poll_entry_json(event));
  out.end_array().end_object();
  return out.take();
}

Error too_many_holds() {
  return Error(ErrorCode::kServiceUnavailable, "Too many polls are held; retry shortly.", {},
               {{"retry_after", std::int64_t{1}}});
}

void poll(RequestContext& ctx) {
  const PollQuery query = parse_poll_query(ctx.query());
  const Principal& user = ctx.principal();
  RealtimeHub& hub = ctx.core().realtime();
  RealtimeEnv& env = ctx.env().realtime;
  const std::int64_t cursor = query.cursor ? *query.cursor : hub.current_cursor();

  RealtimeBatch batch = hub.read(user, query.rooms, cursor);
  if (batch.events.empty() && query.timeout.count() > 0 && !env.stopping()) {
    HoldGate::Ticket ticket = env.holds().try_enter();
    if (!ticket) {
      ctx.res().set_header("Retry-After", "1");
      throw too_many_holds();
    }
    const auto deadline = std::chrono::steady_clock::now() + query.timeout;
    while (batch.events.empty() && !env.stopping()) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      batch = hub.wait(user, query.rooms, batch.cursor,
                       std::min<std::chrono::milliseconds>(left, kPollSlice));
    }
  }
  ctx.send_json_text(200, batch_json(batch));
}

void presence(RequestContext& ctx) {
  const QueryParams query = ctx.query();
  const std::string* room = query.last("room");
  if (!room || room->empty()) throw Error::validation({{"room", {kRequired}}});
  const std::vector<std::int64_t> users = ctx.core().realtime().presence(ctx.principal(), *room);
  JsonWriter out;
  out.begin_object().key("room").string(*room).key("users").begin_array();
  for (const std::int64_t id : users) out.number(id);
  out.end_array().end_object();
  ctx.send_json_text(200, out.take());
}

void send_socketio(RequestContext& ctx, realtime::SocketIoReply reply) {
  httplib::Response& res = ctx.res();
  if (reply.retry_after > 0) res.set_header("Retry-After", std::to_string(reply.retry_after));
  // Polls must never be answered from a cache.
  res.set_header("Cache-Control", "no-store");
  res.status = reply.status;
  res.set_content(std::move(reply.body), reply.content_type);
}

void socketio_get(RequestContext& ctx) {
  send_socketio(ctx, ctx.env().realtime.socketio().get(ctx.query_items(), ctx.req().remote_addr));
}

void socketio_post(RequestContext& ctx) {
  send_socketio(ctx, ctx.env().realtime.socketio().post(ctx.query_items(), ctx.req().body));
}

}  // namespace

// Held polls are not counted against rate limits: they answer at once only
// when there is something new, so a client cannot spin on them.
void add_realtime_routes(Router& router) {
  router.add("GET", "/api/realtime/poll", Access::kAuthenticated, poll, Limit::kExempt);
  router.add("GET", "/api/realtime/presence", Access::kAuthenticated, presence);
  // Socket.IO authenticates in its CONNECT packet, not per request.
  router.add("GET", "/socket.io", Access::kPublic, socketio_get, Limit::kExempt);
  router.add("POST", "/socket.io", Access::kPublic, socketio_post, Limit::kExempt);
}

}  // namespace taskcore::server
