#include "model_files.hpp"

#include <map>
#include <mutex>

namespace doorbell::recognition {

std::shared_ptr<const dlib::shape_predictor> shared_landmarks(const std::string& path) {
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<const dlib::shape_predictor>> loaded;  // guarded by mutex
  std::error_code error;
  const auto key = std::filesystem::weakly_canonical(path, error).string();
  std::lock_guard lock(mutex);
  if (auto shared = loaded[key].lock()) return shared;
  auto predictor = std::make_shared<dlib::shape_predictor>();
  load_model(path, "recognition.landmarks_model", *predictor);
  if (predictor->num_parts() != 68 && predictor->num_parts() != 5) {
    throw ModelError(fmt::format("recognition.landmarks_model: \"{}\" predicts {} points; expected 68 or 5",
                                 path, predictor->num_parts()));
  }
  loaded[key] = predictor;
  return predictor;
}

}  // namespace doorbell::recognition
