#include "backup/manifest.h"

#include <cctype>
#include <nlohmann/json.hpp>

#include "taskcore/error.h"

namespace taskcore::backup {
namespace {

using nlohmann::json;

[[noreturn]] void invalid(const std::string& message) {
  throw Error::validation({}, "The backup manifest is invalid: " + message + ".");
}

json encode_digest(const FileDigest& digest) {
  return {{"size", digest.size}, {"sha256", digest.sha256}};
}

FileDigest decode_digest(const json& value) {
  if (!value.is_object() || !value.contains("size") || !value.contains("sha256") ||
      !value["size"].is_number_integer() || !value["sha256"].is_string())
    invalid("a file entry lacks its size or sha256");
  FileDigest digest{value["size"].get<std::int64_t>(), value["sha256"].get<std::string>()};
  if (digest.size < 0 || digest.sha256.size() != 64) invalid("a file entry is malformed");
  return digest;
}

// LocalMediaStorage's rule for stored names.
bool is_media_name(const std::string& name) {
  if (name.empty() || name.size() > 200 || name.front() == '.') return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-'))
      return false;
  return true;
}

}  // namespace

std::string library_version() { return TASKCORE_VERSION; }

std::string encode_manifest(const Manifest& manifest) {
  json media = json::array();
  for (const auto& [name, digest] : manifest.media) {
    json entry = encode_digest(digest);
    entry["name"] = name;
    media.push_back(std::move(entry));
  }
  json database = nullptr;
  if (manifest.database) {
    database = encode_digest(*manifest.database);
    database["file"] = "taskcore.db";
  }
  const json doc = {{"format", manifest.format},
                    {"taskcore_version", manifest.taskcore_version},
                    {"created_at", manifest.created_at},
                    {"database", database},
                    {"media", media},
                    {"missing_media", manifest.missing_media}};
  return doc.dump(2) + "\n";
}

Manifest decode_manifest(const std::string& text) {
  const json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) invalid("it is not a JSON object");
  if (!doc.contains("format") || !doc["format"].is_number_integer() ||
      doc["format"].get<int>() != kManifestFormat)
    invalid("its format is not " + std::to_string(kManifestFormat));
  Manifest manifest;
  if (doc.contains("taskcore_version") && doc["taskcore_version"].is_string())
    manifest.taskcore_version = doc["taskcore_version"];
  if (doc.contains("created_at") && doc["created_at"].is_string())
    manifest.created_at = doc["created_at"];
  if (doc.contains("database") && !doc["database"].is_null()) {
    const json& database = doc["database"];
    if (!database.contains("file") || database["file"] != "taskcore.db")
      invalid("its database file is not taskcore.db");
    manifest.database = decode_digest(database);
  }
  if (!doc.contains("media") || !doc["media"].is_array()) invalid("it has no media list");
  for (const json& entry : doc["media"]) {
    if (!entry.is_object() || !entry.contains("name") || !entry["name"].is_string() ||
        !is_media_name(entry["name"].get<std::string>()))
      invalid("a media entry has an invalid name");
    if (!manifest.media.emplace(entry["name"].get<std::string>(), decode_digest(entry)).second)
      invalid("a media file is listed twice");
  }
  if (doc.contains("missing_media") && doc["missing_media"].is_array())
    for (const json& name : doc["missing_media"])
      if (name.is_string()) manifest.missing_media.push_back(name);
  return manifest;
}

}  // namespace taskcore::backup
