#include "doorbell/config/loader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "doorbell/common/features.hpp"
#include "support/environment.hpp"
#include "support/temp_dir.hpp"

namespace doorbell {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

using testing::env_of;

class ConfigLoaderTest : public ::testing::Test {
 protected:
  Config load(std::string_view json, std::map<std::string, std::string> env = {}) {
    return load_config(dir.write("config.json", json), env_of(std::move(env)));
  }
  // The problems reported for a file that must be refused.
  std::vector<std::string> problems(std::string_view json, std::map<std::string, std::string> env = {}) {
    try {
      load(json, std::move(env));
    } catch (const ConfigError& e) {
      return e.problems();
    }
    ADD_FAILURE() << "configuration was accepted: " << json;
    return {};
  }
  std::vector<std::string> problems_of(const std::filesystem::path& file,
                                       std::map<std::string, std::string> env = {}) {
    try {
      load_config(file, env_of(std::move(env)));
    } catch (const ConfigError& e) {
      return e.problems();
    }
    ADD_FAILURE() << "configuration was accepted: " << file;
    return {};
  }
  testing::TempDir dir;
};

TEST_F(ConfigLoaderTest, NoFileAndNoEnvironmentGivesTheDefaults) {
  const auto config = load_config(std::nullopt, env_of({}));
  EXPECT_EQ(to_masked_json(config), to_masked_json(Config{}));
  EXPECT_EQ(config.http.port, 8080);
  EXPECT_EQ(config.log.level, "info");
  EXPECT_DOUBLE_EQ(config.daemon.shutdown_timeout_seconds.count(), 10.0);
}

TEST_F(ConfigLoaderTest, FileValuesOverrideDefaultsAndCommentsAreAllowed) {
  const auto config = load(R"({
    // the port
    "http": {"port": 9000, "bind_address": "0.0.0.0"},
    /* logging */
    "log": {"level": "debug", "format": "json"},
    "daemon": {"shutdown_timeout_seconds": 2.5}
  })");
  EXPECT_EQ(config.http.port, 9000);
  EXPECT_EQ(config.http.bind_address, "0.0.0.0");
  EXPECT_EQ(config.log.level, "debug");
  EXPECT_EQ(config.log.format, "json");
  EXPECT_DOUBLE_EQ(config.daemon.shutdown_timeout_seconds.count(), 2.5);
  EXPECT_EQ(config.http.threads, Config{}.http.threads) << "unset keys keep their defaults";
}

TEST_F(ConfigLoaderTest, EnvironmentOverridesTheFile) {
  const auto config = load(R"({"http": {"port": 9000}, "log": {"level": "debug"}})",
                           {{"DOORBELL_HTTP_PORT", "9100"},
                            {"DOORBELL_LOG_LEVEL", "warn"},
                            {"DOORBELL_DAEMON_SHUTDOWN_TIMEOUT_SECONDS", "3"}});
  EXPECT_EQ(config.http.port, 9100);
  EXPECT_EQ(config.log.level, "warn");
  EXPECT_DOUBLE_EQ(config.daemon.shutdown_timeout_seconds.count(), 3.0);
}

TEST_F(ConfigLoaderTest, UnknownKeysAreNamed) {
  EXPECT_THAT(problems(R"({"http": {"prot": 1}})"),
              ElementsAre(AllOf(HasSubstr("unknown key \"http.prot\""), HasSubstr("port"))));
  EXPECT_THAT(problems(R"({"htp": {}})"),
              ElementsAre(AllOf(HasSubstr("unknown key \"htp\""), HasSubstr("http, log, daemon"))));
}

