// Compiled with the storage layer's include roots only (tests/CMakeLists.txt): its own header is found,
// the gallery's — a layer above storage — must not be. In this order: the first is the control.
// clang-format off
#include "doorbell/storage/event_store.hpp"
#include "doorbell/gallery/visitor_book.hpp"
// clang-format on
