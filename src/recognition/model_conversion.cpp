#include "doorbell/recognition/model_conversion.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "resnet.hpp"

namespace doorbell::recognition {
namespace {

struct Tensor {
  std::string name;
  std::vector<std::size_t> shape;
  std::vector<float> values;
};

std::vector<char> read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("cannot read \"{}\"", path.string()));
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Tensors in manifest order: uint8-quantised ones (q * scale + min) and plain float32 ones.
std::vector<Tensor> read_faceapi_weights(const std::filesystem::path& manifest_path) {
  nlohmann::json manifest;
  try {
    std::ifstream in(manifest_path);
    if (!in) throw std::runtime_error("cannot open");
    manifest = nlohmann::json::parse(in);
  } catch (const std::exception& e) {
    throw std::runtime_error(
        fmt::format("\"{}\": not a weights manifest: {}", manifest_path.string(), e.what()));
  }
  std::vector<Tensor> tensors;
  for (const auto& group : manifest) {
    std::vector<char> data;
    for (const auto& file : group.at("paths")) {
      const auto part = read_bytes(manifest_path.parent_path() / file.get<std::string>());
      data.insert(data.end(), part.begin(), part.end());
    }
    std::size_t offset = 0;
    for (const auto& w : group.at("weights")) {
      Tensor t{w.at("name").get<std::string>(), w.at("shape").get<std::vector<std::size_t>>(), {}};
      std::size_t count = 1;
      for (auto d : t.shape) count *= d;
      t.values.resize(count);
      const bool quantised = w.contains("quantization");
      if (quantised && w["quantization"].at("dtype") != "uint8") {
        throw std::runtime_error(
            fmt::format("{}: unsupported quantisation {}", t.name, w["quantization"].dump()));
      }
      const std::size_t bytes = quantised ? count : count * sizeof(float);
      if (offset + bytes > data.size()) {
        throw std::runtime_error(
            fmt::format("{}: weights file too short for tensor {}", manifest_path.string(), t.name));
      }
      if (quantised) {
        const auto scale = w["quantization"].at("scale").get<float>();
        const auto min = w["quantization"].at("min").get<float>();
        for (std::size_t i = 0; i < count; ++i) {
          t.values[i] = static_cast<float>(static_cast<unsigned char>(data[offset + i])) * scale + min;
        }
      } else {
        std::memcpy(t.values.data(), data.data() + offset, bytes);
      }
      offset += bytes;
      tensors.push_back(std::move(t));
    }
  }
  return tensors;
}

// Takes the manifest's tensors in order, checking each name and size.
class TensorReader {
 public:
  explicit TensorReader(std::vector<Tensor> tensors) : tensors_(std::move(tensors)) {}

  const Tensor& next(std::string_view suffix, std::size_t expected_size) {
    if (index_ >= tensors_.size())
      throw std::runtime_error(fmt::format("manifest ends before a {} tensor", suffix));
    const auto& t = tensors_[index_++];
    if (!t.name.ends_with(suffix) || t.values.size() != expected_size) {
      throw std::runtime_error(
          fmt::format("tensor {} ({} values) does not fit the network: expected *{} with {}", t.name,
                      t.values.size(), suffix, expected_size));
    }
    return t;
  }
  bool done() const { return index_ == tensors_.size(); }

 private:
  std::vector<Tensor> tensors_;
  std::size_t index_ = 0;
};

template <class L>
concept ConvLayer = requires(L& l) {
  l.num_filters();
  l.nr();
  l.nc();
};
template <class L>
concept AffineLayer = requires(L& l) {
  l.get_gamma();
};
template <class L>
concept FcLayer = requires(L& l) {
  l.get_num_outputs();
};

// face-api filters are [h][w][in][out]; dlib's con_ wants [out][in][h][w], then the bias.
void fill_conv(dlib::tensor& params, TensorReader& reader, long out, long in, long h, long w) {
  const auto n = static_cast<std::size_t>(out * in * h * w);
  if (params.size() != n + static_cast<std::size_t>(out))
    throw std::runtime_error("unexpected con_ parameter size");
  const auto& filters = reader.next("/conv/filters", n).values;
  const auto& bias = reader.next("/conv/bias", static_cast<std::size_t>(out)).values;
  float* dst = params.host();
  for (long o = 0; o < out; ++o)
    for (long i = 0; i < in; ++i)
      for (long y = 0; y < h; ++y)
        for (long x = 0; x < w; ++x)
          dst[((o * in + i) * h + y) * w + x] =
              filters[static_cast<std::size_t>(((y * w + x) * in + i) * out + o)];
  std::copy(bias.begin(), bias.end(), dst + n);
}

}  // namespace

ConversionReport convert_faceapi_model(const std::filesystem::path& manifest,
                                       const std::filesystem::path& output) {
  TensorReader reader(read_faceapi_weights(manifest));

  FaceNet net;
  dlib::visit_computational_layers(net, [](auto& layer) {
    if constexpr (AffineLayer<std::decay_t<decltype(layer)>>) layer = dlib::affine_(dlib::CONV_MODE);
  });
  dlib::matrix<dlib::rgb_pixel> dummy(kChipSize, kChipSize);
  dlib::assign_all_pixels(dummy, dlib::rgb_pixel(128, 128, 128));
  net(dummy);  // layers allocate their parameters on the first forward pass

  // visit_computational_layers walks from the output to the input; the manifest goes the other way.
  std::vector<std::function<void()>> fills;
  ConversionReport report;
  dlib::visit_computational_layers(net, [&](auto& layer) {
    using L = std::decay_t<decltype(layer)>;
    if constexpr (FcLayer<L>) {
      fills.emplace_back([&] {
        auto& params = layer.get_layer_params();
        const auto& w = reader.next("fc", params.size()).values;
        std::copy(w.begin(), w.end(), params.host());  // [inputs][outputs] in both
      });
      ++report.fc_layers;
    } else if constexpr (ConvLayer<L>) {
      fills.emplace_back([&] {
        auto& params = layer.get_layer_params();
        const long in_channels = (static_cast<long>(params.size()) - layer.num_filters()) /
                                 (layer.num_filters() * layer.nr() * layer.nc());
        fill_conv(params, reader, layer.num_filters(), in_channels, layer.nr(), layer.nc());
      });
      ++report.conv_layers;
    } else if constexpr (AffineLayer<L>) {
      fills.emplace_back([&] {
        auto gamma = layer.get_gamma();
        auto beta = layer.get_beta();
        const auto& g = reader.next("/scale/weights", gamma.size()).values;
        const auto& b = reader.next("/scale/biases", beta.size()).values;
        std::copy(g.begin(), g.end(), gamma.host());
        std::copy(b.begin(), b.end(), beta.host());
      });
      ++report.affine_layers;
    }
  });
  std::for_each(fills.rbegin(), fills.rend(), [](const auto& fill) { fill(); });
  if (!reader.done()) throw std::runtime_error("manifest has more tensors than the network has parameters");

  dlib::visit_computational_layers(
      net, [&](auto& layer) { report.parameters += layer.get_layer_params().size(); });
  net.clean();
  const auto partial = std::filesystem::path(output.string() + ".partial");
  dlib::serialize(partial.string()) << net;
  std::filesystem::rename(partial, output);
  return report;
}

}  // namespace doorbell::recognition
