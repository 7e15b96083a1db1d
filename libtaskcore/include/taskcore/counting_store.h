#pragma once

// A Store wrapper that counts the transactions each thread asks for, so a
// host can tell how many a unit of its own work (an HTTP request) issued:
//
//   const auto before = CountingStore::thread_transactions();
//   handle_request();  // calls into the Core on this thread
//   const auto issued = CountingStore::thread_transactions() - before;
//
// It counts calls of run_read / run_write made on the calling thread, not
// SQL statements: a closure may run on another thread (group commit runs a
// batch of writes on its leader's thread), and one batch commits the
// writes of many requests, so statements cannot be charged to a request
// honestly, while the call that asked for the transaction always happens
// on the request's own thread. A write retried after a serialization
// failure counts once.

#include <cstdint>
#include <memory>

#include "taskcore/export.h"
#include "taskcore/store_wrapper.h"

namespace taskcore {

class TASKCORE_EXPORT CountingStore final : public StoreWrapper {
 public:
  explicit CountingStore(std::shared_ptr<Store> target) : StoreWrapper(std::move(target)) {}

  void run_write(const TransactionFn& fn) override;
  void run_read(const TransactionFn& fn) override;

  // Transactions the calling thread has asked any CountingStore for since
  // the thread started; only differences mean anything.
  static std::uint64_t thread_transactions() noexcept;
};

}  // namespace taskcore
