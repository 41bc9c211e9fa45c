// Many doors on one PostgreSQL database, at scale (issue 16), measured against SQLite in the same run:
//   1. a gallery of SAMPLES face samples (100 per person): loading it into a door's index (time, and the
//      process's resident memory it adds) and matching one face against it;
//   2. a gallery change reaching DOORS doors (each a GalleryWatch on its own connections, as in the
//      daemon): from the commit until the last door has reloaded its index;
//   3. events per second the store takes from 1, 2 and 4 doors writing at once (an event with one
//      delivery each, in one transaction, synced: as EventStore::insert does for a ring).
// The PostgreSQL server is a throw-away one on this machine (tests/support/postgres.hpp: needs root and
// Debian's postgresql; fsync off, so its write figure is the server's work, not the disk's).
// Usage: doorbell-bench-shared-store [SAMPLES=100000] [DOORS=4]
#include <fmt/format.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <thread>
#include <vector>

#include "doorbell/common/clock.hpp"
#include "doorbell/common/health.hpp"
#include "doorbell/gallery/gallery_watch.hpp"
#include "doorbell/storage/descriptor_blob.hpp"
#include "doorbell/storage/event_store.hpp"
#include "doorbell/storage/gallery_store.hpp"
#include "support/postgres.hpp"

namespace {

using namespace doorbell;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double resident_mb() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0;
  long resident = 0;
  statm >> pages >> resident;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

recognition::Descriptor random_descriptor(std::mt19937& random) {
  std::normal_distribution<float> value(0.0f, 0.09f);  // about the spread of real descriptors
  recognition::Descriptor d{};
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
      std::vector<recognition::Descriptor> descriptors;
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
  const double before = resident_mb();
  start = Clock::now();
  const auto index = store.load_index();
  const double load_ms = ms_since(start);
  const double added = resident_mb() - before;
  std::mt19937 random(11);
  const int probes = 200;
  start = Clock::now();
  std::size_t known = 0;
  for (int i = 0; i < probes; ++i)
    known += index.match(random_descriptor(random), {}).person != nullptr ? 1 : 0;
  const double match_ms = ms_since(start) / probes;
  fmt::print(
      "{:<10} {:>7} samples: written in {:6.0f} ms, loaded in {:6.0f} ms (+{:.0f} MB resident), "
      "one face matched in {:.2f} ms\n",
      name, index.samples(), fill_ms, load_ms, added, match_ms);
  static_cast<void>(known);
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
    watches.push_back(
        std::make_unique<gallery::GalleryWatch>(where, *caches.back(), health.add(fmt::format("door{}", i))));
  }
  storage::GalleryStore admin(where);
  const auto all_at = [&](double samples) {
    return std::all_of(loaded.begin(), loaded.end(),
                       [&](prometheus::Gauge* g) { return g->Value() == samples; });
  };
  const double before = static_cast<double>(admin.count_samples(gallery::PersonKind::known));
  while (!all_at(before)) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::vector<double> ms;
  std::mt19937 random(13);
  for (int change = 1; change <= 5; ++change) {
    storage::NewSample sample;
    sample.descriptor = random_descriptor(random);
    sample.source = "bench";
    const auto start = Clock::now();
    admin.enroll(fmt::format("Newcomer {}", change), gallery::PersonKind::known, std::span(&sample, 1));
    while (!all_at(before + change)) std::this_thread::sleep_for(std::chrono::microseconds(200));
    ms.push_back(ms_since(start));
  }
  std::sort(ms.begin(), ms.end());
  fmt::print(
      "a change (one enrolment) in every one of {} doors' index: median {:.0f} ms, worst {:.0f} ms "
      "(each door reloads the whole gallery)\n",
      doors, ms[ms.size() / 2], ms.back());
}

double events_per_second(const storage::Location& where, int doors) {
  std::atomic<long> stored = 0;
  std::atomic<bool> stop = false;
  std::vector<std::jthread> writers;
  for (int i = 0; i < doors; ++i) {
    writers.emplace_back([&, i] {
      storage::EventStore store(where);
      storage::EventRecord e;
      e.door = fmt::format("door-{}", i);
      e.source = "gpio";
      e.kind = "unknown";
      const std::vector<storage::NewDelivery> deliveries{{"webhook", ""}};
      while (!stop) {
        e.time = storage::iso_time(std::chrono::system_clock::now());
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
  const storage::Location sqlite_gallery(dir.path() / "sqlite-gallery");
  const storage::Location postgres_gallery(dir.path() / "pg", server.conninfo() + " dbname=gallery");
  gallery_at_scale("SQLite", sqlite_gallery, samples);
  gallery_at_scale("PostgreSQL", postgres_gallery, samples);
  change_reaches_doors(postgres_gallery, doors);

  const storage::Location sqlite_timeline(dir.path() / "sqlite-timeline");
  const storage::Location postgres_timeline(dir.path() / "pg", server.conninfo() + " dbname=timeline");
  const double sqlite_one = events_per_second(sqlite_timeline, 1);
  fmt::print("events stored per second: SQLite, 1 door: {:.0f}\n", sqlite_one);
  for (const int n : {1, 2, 4}) {
    const double rate = events_per_second(postgres_timeline, n);
    fmt::print(
        "events stored per second: PostgreSQL, {} door(s) at once: {:.0f} ({:.2f} x SQLite's one door)\n", n,
        rate, rate / sqlite_one);
  }
  return 0;
}
