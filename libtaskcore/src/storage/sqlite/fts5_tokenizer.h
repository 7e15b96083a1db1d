#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <sqlite3.h>

#include "storage/index/task_index.h"
#include "taskcore/logger.h"

namespace taskcore::sqlite {

// FTS5's own unicode61 tokenizer, configured as tasks_fts is
// ("remove_diacritics 2"), so the in-memory index splits and folds text
// exactly as the full-text table does. It runs on a private in-memory
// connection. Thread safe (the tokenizer keeps a scratch buffer: calls are
// serialized).
class FtsTokenizer final : public index::TextTokenizer {
 public:
  // Throws Error(kInternalError) when FTS5 or unicode61 is unavailable.
  explicit FtsTokenizer(Logger& logger);
  ~FtsTokenizer() override;
  FtsTokenizer(const FtsTokenizer&) = delete;
  FtsTokenizer& operator=(const FtsTokenizer&) = delete;

  std::vector<std::string> document_tokens(std::string_view text) override;
  std::optional<std::string> query_token(std::string_view word) override;

 private:
  std::vector<std::string> tokenize(std::string_view text, int flags);

  sqlite3* db_ = nullptr;
  fts5_tokenizer api_{};
  ::Fts5Tokenizer* tokenizer_ = nullptr;
  std::mutex mutex_;
};

}  // namespace taskcore::sqlite
