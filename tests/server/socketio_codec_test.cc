// The Engine.IO v4 / Socket.IO v5 codecs on their own: wire strings as the
// official clients (socket.io-client 4, python-socketio 5) send and expect
// them, and every way a packet is refused.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "realtime/engineio_codec.h"
#include "realtime/socketio_codec.h"

namespace taskcore::server::realtime {
namespace {

using Json = nlohmann::json;

SocketError error_of(std::string_view text) {
  SocketDecodeResult result;
  CHECK_NOTHROW(result = decode_socket_packet(text));
  return result.error;
}

EngineError engine_error_of(std::string_view body, std::size_t max_packets = 16) {
  EnginePayload result;
  CHECK_NOTHROW(result = decode_engine_payload(body, max_packets));
  if (!result.ok()) CHECK(result.packets.empty());
  return result.error;
}

SocketPacket decoded(std::string_view text) {
  const SocketDecodeResult result = decode_socket_packet(text);
  REQUIRE_MESSAGE(result.ok(), text, ": ", socket_error_name(result.error));
  return result.packet;
}

// Encoded packet -> decoded again: the engine '4' stripped first.
SocketPacket reread(const std::string& engine_text) {
  REQUIRE(engine_text.size() >= 2);
  REQUIRE(engine_text.front() == '4');
  return decoded(std::string_view(engine_text).substr(1));
}

}  // namespace

TEST_CASE("Engine.IO payload: every packet type, and the record separator") {
  const EnginePayload payload = decode_engine_payload("0\x1e" "1\x1e" "2\x1e" "3probe\x1e"
                                                      "4hello\x1e" "5\x1e" "6", 16);
  REQUIRE(payload.ok());
  const std::vector<EnginePacket> expected = {
      {EnginePacketType::kOpen, ""},     {EnginePacketType::kClose, ""},
      {EnginePacketType::kPing, ""},     {EnginePacketType::kPong, "probe"},
      {EnginePacketType::kMessage, "hello"}, {EnginePacketType::kUpgrade, ""},
      {EnginePacketType::kNoop, ""}};
  CHECK(payload.packets == expected);

  // A client's poll: its pong and a Socket.IO CONNECT with auth.
  const EnginePayload poll = decode_engine_payload("3\x1e" R"(40{"token":"abc"})", 16);
  REQUIRE(poll.ok());
  REQUIRE(poll.packets.size() == 2);
  CHECK(poll.packets[0].type == EnginePacketType::kPong);
  CHECK(poll.packets[1].type == EnginePacketType::kMessage);
  CHECK(poll.packets[1].data == R"(0{"token":"abc"})");

  const EnginePayload one = decode_engine_payload("2", 1);
  REQUIRE(one.ok());
  CHECK(one.packets == std::vector<EnginePacket>{{EnginePacketType::kPing, ""}});

  // Message data is kept verbatim, separators aside (UTF-8, spaces, ':').
  const EnginePayload text = decode_engine_payload("4caf\xc3\xa9 : 6", 1);
  REQUIRE(text.ok());
  CHECK(text.packets[0].data == "caf\xc3\xa9 : 6");
}

TEST_CASE("Engine.IO payload: encoding and round trips") {
  CHECK(encode_engine_payload({}) == "");
  CHECK(encode_engine_payload({"2"}) == "2");
  CHECK(encode_engine_payload({"2", R"(40{"sid":"x"})", "6"}) == "2\x1e" R"(40{"sid":"x"})" "\x1e" "6");
  CHECK(encode_engine_packet(EnginePacketType::kPing) == "2");
  CHECK(encode_engine_packet(EnginePacketType::kPong, "probe") == "3probe");
  CHECK(encode_engine_packet({EnginePacketType::kMessage, "2[\"a\"]"}) == "42[\"a\"]");
  CHECK(encode_engine_packet(EnginePacketType::kClose) == "1");
  CHECK(encode_engine_packet(EnginePacketType::kNoop) == "6");

  const std::string body = "2\x1e" R"(40{"sid":"lv_VI97HAXpY6yYWAAAC"})" "\x1e"
                           R"(42["task_update",{"id":7}])";
  const EnginePayload payload = decode_engine_payload(body, 3);
  REQUIRE(payload.ok());
  std::vector<std::string> texts;
  for (const auto& packet : payload.packets) texts.push_back(encode_engine_packet(packet));
  CHECK(encode_engine_payload(texts) == body);
}

TEST_CASE("Engine.IO open packet: the handshake clients parse") {
  CHECK(encode_engine_open({.sid = "lv_VI97HAXpY6yYWAAAC"}) ==
        R"(0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":[],"pingInterval":25000,)"
        R"("pingTimeout":20000,"maxPayload":1000000})");
  const std::string custom = encode_engine_open(
      {.sid = "a\"b", .ping_interval_ms = 1000, .ping_timeout_ms = 500, .max_payload = 64});
  REQUIRE(custom.front() == '0');
  const Json open = Json::parse(custom.substr(1));
  CHECK(open["sid"] == "a\"b");
  CHECK(open["pingInterval"] == 1000);
  CHECK(open["pingTimeout"] == 500);
  CHECK(open["maxPayload"] == 64);
  CHECK(open["upgrades"] == Json::array());
  // Invalid UTF-8 in a sid never throws.
  CHECK_NOTHROW(encode_engine_open({.sid = "\xff\xfe"}));
}

