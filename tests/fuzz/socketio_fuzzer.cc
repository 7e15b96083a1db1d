// Fuzzes the Engine.IO / Socket.IO decoders (server/realtime/) with any
// bytes: a poll body a client could POST. Beyond crashes, sanitizer reports
// and exceptions escaping, it checks that decoding loses nothing:
//  - a payload that decodes re-encodes to exactly the bytes it came from;
//  - a Socket.IO packet that decodes re-encodes to a fixed point: encoding
//    it and decoding that gives the same packet, and encoding again gives
//    the same text, both through encode_socket_packet and through the typed
//    encoders the server sends with;
//  - what decodes obeys the shape the header promises for its type.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "realtime/engineio_codec.h"
#include "realtime/socketio_codec.h"

namespace {

using namespace taskcore::server::realtime;
using Json = nlohmann::json;

constexpr std::size_t kMaxPackets = 64;

void require(bool ok) {
  if (!ok) __builtin_trap();
}

// The packet an encoder's output (an Engine.IO message) decodes to.
SocketPacket reread(const std::string& engine_text) {
  require(engine_text.size() >= 2 && engine_text.front() == '4');
  const SocketDecodeResult result = decode_socket_packet(std::string_view(engine_text).substr(1));
  require(result.ok());
  return result.packet;
}

void check_shape(const SocketPacket& packet) {
  require(!packet.nsp.empty() && packet.nsp.front() == '/' &&
          packet.nsp.size() <= kMaxNamespaceBytes);
  switch (packet.type) {
    case SocketPacketType::kConnect:
      require(!packet.ack_id && (packet.data.is_null() || packet.data.is_object()));
      break;
    case SocketPacketType::kDisconnect:
      require(!packet.ack_id && packet.data.is_null());
      break;
    case SocketPacketType::kEvent:
      require(packet.data.is_array() && !packet.data.empty() && packet.data[0].is_string());
      break;
    case SocketPacketType::kAck:
      require(packet.ack_id.has_value() && packet.data.is_array());
      break;
    case SocketPacketType::kConnectError:
      require(!packet.ack_id &&
              (packet.data.is_null() || packet.data.is_string() || packet.data.is_object()));
      break;
    case SocketPacketType::kBinaryEvent:
    case SocketPacketType::kBinaryAck:
      require(false);
  }
}

void check_socket_packet(std::string_view text) {
  const SocketDecodeResult result = decode_socket_packet(text);
  if (!result.ok()) {
    require(!socket_error_name(result.error).empty());
    return;
  }
  const SocketPacket& packet = result.packet;
  check_shape(packet);

  const std::string again = encode_socket_packet(packet);
  const SocketDecodeResult reread_result = decode_socket_packet(again);
  require(reread_result.ok() && reread_result.packet == packet);
  require(encode_socket_packet(reread_result.packet) == again);

  // Wrapped in an Engine.IO message and a payload, it survives as well.
  const std::string body = encode_engine_payload({"2", engine_message(again)});
  const EnginePayload payload = decode_engine_payload(body, 2);
  require(payload.ok() && payload.packets.size() == 2 && payload.packets[1].data == again);

  // The typed encoders agree with the generic one.
  switch (packet.type) {
    case SocketPacketType::kEvent: {
      Json args = Json::array();
      for (std::size_t i = 1; i < packet.data.size(); ++i) args.push_back(packet.data[i]);
      const std::string name = packet.data[0].get<std::string>();
      require(reread(encode_event(packet.nsp, name, args, packet.ack_id)) == packet);
      break;
    }
    case SocketPacketType::kAck:
      require(reread(encode_ack(packet.nsp, *packet.ack_id, packet.data)) == packet);
      break;
    case SocketPacketType::kDisconnect:
      require(reread(encode_disconnect(packet.nsp)) == packet);
      break;
    case SocketPacketType::kConnect:
      if (packet.data.is_object() && packet.data.contains("sid") && packet.data["sid"].is_string()) {
        const SocketPacket connect =
            reread(encode_connect(packet.nsp, packet.data["sid"].get<std::string>()));
        require(connect.nsp == packet.nsp && connect.data["sid"] == packet.data["sid"]);
      }
      break;
    case SocketPacketType::kConnectError:
      if (packet.data.is_object() && packet.data.contains("message") &&
          packet.data["message"].is_string()) {
        const SocketPacket error =
            reread(encode_connect_error(packet.nsp, packet.data["message"].get<std::string>()));
        require(error.nsp == packet.nsp && error.data["message"] == packet.data["message"]);
      }
      break;
    default:
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);

  const EnginePayload payload = decode_engine_payload(bytes, kMaxPackets);
  if (payload.ok()) {
    require(!payload.packets.empty() && payload.packets.size() <= kMaxPackets);
    std::vector<std::string> texts;
    for (const auto& packet : payload.packets) texts.push_back(encode_engine_packet(packet));
    require(encode_engine_payload(texts) == bytes);
    for (const auto& packet : payload.packets)
      if (packet.type == EnginePacketType::kMessage) check_socket_packet(packet.data);
  } else {
    require(payload.packets.empty());
  }
  // The same bytes as one Socket.IO packet, so the fuzzer need not find the
  // Engine.IO framing before it reaches the Socket.IO decoder.
  check_socket_packet(bytes);
  return 0;
}
