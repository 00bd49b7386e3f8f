#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "server/web/web_bundle.hpp"
#include "server/web/web_files.hpp"
#include "server/web/web_paths.hpp"

using namespace coffer::server::web;

TEST_CASE("the allow-list of web/") {
  for (const char* path : {"index.html", "link.html", "sw.js", "favicon.svg", "js/app.js", "js/a/b/c.mjs", "css/x.css",
                           "vendor/noble-hashes/scrypt.js", "js/data.json"}) {
    CHECK_MESSAGE(web_path_allowed(path), path);
  }
  for (const char* path : {"", "package.json", "package-lock.json", "tools/vendor.mjs", "node_modules/x.js",
                           "js/node_modules/x.js", "vendor/noble-hashes/LICENSE", "vendor/x.d.ts", ".gitignore",
                           "js/.hidden.js", "js/../package.json", "js/./x.js", "js//x.js", "js/", "/js/x.js",
                           "js\\x.js", "eslint.config.js", "tsconfig.json", "js/x.js/", "index.htm", "JS/x.js"}) {
    CHECK_FALSE_MESSAGE(web_path_allowed(path), path);
  }
  CHECK_FALSE(web_path_allowed(std::string("js/x\0.js", 8)));
}

TEST_CASE("request paths map to files") {
  CHECK(web_file_for("/") == "index.html");
  CHECK(web_file_for("/index.html") == "index.html");
  CHECK(web_file_for("/l/AAAAAAAAAAAAAAAAAAAAAA==") == "link.html");
  CHECK(web_file_for("/js/app.js") == "js/app.js");
  CHECK_FALSE(web_file_for("/l/"));
  CHECK_FALSE(web_file_for("/l/a/b"));
  CHECK_FALSE(web_file_for("/package.json"));
  CHECK_FALSE(web_file_for("/js/../package.json"));
  CHECK_FALSE(web_file_for(""));
  CHECK_FALSE(web_file_for("js/app.js"));
}

TEST_CASE("content types") {
  CHECK(web_content_type("js/app.js") == "text/javascript; charset=utf-8");
  CHECK(web_content_type("index.html") == "text/html; charset=utf-8");
  CHECK(web_content_type("css/a.css") == "text/css; charset=utf-8");
  CHECK(web_content_type("favicon.svg") == "image/svg+xml");
  CHECK_FALSE(web_content_type("vendor/LICENSE"));
  CHECK_FALSE(web_content_type("a.d/LICENSE"));
}

TEST_CASE("the embedded bundle is sorted, allow-listed and has strong ETags") {
  const auto assets = embedded_web_assets();
  for (std::size_t i = 0; i < assets.size(); ++i) {
    CHECK(web_path_allowed(assets[i].path));
    CHECK(assets[i].etag.size() == 34);
    CHECK(assets[i].etag.front() == '"');
    if (i > 0) CHECK(assets[i - 1].path < assets[i].path);
  }
  const auto files = WebFiles::embedded();
  if (!assets.empty()) {
    auto found = files.find(assets[0].path);
    REQUIRE(found);
    CHECK(found->bytes == assets[0].bytes);
  }
  CHECK_FALSE(files.find("package.json"));
}

TEST_CASE("a web root on disk refuses links that lead out of it") {
  namespace fs = std::filesystem;
  const fs::path base = fs::temp_directory_path() / ("coffer-web-test-" + std::to_string(::getpid()));
  fs::remove_all(base);
  fs::create_directories(base / "root" / "js");
  std::ofstream(base / "root" / "js" / "a.js") << "a";
  std::ofstream(base / "outside.js") << "out";
  fs::create_symlink(base / "outside.js", base / "root" / "js" / "out.js");
  const auto files = WebFiles::from_directory(base / "root");
  auto found = files.find("js/a.js");
  REQUIRE(found);
  CHECK(found->bytes == "a");
  CHECK(found->etag.size() == 34);
  CHECK_FALSE(files.find("js/out.js"));
  CHECK_FALSE(files.find("js/missing.js"));
  CHECK_FALSE(files.find("js/../../outside.js"));
  fs::remove_all(base);
}
