// The converted model against face-api's own forward pass of the same weights (tfjs in node).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "doorbell/common/image_codec.hpp"
#include "doorbell/recognition/face_engine.hpp"
#include "doorbell/recognition/model_conversion.hpp"
#include "support/models.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/tools.hpp"

namespace doorbell::testing {
namespace {

TEST(ModelConversion, BuildsEveryLayerOfDlibsNetwork) {
  TempDir dir;
  const auto out = dir.path() / "resnet.dat";
  const auto report = recognition::convert_faceapi_model(kFaceApiManifest, out);
  EXPECT_EQ(report.conv_layers, 29u);
  EXPECT_EQ(report.affine_layers, 29u);
  EXPECT_EQ(report.fc_layers, 1u);
  EXPECT_EQ(report.parameters, 5607488u);
  EXPECT_GT(std::filesystem::file_size(out), 20'000'000u);
}

TEST(ModelConversion, RejectsAManifestThatDoesNotFit) {
  TempDir dir;
  const auto manifest = dir.write("m.json", R"([{"paths": ["w.bin"], "weights": [
      {"name": "conv32_down/conv/filters", "shape": [3, 3, 3, 32], "dtype": "float32"}]}])");
  dir.write("w.bin", std::string(3 * 3 * 3 * 32 * 4, '\0'));
  EXPECT_THROW(recognition::convert_faceapi_model(manifest, dir.path() / "out.dat"), std::runtime_error);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "out.dat")) << "nothing half-written";
}

std::vector<std::vector<double>> faceapi_descriptors(const std::vector<std::filesystem::path>& chips) {
  std::vector<std::string> argv{NODE_BINARY,
                                std::string(DOORBELL_SOURCE_DIR) + "/tests/reference/faceapi_descriptor.js"};
  for (const auto& c : chips) argv.push_back(c.string());
  const auto result = run_command(argv, {}, {}, std::chrono::seconds(120));
  EXPECT_EQ(result.exit_code, 0) << result.output;
  std::vector<std::vector<double>> out;
  std::istringstream lines(result.output);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.front() == '[')
      out.push_back(nlohmann::json::parse(line).get<std::vector<double>>());
  }
  return out;
}

TEST(ModelConversion, DescriptorsMatchFaceApisOwnForwardPass) {
  DOORBELL_SKIP_WITHOUT(NODE_BINARY, "node (face-api's forward pass)");
  TempDir dir;
  auto config = recognition_config();
  config.resnet_model = (dir.path() / "resnet.dat").string();
  recognition::convert_faceapi_model(kFaceApiManifest, config.resnet_model);
  recognition::FaceEngine engine(config);
  const auto image = read_image_file(portrait(1));
  const auto faces = engine.analyze(image.view(), recognition::Chips::keep);

  std::vector<std::filesystem::path> chips;
  std::vector<const model::Face*> described;
  for (const auto& f : faces) {
    if (!f.quality.ok()) continue;
    const auto path = dir.path() / ("chip" + std::to_string(chips.size()) + ".rgb");
    std::ofstream out(path, std::ios::binary);
    for (std::size_t i = 0; i < f.chip.pixels.size(); i += 3) {  // BGR -> RGB
      out.put(static_cast<char>(f.chip.pixels[i + 2])).put(static_cast<char>(f.chip.pixels[i + 1]));
      out.put(static_cast<char>(f.chip.pixels[i]));
    }
    chips.push_back(path);
    described.push_back(&f);
  }
  ASSERT_GE(chips.size(), 3u);
  const auto reference = faceapi_descriptors(chips);
  ASSERT_EQ(reference.size(), chips.size());
  for (std::size_t k = 0; k < chips.size(); ++k) {
    ASSERT_EQ(reference[k].size(), 128u);
    double max_diff = 0, sq = 0;
    for (std::size_t i = 0; i < 128; ++i) {
      const double d = described[k]->descriptor[i] - reference[k][i];
      max_diff = std::max(max_diff, std::abs(d));
      sq += d * d;
    }
    // dlib scales pixels by 1/256, face-api by 1/255: about 1e-3 apart, far below any decision.
    EXPECT_LT(max_diff, 2e-3) << "face " << k;
    EXPECT_LT(std::sqrt(sq), 5e-3) << "face " << k;
  }
}

}  // namespace
}  // namespace doorbell::testing
