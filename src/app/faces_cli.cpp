#include "doorbell/app/faces_cli.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "doorbell/app/cli_audit.hpp"
#include "doorbell/app/data_dir_owner.hpp"
#include "doorbell/app/options.hpp"
#include "doorbell/gallery/calibration.hpp"
#include "doorbell/gallery/face_json.hpp"
#include "doorbell/gallery/face_service.hpp"

namespace doorbell {
namespace {

using model::PersonKind;

struct LoadedFile {
  std::string path;
  std::vector<std::uint8_t> bytes;
};

std::vector<LoadedFile> read_files(const std::vector<std::string>& paths) {
  std::vector<LoadedFile> files;
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
      throw gallery::FaceError(gallery::FaceError::Code::invalid_request,
                               fmt::format("{}: cannot read", path));
    files.push_back({path, {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()}});
  }
  return files;
}

std::vector<gallery::ImageInput> inputs_of(const std::vector<LoadedFile>& files) {
  std::vector<gallery::ImageInput> inputs;
  inputs.reserve(files.size());
  for (const auto& f : files) inputs.push_back({f.path, f.bytes});
  return inputs;
}

nlohmann::json image_face_json(const std::string& image, const gallery::IdentifiedFace& f) {
  auto j = gallery::to_json(f);
  j["image"] = image;
  return j;
}

std::string face_line(const std::string& image, const gallery::IdentifiedFace& f) {
  const auto box = fmt::format("{}: box {},{} {}x{}", image, f.box.x, f.box.y, f.box.width, f.box.height);
  if (!f.quality.ok()) return fmt::format("{} rejected: {}", box, f.quality.problem);
  if (f.match.verdict != model::Verdict::unknown) {
    return fmt::format("{} {} {} distance {:.3f}", box, to_string(f.match.verdict), f.name, f.match.distance);
  }
  if (f.name.empty()) return fmt::format("{} unknown (gallery empty)", box);
  return fmt::format("{} unknown (nearest {} at {:.3f}{})", box, f.name, f.match.distance,
                     f.match.ambiguous ? ", ambiguous" : "");
}

// Arguments after the subcommand, with --json taken out.
struct Args {
  std::vector<std::string> positional;
  bool json = false;
};

Args split(const std::vector<std::string>& args) {
  Args out;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--json") {
      out.json = true;
    } else {
      out.positional.push_back(args[i]);
    }
  }
  return out;
}

int usage_error(const std::string& message) {
  fmt::print(stderr, "doorbelld faces: {}\n{}", message, faces_usage());
  return kExitUsage;
}

int run(const Config& config, const std::vector<std::string>& args) {
  const auto& cmd = args.front();
  const auto a = split(args);
  const auto& p = a.positional;
  // The images are read with the caller's rights (they may be in root's home), everything else as the
  // owner of the data directory.
  const bool enrolling = cmd == "add" || cmd == "blacklist";
  if (enrolling && p.size() < 2) return usage_error(cmd + " takes NAME and at least one IMAGE");
  if (cmd == "identify" && p.empty()) return usage_error("identify takes at least one IMAGE");
  const auto files = enrolling           ? read_files({p.begin() + 1, p.end()})
                     : cmd == "identify" ? read_files(p)
                                         : std::vector<LoadedFile>{};
  const CliAudit audit(config);  // who ran it, before acting as the data directory's owner
  act_as_data_dir_owner(config.storage.data_dir, "faces " + cmd + " ...");
  storage::GalleryStore store(storage::records_location(config.storage));

  if (cmd == "list") {
    const auto people = store.list();
    if (a.json) {
      for (const auto& s : people) fmt::print("{}\n", gallery::to_json(s).dump());
    } else {
      fmt::print("{:>5}  {:<24} {:<9} {:>7}  {}\n", "id", "name", "kind", "samples", "created");
      for (const auto& s : people) {
        fmt::print("{:>5}  {:<24} {:<9} {:>7}  {}\n", s.person.id, s.person.name, to_string(s.person.kind),
                   s.samples, s.created_at);
      }
    }
    return 0;
  }
  if (cmd == "remove") {
    if (p.size() != 1) return usage_error("remove takes one NAME");
    const auto person = store.find(p[0]);
    if (!person || !store.remove(person->id)) {
      fmt::print(stderr, "doorbelld faces remove: no person named \"{}\"\n", p[0]);
      return kExitFailure;
    }
    audit.record("person.removed", "person", std::to_string(person->id), person->name);
    fmt::print("removed {} and their face samples\n", person->name);
    return 0;
  }

  recognition::FaceEngine engine(config.recognition);
  gallery::GalleryCache gallery;
  gallery::FaceService service(engine, store, gallery, config.recognition);
  if (enrolling) {
    const auto kind = cmd == "add" ? PersonKind::known : PersonKind::blacklist;
    const bool known_before = store.find(p[0]).has_value();
    const auto person = service.enroll(p[0], kind, inputs_of(files));
    const auto id = std::to_string(person.id);
    if (!known_before) audit.record("person.created", "person", id, person.name, to_string(person.kind));
    audit.record("sample.added", "person", id, person.name, fmt::format("{} photo(s)", files.size()));
    fmt::print("enrolled {} (id {}, {}) from {} image(s)\n", person.name, person.id, to_string(person.kind),
               files.size());
    return 0;
  }
  if (cmd == "identify") {
    for (const auto& file : files) {
      const auto found = service.identify({file.path, file.bytes});
      if (found.empty() && !a.json) fmt::print("{}: no face\n", file.path);
      for (const auto& f : found)
        fmt::print("{}\n", a.json ? image_face_json(file.path, f).dump() : face_line(file.path, f));
    }
    return 0;
  }
  if (cmd == "eval") {
    if (p.size() != 1) return usage_error("eval takes one DIR holding DIR/<person>/<image>");
    const auto report = gallery::calibrate(engine, p[0]);
    fmt::print("{}", a.json ? report.to_json().dump(2) + "\n" : report.to_text());
    return 0;
  }
  return usage_error(fmt::format("unknown command \"{}\"", cmd));
}

}  // namespace

std::string faces_usage() {
  return "usage: doorbelld [--config FILE] faces COMMAND\n"
         "  add NAME IMAGE...        enroll a known person (one face per image)\n"
         "  blacklist NAME IMAGE...  enroll someone to warn about\n"
         "  list [--json]            people and their sample counts\n"
         "  remove NAME              delete a person, their samples and images\n"
         "  identify [--json] IMAGE...  box, result, name and distance of every face\n"
         "  eval [--json] DIR        distances within and between DIR/<person>/*.jpg and the threshold that "
         "best\n"
         "                           separates them\n";
}

int run_faces_command(const Config& config, const std::vector<std::string>& args) {
  if (args.empty()) return usage_error("missing COMMAND");
  try {
    return run(config, args);
  } catch (const gallery::FaceError& e) {
    fmt::print(stderr, "doorbelld faces {}: {} ({})\n", args.front(), e.what(), e.name());
  } catch (const std::exception& e) {
    fmt::print(stderr, "doorbelld faces {}: {}\n", args.front(), e.what());
  }
  return kExitFailure;
}

}  // namespace doorbell
