#include "doorbell/config/loader.hpp"

#include <fmt/format.h>
#if DOORBELL_WITH_POSTGRES
#include <libpq-fe.h>
#endif
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>

#include "doorbell/common/door_id.hpp"
#include "doorbell/common/features.hpp"
#include "doorbell/common/url.hpp"
#include "notify_checks.hpp"
#include "schema.hpp"

namespace doorbell {
namespace {

using nlohmann::json;
namespace schema = config_schema;

std::string join_problems(const std::vector<std::string>& problems) {
  std::string text = "invalid configuration:";
  for (const auto& p : problems) text += "\n  " + p;
  return text;
}

std::optional<std::string> read_text_file(const std::filesystem::path& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::generic_category().message(errno);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return "read error";
  out = buffer.str();
  return std::nullopt;
}

// nlohmann's parse errors quote the text they last read ("last read: '...'"), which may be a secret's
// value: keep the position and what was expected, drop the quote.
std::string without_quoted_input(std::string message) {
  if (const auto prefix = message.find("] ");
      message.starts_with("[json.exception") && prefix != std::string::npos) {
    message.erase(0, prefix + 2);
  }
  const auto quote = message.find("; last read: '");
  if (quote == std::string::npos) return message;
  const auto expected = message.rfind("; expected ");
  return message.substr(0, quote) +
         (expected != std::string::npos && expected > quote ? message.substr(expected) : "");
}

std::string section_list() {
  std::vector<std::string> sections;
  for (const auto& f : schema::fields()) {
    if (sections.empty() || sections.back() != f.section) sections.push_back(f.section);
  }
  return fmt::format("{}", fmt::join(sections, ", "));
}

std::string key_list(const std::string& section) {
  std::vector<std::string> keys;
  for (const auto& f : schema::fields()) {
    if (f.section == section) keys.push_back(f.key);
  }
  return fmt::format("{}", fmt::join(keys, ", "));
}

void apply_text(std::string_view text, const std::string& where, Config& config,
                std::vector<std::string>& problems) {
  json root;
  try {
    root = json::parse(text, nullptr, /*allow_exceptions=*/true, /*ignore_comments=*/true);
  } catch (const json::exception& e) {  // a parse error, or a number too large for any type (out of range)
    problems.push_back(fmt::format("{}: malformed JSON: {}", where, without_quoted_input(e.what())));
    return;
  }
  if (!root.is_object()) {
    problems.push_back(
        fmt::format("{}: expected a JSON object at the top level, got {}", where, root.type_name()));
    return;
  }
  for (const auto& [section, body] : root.items()) {
    if (!schema::has_section(section)) {
      problems.push_back(
          fmt::format("{}: unknown key \"{}\" (expected one of: {})", where, section, section_list()));
      continue;
    }
    if (!body.is_object()) {
      problems.push_back(fmt::format("{}: {}: expected an object, got {}", where, section, body.type_name()));
      continue;
    }
    for (const auto& [key, value] : body.items()) {
      const auto* field = schema::find(section, key);
      if (field == nullptr) {
        problems.push_back(fmt::format("{}: unknown key \"{}.{}\" (keys of \"{}\": {})", where, section, key,
                                       section, key_list(section)));
      } else if (auto error = field->assign(config, value)) {
        problems.push_back(fmt::format("{}: {}: {}", where, field->path(), *error));
      }
    }
  }
}

void apply_file(const std::filesystem::path& file, Config& config, std::vector<std::string>& problems) {
  std::string text;
  if (auto error = read_text_file(file, text)) {
    problems.push_back(fmt::format("{}: cannot read configuration file: {}", file.string(), *error));
    return;
  }
  apply_text(text, file.string(), config, problems);
}

// Environment values are text: numbers are parsed strictly, strings are taken as they are.
std::optional<json> env_value(const schema::Field& field, const std::string& raw) {
  if (field.kind == schema::Kind::string) return json(raw);
  if (field.kind == schema::Kind::boolean) {
    if (raw == "true" || raw == "1") return json(true);
    if (raw == "false" || raw == "0") return json(false);
    return std::nullopt;
  }
  try {
    auto value = json::parse(raw);
    if (value.is_number()) return value;
  } catch (const json::exception&) {  // not a number, or one too large for any type
  }
  return std::nullopt;
}

void apply_environment(const EnvLookup& env, Config& config, std::vector<std::string>& problems) {
  for (const auto& field : schema::fields()) {
    const auto name = field.env_name();
    const auto raw = env(name);
    if (!raw) continue;
    const auto value = env_value(field, *raw);
    const auto error = value ? field.assign(config, *value)
                             : std::optional<std::string>(fmt::format(
                                   "expected {}, got \"{}\"", field.expected, field.secret ? "***" : *raw));
    if (error) problems.push_back(fmt::format("{} ({}): {}", name, field.path(), *error));
  }
}

// A secret given by a file instead of in the configuration (a Kubernetes Secret, a 0640 file).
struct SecretFile {
  const char* key;  // the secret's, e.g. http.api_token; the file's is key + "_file"
  std::string& (*secret)(Config&);
  std::string& (*file)(Config&);
};
const std::array<SecretFile, 4> kSecretFiles{{
    {"http.api_token", [](Config& c) -> std::string& { return c.http.api_token; },
     [](Config& c) -> std::string& { return c.http.api_token_file; }},
    {"http.viewer_token", [](Config& c) -> std::string& { return c.http.viewer_token; },
     [](Config& c) -> std::string& { return c.http.viewer_token_file; }},
    {"http.metrics_token", [](Config& c) -> std::string& { return c.http.metrics_token; },
     [](Config& c) -> std::string& { return c.http.metrics_token_file; }},
    {"storage.postgres", [](Config& c) -> std::string& { return c.storage.postgres; },
     [](Config& c) -> std::string& { return c.storage.postgres_file; }},
}};

// A secret's file without the line end after it; empty (a problem added, naming `what` and the file) when
// it cannot be read or holds nothing.
std::optional<std::string> read_secret(const std::filesystem::path& file, const std::string& what,
                                       std::vector<std::string>& problems) {
  std::string secret;
  if (auto error = read_text_file(file, secret)) {
    problems.push_back(fmt::format("{} cannot read \"{}\": {}", what, file.string(), *error));
    return std::nullopt;
  }
  while (!secret.empty() && std::isspace(static_cast<unsigned char>(secret.back()))) secret.pop_back();
  if (secret.empty()) {
    problems.push_back(fmt::format("{} \"{}\" is empty", what, file.string()));
    return std::nullopt;
  }
  return secret;
}

// Secrets handed over by systemd (LoadCredential=, LoadCredentialEncrypted= made with `systemd-creds
// encrypt`): a file named after the key — http.api_token, storage.postgres, ntfy.token … — in
// $CREDENTIALS_DIRECTORY, which systemd decrypts into memory readable by this service alone. A credential
// replaces what the configuration file and the environment say for its key, and that key's *_file is
// not read.
void apply_credentials(const EnvLookup& env, Config& config, std::vector<std::string>& problems) {
  const auto dir = env("CREDENTIALS_DIRECTORY");
  if (!dir || dir->empty()) return;
  for (const auto& field : schema::fields()) {
    if (!field.secret) continue;
    const auto path = std::filesystem::path(*dir) / field.path();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) continue;
    const auto what = fmt::format("{} (credential):", field.path());
    const auto secret = read_secret(path, what, problems);
    if (!secret) continue;
    if (const auto error = field.assign(config, *secret)) {
      problems.push_back(fmt::format("{} \"{}\": {}", what, path.string(), *error));
      continue;
    }
    for (const auto& t : kSecretFiles) {
      if (t.key == field.path()) t.file(config).clear();
    }
  }
}

void resolve_secret_files(Config& config, std::vector<std::string>& problems) {
  for (const auto& t : kSecretFiles) {
    const auto& file = t.file(config);
    if (file.empty()) continue;
    if (!t.secret(config).empty()) {
      problems.push_back(fmt::format("{0}_file: set either {0} or {0}_file, not both", t.key));
      continue;
    }
    if (auto secret = read_secret(file, fmt::format("{}_file:", t.key), problems)) {
      t.secret(config) = std::move(*secret);
    }
  }
}

// Two credentials with the same value would make the weaker one as strong as the other.
void check_tokens_differ(const HttpConfig& http, std::vector<std::string>& problems) {
  if (!http.viewer_token.empty() && http.viewer_token == http.api_token)
    problems.push_back("http.viewer_token: must differ from http.api_token");
  if (!http.metrics_token.empty() && http.metrics_token == http.api_token)
    problems.push_back("http.metrics_token: must differ from http.api_token");
  if (!http.metrics_token.empty() && http.metrics_token == http.viewer_token)
    problems.push_back("http.metrics_token: must differ from http.viewer_token");
}

void check_tls(const HttpConfig& http, std::vector<std::string>& problems) {
  if (http.tls_cert.empty() != http.tls_key.empty()) {
    problems.push_back(fmt::format("http.{}: set with http.{} (both or neither)",
                                   http.tls_cert.empty() ? "tls_cert" : "tls_key",
                                   http.tls_cert.empty() ? "tls_key" : "tls_cert"));
  }
}

bool has_secret(const Config& config) {
  const auto& table = schema::fields();
  return std::any_of(table.begin(), table.end(), [&](const schema::Field& f) {
    return f.secret && !f.read(config).get_ref<const std::string&>().empty();
  });
}

// Whether every user may reach the file: each folder above it lets "others" through (o+x).
bool reachable_by_everyone(const std::filesystem::path& file) {
  std::error_code ec;
  const auto absolute = std::filesystem::absolute(file, ec);
  if (ec) return true;
  for (auto dir = absolute.parent_path(); !dir.empty(); dir = dir.parent_path()) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) == 0 && (st.st_mode & S_IXOTH) == 0) return false;
    if (dir == dir.root_path()) break;
  }
  return true;
}