TEST_CASE("Engine.IO payload: malformed bodies, each with its own reason") {
  CHECK(engine_error_of("") == EngineError::kEmptyBody);
  CHECK(engine_error_of("\x1e") == EngineError::kEmptyPacket);
  CHECK(engine_error_of("2\x1e") == EngineError::kEmptyPacket);
  CHECK(engine_error_of("\x1e" "2") == EngineError::kEmptyPacket);
  CHECK(engine_error_of("2\x1e\x1e" "3") == EngineError::kEmptyPacket);
  CHECK(engine_error_of("7") == EngineError::kUnknownType);
  CHECK(engine_error_of("x4hello") == EngineError::kUnknownType);
  CHECK(engine_error_of("2\x1e" "9") == EngineError::kUnknownType);
  // Engine.IO v3 framing ("<length>:<packet>") is no v4 packet.
  CHECK(engine_error_of(":4hello") == EngineError::kUnknownType);
  // Binary: 'b' + base64, alone or after a text packet.
  CHECK(engine_error_of("bAQIDBA==") == EngineError::kBinary);
  CHECK(engine_error_of("2\x1e" "bAQIDBA==") == EngineError::kBinary);
  // Too many packets: refused before any is decoded.
  CHECK(engine_error_of("2\x1e" "2\x1e" "2", 2) == EngineError::kTooManyPackets);
  CHECK(engine_error_of("2", 0) == EngineError::kTooManyPackets);
  CHECK(engine_error_of(std::string(10000, '\x1e'), 100) == EngineError::kTooManyPackets);
  CHECK(engine_error_of("2\x1e" "2", 2) == EngineError::kNone);
  CHECK(engine_error_name(EngineError::kTooManyPackets) == "too_many_packets");
  CHECK(engine_error_name(EngineError::kBinary) == "binary_unsupported");
}

TEST_CASE("Socket.IO CONNECT as socket.io-client and python-socketio send it") {
  SocketPacket plain = decoded("0");
  CHECK(plain.type == SocketPacketType::kConnect);
  CHECK(plain.nsp == "/");
  CHECK(!plain.ack_id);
  CHECK(plain.data.is_null());

  // socket.io-client: io(url, {auth: {token: "abc"}}).
  const SocketPacket auth = decoded(R"(0{"token":"abc"})");
  CHECK(auth.type == SocketPacketType::kConnect);
  CHECK(auth.nsp == "/");
  CHECK(auth.data == Json{{"token", "abc"}});

  // Connection state recovery: the client resends its pid and offset.
  const SocketPacket recover =
      decoded(R"(0{"token":"abc","pid":"Xq1BXRcIUQ0","offset":"MzUPkW0"})");
  CHECK(recover.data["pid"] == "Xq1BXRcIUQ0");
  CHECK(recover.data["offset"] == "MzUPkW0");

  // python-socketio: sio.connect(url, namespaces=["/admin"], auth={...}).
  const SocketPacket admin = decoded(R"(0/admin,{"token":"abc"})");
  CHECK(admin.nsp == "/admin");
  CHECK(admin.data["token"] == "abc");
  // Older python-socketio wrote the namespace with no comma and no data.
  CHECK(decoded("0/admin").nsp == "/admin");
  CHECK(decoded("0/admin,").nsp == "/admin");
  CHECK(decoded("0/,").nsp == "/");
  CHECK(decoded("0{}").data == Json::object());
}

