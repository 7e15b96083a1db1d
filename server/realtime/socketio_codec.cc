#include "realtime/socketio_codec.h"

#include <array>
#include <charconv>

namespace taskcore::server::realtime {
namespace {

using Json = nlohmann::json;

// uint64's maximum has 20 digits: a longer run cannot fit, whatever zeros
// lead it, and is refused without being parsed.
constexpr std::size_t kMaxAckIdDigits = 20;

// Names the reference server refuses as events: its own lifecycle events,
// which a client must not be able to fire at handlers.
constexpr std::array<std::string_view, 6> kReservedEvents = {
    "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"};

template <class J>
std::string dump(const J& value) {
  return value.dump(-1, ' ', false, J::error_handler_t::replace);
}

bool is_json_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// URL path characters (RFC 3986 pchar and '/'): namespaces are paths, and
// keeping brackets, braces and quotes out means a namespace without its
// closing comma can never swallow the JSON after it.
bool is_namespace_byte(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("-._~/!$&'()*+;=:@%").find(c) != std::string_view::npos;
}

// One pass over the JSON text, tracking strings so that brackets inside them
// do not count. It bounds the depth nlohmann will reach (nlohmann stops at
// the first error, never deeper than the brackets seen so far) and finds
// bytes after a top-level array or object, which nlohmann would only call
// "invalid".
SocketError scan_json(std::string_view text) {
  std::size_t depth = 0;
  bool in_string = false;
  bool escaped = false;
  std::size_t first = 0;
  while (first < text.size() && is_json_space(text[first])) ++first;
  const bool container = first < text.size() && (text[first] == '[' || text[first] == '{');
  for (std::size_t i = first; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) return SocketError::kTooDeep;
    } else if (c == ']' || c == '}') {
      if (depth == 0) return SocketError::kNone;  // unbalanced: nlohmann says so
      if (--depth == 0 && container) {
        for (std::size_t j = i + 1; j < text.size(); ++j)
          if (!is_json_space(text[j])) return SocketError::kTrailingData;
        return SocketError::kNone;
      }
    }
  }
  return SocketError::kNone;
}

// `data` is null when the packet carries no JSON; a JSON `null` payload
// arrives as a non-null pointer to a null value and fits no packet type.
SocketError check_data(SocketPacketType type, const Json* data) {
  switch (type) {
    case SocketPacketType::kConnect:
      return !data || data->is_object() ? SocketError::kNone : SocketError::kBadConnectData;
    case SocketPacketType::kDisconnect:
      return !data ? SocketError::kNone : SocketError::kUnexpectedData;
    case SocketPacketType::kEvent: {
      if (!data) return SocketError::kMissingData;
      if (!data->is_array() || data->empty() || !data->front().is_string())
        return SocketError::kBadEventData;
      const auto& name = data->front().get_ref<const std::string&>();
      for (const auto reserved : kReservedEvents)
        if (name == reserved) return SocketError::kReservedEvent;
      return SocketError::kNone;
    }
    case SocketPacketType::kAck:
      if (!data) return SocketError::kMissingData;
      return data->is_array() ? SocketError::kNone : SocketError::kBadAckData;
    case SocketPacketType::kConnectError:
      return !data || data->is_string() || data->is_object() ? SocketError::kNone
                                                             : SocketError::kBadConnectErrorData;
    case SocketPacketType::kBinaryEvent:
    case SocketPacketType::kBinaryAck:
      return SocketError::kBinary;
  }
  return SocketError::kUnknownType;
}

SocketDecodeResult fail(SocketError error) {
  SocketDecodeResult result;
  result.error = error;
  return result;
}

bool is_default_namespace(std::string_view nsp) { return nsp.empty() || nsp == "/"; }

// <type>[<namespace>,][<ack id>]
std::string header(SocketPacketType type, std::string_view nsp,
                   std::optional<std::uint64_t> ack_id) {
  std::string out;
  out.reserve(2 + nsp.size() + 24);
  out.push_back(static_cast<char>('0' + static_cast<int>(type)));
  if (!is_default_namespace(nsp)) {
    // Without its '/' the namespace would be read as JSON or an ack id.
    if (nsp.front() != '/') out.push_back('/');
    out.append(nsp);
    out.push_back(',');
  }
  if (ack_id) out.append(std::to_string(*ack_id));
  return out;
}

// Appends `args` as arguments after whatever `out` holds inside an array,
// dumping each element where it lies rather than copying the list.
void append_arguments(std::string& out, const Json& args, bool comma_first) {
  auto append = [&](const Json& value) {
    if (comma_first) out.push_back(',');
    comma_first = true;
    out.append(dump(value));
  };
  if (args.is_array()) {
    for (const auto& arg : args) append(arg);
  } else if (!args.is_null()) {
    append(args);
  }
}

}  // namespace

std::string_view socket_error_name(SocketError error) {
  switch (error) {
    case SocketError::kNone: return "none";
    case SocketError::kEmpty: return "empty";
    case SocketError::kUnknownType: return "unknown_type";
    case SocketError::kBinary: return "binary_unsupported";
    case SocketError::kBadNamespace: return "bad_namespace";
    case SocketError::kAckIdOverflow: return "ack_id_overflow";
    case SocketError::kUnexpectedAckId: return "unexpected_ack_id";
    case SocketError::kMissingAckId: return "missing_ack_id";
    case SocketError::kTooDeep: return "too_deep";
    case SocketError::kTrailingData: return "trailing_data";
    case SocketError::kInvalidJson: return "invalid_json";
    case SocketError::kMissingData: return "missing_data";
    case SocketError::kUnexpectedData: return "unexpected_data";
    case SocketError::kBadConnectData: return "bad_connect_data";
    case SocketError::kBadEventData: return "bad_event_data";
    case SocketError::kReservedEvent: return "reserved_event";
    case SocketError::kBadAckData: return "bad_ack_data";
    case SocketError::kBadConnectErrorData: return "bad_connect_error_data";
  }
  return "unknown";
}