// A file holding a secret must not be writable by every user (refused) and should not be readable by
// every user (warned); a file in a folder others cannot enter is neither.
void check_secret_file(const std::string& path, const std::string& what, std::vector<std::string>& problems,
                       std::vector<std::string>& warnings) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return;  // an unreadable file is reported where it is read
  if (!reachable_by_everyone(path)) return;
  if ((st.st_mode & S_IWOTH) != 0) {
    problems.push_back(
        fmt::format("{}: \"{}\" holds a secret and every user may change it (chmod o-w)", what, path));
  } else if ((st.st_mode & S_IROTH) != 0) {
    warnings.push_back(fmt::format(
        "{}: \"{}\" holds a secret and every user may read it (chmod o-r; 0640 root:doorbelld)", what, path));
  }
}

void check_secret_files(const std::optional<std::filesystem::path>& file, bool file_has_secret,
                        Config& config, std::vector<std::string>& problems,
                        std::vector<std::string>& warnings) {
  if (file && file_has_secret) check_secret_file(file->string(), "configuration file", problems, warnings);
  for (const auto& t : kSecretFiles) {
    const auto& path = t.file(config);
    if (!path.empty()) check_secret_file(path, fmt::format("{}_file", t.key), problems, warnings);
  }
  if (!config.http.tls_key.empty())
    check_secret_file(config.http.tls_key, "http.tls_key", problems, warnings);
}

