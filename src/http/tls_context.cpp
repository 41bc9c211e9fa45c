#include "tls_context.hpp"

#include <fmt/format.h>
#include <openssl/err.h>

#include <memory>
#include <stdexcept>

namespace doorbell::http {
namespace {

std::string openssl_reason() {
  const auto code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  std::string text(256, '\0');
  ERR_error_string_n(code, text.data(), text.size());
  text.resize(text.find('\0'));
  return text;
}

}  // namespace

TlsContext::TlsContext(std::string cert_file, std::string key_file)
    : cert_file_(std::move(cert_file)),
      key_file_(std::move(key_file)),
      context_(load(cert_file_, key_file_)) {}

TlsContext::~TlsContext() {
  SSL_CTX_free(context_);
}

SSL_CTX* TlsContext::load(const std::string& cert_file, const std::string& key_file) {
  ERR_clear_error();
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_server_method()), &SSL_CTX_free);
  if (!ctx) throw std::runtime_error("http.tls_cert: cannot create a TLS context: " + openssl_reason());
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  SSL_CTX_set_mode(ctx.get(), SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  SSL_CTX_set_options(ctx.get(), SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_use_certificate_chain_file(ctx.get(), cert_file.c_str()) != 1) {
    throw std::runtime_error(fmt::format("http.tls_cert: cannot use \"{}\" as a PEM certificate: {}",
                                         cert_file, openssl_reason()));
  }
  if (SSL_CTX_use_PrivateKey_file(ctx.get(), key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    throw std::runtime_error(
        fmt::format("http.tls_key: cannot use \"{}\" as a PEM private key: {}", key_file, openssl_reason()));
  }
  if (SSL_CTX_check_private_key(ctx.get()) != 1) {
    throw std::runtime_error(
        fmt::format("http.tls_key: \"{}\" is not the key of the certificate \"{}\"", key_file, cert_file));
  }
  return ctx.release();
}

SSL_CTX* TlsContext::acquire() const {
  std::lock_guard lock(mutex_);
  SSL_CTX_up_ref(context_);
  return context_;
}

void TlsContext::reload() {
  SSL_CTX* fresh = load(cert_file_, key_file_);
  std::lock_guard lock(mutex_);
  SSL_CTX_free(context_);
  context_ = fresh;
}

}  // namespace doorbell::http
