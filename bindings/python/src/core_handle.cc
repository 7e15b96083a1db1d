#include "core_handle.h"

#include "taskcore/media_storage.h"
#include "taskcore/open_store.h"

namespace taskcore::python {

CoreHandle::CoreHandle(const OpenOptions& options) {
  core_ = without_gil([&] {
    Options core_options;
    StoreOptions store_options;
    store_options.pool_size = options.pool_size;
    core_options.store = open_store(options.location, store_options);
    if (options.fast_passwords) core_options.password_cost = PasswordCost::fast();
    core_options.auth.registration_enabled = options.registration_enabled;
    core_options.auth.signing_key = options.signing_key;
    if (options.media_directory) {
      core_options.media.storage = open_local_media_storage(*options.media_directory);
      // record_sample() reports the file system the media lives on.
      core_options.stats.data_dir = *options.media_directory;
    }
    return std::make_shared<Core>(std::move(core_options));
  });
}

CoreHandle::~CoreHandle() { close(); }

std::shared_ptr<Core> CoreHandle::core() const {
  std::lock_guard lock(mutex_);
  if (!core_) throw Error(ErrorCode::kServiceUnavailable, "The database is closed.");
  return core_;
}

void CoreHandle::close() {
  std::shared_ptr<Core> last;
  {
    std::lock_guard lock(mutex_);
    last = std::move(core_);
  }
  if (!last) return;
  // Destroying a Core joins its scheduler threads; none of them needs the
  // GIL, but a thread waiting for it could deadlock us if we kept it.
  if (PyGILState_Check()) {
    py::gil_scoped_release release;
    last.reset();
  }
}

bool CoreHandle::closed() const {
  std::lock_guard lock(mutex_);
  return core_ == nullptr;
}

Principal principal_from(py::handle actor) {
  if (actor.is_none())
    throw Error(ErrorCode::kNotAuthenticated,
                "Authentication credentials were not provided.");
  Principal principal;
  principal.user_id = actor.attr("user_id").cast<std::int64_t>();
  const auto role_text = actor.attr("role").cast<std::string>();
  const auto role = parse_role(role_text);
  if (!role) throw Error::validation({{"role", {"\"" + role_text + "\" is not a valid choice."}}});
  principal.role = *role;
  principal.session_id = actor.attr("session_id").cast<std::string>();
  return principal;
}

std::optional<Principal> optional_principal_from(py::handle actor) {
  if (actor.is_none()) return std::nullopt;
  return principal_from(actor);
}

QueryParams query_params_from(py::handle pairs) {
  QueryParams params;
  for (py::handle item : pairs) {
    auto pair = item.cast<py::tuple>();
    params.add(pair[0].cast<std::string>(), pair[1].cast<std::string>());
  }
  return params;
}

}  // namespace taskcore::python
