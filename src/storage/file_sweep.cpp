#include "doorbell/storage/file_sweep.hpp"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <set>
#include <string>
#include <vector>

#include "doorbell/storage/database_file.hpp"
#include "doorbell/storage/schema.hpp"

namespace doorbell::storage {
namespace {

std::string normal(const std::filesystem::path& file) {
  std::error_code ignored;
  return std::filesystem::weakly_canonical(file, ignored).string();
}

// Every regular file below `folder` older than `before`.
std::vector<std::filesystem::path> old_files(const std::filesystem::path& folder,
                                             std::filesystem::file_time_type before) {
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (std::filesystem::recursive_directory_iterator it(folder, error), end; !error && it != end;
       it.increment(error)) {
    std::error_code ignored;
    if (it->is_regular_file(ignored) && it->last_write_time(ignored) < before) files.push_back(it->path());
  }
  return files;
}

}  // namespace

std::int64_t bytes_on_disk(const std::filesystem::path& file) {
  struct stat st {};
  return ::stat(file.c_str(), &st) == 0 ? static_cast<std::int64_t>(st.st_blocks) * 512 : 0;
}

FileSweep::FileSweep(const std::filesystem::path& data_dir, std::chrono::seconds grace)
    : data_dir_(data_dir), grace_(grace), db_(database_file(data_dir), schema_migrations()) {}

SweepResult FileSweep::run() {
  SweepResult result;
  std::set<std::string> named;
  db_.transaction([&] {
    auto samples = db_.prepare("SELECT id, image_path FROM face_samples WHERE image_path != ''");
    while (samples.step()) {
      const auto path = samples.text(1);
      if (std::filesystem::exists(path)) {
        named.insert(normal(path));
        continue;
      }
      spdlog::warn("storage: the face image {} of sample {} is gone; the sample keeps its descriptor", path,
                   samples.integer(0));
      db_.prepare("UPDATE face_samples SET image_path = '' WHERE id = ?").bind(1, samples.integer(0)).run();
      ++result.missing_files;
    }
    auto events =
        db_.prepare("SELECT id, snapshot_path, snapshot_bytes FROM events WHERE snapshot_path != ''");
    while (events.step()) {
      const auto id = events.integer(0);
      const auto path = events.text(1);
      const auto bytes = bytes_on_disk(path);
      if (bytes > 0 || std::filesystem::exists(path)) {
        named.insert(normal(path));
        if (bytes != events.integer(2)) {
          db_.prepare("UPDATE events SET snapshot_bytes = ? WHERE id = ?").bind(1, bytes).bind(2, id).run();
          ++result.resized;
        }
        continue;
      }
      spdlog::warn("storage: the snapshot {} of event {} is gone; the event stays without it", path, id);
      db_.prepare("UPDATE events SET snapshot_path = '', snapshot_bytes = 0 WHERE id = ?").bind(1, id).run();
      ++result.missing_files;
    }
  });
  const auto before = std::filesystem::file_time_type::clock::now() - grace_;
  for (const auto* folder : {"faces", "events"}) {
    for (const auto& file : old_files(data_dir_ / folder, before)) {
      if (named.contains(normal(file))) continue;
      std::error_code error;
      std::filesystem::remove(file, error);
      if (error) {
        spdlog::warn("storage: cannot remove the orphan {}: {}", file.string(), error.message());
        continue;
      }
      spdlog::warn("storage: removed {}, which no {} named (left by a crash or by hand)", file.string(),
                   std::string(folder) == "faces" ? "face sample" : "event");
      std::filesystem::remove(file.parent_path(), error);  // fails, harmlessly, while others are there
      ++result.orphan_files;
    }
  }
  return result;
}

}  // namespace doorbell::storage
