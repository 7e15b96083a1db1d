#include "taskcore/counting_store.h"

namespace taskcore {
namespace {

// Per thread by design: the count answers "what did this thread ask for",
// which is the one attribution group commit leaves exact. Only ever read
// as a difference on the same thread, so it needs no synchronisation.
thread_local std::uint64_t transactions_on_thread = 0;

}  // namespace

void CountingStore::run_write(const TransactionFn& fn) {
  ++transactions_on_thread;
  StoreWrapper::run_write(fn);
}

void CountingStore::run_read(const TransactionFn& fn) {
  ++transactions_on_thread;
  StoreWrapper::run_read(fn);
}

std::uint64_t CountingStore::thread_transactions() noexcept { return transactions_on_thread; }

}  // namespace taskcore
