// Compiled with the storage layer's include roots only (tests/CMakeLists.txt): its own header is found,
// the gallery's — a layer above storage — must not be.
#include "doorbell/storage/event_store.hpp"
#include "doorbell/gallery/visitor_book.hpp"
