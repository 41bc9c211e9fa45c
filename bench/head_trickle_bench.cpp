// A request head trickled a byte at a time: what it costs the connection gate. First in this process, the
// parsing alone — the head parsed again from byte 0 on every read (as the gate did until 2026-12) against
// HeadScanner, which looks at each byte once — with their ratio; then against a running daemon, the CPU
// time of its gate thread ("http") while one client sends a head one byte per send.
// Prints one JSON line. Usage: doorbell-bench-trickle [PORT PID] [BYTES=16384]
#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "doorbell/http/request_head.hpp"

namespace {

using doorbell::http::HeadScanner;
using doorbell::http::parse_request_head;

// A valid head of about `bytes` bytes: a request line, 200-byte headers, the blank line.
std::string make_head(std::size_t bytes) {
  std::string head = "GET /api/events HTTP/1.1\r\nHost: door\r\n";
  while (head.size() + 215 < bytes) head += "X-Padding: " + std::string(200, 'p') + "\r\n";
  return head + "\r\n";
}

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Parse work for the head arriving one byte per read: from scratch each time, or when the scanner says.
double parse_seconds(const std::string& head, bool scanned) {
  const double start = thread_cpu_seconds();
  HeadScanner scanner;
  std::size_t parses = 0;
  for (std::size_t n = 1; n <= head.size(); ++n) {
    const std::string_view bytes(head.data(), n);
    if (scanned && !scanner.worth_parsing(bytes)) continue;
    ++parses;
    if (parse_request_head(bytes).problem != doorbell::http::HeadProblem::incomplete) break;
  }
  if (parses == 0) std::abort();
  return thread_cpu_seconds() - start;
}

// utime + stime of the daemon's thread named "http" (its connection gate), in seconds.
double gate_cpu_seconds(int pid) {
  for (const auto& task : std::filesystem::directory_iterator(fmt::format("/proc/{}/task", pid))) {
    std::ifstream comm(task.path() / "comm");
    std::string name;
    std::getline(comm, name);
    if (name != "http") continue;
    std::ifstream stat(task.path() / "stat");
    std::string line;
    std::getline(stat, line);
    std::istringstream fields(line.substr(line.rfind(')') + 2));
    std::string field;
    long utime = 0, stime = 0;
    for (int i = 3; fields >> field; ++i) {
      if (i == 14) utime = std::stol(field);
      if (i == 15) {
        stime = std::stol(field);
        break;
      }
    }
    return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
  }
  throw std::runtime_error(fmt::format("no thread named http in process {}", pid));
}

// Sends the head to the daemon one byte per send, each arriving on its own; the seconds it took.
double trickle(int port, const std::string& head) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    throw std::runtime_error("connect");
  const int yes = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  const auto start = std::chrono::steady_clock::now();
  for (const char c : head) {
    if (::send(fd, &c, 1, MSG_NOSIGNAL) != 1) throw std::runtime_error("the daemon closed the connection");
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
  char answer[64] = {};
  [[maybe_unused]] const auto n = ::recv(fd, answer, sizeof answer - 1, 0);
  ::close(fd);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  const bool daemon = argc >= 3;
  const std::size_t bytes = argc == 2 || argc == 4 ? std::stoul(argv[argc - 1]) : 16384;
  const auto head = make_head(bytes);
  const double from_scratch = parse_seconds(head, false);
  const double scanned = parse_seconds(head, true);
  std::string out = fmt::format(
      R"({{"head_bytes": {}, "parse_from_scratch_ms": {:.1f}, "parse_scanned_ms": {:.3f}, "ratio": {:.0f})",
      head.size(), from_scratch * 1e3, scanned * 1e3, from_scratch / scanned);
  if (daemon) {
    const int port = std::atoi(argv[1]);
    const int pid = std::atoi(argv[2]);
    const double before = gate_cpu_seconds(pid);
    const double took = trickle(port, head);
    out += fmt::format(R"(, "daemon_gate_cpu_s": {:.2f}, "trickle_s": {:.1f})",
                       gate_cpu_seconds(pid) - before, took);
  }
  fmt::print("{}}}\n", out);
}
