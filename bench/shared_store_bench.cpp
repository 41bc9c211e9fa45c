// Many doors on one PostgreSQL database, at scale (issue 16), measured against SQLite in the same run:
//   1. a gallery of SAMPLES face samples (100 per person): loading it into a door's index (time, and the
//      process's resident memory it adds, and at its peak while loading), matching one face against it, and
//      writing and reading a door's copy of it (what a door started while the database is away reads);
//   2. a gallery change reaching DOORS doors (each a GalleryWatch on its own connections, as in the
//      daemon): from the commit until the last door has refreshed its index;
//   3. events per second the store takes from 1, 2, 4, … DOORS doors writing at once (an event with one
//      delivery each, in one transaction, synced: as EventStore::insert does for a ring);
//   4. familiar faces: what a door reads again when another door changed them (2,000 faces);
//   5. pictures: the size of a real snapshot (the portraits face-api ships, cut to 640x480 and boxed as
//      a ring's are), then an event stored with it and read back — SQLite with the snapshot as a synced
//      file, PostgreSQL with it in the row — and what each event adds to the shared database.
// The PostgreSQL server is a throw-away one on this machine (tests/support/postgres.hpp: needs
// Debian's postgresql; fsync off, so its write figure is the server's work, not the disk's).
// Usage: doorbell-bench-shared-store [SAMPLES=100000] [DOORS=4]
#include <fmt/format.h>
#include <malloc.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <random>
#include <thread>
#include <vector>

#include "doorbell/capture/annotate.hpp"
#include "doorbell/common/clock.hpp"
#include "doorbell/common/health.hpp"
#include "doorbell/gallery/gallery_watch.hpp"
#include "doorbell/model/time_text.hpp"
#include "doorbell/storage/atomic_file.hpp"
#include "doorbell/storage/descriptor_blob.hpp"
#include "doorbell/storage/event_store.hpp"
#include "doorbell/storage/file_sweep.hpp"
#include "doorbell/storage/gallery_store.hpp"
#include "doorbell/storage/visitor_store.hpp"
#include "support/models.hpp"
#include "support/postgres.hpp"

namespace {

using namespace doorbell;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// The process's resident memory now, and at its peak since the last call; what the heap holds free is
// given back first, so that what a step allocates shows even where it reuses memory an earlier step freed.
struct Resident {
  double now_mb = 0;
  double peak_mb = 0;
};
Resident resident() {
  malloc_trim(0);
  std::ifstream status("/proc/self/status");
  Resident out;
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("VmRSS:")) out.now_mb = std::stod(line.substr(6)) / 1024.0;
    if (line.starts_with("VmHWM:")) out.peak_mb = std::stod(line.substr(6)) / 1024.0;
  }
  std::ofstream("/proc/self/clear_refs") << "5";  // the peak starts again from here
  return out;
}

model::Descriptor random_descriptor(std::mt19937& random) {
  std::normal_distribution<float> value(0.0f, 0.09f);  // about the spread of real descriptors
  model::Descriptor d{};
  for (auto& v : d) v = value(random);
  return d;
}

// `samples` samples, 100 per person, written in batches of 500 rows per statement.
void fill_gallery(const storage::Location& where, long samples) {
  auto db = storage::open_records(where);
  std::mt19937 random(7);
  const long people = (samples + 99) / 100;
  db.transaction([&] {
    for (long p = 1; p <= people; ++p) {
      db.prepare("INSERT INTO people (name, kind) VALUES (?, 'known')")
          .bind(1, fmt::format("Person {}", p))
          .run();
    }
    for (long first = 0; first < samples; first += 500) {
      const long n = std::min(500L, samples - first);
      std::string sql =
          "INSERT INTO face_samples (person_id, descriptor, sharpness, width_px, source, image_path) VALUES ";
      for (long i = 0; i < n; ++i)
        sql += i == 0 ? "(?, ?, 100, 150, 'bench', '')" : ", (?, ?, 100, 150, 'bench', '')";
      auto stmt = db.prepare(sql);
      std::vector<model::Descriptor> descriptors;
      descriptors.reserve(static_cast<std::size_t>(n));  // no reallocation: the binds point into it
      for (long i = 0; i < n; ++i) {
        descriptors.push_back(random_descriptor(random));
        stmt.bind(static_cast<int>(2 * i + 1), std::int64_t{(first + i) / 100 + 1})
            .bind(static_cast<int>(2 * i + 2), storage::descriptor_bytes(descriptors.back()));
      }
      stmt.run();
    }
  });
}

