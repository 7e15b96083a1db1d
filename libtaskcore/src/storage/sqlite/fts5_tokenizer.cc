#include "storage/sqlite/fts5_tokenizer.h"

#include "taskcore/error.h"

namespace taskcore::sqlite {
namespace {

// fts5_api is handed out through a pointer-typed SQL parameter
// (https://sqlite.org/fts5.html#extending_fts5).
fts5_api* fts5_api_of(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, nullptr) != SQLITE_OK) return nullptr;
  sqlite3_bind_pointer(st, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
  sqlite3_step(st);
  sqlite3_finalize(st);
  return api;
}

int collect(void* context, int flags, const char* token, int size, int, int) {
  auto* tokens = static_cast<std::vector<std::string>*>(context);
  // unicode61 never marks colocated tokens (synonyms); if a tokenizer did,
  // they would share a position and are not separate words.
  if ((flags & FTS5_TOKEN_COLOCATED) == 0) tokens->emplace_back(token, static_cast<std::size_t>(size));
  return SQLITE_OK;
}

}  // namespace

// The same names as `tokenize = 'unicode61 remove_diacritics 2'` of
// tasks_fts (storage/sqlite/schema.cc).
FtsTokenizer::FtsTokenizer(Logger& logger) {
  if (sqlite3_open_v2(":memory:", &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK)
    throw Error::internal("Cannot open a tokenizer connection.");
  fts5_api* api = fts5_api_of(db_);
  void* context = nullptr;
  const char* args[] = {"remove_diacritics", "2"};
  if (api == nullptr || api->xFindTokenizer(api, "unicode61", &context, &api_) != SQLITE_OK ||
      api_.xCreate(context, args, 2, &tokenizer_) != SQLITE_OK) {
    logger.log(LogLevel::kError, "FTS5's unicode61 tokenizer is unavailable");
    sqlite3_close(db_);
    throw Error::internal("Full-text tokenizer unavailable.");
  }
}

FtsTokenizer::~FtsTokenizer() {
  if (tokenizer_) api_.xDelete(tokenizer_);
  sqlite3_close(db_);
}

std::vector<std::string> FtsTokenizer::tokenize(std::string_view text, int flags) {
  std::vector<std::string> tokens;
  std::lock_guard lock(mutex_);
  api_.xTokenize(tokenizer_, &tokens, flags, text.data(), static_cast<int>(text.size()), collect);
  return tokens;
}

std::vector<std::string> FtsTokenizer::document_tokens(std::string_view text) {
  return tokenize(text, FTS5_TOKENIZE_DOCUMENT);
}

std::optional<std::string> FtsTokenizer::query_token(std::string_view word) {
  std::vector<std::string> tokens = tokenize(word, FTS5_TOKENIZE_QUERY);
  if (tokens.size() != 1) return std::nullopt;
  return std::move(tokens.front());
}

}  // namespace taskcore::sqlite
