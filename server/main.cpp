// cofferd: the Coffer server (man 8 cofferd).
#include <malloc.h>

#include <CLI/CLI.hpp>

#include "coffer/version.hpp"
#include "server/daemon/run_server.hpp"

int main(int argc, char** argv) {
  // Two malloc arenas instead of one per worker thread: request bodies are parsed on any of
  // the workers, and glibc keeps what each arena once held, so memory freed after one large
  // body stayed resident once per arena (2.3 GiB after 32 parallel 16 MiB bodies with the
  // default of 8 per core; docs/server.md, "Holding against hostile clients").
  mallopt(M_ARENA_MAX, 2);
  CLI::App app("cofferd: the Coffer server. Stores only ciphertext; authenticates users, checks access, "
               "keeps versions and a change feed.",
               "cofferd");
  coffer::server::daemon::ServerOptions options;
  std::string config_file;
  std::string data_dir;
  std::string listen;
  std::string web_root;
  app.add_option("--config", config_file, "YAML configuration file (man 5 coffer.yaml); embedded defaults without it")
      ->check(CLI::ExistingFile);
  app.add_option("--data", data_dir, "data directory (database and blobs); overrides data_dir of the file");
  app.add_option("--listen", listen, "address and port to listen on, ADDR:PORT (port 0: any free port)");
  app.add_option("--web-root", web_root,
                 "serve the web dashboard from this working copy of web/ instead of the files built in; "
                 "overrides web_root of the file")
      ->check(CLI::ExistingDirectory);
  app.add_flag("--check", options.check_only,
               "read and check the configuration (and --data, --listen), say whether it is valid, and exit");
  app.set_version_flag("--version", std::string("cofferd ") + coffer::kVersion);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version end here with 0; a wrong command line is 2, as for other tools.
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (!config_file.empty()) options.config_file = config_file;
  if (!data_dir.empty()) options.data_dir = data_dir;
  if (!listen.empty()) options.listen = listen;
  if (!web_root.empty()) options.web_root = web_root;
  return coffer::server::daemon::run_server(options);
}