SocketDecodeResult decode_socket_packet(std::string_view text) {
  if (text.empty()) return fail(SocketError::kEmpty);
  if (text.front() < '0' || text.front() > '6') return fail(SocketError::kUnknownType);
  const auto type = static_cast<SocketPacketType>(text.front() - '0');
  if (type == SocketPacketType::kBinaryEvent || type == SocketPacketType::kBinaryAck)
    return fail(SocketError::kBinary);

  SocketDecodeResult result;
  SocketPacket& packet = result.packet;
  packet.type = type;
  std::size_t pos = 1;

  if (pos < text.size() && text[pos] == '/') {
    const std::size_t comma = text.find(',', pos);
    const std::size_t end = comma == std::string_view::npos ? text.size() : comma;
    const std::string_view nsp = text.substr(pos, end - pos);
    if (nsp.size() > kMaxNamespaceBytes) return fail(SocketError::kBadNamespace);
    for (const char c : nsp)
      if (!is_namespace_byte(c)) return fail(SocketError::kBadNamespace);
    packet.nsp = std::string(nsp);
    pos = comma == std::string_view::npos ? end : end + 1;
  }

  std::size_t digits = 0;
  while (pos + digits < text.size() && text[pos + digits] >= '0' && text[pos + digits] <= '9')
    ++digits;
  if (digits > 0) {
    if (digits > kMaxAckIdDigits) return fail(SocketError::kAckIdOverflow);
    std::uint64_t id = 0;
    const char* first = text.data() + pos;
    const auto [end, ec] = std::from_chars(first, first + digits, id);
    if (ec != std::errc() || end != first + digits) return fail(SocketError::kAckIdOverflow);
    if (type != SocketPacketType::kEvent && type != SocketPacketType::kAck)
      return fail(SocketError::kUnexpectedAckId);
    packet.ack_id = id;
    pos += digits;
  } else if (type == SocketPacketType::kAck) {
    return fail(SocketError::kMissingAckId);
  }

  const std::string_view json = text.substr(pos);
  if (!json.empty()) {
    if (const SocketError scanned = scan_json(json); scanned != SocketError::kNone)
      return fail(scanned);
    Json data;
    try {
      data = Json::parse(json.begin(), json.end(), nullptr, /*allow_exceptions=*/false);
    } catch (const Json::exception&) {
      // Not expected with allow_exceptions=false; kept so that no input can
      // ever turn into an exception in the session layer.
      return fail(SocketError::kInvalidJson);
    }
    if (data.is_discarded()) return fail(SocketError::kInvalidJson);
    if (const SocketError checked = check_data(type, &data); checked != SocketError::kNone)
      return fail(checked);
    packet.data = std::move(data);
  } else if (const SocketError checked = check_data(type, nullptr);
             checked != SocketError::kNone) {
    return fail(checked);
  }
  return result;
}

std::string encode_socket_packet(const SocketPacket& packet) {
  std::string out = header(packet.type, packet.nsp, packet.ack_id);
  if (!packet.data.is_null()) out.append(dump(packet.data));
  return out;
}

std::string engine_message(std::string_view socket_packet) {
  std::string out;
  out.reserve(1 + socket_packet.size());
  out.push_back('4');
  out.append(socket_packet);
  return out;
}

std::string encode_connect(std::string_view nsp, std::string_view sid,
                           std::optional<std::string_view> pid) {
  // Keys in the documented order (sid, then pid).
  nlohmann::ordered_json body;
  body["sid"] = std::string(sid);
  if (pid) body["pid"] = std::string(*pid);
  return engine_message(header(SocketPacketType::kConnect, nsp, std::nullopt) + dump(body));
}

std::string encode_connect_error(std::string_view nsp, std::string_view message,
                                 const std::optional<Json>& data) {
  std::string out = header(SocketPacketType::kConnectError, nsp, std::nullopt);
  out.append("{\"message\":");
  out.append(dump(Json(std::string(message))));
  if (data) {
    out.append(",\"data\":");
    out.append(dump(*data));
  }
  out.push_back('}');
  return engine_message(out);
}

std::string encode_event(std::string_view nsp, std::string_view name, const Json& args,
                         std::optional<std::uint64_t> ack_id) {
  std::string out = header(SocketPacketType::kEvent, nsp, ack_id);
  out.push_back('[');
  out.append(dump(Json(std::string(name))));
  append_arguments(out, args, /*comma_first=*/true);
  out.push_back(']');
  return engine_message(out);
}

std::string encode_ack(std::string_view nsp, std::uint64_t ack_id, const Json& args) {
  std::string out = header(SocketPacketType::kAck, nsp, ack_id);
  out.push_back('[');
  append_arguments(out, args, /*comma_first=*/false);
  out.push_back(']');
  return engine_message(out);
}

std::string encode_disconnect(std::string_view nsp) {
  return engine_message(header(SocketPacketType::kDisconnect, nsp, std::nullopt));
}

}  // namespace taskcore::server::realtime
