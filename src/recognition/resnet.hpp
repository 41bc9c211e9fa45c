#pragma once
// dlib's face recognition network, exactly as dlib's dnn_face_recognition_ex.cpp defines it, so that
// dlib_face_recognition_resnet_model_v1.dat deserialises into it. Internal to src/recognition.

#include <dlib/dnn.h>

#include <mutex>

namespace doorbell::recognition {

// clang-format off
template <template <int, template <typename> class, int, typename> class block, int N,
          template <typename> class BN, typename SUBNET>
using residual = dlib::add_prev1<block<N, BN, 1, dlib::tag1<SUBNET>>>;

template <template <int, template <typename> class, int, typename> class block, int N,
          template <typename> class BN, typename SUBNET>
using residual_down = dlib::add_prev2<dlib::avg_pool<2, 2, 2, 2, dlib::skip1<dlib::tag2<block<N, BN, 2, dlib::tag1<SUBNET>>>>>>;

template <int N, template <typename> class BN, int stride, typename SUBNET>
using block = BN<dlib::con<N, 3, 3, 1, 1, dlib::relu<BN<dlib::con<N, 3, 3, stride, stride, SUBNET>>>>>;

template <int N, typename SUBNET> using ares = dlib::relu<residual<block, N, dlib::affine, SUBNET>>;
template <int N, typename SUBNET> using ares_down = dlib::relu<residual_down<block, N, dlib::affine, SUBNET>>;

template <typename SUBNET> using alevel0 = ares_down<256, SUBNET>;
template <typename SUBNET> using alevel1 = ares<256, ares<256, ares_down<256, SUBNET>>>;
template <typename SUBNET> using alevel2 = ares<128, ares<128, ares_down<128, SUBNET>>>;
template <typename SUBNET> using alevel3 = ares<64, ares<64, ares<64, ares_down<64, SUBNET>>>>;
template <typename SUBNET> using alevel4 = ares<32, ares<32, ares<32, SUBNET>>>;

using FaceNet = dlib::loss_metric<dlib::fc_no_bias<128, dlib::avg_pool_everything<
                alevel0<alevel1<alevel2<alevel3<alevel4<
                dlib::max_pool<3, 3, 2, 2, dlib::relu<dlib::affine<dlib::con<32, 7, 7, 2, 2,
                dlib::input_rgb_image_sized<150>>>>>>>>>>>>>;
// clang-format on

// The network and the lock that every use of it holds (one per process: model_files.hpp).
struct SharedNet {
  std::mutex mutex;
  FaceNet net;  // guarded by mutex
};

inline constexpr int kChipSize = 150;
inline constexpr double kChipPadding = 0.25;  // as dlib's example and face_recognition_model_v1

}  // namespace doorbell::recognition
