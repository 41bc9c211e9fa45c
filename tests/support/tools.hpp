#pragma once
// The programs some tests run, as CMake found them (PROMETHEUS_BINARY, PROMTOOL_BINARY, NODE_BINARY: empty
// when the machine has none). A test that needs one skips, saying which, when it is absent.

#include <gtest/gtest.h>

#include <string_view>

#define DOORBELL_SKIP_WITHOUT(program, name) \
  if (std::string_view(program).empty()) GTEST_SKIP() << (name) << " is not installed"