TEST_F(ConfigLoaderTest, WrongTypesAreNamedWithWhatWasExpected) {
  EXPECT_THAT(problems(R"({"http": {"port": "8080"}})"),
              ElementsAre(AllOf(HasSubstr("http.port"), HasSubstr("expected an integer from 1 to 65535"),
                                HasSubstr("got string \"8080\""))));
  EXPECT_THAT(problems(R"({"http": {"port": 80.5}})"),
              ElementsAre(HasSubstr("http.port: expected an integer")));
  EXPECT_THAT(problems(R"({"log": {"level": 3}})"),
              ElementsAre(AllOf(HasSubstr("log.level"), HasSubstr("one of \"trace\""))));
  EXPECT_THAT(problems(R"({"log": "debug"})"), ElementsAre(HasSubstr("log: expected an object, got string")));
  EXPECT_THAT(problems(R"({"daemon": {"shutdown_timeout_seconds": true}})"),
              ElementsAre(HasSubstr("daemon.shutdown_timeout_seconds: expected a number")));
}

TEST_F(ConfigLoaderTest, OutOfRangeValuesAreNamed) {
  EXPECT_THAT(problems(R"({"http": {"port": 70000}})"),
              ElementsAre(AllOf(HasSubstr("http.port"), HasSubstr("got number 70000"))));
  EXPECT_THAT(problems(R"({"http": {"port": 18446744073709551615}})"), ElementsAre(HasSubstr("http.port")));
  EXPECT_THAT(problems(R"({"http": {"threads": 0}})"), ElementsAre(HasSubstr("http.threads")));
  EXPECT_THAT(problems(R"({"daemon": {"shutdown_timeout_seconds": 0}})"),
              ElementsAre(HasSubstr("daemon.shutdown_timeout_seconds: expected a number from 0.5 to 600")));
  EXPECT_THAT(problems(R"({"log": {"level": "verbose"}})"), ElementsAre(HasSubstr("got string \"verbose\"")));
  EXPECT_THAT(problems(R"({"http": {"bind_address": ""}})"),
              ElementsAre(HasSubstr("http.bind_address: expected a non-empty string")));
  EXPECT_THAT(
      problems(R"({"camera": {"rotation": 45}})"),
      ElementsAre(HasSubstr("camera.rotation: expected 0, 90, 180 or 270 (degrees clockwise), got 45")));
  EXPECT_THAT(problems(R"({"camera": {"rotation": -90}})"),
              ElementsAre(HasSubstr("camera.rotation: expected an integer from 0 to 270")));
  EXPECT_EQ(load(R"({"camera": {"rotation": 270, "hflip": true}})").camera.rotation, 270);
}

TEST_F(ConfigLoaderTest, EveryProblemIsReportedAtOnce) {
  EXPECT_EQ(problems(R"({"http": {"port": 0, "threads": 0}, "log": {"level": "loud"}})").size(), 3u);
}

TEST_F(ConfigLoaderTest, MalformedJsonNamesLineAndColumn) {
  EXPECT_THAT(problems("{\n  \"http\": {\n    \"port\": 80,,\n  }\n}"),
              ElementsAre(AllOf(HasSubstr("config.json: malformed JSON"), HasSubstr("line 3, column 16"))));
  EXPECT_THAT(problems("[1, 2]"),
              ElementsAre(HasSubstr("expected a JSON object at the top level, got array")));
}

TEST_F(ConfigLoaderTest, UnreadableFileIsNamed) {
  const auto missing = dir.path() / "absent.json";
  try {
    load_config(missing, env_of({}));
    FAIL() << "a missing file was accepted";
  } catch (const ConfigError& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr(missing.string()), HasSubstr("No such file or directory")));
  }
}

TEST_F(ConfigLoaderTest, BadEnvironmentValuesNameTheVariableAndKey) {
  EXPECT_THAT(problems("{}", {{"DOORBELL_HTTP_PORT", "eighty"}}),
              ElementsAre(AllOf(HasSubstr("DOORBELL_HTTP_PORT (http.port)"), HasSubstr("got \"eighty\""))));
  EXPECT_THAT(problems("{}", {{"DOORBELL_HTTP_PORT", "0"}}),
              ElementsAre(HasSubstr("DOORBELL_HTTP_PORT (http.port)")));
  EXPECT_THAT(problems("{}", {{"DOORBELL_LOG_FORMAT", "xml"}}),
              ElementsAre(HasSubstr("DOORBELL_LOG_FORMAT")));
}