TEST_CASE("Socket.IO EVENT and ACK as the clients send them") {
  const SocketPacket join = decoded(R"(2["join_room",{"room":"tasks"}])");
  CHECK(join.type == SocketPacketType::kEvent);
  CHECK(join.nsp == "/");
  CHECK(!join.ack_id);
  CHECK(join.data == Json::array({"join_room", {{"room", "tasks"}}}));

  // socket.emit("task_update", {...}, callback): the client's ack id 1.
  const SocketPacket update = decoded(R"(21["task_update",{"id":7,"title":"Ship"}])");
  CHECK(update.ack_id == 1u);
  CHECK(update.data[0] == "task_update");
  CHECK(update.data[1]["title"] == "Ship");

  const SocketPacket nsp_event = decoded(R"(2/admin,13["ping"])");
  CHECK(nsp_event.nsp == "/admin");
  CHECK(nsp_event.ack_id == 13u);
  CHECK(nsp_event.data == Json::array({"ping"}));

  // The client acknowledges a server event with ack id 1.
  const SocketPacket ack = decoded(R"(31[{"ok":true}])");
  CHECK(ack.type == SocketPacketType::kAck);
  CHECK(ack.ack_id == 1u);
  CHECK(ack.data == Json::array({{{"ok", true}}}));
  CHECK(decoded("30[]").ack_id == 0u);
  CHECK(decoded("30[]").data == Json::array());
  CHECK(decoded("3/admin,18446744073709551615[]").ack_id == 18446744073709551615ull);
  CHECK(decoded("300042[]").ack_id == 42u);

  const SocketPacket unicode = decoded("2[\"caf\xc3\xa9\",\"\\u20ac\"]");
  CHECK(unicode.data[0] == "caf\xc3\xa9");
  CHECK(unicode.data[1] == "\xe2\x82\xac");
}

TEST_CASE("Socket.IO DISCONNECT and CONNECT_ERROR decode") {
  const SocketPacket bye = decoded("1");
  CHECK(bye.type == SocketPacketType::kDisconnect);
  CHECK(bye.nsp == "/");
  CHECK(decoded("1/admin,").nsp == "/admin");
  const SocketPacket refused = decoded(R"(4{"message":"Not authorized","data":{"code":401}})");
  CHECK(refused.type == SocketPacketType::kConnectError);
  CHECK(refused.data["data"]["code"] == 401);
  CHECK(decoded(R"(4"Invalid namespace")").data == "Invalid namespace");
}

TEST_CASE("Socket.IO encoders write the exact wire strings") {
  CHECK(encode_connect("/", "lv_VI97HAXpY6yYWAAAC") == R"(40{"sid":"lv_VI97HAXpY6yYWAAAC"})");
  CHECK(encode_connect("/", "s1", "p1") == R"(40{"sid":"s1","pid":"p1"})");
  CHECK(encode_connect("/admin", "s1") == R"(40/admin,{"sid":"s1"})");
  CHECK(encode_connect("", "s1") == R"(40{"sid":"s1"})");

  CHECK(encode_connect_error("/", "Not authorized") == R"(44{"message":"Not authorized"})");
  CHECK(encode_connect_error("/admin", "Not authorized", Json{{"code", 401}}) ==
        R"(44/admin,{"message":"Not authorized","data":{"code":401}})");

  const Json room = {{"room", "tasks"}};
  CHECK(encode_event("/", "join_room", room) == R"(42["join_room",{"room":"tasks"}])");
  CHECK(encode_event("/", "task_update", Json::array({room, 3})) ==
        R"(42["task_update",{"room":"tasks"},3])");
  CHECK(encode_event("/", "ping") == R"(42["ping"])");
  CHECK(encode_event("/", "ask", Json::array({1}), 5) == R"(425["ask",1])");
  CHECK(encode_event("/admin", "ask", "x", 12) == R"(42/admin,12["ask","x"])");
  // One argument that is itself an array is wrapped by the caller.
  CHECK(encode_event("/", "ids", Json::array({Json::array({1, 2})})) == R"(42["ids",[1,2]])");

  CHECK(encode_ack("/", 1, Json::array({{{"ok", true}}})) == R"(431[{"ok":true}])");
  CHECK(encode_ack("/", 1, Json{{"ok", true}}) == R"(431[{"ok":true}])");
  CHECK(encode_ack("/", 0) == "430[]");
  CHECK(encode_ack("/admin", 7, Json::array({1, "a"})) == R"(43/admin,7[1,"a"])");

  CHECK(encode_disconnect("/") == "41");
  CHECK(encode_disconnect("/admin") == "41/admin,");
  // A namespace given without its '/' still reads back as that namespace.
  CHECK(encode_disconnect("admin") == "41/admin,");

  CHECK(engine_message("2[\"a\"]") == "42[\"a\"]");
  // UTF-8 kept as is; invalid UTF-8 replaced, never thrown.
  CHECK(encode_event("/", "caf\xc3\xa9", "\xe2\x82\xac") == "42[\"caf\xc3\xa9\",\"\xe2\x82\xac\"]");
  std::string broken;
  CHECK_NOTHROW(broken = encode_event("/", "bad\xff", Json("x\xfe")));
  CHECK(broken == "42[\"bad\xef\xbf\xbd\",\"x\xef\xbf\xbd\"]");
  CHECK(reread(broken).data[0] == "bad\xef\xbf\xbd");
}

