#include "doorbell/api/mjpeg_stream.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "doorbell/common/image_codec.hpp"

namespace doorbell::api {
namespace {

using namespace std::chrono_literals;

capture::FramePtr frame(std::uint64_t sequence, std::uint8_t grey,
                        std::chrono::steady_clock::time_point captured = {}) {
  auto f = std::make_shared<capture::Frame>();
  f->sequence = sequence;
  f->captured = captured;
  f->image = Image{32, 24, std::vector<std::uint8_t>(std::size_t{32} * 24 * 3, grey)};
  return f;
}

// The JPEG parts of a multipart/x-mixed-replace body.
std::vector<std::string> parts(const std::string& body) {
  std::vector<std::string> out;
  const std::string header_end = "\r\n\r\n";
  for (auto at = body.find("--doorbellframe\r\n"); at != std::string::npos;
       at = body.find("--doorbellframe\r\n", at + 1)) {
    const auto length_at = body.find("Content-Length: ", at) + 16;
    const auto length = std::stoul(body.substr(length_at, body.find("\r\n", length_at) - length_at));
    out.push_back(body.substr(body.find(header_end, at) + header_end.size(), length));
  }
  return out;
}

class MjpegStreamTest : public ::testing::Test {
 protected:
  MjpegStreamTest() { config.stream_fps = 50; }

  HttpConfig config;
  capture::LiveFrame live;
  prometheus::Registry registry;
};

TEST_F(MjpegStreamTest, SendsEachNewFrameOnceAsAJpegPart) {
  MjpegStream stream(config, &live, registry);
  live.push(frame(1, 40));
  auto response = stream.open();
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "multipart/x-mixed-replace; boundary=doorbellframe");
  ASSERT_TRUE(response.stream);
  std::string body;
  int writes = 0;
  response.stream([&](std::string_view piece) {
    body.append(piece);
    if (++writes == 1) live.push(frame(2, 200));  // a new frame arrives after the first is sent
    return writes < 2;                            // then the viewer leaves
  });
  const auto jpegs = parts(body);
  ASSERT_EQ(jpegs.size(), 2u) << "frame 1 once (not repeated while unchanged), then frame 2";
  const auto first =
      decode_image(std::span(reinterpret_cast<const std::uint8_t*>(jpegs[0].data()), jpegs[0].size()));
  const auto second =
      decode_image(std::span(reinterpret_cast<const std::uint8_t*>(jpegs[1].data()), jpegs[1].size()));
  ASSERT_TRUE(first && second);
  EXPECT_NEAR(first->pixels[0], 40, 8);
  EXPECT_NEAR(second->pixels[0], 200, 8);
}

TEST_F(MjpegStreamTest, AFrameFromBeforeACameraOutageIsNotShownAsLive) {
  capture::LiveFrame windowed{std::chrono::seconds(1)};
  MjpegStream stream(config, &windowed, registry);
  windowed.push(frame(1, 40));  // captured long ago: the camera has been down since
  auto response = stream.open();
  std::jthread camera_back([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    windowed.push(frame(2, 200, std::chrono::steady_clock::now()));
  });
  std::string body;
  response.stream([&](std::string_view piece) {
    body.append(piece);
    return false;  // the viewer leaves after the first picture
  });
  const auto jpegs = parts(body);
  ASSERT_EQ(jpegs.size(), 1u);
  const auto shown =
      decode_image(std::span(reinterpret_cast<const std::uint8_t*>(jpegs[0].data()), jpegs[0].size()));
  ASSERT_TRUE(shown);
  EXPECT_NEAR(shown->pixels[0], 200, 8) << "the first picture is the fresh one, not the stale";
}

TEST_F(MjpegStreamTest, RefusesViewersBeyondTheLimitUntilAPlaceIsFree) {
  config.stream_max_clients = 1;
  MjpegStream stream(config, &live, registry);
  std::optional<Response> first = stream.open();
  EXPECT_EQ(first->status, 200);
  const auto refused = stream.open();
  EXPECT_EQ(refused.status, 503);
  EXPECT_THAT(refused.body, ::testing::HasSubstr("too_many_viewers"));
  first.reset();  // the connection ended
  EXPECT_EQ(stream.open().status, 200);
}

TEST_F(MjpegStreamTest, IsUnavailableWithoutCameraOrWhenOff) {
  MjpegStream no_camera(config, nullptr, registry);
  EXPECT_EQ(no_camera.open().status, 503);
  config.stream_max_clients = 0;
  MjpegStream off(config, &live, registry);
  EXPECT_THAT(off.open().body, ::testing::HasSubstr("stream_max_clients"));
}

TEST_F(MjpegStreamTest, CloseEndsAWatchingStreamPromptly) {
  config.stream_fps = 1;
  MjpegStream stream(config, &live, registry);
  auto response = stream.open();
  std::jthread viewer([&] { response.stream([](std::string_view) { return true; }); });
  std::this_thread::sleep_for(100ms);
  const auto start = std::chrono::steady_clock::now();
  stream.close();
  viewer.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 500ms) << "not a whole frame period";
  EXPECT_EQ(stream.open().status, 503) << "closed for good";
}

}  // namespace
}  // namespace doorbell::api
