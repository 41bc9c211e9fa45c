// A folder of images, replayed in name order and listed again at every open (files may come and go):
// the demo's camera and the tests'.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <stdexcept>
#include <vector>

#include "doorbell/common/image_codec.hpp"
#include "sources.hpp"

namespace doorbell::capture {
namespace {

class FolderSource final : public FrameSource {
 public:
  FolderSource(std::filesystem::path dir, bool loop) : dir_(std::move(dir)), loop_(loop) {}

  void open() override {
    files_.clear();
    next_ = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
      auto ext = entry.path().extension().string();
      std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
      if (entry.is_regular_file() && (ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".bmp")) {
        files_.push_back(entry.path());
      }
    }
    if (ec)
      throw std::runtime_error(fmt::format("cannot read folder \"{}\": {}", dir_.string(), ec.message()));
    if (files_.empty()) throw std::runtime_error(fmt::format("no images in \"{}\"", dir_.string()));
    std::sort(files_.begin(), files_.end());
  }

  std::optional<Image> read() override {
    if (next_ == files_.size()) {
      if (!loop_ || files_.empty()) return std::nullopt;
      next_ = 0;
    }
    try {
      auto image = read_image_file(files_[next_++]);
      info_.width = image.width;
      info_.height = image.height;
      return image;
    } catch (const std::exception&) {
      return std::nullopt;  // removed or unreadable: the camera thread reopens the folder
    }
  }

  SourceInfo info() const override { return info_; }

 private:
  std::filesystem::path dir_;
  bool loop_;
  std::vector<std::filesystem::path> files_;
  std::size_t next_ = 0;
  SourceInfo info_{"folder", "images", 0, 0, 0};
};

}  // namespace

std::unique_ptr<FrameSource> make_folder_source(const CameraConfig& config) {
  return std::make_unique<FolderSource>(config.source, config.loop);
}

}  // namespace doorbell::capture