void check_region(const RecognitionConfig& r, std::vector<std::string>& problems) {
  if (r.roi_x + r.roi_width > 1.0 + 1e-9) {
    problems.push_back(fmt::format("recognition.roi_x + recognition.roi_width must be at most 1, got {} + {}",
                                   r.roi_x, r.roi_width));
  }
  if (r.roi_y + r.roi_height > 1.0 + 1e-9) {
    problems.push_back(fmt::format(
        "recognition.roi_y + recognition.roi_height must be at most 1, got {} + {}", r.roi_y, r.roi_height));
  }
}

void check_storage(const Config& config, std::vector<std::string>& problems) {
  const auto& s = config.storage;
  if (!features::kPostgres && s.backend == "postgres") {
    problems.push_back(features::built_without("storage.backend", "PostgreSQL", "POSTGRES"));
    return;
  }
#if DOORBELL_WITH_POSTGRES
  if (!s.postgres.empty()) {
    // libpq's own complaint may quote the string, password and all: only ours is shown.
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(s.postgres.c_str(), &error);
    if (options == nullptr) {
      problems.push_back(
          "storage.postgres: not a libpq connection string (key=value ...) nor a postgresql:// URI (value "
          "not "
          "shown: a secret)");
    }
    PQconninfoFree(options);
    PQfreemem(error);
  }
#endif
  if (s.backend == "postgres" && s.postgres.empty()) {
    problems.push_back(
        "storage.postgres: required when storage.backend is postgres: a libpq connection string, e.g. "
        "\"host=db dbname=doorbell user=doorbell\" (or storage.postgres_file, or DOORBELL_STORAGE_POSTGRES)");
  }
  if (!config.door.id.empty() && !is_door_id(config.door.id)) {
    problems.push_back(
        fmt::format("door.id: expected 1 to 32 of a-z, 0-9 and -, got \"{}\"", config.door.id));
  }
  if (s.backend == "postgres" && config.door.id.empty()) {
    problems.push_back(
        "door.id: required when storage.backend is postgres: each door sharing the database its own, e.g. "
        "\"front\"");
  }
}

