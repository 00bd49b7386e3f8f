#include "cli/fernet_command.hpp"

#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/fernet.hpp"

namespace coffer::cli {
namespace {

// Exit statuses, as documented in man/coffer.1.
constexpr int kInvalidToken = 1;
constexpr int kBadInput = 2;

struct FernetOptions {
  std::string key_file;
  std::optional<std::uint64_t> now;
  std::optional<std::uint64_t> ttl;
};

[[noreturn]] void fail(std::string_view command, int status, std::string_view message) {
  std::cerr << "coffer fernet " << command << ": " << message << '\n';
  throw CLI::RuntimeError(status);
}

// The buffer is wiped because key files pass through it.
template <class Container>
bool read_all(std::FILE* stream, Container& out) {
  std::uint8_t buffer[65536];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, stream)) > 0;) {
    out.insert(out.end(), buffer, buffer + n);
  }
  secure_zero(buffer, sizeof buffer);
  return std::ferror(stream) == 0;
}

std::string_view trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n\v\f";
  const auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

crypto::FernetKey load_key(std::string_view command, const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), std::fclose);
  SecureBytes text;
  if (!file || !read_all(file.get(), text)) fail(command, kBadInput, "cannot read key file " + path);
  const std::string_view key_text(reinterpret_cast<const char*>(text.data()), text.size());
  auto key = crypto::FernetKey::from_base64(trim(key_text));
  if (!key) fail(command, kBadInput, "key file " + path + " does not hold a Fernet key (44 characters of base64url)");
  return std::move(key).value();
}

void write_stdout(std::string_view command, ByteView data) {
  if (std::fwrite(data.data(), 1, data.size(), stdout) != data.size() || std::fflush(stdout) != 0) {
    fail(command, kBadInput, "cannot write to standard output");
  }
}

crypto::Clock clock_for(const FernetOptions& options) {
  if (!options.now) return crypto::system_clock_seconds;
  return [now = *options.now] { return now; };
}

void run_genkey() {
  const std::string key = crypto::FernetKey::generate().to_base64() + '\n';
  write_stdout("genkey", as_bytes(key));
}

void run_encrypt(const FernetOptions& options) {
  const crypto::FernetKey key = load_key("encrypt", options.key_file);
  Bytes plaintext;
  if (!read_all(stdin, plaintext)) fail("encrypt", kBadInput, "cannot read standard input");
  const std::string token = crypto::fernet_encrypt(key, plaintext, clock_for(options)) + '\n';
  write_stdout("encrypt", as_bytes(token));
}

void run_decrypt(const FernetOptions& options) {
  const crypto::FernetKey key = load_key("decrypt", options.key_file);
  std::string token;
  if (!read_all(stdin, token)) fail("decrypt", kBadInput, "cannot read standard input");
  auto plaintext = crypto::fernet_decrypt(key, trim(token), {options.ttl, clock_for(options)});
  if (!plaintext) fail("decrypt", kInvalidToken, plaintext.error().message);
  write_stdout("decrypt", *plaintext);
}

CLI::App* add_key_command(CLI::App& fernet, const char* name, const char* description, FernetOptions& options) {
  CLI::App* command = fernet.add_subcommand(name, description);
  command->add_option("--key-file", options.key_file, "File holding the key, as printed by 'coffer fernet genkey'")
      ->required();
  return command;
}

}  // namespace

void add_fernet_command(CLI::App& app) {
  CLI::App* fernet = app.add_subcommand("fernet", "Standard Fernet tokens on stdin and stdout (for scripts and tests)");
  fernet->require_subcommand(1);
  auto options = std::make_shared<FernetOptions>();

  fernet->add_subcommand("genkey", "Print a new random key (44 characters of base64url) and a newline")
      ->callback(run_genkey);

  CLI::App* encrypt = add_key_command(*fernet, "encrypt", "Encrypt stdin; print the token and a newline", *options);
  encrypt->add_option("--now", options->now, "Timestamp to put in the token (Unix seconds; default: now)");
  encrypt->callback([options] { run_encrypt(*options); });

  CLI::App* decrypt = add_key_command(
      *fernet, "decrypt", "Decrypt the token on stdin (surrounding whitespace allowed); print the plaintext", *options);
  decrypt->add_option("--ttl", options->ttl, "Refuse tokens older than this many seconds, or stamped over 60 s ahead");
  decrypt->add_option("--now", options->now, "Current time for the TTL check (Unix seconds; default: now)");
  decrypt->callback([options] { run_decrypt(*options); });
}

}  // namespace coffer::cli
