#include "model_files.hpp"

#include <dlfcn.h>

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

void single_threaded_blas() {
  static std::once_flag once;
  std::call_once(once, [] {
    using SetThreads = void (*)(int);
    // Looked up, not linked: the BLAS behind libblas.so.3 may be another (Debian's alternatives).
    if (auto* set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) set(1);
  });
}

}  // namespace doorbell::recognition