TEST_F(ConfigLoaderTest, TokenFromFileIsReadAndTrimmed) {
  const auto token_file = dir.write("token", "s3cret-token\n");
  const auto config = load("{}", {{"DOORBELL_HTTP_API_TOKEN_FILE", token_file.string()}});
  EXPECT_EQ(config.http.api_token, "s3cret-token");
}

TEST_F(ConfigLoaderTest, TokenFileProblemsAreNamed) {
  EXPECT_THAT(problems(R"({"http": {"api_token_file": "/nonexistent/token"}})"),
              ElementsAre(AllOf(HasSubstr("http.api_token_file"), HasSubstr("/nonexistent/token"))));
  const auto empty = dir.write("empty", "\n");
  EXPECT_THAT(problems("{}", {{"DOORBELL_HTTP_API_TOKEN_FILE", empty.string()}}),
              ElementsAre(HasSubstr("is empty")));
  const auto token_file = dir.write("token", "abc");
  EXPECT_THAT(
      problems(R"({"http": {"api_token": "x"}})", {{"DOORBELL_HTTP_API_TOKEN_FILE", token_file.string()}}),
      ElementsAre(HasSubstr("not both")));
}

// What systemd's LoadCredential= / LoadCredentialEncrypted= hand the service: a file per secret, named
// after its key, in $CREDENTIALS_DIRECTORY.
TEST_F(ConfigLoaderTest, SecretsComeFromSystemdCredentialsBeforeAnythingElse) {
  testing::TempDir credentials;
  credentials.write("http.api_token", "from-the-credential\n");
  credentials.write("ntfy.token", "tk_ntfy");
  credentials.write("http.port", "1");  // not a secret: not read
  const auto token_file = dir.write("token", "from-the-file");
  const auto config = load(R"({"http": {"api_token_file": ")" + token_file.string() + R"("}})",
                           {{"CREDENTIALS_DIRECTORY", credentials.path().string()},
                            {"DOORBELL_NTFY_TOKEN", "from-the-environment"}});
  EXPECT_EQ(config.http.api_token, "from-the-credential");
  EXPECT_TRUE(config.http.api_token_file.empty()) << "the credential's key's file is not read";
  EXPECT_EQ(config.ntfy.token, "tk_ntfy");
  EXPECT_EQ(config.http.port, 8080);
  EXPECT_EQ(to_masked_json(config)["http"]["api_token"], "***");

  credentials.write("http.viewer_token", "\n");
  EXPECT_THAT(problems("{}", {{"CREDENTIALS_DIRECTORY", credentials.path().string()}}),
              ElementsAre(AllOf(HasSubstr("http.viewer_token"), HasSubstr("is empty"))));
}

