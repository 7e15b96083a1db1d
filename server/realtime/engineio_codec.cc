#include "realtime/engineio_codec.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace taskcore::server::realtime {

std::string_view engine_error_name(EngineError error) {
  switch (error) {
    case EngineError::kNone: return "none";
    case EngineError::kEmptyBody: return "empty_body";
    case EngineError::kEmptyPacket: return "empty_packet";
    case EngineError::kUnknownType: return "unknown_type";
    case EngineError::kBinary: return "binary_unsupported";
    case EngineError::kTooManyPackets: return "too_many_packets";
  }
  return "unknown";
}

EnginePayload decode_engine_payload(std::string_view body, std::size_t max_packets) {
  EnginePayload result;
  if (body.empty()) {
    result.error = EngineError::kEmptyBody;
    return result;
  }
  const std::size_t count =
      static_cast<std::size_t>(std::count(body.begin(), body.end(), kEngineRecordSeparator)) + 1;
  if (count > max_packets) {
    result.error = EngineError::kTooManyPackets;
    return result;
  }
  std::vector<EnginePacket> packets;
  packets.reserve(count);
  std::size_t start = 0;
  while (true) {
    const std::size_t end = std::min(body.find(kEngineRecordSeparator, start), body.size());
    const std::string_view text = body.substr(start, end - start);
    if (text.empty()) {
      result.error = EngineError::kEmptyPacket;
      return result;
    }
    if (text.front() == 'b') {
      result.error = EngineError::kBinary;
      return result;
    }
    if (text.front() < '0' || text.front() > '6') {
      result.error = EngineError::kUnknownType;
      return result;
    }
    packets.push_back({static_cast<EnginePacketType>(text.front()), std::string(text.substr(1))});
    if (end == body.size()) break;
    start = end + 1;
  }
  result.packets = std::move(packets);
  return result;
}

std::string encode_engine_packet(EnginePacketType type, std::string_view data) {
  std::string out;
  out.reserve(1 + data.size());
  out.push_back(static_cast<char>(type));
  out.append(data);
  return out;
}

std::string encode_engine_packet(const EnginePacket& packet) {
  return encode_engine_packet(packet.type, packet.data);
}

std::string encode_engine_payload(const std::vector<std::string>& packets) {
  std::size_t size = packets.empty() ? 0 : packets.size() - 1;
  for (const auto& packet : packets) size += packet.size();
  std::string out;
  out.reserve(size);
  for (std::size_t i = 0; i < packets.size(); ++i) {
    if (i) out.push_back(kEngineRecordSeparator);
    out.append(packets[i]);
  }
  return out;
}

std::string encode_engine_open(const EngineOpenParams& params) {
  // ordered_json keeps the keys in the order the protocol documents, which
  // makes the handshake easy to compare against captures of other servers.
  nlohmann::ordered_json open;
  open["sid"] = params.sid;
  open["upgrades"] = nlohmann::ordered_json::array();
  open["pingInterval"] = params.ping_interval_ms;
  open["pingTimeout"] = params.ping_timeout_ms;
  open["maxPayload"] = params.max_payload;
  return encode_engine_packet(
      EnginePacketType::kOpen,
      open.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

}  // namespace taskcore::server::realtime
