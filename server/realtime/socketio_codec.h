#pragma once

// Socket.IO v5 packets: the data of an Engine.IO message packet.
//
// Pure functions: no I/O, no state, safe from any thread. Decoding never
// throws on its input (only std::bad_alloc can escape); it reports why a
// packet was refused. Encoders never throw on their input either: invalid
// UTF-8 in strings is replaced (U+FFFD) rather than refused mid-send.
//
// Wire format (https://socket.io/docs/v4/socket-io-protocol/):
//   <type>[<attachments>-][<namespace>,][<ack id>][<json>]
// The default namespace "/" is not written. A namespace starts with '/' and
// ends at ','; as in the reference parser, it may also end the packet
// without a comma ("0/admin", which older python-socketio sends). The
// encoders always write the comma. Binary packets (types 5 and 6) are
// recognised and refused: this server speaks text only.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace taskcore::server::realtime {

enum class SocketPacketType : std::uint8_t {
  kConnect = 0,
  kDisconnect = 1,
  kEvent = 2,
  kAck = 3,
  kConnectError = 4,
  kBinaryEvent = 5,
  kBinaryAck = 6,
};

// Bracket depth of a packet's JSON, checked by a scan before nlohmann parses
// it: nlohmann's dump, copy and comparison recurse once per level, so an
// unbounded depth from a client could exhaust a worker's stack later on.
inline constexpr std::size_t kMaxJsonDepth = 64;
// Namespaces are our own short paths; anything longer is no namespace of
// ours and is refused before it is copied.
inline constexpr std::size_t kMaxNamespaceBytes = 128;

struct SocketPacket {
  SocketPacketType type = SocketPacketType::kConnect;
  std::string nsp = "/";
  // EVENT: present when the sender wants an ACK. ACK: always present.
  std::optional<std::uint64_t> ack_id;
  // Null when the packet carries no JSON. Otherwise, after a successful
  // decode: CONNECT an object (auth, e.g. {"token":"..."}, with "pid" and
  // "offset" for connection state recovery); EVENT a non-empty array whose
  // first element is the event name; ACK an array; CONNECT_ERROR a string
  // or an object.
  nlohmann::json data;

  bool operator==(const SocketPacket&) const = default;
};

enum class SocketError {
  kNone,
  kEmpty,            // no type digit at all
  kUnknownType,      // first character not 0-6
  kBinary,           // BINARY_EVENT / BINARY_ACK: binary is not supported
  kBadNamespace,     // over kMaxNamespaceBytes, or a byte that is no URL
                     // path character (letters, digits, -._~/!$&'()*+;=:@%)
  kAckIdOverflow,    // more than 20 digits, or above 2^64-1
  kUnexpectedAckId,  // an ack id on CONNECT, DISCONNECT or CONNECT_ERROR
  kMissingAckId,     // an ACK without one
  kTooDeep,          // JSON nested deeper than kMaxJsonDepth
  kTrailingData,     // bytes after the JSON array or object
  kInvalidJson,      // not JSON (or not UTF-8)
  kMissingData,      // EVENT or ACK without JSON
  kUnexpectedData,   // DISCONNECT with JSON
  kBadConnectData,   // CONNECT data that is not an object
  kBadEventData,     // EVENT data not an array, empty, or its name not a string
  kReservedEvent,    // an event named as Socket.IO's own ("connect", ...)
  kBadAckData,       // ACK data that is not an array
  kBadConnectErrorData,  // CONNECT_ERROR data neither string nor object
};

// A stable lower-case name for logs ("ack_id_overflow").
std::string_view socket_error_name(SocketError error);

struct SocketDecodeResult {
  SocketPacket packet;  // meaningful only when ok()
  SocketError error = SocketError::kNone;

  bool ok() const { return error == SocketError::kNone; }
};

// Decodes the data of one Engine.IO message packet (what follows its '4').
SocketDecodeResult decode_socket_packet(std::string_view text);

// The Socket.IO text of `packet`, without the Engine.IO '4'. A null `data`
// writes no JSON. decode_socket_packet(encode_socket_packet(p)) == p for any
// packet that decoded successfully.
std::string encode_socket_packet(const SocketPacket& packet);

// Wraps Socket.IO text in an Engine.IO message packet: '4' + text.
std::string engine_message(std::string_view socket_packet);

// The encoders below return complete Engine.IO message packets ("42[...]"),
// ready for encode_engine_payload. `nsp` "/" (or empty) is the default
// namespace; a namespace given without its leading '/' gets one, so the
// output always decodes. The namespace itself is not validated: it is the
// server's own, taken from a packet that decoded.

// 40{"sid":"..."} or, with connection state recovery, 40{"sid":"...","pid":"..."}.
std::string encode_connect(std::string_view nsp, std::string_view sid,
                           std::optional<std::string_view> pid = std::nullopt);
// 44{"message":"..."} or 44{"message":"...","data":...}.
std::string encode_connect_error(std::string_view nsp, std::string_view message,
                                 const std::optional<nlohmann::json>& data = std::nullopt);
// 42["name",arg...]. `args` is the argument list when it is an array (so
// {"room":"tasks"} must be passed as json::array({obj}) or as obj alone); any
// other value is sent as the single argument; null sends no argument. With
// `ack_id` the client is asked to acknowledge: 42<id>["name",...].
std::string encode_event(std::string_view nsp, std::string_view name,
                         const nlohmann::json& args = nullptr,
                         std::optional<std::uint64_t> ack_id = std::nullopt);
// 43<id>[arg...]; `args` as for encode_event.
std::string encode_ack(std::string_view nsp, std::uint64_t ack_id,
                       const nlohmann::json& args = nullptr);
// 41, or 41/admin, for another namespace.
std::string encode_disconnect(std::string_view nsp);

}  // namespace taskcore::server::realtime