void gallery_at_scale(const char* name, const storage::Location& where, long samples) {
  auto start = Clock::now();
  fill_gallery(where, samples);
  const double fill_ms = ms_since(start);
  storage::GalleryStore store(where);
  const auto before = resident();
  start = Clock::now();
  const auto index = store.load_index();
  const double load_ms = ms_since(start);
  const auto after = resident();
  std::mt19937 random(11);
  const int probes = 200;
  start = Clock::now();
  std::size_t known = 0;
  for (int i = 0; i < probes; ++i)
    known += index.match(random_descriptor(random), {}).person != nullptr ? 1 : 0;
  const double match_ms = ms_since(start) / probes;
  fmt::print(
      "{:<10} {:>7} samples: written in {:6.0f} ms, loaded in {:6.0f} ms (+{:.0f} MB resident, +{:.0f} MB "
      "at the peak while loading), one face matched in {:.2f} ms\n",
      name, index.samples(), fill_ms, load_ms, after.now_mb - before.now_mb, after.peak_mb - before.now_mb,
      match_ms);
  static_cast<void>(known);

  const auto copy = where.data_dir / "gallery-copy.cbor";  // a door's copy of its index (GalleryWatch)
  start = Clock::now();
  gallery::save_gallery_copy(copy, index, 1);
  const double save_ms = ms_since(start);
  start = Clock::now();
  const auto read = gallery::load_gallery_copy(copy);
  const double read_ms = ms_since(start);
  fmt::print(
      "{:<10} the door's copy of that index: {:.1f} MB, written (synced) in {:.0f} ms, read in {:.0f} ms\n",
      name, static_cast<double>(std::filesystem::file_size(copy)) / 1e6, save_ms, read_ms);
  if (!read || read->index.samples() != index.samples())
    throw std::runtime_error("the copy is not the index");
  std::filesystem::remove(copy);
}

// Every door's index has taken a change made at one of them: from the commit to the last reload.
void change_reaches_doors(const storage::Location& where, int doors) {
  SteadyClock clock;
  HealthRegistry health(clock);
  prometheus::Registry registry;
  std::vector<prometheus::Gauge*> loaded;
  auto& family = prometheus::BuildGauge().Name("loaded").Help("-").Register(registry);
  std::vector<std::unique_ptr<gallery::GalleryCache>> caches;
  std::vector<std::unique_ptr<gallery::GalleryWatch>> watches;
  for (int i = 0; i < doors; ++i) {
    loaded.push_back(&family.Add({{"door", std::to_string(i)}}));
    caches.push_back(std::make_unique<gallery::GalleryCache>(loaded.back()));
    const storage::Location door(where.data_dir / fmt::format("door{}", i), where.postgres);  // its own disk
    std::filesystem::create_directories(door.data_dir);
    watches.push_back(std::make_unique<gallery::GalleryWatch>(door, *caches.back(),
                                                              health.add(fmt::format("door{}", i)), clock));
  }
  storage::GalleryStore admin(where);
  const auto all_at = [&](double samples) {
    return std::all_of(loaded.begin(), loaded.end(),
                       [&](prometheus::Gauge* g) { return g->Value() == samples; });
  };
  const double before = static_cast<double>(admin.count_samples(model::PersonKind::known));
  while (!all_at(before)) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::vector<double> ms;
  std::mt19937 random(13);
  for (int change = 1; change <= 5; ++change) {
    storage::NewSample sample;
    sample.descriptor = random_descriptor(random);
    sample.source = "bench";
    const auto start = Clock::now();
    admin.enroll(fmt::format("Newcomer {}", change), model::PersonKind::known, std::span(&sample, 1));
    while (!all_at(before + change)) std::this_thread::sleep_for(std::chrono::microseconds(200));
    ms.push_back(ms_since(start));
  }
  std::sort(ms.begin(), ms.end());
  fmt::print(
      "a change (one enrolment) in every one of {} doors' index: median {:.0f} ms, worst {:.0f} ms "
      "(each door reads the people changed and copies the rest of its index; its copy on disk is written "
      "once the gallery is quiet)\n",
      doors, ms[ms.size() / 2], ms.back());
}

