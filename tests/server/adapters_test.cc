// The server's pure helpers: URLs, request ids, JSON decoding. No HTTP.

#include <doctest/doctest.h>

#include "json/body.h"
#include "json/task_json.h"
#include "middleware/error_body.h"
#include "middleware/request_id.h"
#include "util/url.h"

namespace taskcore::server {

TEST_CASE("query strings decode in arrival order and re-encode like DRF") {
  const QueryItems items = parse_query_string("b=2&a=x+y&b=%2C3&flag&=v&c=%zz");
  REQUIRE(items.size() == 6);
  CHECK(items[0] == std::pair<std::string, std::string>{"b", "2"});
  CHECK(items[1] == std::pair<std::string, std::string>{"a", "x y"});
  CHECK(items[2] == std::pair<std::string, std::string>{"b", ",3"});
  CHECK(items[3] == std::pair<std::string, std::string>{"flag", ""});
  CHECK(items[4] == std::pair<std::string, std::string>{"", "v"});
  CHECK(items[5] == std::pair<std::string, std::string>{"c", "%zz"});

  CHECK(url_with_param("http://h/p/", items, "page", std::string("2")) ==
        "http://h/p/?=v&a=x+y&b=2&b=%2C3&c=%25zz&flag=&page=2");
  CHECK(url_with_param("http://h/p/", {{"page", "2"}}, "page", std::nullopt) == "http://h/p/");
  CHECK(url_encode("a b/ü~._-") == "a+b%2F%C3%BC~._-");

  const auto [path, query] = split_target("/api/tasks/?page=2");
  CHECK(path == "/api/tasks/");
  CHECK(query == "page=2");
}

TEST_CASE("request ids") {
  CHECK(is_well_formed_request_id("a"));
  CHECK(is_well_formed_request_id(std::string(128, 'Z')));
  CHECK_FALSE(is_well_formed_request_id(""));
  CHECK_FALSE(is_well_formed_request_id(std::string(129, 'a')));
  CHECK_FALSE(is_well_formed_request_id("a/b"));
  const std::string id = generate_request_id();
  CHECK(id.size() == 32);
  CHECK(is_well_formed_request_id(id));
  CHECK(id != generate_request_id());
}

TEST_CASE("every error code has its status") {
  CHECK(http_status_for(ErrorCode::kParseError) == 400);
  CHECK(http_status_for(ErrorCode::kValidationError) == 400);
  CHECK(http_status_for(ErrorCode::kNotAuthenticated) == 401);
  CHECK(http_status_for(ErrorCode::kAuthenticationFailed) == 401);
  CHECK(http_status_for(ErrorCode::kPermissionDenied) == 403);
  CHECK(http_status_for(ErrorCode::kNotFound) == 404);
  CHECK(http_status_for(ErrorCode::kMethodNotAllowed) == 405);
  CHECK(http_status_for(ErrorCode::kConflict) == 409);
  CHECK(http_status_for(ErrorCode::kPayloadTooLarge) == 413);
  CHECK(http_status_for(ErrorCode::kUnsupportedMediaType) == 415);
  CHECK(http_status_for(ErrorCode::kThrottled) == 429);
  CHECK(http_status_for(ErrorCode::kInternalError) == 500);
  CHECK(http_status_for(ErrorCode::kServiceUnavailable) == 503);
}

TEST_CASE("JSON field decoders accept what DRF accepts") {
  FieldErrors errors;
  CHECK(decode_int64(Json(5), "n", errors) == 5);
  CHECK(decode_int64(Json(-5), "n", errors) == -5);
  CHECK(decode_int64(Json(5.0), "n", errors) == 5);
  CHECK(decode_int64(Json(" 12 "), "n", errors) == 12);
  CHECK(decode_int64(Json("-9223372036854775808"), "n", errors) == INT64_MIN);
  CHECK(decode_int64(Json(9223372036854775807LL), "n", errors) == INT64_MAX);
  CHECK(errors.empty());
  CHECK_FALSE(decode_int64(Json(9223372036854775808ULL), "n", errors));
  CHECK_FALSE(decode_int64(Json("9223372036854775808"), "n", errors));
  CHECK_FALSE(decode_int64(Json(9.3e18), "n", errors));
  CHECK_FALSE(decode_int64(Json(true), "n", errors));
  CHECK_FALSE(decode_int64(Json("1e3"), "n", errors));
  CHECK(errors["n"].size() == 5);

  errors.clear();
  CHECK(decode_bool(Json("False"), "b", errors) == false);
  CHECK(decode_bool(Json(1), "b", errors) == true);
  CHECK_FALSE(decode_bool(Json(2), "b", errors));
  CHECK(errors["b"] == std::vector<std::string>{"Must be a valid boolean."});

  const TaskInput input = task_input_from_json(
      Json{{"title", nullptr}, {"status", "done"}, {"project", 7}, {"assigned_to", nullptr}});
  REQUIRE(input.title.has_value());
  CHECK_FALSE(input.title->has_value());
  CHECK(input.status == std::optional<std::optional<std::string>>("done"));
  CHECK_FALSE(input.project.has_value());
  CHECK(input.decode_errors.at("project") == std::vector<std::string>{"Not a valid string."});
  REQUIRE(input.assigned_to.has_value());
  CHECK_FALSE(input.assigned_to->has_value());
  CHECK_FALSE(input.description.has_value());
}

TEST_CASE("parse_json_object") {
  CHECK(parse_json_object("") == Json::object());
  CHECK(parse_json_object(" {\"a\": 1} ") == Json{{"a", 1}});
  CHECK_THROWS_AS(parse_json_object("{"), Error);
  try {
    parse_json_object("null");
    FAIL("expected a throw");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kValidationError);
    CHECK(e.field_errors().at("non_field_errors")[0] ==
          "Invalid data. Expected a dictionary, but got NoneType.");
  }
  try {
    parse_json_object("{}", 1);
    FAIL("expected a throw");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kPayloadTooLarge);
  }
}

}  // namespace taskcore::server
