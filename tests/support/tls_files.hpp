#pragma once
// TlsFiles: a throw-away certificate authority and server certificates it signed (P-256, valid two days,
// for localhost and 127.0.0.1), made with the openssl command in a temporary directory. Not thread-safe.

#include <fmt/format.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace doorbell::testing {

class TlsFiles {
 public:
  TlsFiles() {
    run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "
        "/CN=doorbell-test-ca "
        "-keyout ca.key -out ca.pem");
  }

  // A key and certificate signed by the CA for common name `name`: {dir}/{name}.pem and {name}.key (0600).
  void issue(const std::string& name) {
    run(fmt::format(
        "openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN={0} -keyout {0}.key -out "
        "{0}.csr "
        "&& printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\n' > {0}.ext "
        "&& openssl x509 -req -in {0}.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile {0}.ext "
        "-out {0}.pem && chmod 600 {0}.key",
        name));
  }

  std::filesystem::path ca() const { return dir_.path() / "ca.pem"; }
  std::filesystem::path cert(const std::string& name) const { return dir_.path() / (name + ".pem"); }
  std::filesystem::path key(const std::string& name) const { return dir_.path() / (name + ".key"); }
  const std::filesystem::path& dir() const { return dir_.path(); }

 private:
  void run(const std::string& script) const {
    const auto result = run_command({"/bin/sh", "-c", "cd '" + dir_.path().string() + "' && " + script});
    if (result.exit_code != 0) throw std::runtime_error("openssl failed: " + result.output);
  }

  TempDir dir_;
};

}  // namespace doorbell::testing