// The doorstep snapshots of the six portraits: 640x480 around their middle, one face box drawn.
std::vector<std::vector<std::uint8_t>> real_snapshots() {
  std::vector<std::vector<std::uint8_t>> out;
  for (int n = 1; n <= 6; ++n) {
    cv::Mat picture = cv::imread(testing::portrait(n).string());
    if (picture.empty()) continue;
    if (picture.cols < 640 || picture.rows < 480) {
      cv::resize(picture, picture, cv::Size(std::max(640, picture.cols), std::max(480, picture.rows)));
    }
    const cv::Mat cut =
        picture(cv::Rect((picture.cols - 640) / 2, (picture.rows - 480) / 2, 640, 480)).clone();
    Image frame{640, 480, std::vector<std::uint8_t>(cut.data, cut.data + cut.total() * 3)};
    out.push_back(capture::annotated_jpeg(frame, {{{240, 120, 160, 160}, "Stranger"}}));
  }
  return out;
}

// Events with a snapshot stored by one door, then each read back, as the API and the dispatchers do.
void pictures(const storage::Location& where, const char* name,
              const std::vector<std::vector<std::uint8_t>>& snapshots) {
  storage::EventStore store(where);
  const std::vector<storage::NewDelivery> deliveries{{"webhook", ""}};
  const int events = 300;
  std::vector<std::int64_t> ids;
  auto start = Clock::now();
  for (int i = 0; i < events; ++i) {
    const auto& jpeg = snapshots[static_cast<std::size_t>(i) % snapshots.size()];
    model::Event e;
    e.time = model::iso_time(std::chrono::system_clock::now());
    e.source = "gpio";
    e.kind = model::EventKind::unknown;
    const auto file = std::filesystem::path("events") / "bench" / fmt::format("{}.jpg", i);
    e.snapshot_path = file.string();
    if (!store.keeps_snapshots()) {  // as the recognition worker does
      storage::write_file_atomically(where.data_dir / file, jpeg);
      e.snapshot_path = (where.data_dir / file).string();
      e.snapshot_bytes = storage::bytes_on_disk(where.data_dir / file);
    }
    ids.push_back(store.insert(e, deliveries, jpeg));
  }
  const double store_ms = ms_since(start) / events;
  start = Clock::now();
  std::size_t read = 0;
  for (const auto id : ids)
    read += store.snapshot(*store.get(id)).value_or(std::vector<std::uint8_t>()).size();
  const double read_ms = ms_since(start) / events;
  fmt::print(
      "{:<10} an event with its snapshot: stored in {:.2f} ms, read back in {:.2f} ms ({:.0f} kB each)\n",
      name, store_ms, read_ms, static_cast<double>(read) / events / 1024);
}

