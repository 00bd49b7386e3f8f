// cofferd: the Coffer server (man 8 cofferd).
#include <CLI/CLI.hpp>

#include "coffer/version.hpp"
#include "server/daemon/run_server.hpp"

int main(int argc, char** argv) {
  CLI::App app("cofferd: the Coffer server. Stores only ciphertext; authenticates users, checks access, "
               "keeps versions and a change feed.",
               "cofferd");
  coffer::server::daemon::ServerOptions options;
  std::string config_file;
  std::string data_dir;
  std::string listen;
  app.add_option("--config", config_file, "YAML configuration file (man 5 coffer.yaml); embedded defaults without it")
      ->check(CLI::ExistingFile);
  app.add_option("--data", data_dir, "data directory (database and blobs); overrides data_dir of the file");
  app.add_option("--listen", listen, "address and port to listen on, ADDR:PORT (port 0: any free port)");
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
  return coffer::server::daemon::run_server(options);
}