TEST_CASE("Socket.IO round trips: encode(decode(x)) decodes to the same packet") {
  for (const char* text :
       {"0", R"(0{"token":"abc"})", R"(0/admin,{"token":"abc","pid":"p","offset":"o"})", "1",
        "1/admin,", R"(2["join_room",{"room":"tasks"}])", R"(21["task_update",{"id":7}])",
        R"(2/admin,99["x",1.5,-3,null,true,"\u0000"])", "30[]", R"(31[{"ok":true}])",
        R"(4{"message":"Not authorized"})", R"(4"Invalid namespace")"}) {
    CAPTURE(text);
    const SocketPacket packet = decoded(text);
    const std::string again = encode_socket_packet(packet);
    CHECK(decoded(again) == packet);
    CHECK(encode_socket_packet(decoded(again)) == again);
  }
  // The encoders' output decodes to what they were given.
  const SocketPacket connect = reread(encode_connect("/admin", "s1", "p1"));
  CHECK(connect.type == SocketPacketType::kConnect);
  CHECK(connect.nsp == "/admin");
  CHECK(connect.data == Json{{"sid", "s1"}, {"pid", "p1"}});
  const SocketPacket event = reread(encode_event("/", "task_update", Json{{"id", 7}}, 3));
  CHECK(event.ack_id == 3u);
  CHECK(event.data == Json::array({"task_update", {{"id", 7}}}));
  const SocketPacket ack = reread(encode_ack("/x", 9, Json::array({1, 2})));
  CHECK(ack.nsp == "/x");
  CHECK(ack.ack_id == 9u);
  CHECK(ack.data == Json::array({1, 2}));
  CHECK(reread(encode_disconnect("/x")).type == SocketPacketType::kDisconnect);
  CHECK(reread(encode_connect_error("/", "no")).data == Json{{"message", "no"}});
}

