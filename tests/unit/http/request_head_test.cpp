#include "doorbell/http/request_head.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace doorbell::http {
namespace {

using ::testing::HasSubstr;

TEST(RequestHead, ParsesARequestLineAndHeaders) {
  const std::string bytes =
      "POST /api/people?x=1 HTTP/1.1\r\nHost: pi:8080\r\nContent-Length: 12\r\nX-Thing:  a b \r\n\r\nBODY";
  const auto parsed = parse_request_head(bytes);
  ASSERT_EQ(parsed.problem, HeadProblem::none) << parsed.message;
  const auto& h = parsed.head;
  EXPECT_EQ(h.method, "POST");
  EXPECT_EQ(h.target, "/api/people?x=1");
  EXPECT_EQ(h.path, "/api/people");
  EXPECT_EQ(h.header("host"), "pi:8080");
  EXPECT_EQ(h.header("x-thing"), "a b") << "names lower-case, values trimmed";
  EXPECT_EQ(h.content_length(), 12u);
  EXPECT_EQ(h.head_bytes, bytes.size() - 4);
  EXPECT_TRUE(h.keep_alive());
}

TEST(RequestHead, IsIncompleteUntilTheBlankLine) {
  EXPECT_EQ(parse_request_head("GET / HTTP/1.1\r\nHost: x\r\n").problem, HeadProblem::incomplete);
  EXPECT_EQ(parse_request_head("GET /api/hea").problem, HeadProblem::incomplete);
  EXPECT_EQ(parse_request_head("GET / HTTP/1.1\n\n").problem, HeadProblem::none) << "bare LF is accepted";
}

TEST(RequestHead, RefusesWhatCouldSmuggleOrConfuse) {
  const auto problem = [](const std::string& bytes) { return parse_request_head(bytes).problem; };
  EXPECT_EQ(problem("GET / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"),
            HeadProblem::malformed);
  EXPECT_EQ(problem("POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"),
            HeadProblem::malformed);
  EXPECT_EQ(problem("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"),
            HeadProblem::transfer_coding);
  EXPECT_EQ(problem("GET / HTTP/1.1\r\nX: a\r\n folded\r\n\r\n"), HeadProblem::malformed);
  EXPECT_EQ(problem("GET / HTTP/1.1\r\nX: a\x01z\r\n\r\n"), HeadProblem::malformed);
  EXPECT_EQ(problem("GET / HTTP/1.1\r\nBad Name: a\r\n\r\n"), HeadProblem::malformed);
  EXPECT_EQ(problem("GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n"), HeadProblem::malformed);
  EXPECT_EQ(problem("GET http://evil/ HTTP/1.1\r\n\r\n"), HeadProblem::malformed) << "origin form only";
  EXPECT_EQ(problem("GET / HTTP/2.0\r\n\r\n"), HeadProblem::version_unsupported);
  EXPECT_EQ(problem("G(T / HTTP/1.1\r\n\r\n"), HeadProblem::malformed);
  EXPECT_EQ(problem("GET  / HTTP/1.1\r\n\r\n"), HeadProblem::malformed);
}

TEST(RequestHead, EnforcesItsLimits) {
  HeadLimits limits;
  limits.max_head_bytes = 256;
  limits.max_target_bytes = 64;
  limits.max_headers = 3;
  EXPECT_EQ(parse_request_head("GET /" + std::string(100, 'a') + " HTTP/1.1\r\n\r\n", limits).problem,
            HeadProblem::target_too_long);
  EXPECT_EQ(parse_request_head("GET /" + std::string(100, 'a'), limits).problem, HeadProblem::target_too_long)
      << "known before the line ends";
  EXPECT_EQ(parse_request_head("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", limits).problem,
            HeadProblem::head_too_large);
  EXPECT_EQ(parse_request_head("GET / HTTP/1.1\r\nA: " + std::string(300, 'x'), limits).problem,
            HeadProblem::head_too_large);
  EXPECT_EQ(status_of(HeadProblem::head_too_large), 431);
  EXPECT_EQ(status_of(HeadProblem::target_too_long), 414);
}

TEST(RequestHead, KeepAliveFollowsTheVersionAndConnectionHeader) {
  EXPECT_FALSE(parse_request_head("GET / HTTP/1.1\r\nConnection: close\r\n\r\n").head.keep_alive());
  EXPECT_FALSE(parse_request_head("GET / HTTP/1.0\r\n\r\n").head.keep_alive());
  EXPECT_TRUE(parse_request_head("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").head.keep_alive());
}

// What the gate does with a head that arrives a byte at a time: parse only when the scanner says so.
struct Trickled {
  HeadParse result;
  int parses = 0;
};
Trickled trickle(std::string_view bytes, const HeadLimits& limits = {}) {
  HeadScanner scanner;
  Trickled out;
  for (std::size_t n = 1; n <= bytes.size(); ++n) {
    if (!scanner.worth_parsing(bytes.substr(0, n), limits)) continue;
    ++out.parses;
    out.result = parse_request_head(bytes.substr(0, n), limits);
    if (out.result.problem != HeadProblem::incomplete) break;
  }
  return out;
}

TEST(HeadScanner, AHeadTrickledAByteAtATimeIsParsedAFewTimesNotOncePerByte) {
  std::string head = "GET /api/events HTTP/1.1\r\nHost: door\r\n";
  while (head.size() < 16 * 1024 - 300) head += "X-Padding: " + std::string(200, 'p') + "\r\n";
  head += "\r\n";
  const auto whole = parse_request_head(head);
  ASSERT_EQ(whole.problem, HeadProblem::none);
  const auto trickled = trickle(head);
  EXPECT_EQ(trickled.result.problem, HeadProblem::none);
  EXPECT_EQ(trickled.result.head.headers.size(), whole.head.headers.size());
  EXPECT_EQ(trickled.result.head.head_bytes, head.size());
  EXPECT_EQ(trickled.parses, 2) << "when the request line ends, and when the head does";
}

TEST(HeadScanner, RefusesAsEarlyAsAWholeParseWould) {
  EXPECT_EQ(trickle("G(T / HTTP/1.1\r\nHost: x\r\n").result.problem, HeadProblem::malformed)
      << "at the end of the request line";
  HeadLimits limits;
  limits.max_head_bytes = 256;
  limits.max_target_bytes = 64;
  EXPECT_EQ(trickle("GET /" + std::string(200, 'a'), limits).result.problem, HeadProblem::target_too_long);
  EXPECT_EQ(trickle("\r\nGET /" + std::string(200, 'a'), limits).result.problem, HeadProblem::target_too_long)
      << "after a leading empty line too";
  EXPECT_EQ(trickle("GET / HTTP/1.1\r\nA: " + std::string(300, 'x'), limits).result.problem,
            HeadProblem::head_too_large);
  EXPECT_EQ(trickle("\r\n\nGET / HTTP/1.1\nHost: x\n\n").result.problem, HeadProblem::none)
      << "leading empty lines and bare LF line ends";
}

}  // namespace
}  // namespace doorbell::http
