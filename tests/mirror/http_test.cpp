// common/http and the registry client's retry policy, against small in-process HTTP servers on
// loopback addresses (127.0.0.1 and 127.0.0.2 count as different hosts).
#include <httplib.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>

#include "common/http.h"
#include "mirror/registry_client.h"

using namespace rayctl;

namespace {

// An httplib server listening on `host` until destroyed.
class LoopbackServer {
 public:
  explicit LoopbackServer(const std::string& host) : host_(host) {
    port_ = server_.bind_to_any_port(host);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~LoopbackServer() {
    server_.stop();
    thread_.join();
  }
  httplib::Server& server() { return server_; }
  std::string url(const std::string& path) const {
    return "http://" + host_ + ":" + std::to_string(port_) + path;
  }
  std::string authority() const { return host_ + ":" + std::to_string(port_); }

 private:
  std::string host_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace

TEST_CASE("redirects keep Authorization on the same host and drop it on another") {
  LoopbackServer other("127.0.0.2");
  LoopbackServer origin("127.0.0.1");
  std::string seen_other = "unset", seen_same = "unset";
  other.server().Get("/data", [&](const httplib::Request& req, httplib::Response& res) {
    seen_other = req.get_header_value("Authorization");
    res.set_content("from storage", "application/octet-stream");
  });
  origin.server().Get("/v2/blob", [&](const httplib::Request&, httplib::Response& res) {
    res.status = 307;
    res.set_header("Location", other.url("/data?sig=1"));
  });
  origin.server().Get("/v2/same", [&](const httplib::Request&, httplib::Response& res) {
    res.status = 302;
    res.set_header("Location", "final");  // relative to /v2/
  });
  origin.server().Get("/v2/final", [&](const httplib::Request& req, httplib::Response& res) {
    seen_same = req.get_header_value("Authorization");
    res.set_content("same host", "text/plain");
  });
  http::Client client;
  http::Request req{"GET", origin.url("/v2/blob"), {{"Authorization", "Bearer secret"}}, {}, {}, -1,
                    true};
  auto r = client.Send(req);
  CHECK(r.status == 200);
  CHECK(r.body == "from storage");
  CHECK(seen_other.empty());
  CHECK(r.url == other.url("/data?sig=1"));

  req.url = origin.url("/v2/same");
  auto s = client.Send(req);
  CHECK(s.body == "same host");
  CHECK(seen_same == "Bearer secret");

  SECTION("a streamed body follows the redirect too") {
    req.url = origin.url("/v2/blob");
    auto stream = client.Open(req);
    REQUIRE(stream->response().status == 200);
    char buf[4];
    std::string got;
    while (size_t n = stream->Read(buf, sizeof buf))
      got.append(buf, n);
    CHECK(got == "from storage");
  }
}

TEST_CASE("a large body streams through small reads intact") {
  LoopbackServer srv("127.0.0.1");
  std::string big(5 << 20, '\0');
  for (size_t i = 0; i < big.size(); ++i)
    big[i] = static_cast<char>((i * 131) ^ (i >> 9));
  srv.server().Get("/big", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(big, "application/octet-stream");
  });
  http::Client client;
  auto stream = client.Open({"GET", srv.url("/big"), {}, {}, {}, -1, false});
  std::string got;
  std::vector<char> buf(7000);
  while (size_t n = stream->Read(buf.data(), buf.size()))
    got.append(buf.data(), n);
  CHECK(got.size() == big.size());
  CHECK(got == big);
}

TEST_CASE("URLs resolve like a browser's") {
  CHECK(http::ResolveUrl("https://r:5000/v2/a/blobs/uploads/", "/v2/a/blobs/uploads/u1?_state=x") ==
        "https://r:5000/v2/a/blobs/uploads/u1?_state=x");
  CHECK(http::ResolveUrl("https://r:5000/v2/a/blobs/uploads/", "u2") ==
        "https://r:5000/v2/a/blobs/uploads/u2");
  CHECK(http::ResolveUrl("https://r/v2/", "https://s3.example/b?x") == "https://s3.example/b?x");
  CHECK(http::UrlAuthority("https://Reg.Example:5000/v2/") == "reg.example:5000");
  CHECK(http::QueryEscape("sha256:ab/c d") == "sha256%3Aab%2Fc%20d");
}

TEST_CASE("the registry client retries 503 and 429 and honours Retry-After") {
  LoopbackServer srv("127.0.0.1");
  std::atomic<int> pings{0}, heads{0};
  srv.server().Get("/v2/", [&](const httplib::Request&, httplib::Response& res) {
    if (pings++ == 0) {
      res.status = 503;
      res.set_header("Retry-After", "1");
      return;
    }
    res.set_content("{}", "application/json");
  });
  srv.server().Get(
      "/v2/team/app/manifests/v1", [&](const httplib::Request&, httplib::Response& res) {
        if (heads++ < 2) {
          res.status = 429;
          return;
        }
        res.status = 404;
        res.set_content(R"({"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]})",
                        "application/json");
      });
  mirror::RegistryOptions options;
  options.tls_verify = false;  // plain HTTP
  options.retries = 3;
  mirror::RegistryClient client(srv.authority(), options);
  auto start = std::chrono::steady_clock::now();
  CHECK_FALSE(client.GetManifest("team/app", "v1").has_value());
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(1000));
  CHECK(pings == 2);
  CHECK(heads == 3);

  SECTION("and gives up after --retry attempts with the registry's error") {
    mirror::RegistryOptions none = options;
    none.retries = 0;
    heads = 0;
    mirror::RegistryClient once(srv.authority(), none);
    CHECK_THROWS_WITH(once.GetManifest("team/app", "v1"), Catch::Contains("HTTP 429"));
    CHECK(heads == 1);
  }
}