void check_camera(const Config& config, std::vector<std::string>& problems) {
  if (config.presence.enabled && config.camera.source.empty()) {
    problems.push_back("presence.enabled needs a camera: camera.source is empty");
  }
  if (config.camera.rotation % 90 != 0) {
    problems.push_back(fmt::format("camera.rotation: expected 0, 90, 180 or 270 (degrees clockwise), got {}",
                                   config.camera.rotation));
  }
}

}  // namespace

ConfigError::ConfigError(std::vector<std::string> problems)
    : std::runtime_error(join_problems(problems)), problems_(std::move(problems)) {}

EnvLookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    // Thread-safe here: nothing in doorbelld changes its environment.
    const char* value = std::getenv(name.c_str());  // NOLINT(concurrency-mt-unsafe)
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

namespace {

// A component this build was built without, asked for.
void check_features(const Config& config, std::vector<std::string>& problems) {
  if (!features::kGpio && !config.gpio.chip.empty())
    problems.push_back(features::built_without("gpio.chip", "GPIO button", "GPIOD"));
  if (!features::kMqtt && !config.mqtt.host.empty())
    problems.push_back(features::built_without("mqtt.host", "MQTT", "MQTT"));
  if (!features::kLibcamera && config.camera.libcamera())
    problems.push_back(features::built_without("camera.source", "libcamera camera", "LIBCAMERA"));
}

// The checks that look at the configuration as a whole, after the file and the environment.
void check_whole(Config& config, std::vector<std::string>& problems) {
  check_features(config, problems);
  resolve_secret_files(config, problems);
  check_tokens_differ(config.http, problems);
  check_tls(config.http, problems);
  check_region(config.recognition, problems);
  check_camera(config, problems);
  check_storage(config, problems);
  check_notifications(config, problems);
}

}  // namespace

Config load_config(const std::optional<std::filesystem::path>& file, const EnvLookup& env,
                   std::vector<std::string>* warnings) {
  Config config;
  std::vector<std::string> problems;
  std::vector<std::string> notes;
  if (file) apply_file(*file, config, problems);
  const bool file_has_secret = has_secret(config);
  apply_environment(env, config, problems);
  apply_credentials(env, config, problems);
  check_secret_files(file, file_has_secret, config, problems, notes);
  check_whole(config, problems);
  if (!problems.empty()) throw ConfigError(std::move(problems));
  if (warnings != nullptr) *warnings = std::move(notes);
  return config;
}

Config load_config_text(std::string_view text, const EnvLookup& env) {
  Config config;
  std::vector<std::string> problems;
  apply_text(text, "configuration", config, problems);
  apply_environment(env, config, problems);
  apply_credentials(env, config, problems);
  check_whole(config, problems);
  if (!problems.empty()) throw ConfigError(std::move(problems));
  return config;
}

json to_masked_json(const Config& config) {
  json out = json::object();
  for (const auto& field : schema::fields()) {
    auto value = field.read(config);
    if (field.secret && !value.get_ref<const std::string&>().empty()) value = "***";
    if (value.is_string()) value = without_password(value.get_ref<const std::string&>());  // camera.source
    out[field.section][field.key] = std::move(value);
  }
  return out;
}

std::vector<std::string> changed_keys(const Config& before, const Config& after) {
  std::vector<std::string> keys;
  for (const auto& field : schema::fields()) {
    if (field.read(before) != field.read(after)) keys.push_back(field.path());
  }
  return keys;
}

bool is_reloadable(const std::string& key) {
  for (const auto& field : schema::fields()) {
    if (field.path() == key) return field.reloadable;
  }
  return false;
}

std::vector<std::string> config_keys() {
  std::vector<std::string> keys;
  for (const auto& field : schema::fields()) keys.push_back(field.path());
  return keys;
}

}  // namespace doorbell
