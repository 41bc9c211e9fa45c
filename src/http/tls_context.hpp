#pragma once
// TlsContext: the server's OpenSSL context for http.tls_cert / http.tls_key (TLS 1.2 and newer), which
// reload() replaces atomically: connections already open keep the context they started with. Thread-safe.

#include <openssl/ssl.h>

#include <mutex>
#include <string>

namespace doorbell::http {

class TlsContext {
 public:
  // Throws std::runtime_error naming the file and OpenSSL's reason when the pair cannot be used.
  TlsContext(std::string cert_file, std::string key_file);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  // The current context with a reference of the caller's own: SSL_CTX_free it after SSL_new.
  SSL_CTX* acquire() const;
  // Reads the files again; on failure keeps the current context and throws std::runtime_error.
  void reload();

 private:
  static SSL_CTX* load(const std::string& cert_file, const std::string& key_file);

  const std::string cert_file_;
  const std::string key_file_;
  mutable std::mutex mutex_;
  SSL_CTX* context_ = nullptr;  // guarded by mutex_
};

}  // namespace doorbell::http
