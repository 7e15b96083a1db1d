#pragma once

// Engine.IO v4 packets over HTTP long-polling, text only.
//
// Pure functions: no I/O, no state, safe from any thread. The session layer
// feeds them each poll body a client POSTs and sends what they encode. A
// decoder never throws on its input; it reports why the input was refused so
// the session can be closed with a reason worth logging.
//
// Wire format (https://socket.io/docs/v4/engine-io-protocol/): a packet is
// one type digit followed by its data; a payload joins packets with the
// record separator '\x1e'. Binary packets ('b' + base64) are recognised and
// refused: this server speaks text only.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace taskcore::server::realtime {

inline constexpr char kEngineRecordSeparator = '\x1e';

enum class EnginePacketType : char {
  kOpen = '0',
  kClose = '1',
  kPing = '2',
  kPong = '3',
  kMessage = '4',
  kUpgrade = '5',
  kNoop = '6',
};

struct EnginePacket {
  EnginePacketType type = EnginePacketType::kNoop;
  // Everything after the type digit, verbatim ("probe" for a probe ping, the
  // Socket.IO packet for a message; usually empty otherwise).
  std::string data;

  bool operator==(const EnginePacket&) const = default;
};

enum class EngineError {
  kNone,
  kEmptyBody,       // nothing at all was posted
  kEmptyPacket,     // two separators in a row, or one at either end
  kUnknownType,     // a first character that is no packet type
  kBinary,          // 'b' + base64: binary is not supported
  kTooManyPackets,  // more than the caller's max_packets
};

// A stable lower-case name for logs ("too_many_packets").
std::string_view engine_error_name(EngineError error);

struct EnginePayload {
  // Empty unless error == kNone.
  std::vector<EnginePacket> packets;
  EngineError error = EngineError::kNone;

  bool ok() const { return error == EngineError::kNone; }
};

// Splits a poll body into packets. The count is checked before any packet is
// copied, so an oversized body costs one scan. The whole payload is refused
// when any packet is: the session closes, it never acts on half a payload.
EnginePayload decode_engine_payload(std::string_view body, std::size_t max_packets);

// One packet as text: its type digit followed by `data`.
std::string encode_engine_packet(EnginePacketType type, std::string_view data = {});
std::string encode_engine_packet(const EnginePacket& packet);

// Joins already encoded packets ("4...", "2", ...) with '\x1e'. An empty
// list yields "" (the caller sends a noop instead: a poll answer must hold
// at least one packet).
std::string encode_engine_payload(const std::vector<std::string>& packets);

struct EngineOpenParams {
  std::string sid;
  std::uint32_t ping_interval_ms = 25000;
  std::uint32_t ping_timeout_ms = 20000;
  std::uint32_t max_payload = 1000000;  // bytes of one poll body
};

// The handshake packet: 0{"sid":"...","upgrades":[],"pingInterval":25000,
// "pingTimeout":20000,"maxPayload":1000000}. No upgrades are offered: the
// server speaks long-polling only.
std::string encode_engine_open(const EngineOpenParams& params);

}  // namespace taskcore::server::realtime
