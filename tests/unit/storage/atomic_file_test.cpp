#include "doorbell/storage/atomic_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <iterator>
#include <system_error>

#include "support/temp_dir.hpp"

namespace doorbell::storage {
namespace {

std::vector<std::uint8_t> bytes(std::string_view text) {
  return {text.begin(), text.end()};
}

std::string read(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::size_t entries(const std::filesystem::path& folder) {
  return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(folder), {}));
}

TEST(AtomicFile, WritesTheWholeFileInNewFoldersForTheDaemonsUserAndGroupOnly) {
  testing::TempDir dir;
  const auto file = dir.path() / "events" / "2026-12-01" / "1.jpg";
  write_file_atomically(file, bytes("jpeg bytes"));
  EXPECT_EQ(read(file), "jpeg bytes");
  EXPECT_EQ(entries(file.parent_path()), 1u) << "no temporary file is left next to it";
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
}

TEST(AtomicFile, ReplacesAnOldFileWhole) {
  testing::TempDir dir;
  const auto file = dir.write("face.jpg", "an older, longer picture");
  write_file_atomically(file, bytes("new"));
  EXPECT_EQ(read(file), "new");
}

TEST(AtomicFile, AFailureNamesTheFileAndLeavesNothingBehind) {
  testing::TempDir dir;
  dir.write("events", "a file where the events folder should be");
  const auto file = dir.path() / "events" / "day" / "1.jpg";
  try {
    write_file_atomically(file, bytes("jpeg"));
    FAIL() << "wrote below a regular file";
  } catch (const std::system_error& e) {
    EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
  }
  EXPECT_EQ(entries(dir.path()), 1u);
}

}  // namespace
}  // namespace doorbell::storage