TEST_CASE("Socket.IO malformed packets: each refused with its own reason") {
  CHECK(error_of("") == SocketError::kEmpty);
  CHECK(error_of("7") == SocketError::kUnknownType);
  CHECK(error_of("a[\"x\"]") == SocketError::kUnknownType);
  CHECK(error_of("[\"x\"]") == SocketError::kUnknownType);
  // Binary packets, with their attachment count.
  CHECK(error_of(R"(51-["upload",{"_placeholder":true,"num":0}])") == SocketError::kBinary);
  CHECK(error_of("61-1[{\"_placeholder\":true,\"num\":0}]") == SocketError::kBinary);
  // Namespaces.
  CHECK(error_of("0/" + std::string(kMaxNamespaceBytes, 'a') + ",") == SocketError::kBadNamespace);
  CHECK(error_of("0/ad min,") == SocketError::kBadNamespace);
  CHECK(error_of("0/ad\nmin,") == SocketError::kBadNamespace);
  CHECK(error_of("0/caf\xc3\xa9,") == SocketError::kBadNamespace);
  CHECK(error_of("2/admin[\"x\"]") == SocketError::kBadNamespace);  // no comma: '[' in it
  // Ack ids.
  CHECK(error_of("3" + std::string(21, '1') + "[]") == SocketError::kAckIdOverflow);
  CHECK(error_of("318446744073709551616[]") == SocketError::kAckIdOverflow);
  CHECK(error_of("2" + std::string(100000, '9') + "[\"x\"]") == SocketError::kAckIdOverflow);
  CHECK(error_of("012{}") == SocketError::kUnexpectedAckId);
  CHECK(error_of("11") == SocketError::kUnexpectedAckId);
  CHECK(error_of("41{\"message\":\"x\"}") == SocketError::kUnexpectedAckId);
  CHECK(error_of("3[]") == SocketError::kMissingAckId);
  CHECK(error_of("3/admin,[]") == SocketError::kMissingAckId);
  // JSON.
  CHECK(error_of("2[\"x\"]garbage") == SocketError::kTrailingData);
  CHECK(error_of("2[\"x\"][\"y\"]") == SocketError::kTrailingData);
  CHECK(error_of("0{\"a\":1}}") == SocketError::kTrailingData);
  CHECK(error_of("2[\"x\"]  ") == SocketError::kNone);
  CHECK(error_of("2[\"x\"") == SocketError::kInvalidJson);
  CHECK(error_of("0{token:1}") == SocketError::kInvalidJson);
  CHECK(error_of("0abc") == SocketError::kInvalidJson);
  CHECK(error_of("2[\"bad \xff utf8\"]") == SocketError::kInvalidJson);
  CHECK(error_of("2[1e400]") == SocketError::kInvalidJson);
  CHECK(error_of("2[\"x\"]]") == SocketError::kTrailingData);
  CHECK(error_of("4\"a\" x") == SocketError::kInvalidJson);
  // Data shapes per type.
  CHECK(error_of("2") == SocketError::kMissingData);
  CHECK(error_of("21") == SocketError::kMissingData);
  CHECK(error_of("31") == SocketError::kMissingData);
  CHECK(error_of("1{}") == SocketError::kUnexpectedData);
  CHECK(error_of("1null") == SocketError::kUnexpectedData);
  CHECK(error_of("0[\"x\"]") == SocketError::kBadConnectData);
  CHECK(error_of("0\"token\"") == SocketError::kBadConnectData);
  CHECK(error_of("0null") == SocketError::kBadConnectData);
  CHECK(error_of("2{\"name\":\"x\"}") == SocketError::kBadEventData);
  CHECK(error_of("2[]") == SocketError::kBadEventData);
  CHECK(error_of("2[1,2]") == SocketError::kBadEventData);
  CHECK(error_of("2[null]") == SocketError::kBadEventData);
  CHECK(error_of("2\"join_room\"") == SocketError::kBadEventData);
  CHECK(error_of("2null") == SocketError::kBadEventData);
  CHECK(error_of("2[\"connect\"]") == SocketError::kReservedEvent);
  CHECK(error_of("2[\"disconnecting\",1]") == SocketError::kReservedEvent);
  CHECK(error_of("31{}") == SocketError::kBadAckData);
  CHECK(error_of("31\"ok\"") == SocketError::kBadAckData);
  CHECK(error_of("4[1]") == SocketError::kBadConnectErrorData);
  CHECK(error_of("4 42") == SocketError::kBadConnectErrorData);
  CHECK(socket_error_name(SocketError::kAckIdOverflow) == "ack_id_overflow");
  CHECK(socket_error_name(SocketError::kTooDeep) == "too_deep");
}

TEST_CASE("Socket.IO deep nesting is refused before nlohmann parses it") {
  auto nested = [](std::size_t depth) {
    return "2[\"x\"," + std::string(depth - 1, '[') + std::string(depth - 1, ']') + "]";
  };
  CHECK(error_of(nested(kMaxJsonDepth)) == SocketError::kNone);
  CHECK(error_of(nested(kMaxJsonDepth + 1)) == SocketError::kTooDeep);
  // A million unclosed brackets: refused after 65 of them, no stack spent.
  CHECK(error_of("2" + std::string(1000000, '[')) == SocketError::kTooDeep);
  CHECK(error_of("0" + std::string(100000, '{')) == SocketError::kTooDeep);
  CHECK(error_of("3" "1" + std::string(100, '[') + std::string(100, ']')) == SocketError::kTooDeep);
  // Brackets inside strings (escaped quotes too) are no nesting.
  const std::string in_string = "2[\"x\",\"" + std::string(1000, '[') + "\\\"" +
                                std::string(1000, '{') + "\"]";
  CHECK(error_of(in_string) == SocketError::kNone);
}

}  // namespace taskcore::server::realtime
