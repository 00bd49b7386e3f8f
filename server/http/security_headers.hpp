#pragma once

#include <array>
#include <string_view>
#include <utility>

namespace coffer::server::http {

// Sent with every answer, API and errors included (docs/server.md, "The web dashboard"): the
// dashboard's pages load only cofferd's own scripts and styles, are never framed, and send no
// Referer (a link's URL carries its id). HSTS only over HTTPS.
inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

inline constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kSecurityHeaders{{
    {"Content-Security-Policy", kContentSecurityPolicy},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
    {"X-Frame-Options", "DENY"},
}};

inline constexpr std::string_view kStrictTransportSecurity = "max-age=31536000";

}  // namespace coffer::server::http
