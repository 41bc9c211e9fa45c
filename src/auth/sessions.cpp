#include "doorbell/auth/sessions.hpp"

#include "doorbell/auth/password.hpp"
#include "doorbell/model/time_text.hpp"

namespace doorbell::auth {
namespace {

// A stored hash that never matches: checked when the user does not exist, so that takes as long.
constexpr std::string_view kNoUser = "$scrypt$none";

}  // namespace

Sessions::Sessions(const std::filesystem::path& data_dir, std::chrono::seconds lifetime, const Clock& clock,
                   prometheus::Registry& registry)
    : lifetime_(lifetime),
      clock_(clock),
      store_(data_dir),
      active_(prometheus::BuildGauge()
                  .Name("doorbell_auth_sessions")
                  .Help("Login sessions that have not expired or been logged out")
                  .Register(registry)
                  .Add({})) {
  std::lock_guard lock(db_mutex_);
  reload();
}

std::optional<NewSession> Sessions::login(std::string_view user, std::string_view password,
                                          std::string_view address) {
  std::optional<storage::UserRecord> record;
  {
    std::lock_guard lock(db_mutex_);
    record = store_.find(std::string(user));
  }
  bool ok = false;
  {
    std::lock_guard lock(kdf_mutex_);
    ok = verify_password(password, record ? std::string_view(record->password_hash) : kNoUser);
  }
  const auto role = record ? parse_role(record->role) : std::nullopt;
  if (!ok || !role) return std::nullopt;

  NewSession out{random_token(), {record->name, *role, random_token(16), {}}};
  const auto now = clock_.wall_now();
  out.session.expires = now + lifetime_;
  const auto hash = sha256_hex(out.id);
  {
    std::lock_guard lock(db_mutex_);
    store_.add_session({hash, record->id, record->name, record->role, out.session.csrf_token,
                        model::iso_time(now), model::iso_time(out.session.expires), std::string(address)});
  }
  std::unique_lock lock(mutex_);
  by_hash_[hash] = out.session;
  active_.Set(static_cast<double>(by_hash_.size()));
  return out;
}

std::optional<std::string> Sessions::user_named(std::string_view name) {
  std::lock_guard lock(db_mutex_);
  const auto record = store_.find(std::string(name));
  if (!record) return std::nullopt;
  return record->name;
}

std::optional<Session> Sessions::find(std::string_view id) const {
  if (id.size() != 64) return std::nullopt;  // random_token(): 32 bytes as hex
  const auto hash = sha256_hex(id);
  std::shared_lock lock(mutex_);
  const auto it = by_hash_.find(hash);
  if (it == by_hash_.end() || it->second.expires <= clock_.wall_now()) return std::nullopt;
  return it->second;
}

void Sessions::logout(std::string_view id) {
  const auto hash = sha256_hex(id);
  {
    std::lock_guard lock(db_mutex_);
    store_.remove_session(hash);
  }
  std::unique_lock lock(mutex_);
  by_hash_.erase(hash);
  active_.Set(static_cast<double>(by_hash_.size()));
}

void Sessions::refresh() {
  std::lock_guard lock(db_mutex_);
  const auto version = store_.data_version();
  bool expired = false;
  {
    const auto now = clock_.wall_now();
    std::shared_lock read(mutex_);
    for (const auto& [hash, s] : by_hash_) expired = expired || s.expires <= now;
  }
  if (version != data_version_ || expired) reload();
}

bool Sessions::any_user() const noexcept {
  return any_user_.load(std::memory_order_relaxed);
}

void Sessions::reload() {
  data_version_ = store_.data_version();
  any_user_ = !store_.list().empty();
  std::unordered_map<std::string, Session> fresh;
  for (const auto& r : store_.live_sessions(model::iso_time(clock_.wall_now()))) {
    const auto role = parse_role(r.role);
    const auto expires = model::parse_iso_time(r.expires_at);
    if (role && expires) fresh[r.token_hash] = {r.user, *role, r.csrf_token, *expires};
  }
  std::unique_lock lock(mutex_);
  by_hash_.swap(fresh);
  active_.Set(static_cast<double>(by_hash_.size()));
}

}  // namespace doorbell::auth