TEST_F(ConfigLoaderTest, ADoorOnPostgresNeedsAConnectionString_FromTheFileTheEnvironmentOrAFile) {
  if (!features::kPostgres) {
    EXPECT_THAT(problems(R"({"storage": {"backend": "postgres"}})"),
                ElementsAre(HasSubstr("storage.backend: this build has no PostgreSQL")));
    GTEST_SKIP() << "built with DOORBELL_WITH_POSTGRES=OFF";
  }
  EXPECT_THAT(problems(R"({"door": {"id": "front"}, "storage": {"backend": "postgres"}})"),
              ElementsAre(AllOf(HasSubstr("storage.postgres: required when storage.backend is postgres"),
                                HasSubstr("DOORBELL_STORAGE_POSTGRES"))));
  EXPECT_THAT(problems(R"({"storage": {"backend": "mysql"}})"),
              ElementsAre(HasSubstr(R"(one of "sqlite", "postgres")")));
  const auto secret = dir.write("postgres", "host=db dbname=doorbell password=hunter2\n");
  const auto from_file = load(R"({"door": {"id": "front"}, "storage": {"backend": "postgres"}})",
                              {{"DOORBELL_STORAGE_POSTGRES_FILE", secret.string()}});
  EXPECT_EQ(from_file.storage.postgres, "host=db dbname=doorbell password=hunter2");
  const auto from_env = load(R"({"door": {"id": "front"}, "storage": {"backend": "postgres"}})",
                             {{"DOORBELL_STORAGE_POSTGRES", "postgresql://doorbell@db/doorbell"}});
  EXPECT_EQ(from_env.storage.postgres, "postgresql://doorbell@db/doorbell");
  EXPECT_EQ(to_masked_json(from_env)["storage"]["postgres"], "***") << "a secret";
  const auto bad = problems(R"({"storage": {"postgres": "postgresql://u:hunter2@[::1x/db"}})");
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_THAT(bad[0],
              AllOf(HasSubstr("storage.postgres: not a libpq connection string"), Not(HasSubstr("hunter2"))));
  EXPECT_THAT(
      problems(R"({"storage": {"postgres": "host=db"}})",
               {{"DOORBELL_STORAGE_POSTGRES_FILE", secret.string()}}),
      ElementsAre(HasSubstr("storage.postgres_file: set either storage.postgres or storage.postgres_file")));
}

TEST_F(ConfigLoaderTest, ADoorIdIsShortLowerCaseLettersDigitsAndDashes) {
  EXPECT_EQ(load(R"({"door": {"id": "back-2", "name": "Back door"}})").door.id, "back-2");
  for (const auto* bad : {R"({"door": {"id": "Back"}})", R"({"door": {"id": "a b"}})",
                          R"({"door": {"id": "abcdefghijklmnopqrstuvwxyz0123456789"}})"}) {
    EXPECT_THAT(problems(bad), ElementsAre(HasSubstr("door.id: expected 1 to 32 of a-z, 0-9 and -"))) << bad;
  }
  EXPECT_EQ(load("{}").door.id, "") << "one door alone needs no id";
  if (!features::kPostgres) return;  // no doors sharing records
  EXPECT_THAT(problems(R"({"door": {"id": ""}, "storage": {"backend": "postgres", "postgres": "host=db"}})"),
              ElementsAre(HasSubstr("door.id: required when storage.backend is postgres")));
}

TEST_F(ConfigLoaderTest, SettingsThatContradictEachOtherAreNamed) {
  EXPECT_THAT(problems(R"({"recognition": {"roi_x": 0.5, "roi_width": 0.6}})"),
              ElementsAre(HasSubstr("recognition.roi_x + recognition.roi_width must be at most 1")));
  EXPECT_THAT(problems(R"({"http": {"tls_cert": "/etc/cert.pem"}})"),
              ElementsAre(HasSubstr("http.tls_key: set with http.tls_cert")));
  EXPECT_THAT(problems(R"({"http": {"api_token": "same", "viewer_token": "same"}})"),
              ElementsAre(HasSubstr("http.viewer_token: must differ from http.api_token")));
  EXPECT_THAT(problems(R"({"presence": {"enabled": true}})"),
              ElementsAre(AllOf(HasSubstr("presence.enabled"), HasSubstr("camera.source"))));
  EXPECT_TRUE(
      load(R"({"presence": {"enabled": true}, "camera": {"source": "/dev/video0"}})").presence.enabled);
}

TEST_F(ConfigLoaderTest, NumbersTooLargeForAnyTypeAreProblemsNotCrashes) {
  // Found by the config fuzzer: nlohmann throws out_of_range, not parse_error, for these.
  EXPECT_THAT(problems("{\"http\": {\"port\": 222E2222222222}}"), ElementsAre(HasSubstr("malformed JSON")));
  EXPECT_THAT(problems("{}", {{"DOORBELL_HTTP_PORT", "1e999999"}}),
              ElementsAre(HasSubstr("DOORBELL_HTTP_PORT (http.port): expected an integer")));
}

TEST_F(ConfigLoaderTest, ErrorsNeverEchoASecretsValue) {
  for (const auto& problem :
       {problems(R"({"http": {"api_token": "hunter2", "port": })"),
        problems(R"({"http": {"api_token": hunter2}})"), problems(R"({"mqtt": {"password": ["hunter2"]}})"),
        problems(R"({"webhook": {"secret": 4242}})")}) {
    ASSERT_EQ(problem.size(), 1u);
    EXPECT_THAT(problem[0], Not(HasSubstr("hunter2")));
    EXPECT_THAT(problem[0], Not(HasSubstr("4242")));
  }
  EXPECT_THAT(problems(R"({"http": {"api_token": hunter2}})")[0],
              HasSubstr("malformed JSON: parse error at line 1"));
  EXPECT_THAT(problems(R"({"mqtt": {"password": ["hunter2"]}})")[0],
              HasSubstr("mqtt.password: expected a string, got array (value not shown: a secret)"));
}

TEST_F(ConfigLoaderTest, FilesHoldingSecretsMustNotBeWritableByEveryone) {
  std::filesystem::permissions(dir.path(), std::filesystem::perms(0755));  // others may enter (mkdtemp: 0700)
  const auto file = dir.write("secret.json", R"({"http": {"api_token": "hunter2"}})");
  const auto token = dir.write("token", "hunter3\n");
  const auto key = dir.write("tls.key", "not a key");
  std::filesystem::permissions(file, std::filesystem::perms(0640));
  std::filesystem::permissions(token, std::filesystem::perms(0640));
  std::vector<std::string> warnings;
  EXPECT_NO_THROW(load_config(file, env_of({}), &warnings));
  EXPECT_TRUE(warnings.empty());

  std::filesystem::permissions(file, std::filesystem::perms(0644));
  load_config(file, env_of({}), &warnings);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_THAT(warnings[0], AllOf(HasSubstr("configuration file"), HasSubstr("every user may read it")));

  std::filesystem::permissions(file, std::filesystem::perms(0666));
  EXPECT_THAT(problems_of(file), ElementsAre(HasSubstr("every user may change it")));
  const auto plain = dir.write("plain.json", R"({"http": {"port": 8081}})");
  std::filesystem::permissions(plain, std::filesystem::perms(0666));
  EXPECT_NO_THROW(load_config(plain, env_of({}))) << "no secret in it";

  std::filesystem::permissions(token, std::filesystem::perms(0602));
  EXPECT_THAT(problems_of(plain, {{"DOORBELL_HTTP_VIEWER_TOKEN_FILE", token.string()}}),
              ElementsAre(HasSubstr("http.viewer_token_file")));
  std::filesystem::permissions(key, std::filesystem::perms(0666));
  EXPECT_THAT(
      problems_of(plain, {{"DOORBELL_HTTP_TLS_CERT", "/c.pem"}, {"DOORBELL_HTTP_TLS_KEY", key.string()}}),
      ElementsAre(HasSubstr("http.tls_key")));

  std::filesystem::permissions(dir.path(), std::filesystem::perms(0750));
  EXPECT_NO_THROW(load_config(file, env_of({}), &warnings))
      << "a folder others cannot enter protects the file";
  EXPECT_TRUE(warnings.empty());
}

TEST_F(ConfigLoaderTest, SecretsAreMaskedAndNeverEchoed) {
  const auto config = load(R"({"http": {"api_token": "hunter2"}})");
  EXPECT_EQ(config.http.api_token, "hunter2");
  const auto printed = to_masked_json(config).dump();
  EXPECT_THAT(printed, HasSubstr("\"api_token\":\"***\""));
  EXPECT_THAT(printed, ::testing::Not(HasSubstr("hunter2")));
  EXPECT_EQ(to_masked_json(Config{})["http"]["api_token"], "") << "an unset secret shows as unset";
}

TEST_F(ConfigLoaderTest, ChangedKeysAndReloadability) {
  Config before;
  Config after;
  after.log.level = "debug";
  after.http.port = 9999;
  EXPECT_THAT(changed_keys(before, after), ElementsAre("http.port", "log.level"));
  EXPECT_TRUE(is_reloadable("log.level"));
  EXPECT_TRUE(is_reloadable("log.format"));
  EXPECT_FALSE(is_reloadable("http.port"));
  EXPECT_FALSE(is_reloadable("no.such_key"));
}

}  // namespace
}  // namespace doorbell
