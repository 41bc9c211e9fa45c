#include "model_files.hpp"

#include <dlfcn.h>

#include <map>
#include <mutex>

#include "resnet.hpp"

namespace doorbell::recognition {

namespace {

// The model at `path`, loaded by `load` unless another caller holds one loaded from the same file.
template <class Model, class Load>
std::shared_ptr<Model> load_once(const std::string& path, Load load) {
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<Model>> loaded;  // guarded by mutex
  std::error_code error;
  const auto key = std::filesystem::weakly_canonical(path, error).string();
  std::lock_guard lock(mutex);
  auto shared = loaded[key].lock();
  if (!shared) {
    shared = load();
    loaded[key] = shared;
  }
  return shared;
}

}  // namespace

std::shared_ptr<const LandmarkModel> shared_landmarks(const std::string& path) {
  return load_once<const LandmarkModel>(path, [&] {
    std::shared_ptr<const LandmarkModel> predictor;
    read_model(path, "recognition.landmarks_model",
               [&](std::istream& in) { predictor = std::make_shared<LandmarkModel>(in); });
    if (predictor->num_parts() != 68 && predictor->num_parts() != 5) {
      throw ModelError(fmt::format("recognition.landmarks_model: \"{}\" predicts {} points; expected 68 or 5",
                                   path, predictor->num_parts()));
    }
    return predictor;
  });
}

std::shared_ptr<SharedNet> shared_net(const std::string& path) {
  return load_once<SharedNet>(path, [&] {
    auto shared = std::make_shared<SharedNet>();
    read_model(path, "recognition.resnet_model", [&](std::istream& in) { deserialize(shared->net, in); });
    return shared;
  });
}

const dlib::frontal_face_detector& frontal_face_detector() {
  static const dlib::frontal_face_detector decoded = dlib::get_frontal_face_detector();
  return decoded;
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
