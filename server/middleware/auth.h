#pragma once

#include "taskcore/auth_service.h"

namespace httplib {
struct Request;
}

namespace taskcore::server {

// Verifies `Authorization: Bearer <token>` the way simplejwt's
// JWTAuthentication does: no header, or another scheme, is
// not_authenticated; a Bearer header without exactly one token, or a token
// the core rejects, is authentication_failed.
AuthenticatedUser authenticate_request(AuthService& auth,
                                       const httplib::Request& req);

}  // namespace taskcore::server