double events_per_second(const storage::Location& where, int doors) {
  std::atomic<long> stored = 0;
  std::atomic<bool> stop = false;
  std::vector<std::jthread> writers;
  for (int i = 0; i < doors; ++i) {
    writers.emplace_back([&, i] {
      storage::EventStore store(where);
      model::Event e;
      e.door = fmt::format("door-{}", i);
      e.source = "gpio";
      e.kind = model::EventKind::unknown;
      const std::vector<storage::NewDelivery> deliveries{{"webhook", ""}};
      while (!stop) {
        e.time = model::iso_time(std::chrono::system_clock::now());
        store.insert(e, deliveries);
        ++stored;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(3));
  stop = true;
  writers.clear();
  return static_cast<double>(stored.load()) / 3.0;
}

// What a door reads when another door changed the familiar faces (VisitorBook::refresh): every cluster
// with its faces' descriptors; `faces` unknown faces, ten to a cluster, as visitors.keep_days keeps them.
void familiar_faces(const storage::Location& where, const char* name, int faces) {
  {
    auto db = storage::open_records(where);
    std::mt19937 random(7);
    const std::vector<std::uint8_t> crop(6 * 1024, 0x80);  // a face crop's size
    db.transaction([&] {
      std::int64_t visitor = 0;
      for (int f = 0; f < faces; ++f) {
        if (f % 10 == 0)
          visitor = db.prepare("INSERT INTO visitors DEFAULT VALUES RETURNING id").returning_id();
        const auto d = random_descriptor(random);
        db.prepare(
              "INSERT INTO event_faces (position, descriptor, sharpness, width_px, crop, visitor_id) "
              "VALUES (?, ?, 100, 120, ?, ?)")
            .bind(1, static_cast<std::int64_t>(f))
            .bind(2, storage::descriptor_bytes(d))
            .bind(3, std::span<const std::uint8_t>(crop))
            .bind(4, visitor)
            .run();
      }
    });
  }
  storage::VisitorStore store(where);
  std::vector<double> ms;
  for (int run = 0; run < 7; ++run) {
    const auto start = Clock::now();
    const auto clusters = store.clusters();
    ms.push_back(ms_since(start));
    if (clusters.size() != static_cast<std::size_t>((faces + 9) / 10)) std::abort();
  }
  std::sort(ms.begin(), ms.end());
  fmt::print(
      "{:<10} familiar faces read again whole ({} faces in {} clusters): median {:.1f} ms, worst {:.1f} ms\n",
      name, faces, (faces + 9) / 10, ms[ms.size() / 2], ms.back());
}

}  // namespace

int main(int argc, char** argv) {
  const long samples = argc > 1 ? std::atol(argv[1]) : 100000;
  const int doors = argc > 2 ? std::atoi(argv[2]) : 4;
  testing::ThrowawayPostgres server;
  if (!server.unavailable().empty()) {
    fmt::print(stderr, "no PostgreSQL server: {}\n", server.unavailable());
    return 1;
  }
  storage::Database::postgres(server.conninfo(), {}).exec("CREATE DATABASE gallery");
  storage::Database::postgres(server.conninfo(), {}).exec("CREATE DATABASE timeline");
  testing::TempDir dir;
  std::filesystem::create_directories(dir.path() / "pg");  // a door's own disk: its ring journal
  const storage::Location sqlite_gallery(dir.path() / "sqlite-gallery");
  const storage::Location postgres_gallery(dir.path() / "pg", server.conninfo() + " dbname=gallery");
  gallery_at_scale("SQLite", sqlite_gallery, samples);
  gallery_at_scale("PostgreSQL", postgres_gallery, samples);
  change_reaches_doors(postgres_gallery, doors);

  const storage::Location sqlite_timeline(dir.path() / "sqlite-timeline");
  const storage::Location postgres_timeline(dir.path() / "pg", server.conninfo() + " dbname=timeline");
  const double sqlite_one = events_per_second(sqlite_timeline, 1);
  fmt::print("events stored per second: SQLite, 1 door: {:.0f}\n", sqlite_one);
  for (int n = 1; n <= doors; n *= 2) {  // 1, 2, 4, … DOORS writing at once
    const double rate = events_per_second(postgres_timeline, n);
    fmt::print(
        "events stored per second: PostgreSQL, {} door(s) at once: {:.0f} ({:.2f} x SQLite's one door)\n", n,
        rate, rate / sqlite_one);
  }

  storage::Database::postgres(server.conninfo(), {}).exec("CREATE DATABASE visitors");
  std::filesystem::create_directories(dir.path() / "sqlite-visitors");
  familiar_faces(storage::Location(dir.path() / "sqlite-visitors"), "SQLite", 2000);
  familiar_faces(storage::Location(dir.path() / "pg", server.conninfo() + " dbname=visitors"), "PostgreSQL",
                 2000);

  const auto snapshots = real_snapshots();
  if (snapshots.empty()) {
    fmt::print(stderr, "no portraits to make snapshots of (face-api's demo images: tests/reference)\n");
    return 1;
  }
  std::vector<std::size_t> sizes;
  for (const auto& s : snapshots) sizes.push_back(s.size());
  std::sort(sizes.begin(), sizes.end());
  fmt::print("a ring's snapshot (640x480, JPEG quality 85): {:.1f} to {:.1f} kB, {} portraits\n",
             static_cast<double>(sizes.front()) / 1024, static_cast<double>(sizes.back()) / 1024,
             sizes.size());
  storage::Database::postgres(server.conninfo(), {}).exec("CREATE DATABASE pictures");
  const storage::Location postgres_pictures(dir.path() / "pg", server.conninfo() + " dbname=pictures");
  auto size_of = [&] {
    auto db = storage::open_records(postgres_pictures);
    auto row = db.prepare("SELECT pg_total_relation_size('events')");
    row.step();
    return row.integer(0);
  };
  pictures(dir.path() / "sqlite-pictures", "SQLite", snapshots);
  const auto empty = size_of();
  pictures(postgres_pictures, "PostgreSQL", snapshots);
  fmt::print("the shared database grows by {:.1f} kB per event with a snapshot (table, TOAST and indexes)\n",
             static_cast<double>(size_of() - empty) / 300 / 1024);
  return 0;
}
