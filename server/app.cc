#include "app.h"

#include <httplib.h>

#include <iostream>

#include "middleware/error_body.h"
#include "middleware/request_id.h"
#include "routes/routes.h"
#include "taskcore/taskcore.h"

namespace taskcore::server {
namespace {

// The contract promises gzip, and httplib picks brotli whenever a client
// lists "br" (every browser does). Dropping "br" from what the client
// accepts keeps httplib's own compression and gives the contract's gzip.
// httplib owns the Request as a mutable object and hands handlers a const
// view of it, so editing it here, before anything reads it, is sound.
void prefer_gzip(const httplib::Request& req) {
  auto& headers = const_cast<httplib::Headers&>(req.headers);
  auto found = headers.find("Accept-Encoding");
  if (found == headers.end() || found->second.find("br") == std::string::npos) return;
  std::string kept;
  std::size_t start = 0;
  const std::string& value = found->second;
  while (start <= value.size()) {
    auto comma = value.find(',', start);
    if (comma == std::string::npos) comma = value.size();
    std::string item = value.substr(start, comma - start);
    const auto first = item.find_first_not_of(' ');
    const std::string name = first == std::string::npos ? "" : item.substr(first);
    if (!name.empty() && name.rfind("br", 0) != 0) {
      if (!kept.empty()) kept += ", ";
      kept += name;
    }
    start = comma + 1;
  }
  found->second = kept;
}

}  // namespace

App::App(Core& core, ServerConfig config)
    : config_(std::move(config)),
      env_{core, config_, std::chrono::steady_clock::now()},
      http_(std::make_unique<httplib::Server>()) {
  add_all_routes(router_);
  install_handlers();
}

App::~App() { stop(); }

void App::install_handlers() {
  httplib::Server& http = *http_;
  const std::size_t threads = config_.threads == 0 ? 1 : config_.threads;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_tcp_nodelay(true);
  http.set_keep_alive_max_count(config_.keep_alive_max_count);
  http.set_keep_alive_timeout(config_.keep_alive_timeout_s);
  http.set_read_timeout(config_.read_timeout_s);
  http.set_write_timeout(config_.write_timeout_s);
  http.set_payload_max_length(config_.payload_max_length);

  // Runs before httplib reads the body, so even its own 413 carries the id.
  http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    ensure_request_id(req, res);
    prefer_gzip(req);
    // httplib 0.11.4 reads a POST/PUT/PATCH/DELETE body that has neither
    // Content-Length nor chunked encoding until the peer closes: a hang
    // until the read timeout (curl -X DELETE, Node's DELETE) and a way
    // around the payload limit. HTTP/1.1 says such a request has no body,
    // so answer it here, before httplib starts reading.
    const bool body_method = req.method == "POST" || req.method == "PUT" ||
                             req.method == "PATCH" || req.method == "DELETE";
    if (body_method && !req.has_header("Content-Length") &&
        !req.has_header("Transfer-Encoding")) {
      handle(req, res);
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  // One catch-all per method so that 404, 405 and the optional trailing
  // slash are decided by our table, the same way for every path.
  const auto handler = [this](const httplib::Request& req, httplib::Response& res) {
    handle(req, res);
  };
  http.Get(".*", handler);
  http.Post(".*", handler);
  http.Put(".*", handler);
  http.Patch(".*", handler);
  http.Delete(".*", handler);
  http.Options(".*", handler);

  // httplib's own failures (bad request line, body over the limit, a method
  // it does not route) reach here with no body; ours already have one.
  http.set_error_handler(httplib::Server::HandlerWithResponse(
      [this](const httplib::Request& req, httplib::Response& res) {
    ensure_request_id(req, res);
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    const int status = res.status;
    if (status == 400 && (req.method == "TRACE" || req.method == "CONNECT")) {
      // Methods httplib does not dispatch: answer as for any other method
      // a route lacks.
      const std::string allow = router_.allow_header(req.path);
      if (allow.empty()) {
        write_error(env_.core.clock(), Error::not_found(), res);
      } else {
        res.set_header("Allow", allow);
        write_error(env_.core.clock(),
                    Error(ErrorCode::kMethodNotAllowed,
                          "Method \"" + req.method + "\" not allowed."),
                    res);
      }
      return httplib::Server::HandlerResponse::Handled;
    }
    const ErrorCode code = error_code_for_status(status);
    std::string message = "Bad request.";
    switch (status) {
      case 400: message = "Malformed request."; break;
      case 404: message = "Not found."; break;
      case 413: message = "Request body is too large."; break;
      case 414: message = "Request URI too long."; break;
      default:
        if (status >= 500) message = "Internal server error.";
        break;
    }
    write_error(env_.core.clock(), Error(code, message), res);
    // Keep httplib's status where the contract has no code of its own (414).
    res.status = status;
    return httplib::Server::HandlerResponse::Handled;
  }));

  // Backstop: handle() catches everything, but an exception thrown while
  // httplib itself prepares the response must not put e.what() in a header.
  http.set_exception_handler(
      [this](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        ensure_request_id(req, res);
        std::string cause = "unknown exception";
        try {
          if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          cause = e.what();
        } catch (...) {
        }
        write_internal_error(env_.core.clock(), cause, res);
      });

  http.set_post_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    ensure_request_id(req, res);
  });
}

void App::handle(const httplib::Request& req, httplib::Response& res) const {
  ensure_request_id(req, res);
  try {
    RequestContext ctx(env_, req, res);
    router_.dispatch(ctx);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kInternalError) {
      write_internal_error(env_.core.clock(), e.what(), res);
    } else {
      write_error(env_.core.clock(), e, res);
    }
  } catch (const std::exception& e) {
    write_internal_error(env_.core.clock(), e.what(), res);
  } catch (...) {
    write_internal_error(env_.core.clock(), "unknown exception", res);
  }
}

int App::bind() {
  if (config_.port == 0) {
    port_ = http_->bind_to_any_port(config_.host);
  } else {
    port_ = http_->bind_to_port(config_.host, config_.port) ? config_.port : -1;
  }
  return port_;
}

bool App::listen() { return http_->listen_after_bind(); }

void App::stop() {
  if (http_) http_->stop();
}

bool App::is_running() const { return http_->is_running(); }

}  // namespace taskcore::server
