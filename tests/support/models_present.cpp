// Linked into the test binaries that need the real models (doorbell_test(... NEEDS models)): without them
// every test of the binary is skipped, saying how to get them, instead of failing one by one.

#include <gtest/gtest.h>

#include <filesystem>

#include "support/models.hpp"

namespace {

class ModelsPresent : public ::testing::Environment {
 public:
  void SetUp() override {
    const auto models = doorbell::testing::recognition_config();
    for (const auto& file : {models.resnet_model, models.landmarks_model}) {
      if (!std::filesystem::exists(file)) GTEST_SKIP() << file << " is missing: run scripts/models.sh";
    }
  }
};

const auto* const kModelsPresent = ::testing::AddGlobalTestEnvironment(new ModelsPresent);

}  // namespace
