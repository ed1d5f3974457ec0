#include "mirror/auth.h"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

#include "common/error.h"
#include "common/text.h"

namespace rayctl::mirror {
namespace {

std::string JoinScopes(const std::vector<std::string>& scopes) {
  std::string key;
  for (const auto& s : scopes)
    key += (key.empty() ? "" : " ") + s;
  return key;
}

void SkipSpace(std::string_view s, size_t& i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == ','))
    ++i;
}

}  // namespace

std::string Challenge::Param(const std::string& key) const {
  auto it = params.find(key);
  return it == params.end() ? std::string() : it->second;
}

std::vector<Challenge> ParseChallenges(std::string_view h) {
  std::vector<Challenge> out;
  size_t i = 0;
  while (true) {
    SkipSpace(h, i);
    if (i >= h.size()) break;
    size_t start = i;
    while (i < h.size() && h[i] != ' ' && h[i] != '=' && h[i] != ',')
      ++i;
    std::string token(h.substr(start, i - start));
    size_t j = i;
    while (j < h.size() && h[j] == ' ')
      ++j;
    if (j < h.size() && h[j] == '=' && !out.empty()) {
      // key=value of the current challenge
      i = j + 1;
      while (i < h.size() && h[i] == ' ')
        ++i;
      std::string value;
      if (i < h.size() && h[i] == '"') {
        ++i;
        while (i < h.size() && h[i] != '"') {
          if (h[i] == '\\' && i + 1 < h.size()) ++i;
          value += h[i++];
        }
        ++i;
      } else {
        while (i < h.size() && h[i] != ',' && h[i] != ' ')
          value += h[i++];
      }
      out.back().params[AsciiLower(token)] = value;
    } else {
      out.push_back(Challenge{AsciiLower(token), {}});
    }
  }
  return out;
}

std::string RepositoryScope(const std::string& repository, const std::string& actions) {
  return "repository:" + repository + ":" + actions;
}

Authenticator::Authenticator(http::Client& client, std::string registry, Credentials creds,
                             std::string creds_flag)
    : client_(client),
      registry_(std::move(registry)),
      creds_(std::move(creds)),
      creds_flag_(std::move(creds_flag)) {}

void Authenticator::SetChallenge(const http::Response& r) {
  for (const auto& header : r.Headers("www-authenticate")) {
    for (auto& c : ParseChallenges(header)) {
      if (c.scheme == "bearer" || c.scheme == "basic") {
        std::lock_guard lock(mu_);
        // Prefer Bearer when a registry offers both.
        if (!challenge_ || c.scheme == "bearer" || challenge_->scheme != "bearer") challenge_ = c;
      }
    }
  }
}

bool Authenticator::HasChallenge() const {
  std::lock_guard lock(mu_);
  return challenge_.has_value();
}

int Authenticator::tokens_fetched() const {
  std::lock_guard lock(mu_);
  return tokens_fetched_;
}

std::string Authenticator::Authorization(const std::vector<std::string>& scopes) {
  std::lock_guard lock(mu_);
  if (!challenge_) return {};
  if (challenge_->scheme == "basic") {
    if (creds_.username.empty()) {
      throw Error(
          registry_ + " requires authentication",
          "give credentials with " + creds_flag_ + " USER:PASSWORD or log in with an auth file");
    }
    return BasicAuthValue(creds_);
  }
  std::string key = JoinScopes(scopes);
  auto it = tokens_.find(key);
  auto now = std::chrono::steady_clock::now();
  if (it == tokens_.end() || now >= it->second.refresh_at) {
    tokens_[key] = FetchToken(*challenge_, scopes);
    it = tokens_.find(key);
  }
  return "Bearer " + it->second.value;
}

bool Authenticator::Reauthorize(const http::Response& r, const std::vector<std::string>& scopes) {
  SetChallenge(r);
  std::lock_guard lock(mu_);
  tokens_.erase(JoinScopes(scopes));
  // A token may lapse between fetch and use, or lack a scope the registry now names: a new one
  // can help (callers bound the rounds). Basic credentials that were refused stay refused.
  return challenge_ && challenge_->scheme == "bearer";
}

Authenticator::Token Authenticator::FetchToken(const Challenge& c,
                                               const std::vector<std::string>& scopes) {
  std::string realm = c.Param("realm");
  if (realm.empty()) throw Error(registry_ + " asked for a Bearer token but named no realm");
  http::Request req;
  std::string query;
  auto add = [&](const std::string& k, const std::string& v) {
    query += (query.empty() ? "" : "&") + k + "=" + http::QueryEscape(v);
  };
  if (!c.Param("service").empty()) add("service", c.Param("service"));
  // The challenge's own scope first: some token servers read only the first one.
  std::vector<std::string> all;
  if (!c.Param("scope").empty()) all.push_back(c.Param("scope"));
  for (const auto& s : scopes)
    if (std::find(all.begin(), all.end(), s) == all.end()) all.push_back(s);
  if (!creds_.identity_token.empty()) {
    // OAuth2 refresh-token grant, as docker does with an identity token.
    std::string form = query;
    auto addf = [&](const std::string& k, const std::string& v) {
      form += (form.empty() ? "" : "&") + k + "=" + http::QueryEscape(v);
    };
    addf("grant_type", "refresh_token");
    addf("refresh_token", creds_.identity_token);
    addf("client_id", "rayctl");
    for (const auto& s : all)
      addf("scope", s);
    req.method = "POST";
    req.url = realm;
    req.body = form;
    req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  } else {
    for (const auto& s : all)
      add("scope", s);
    req.url = realm + (realm.find('?') == std::string::npos ? "?" : "&") + query;
    if (!creds_.username.empty()) req.headers.emplace_back("Authorization", BasicAuthValue(creds_));
  }
  req.follow_redirects = true;
  spdlog::debug("requesting a token from {} for {}", http::UrlAuthority(realm), JoinScopes(all));
  http::Response r = client_.Send(req);
  if (r.status == 401 || r.status == 403) {
    if (creds_.empty()) {
      throw Error(
          registry_ + ": authentication required (the token service refused anonymous access)",
          "give credentials with " + creds_flag_ + " USER:PASSWORD or an auth file");
    }
    throw Error(registry_ + ": invalid username or password (the token service answered " +
                    std::to_string(r.status) + ")",
                "check " + creds_flag_ + " or the auth file's entry for this registry");
  }
  if (r.status != 200) {
    throw Error(registry_ + ": the token service at " + http::UrlAuthority(realm) +
                " answered HTTP " + std::to_string(r.status));
  }
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(r.body);
  } catch (const std::exception&) {
    throw Error(registry_ + ": the token service answered something that is not JSON");
  }
  Token t;
  t.value = j.value("token", "");
  if (t.value.empty()) t.value = j.value("access_token", "");
  if (t.value.empty()) throw Error(registry_ + ": the token service answered without a token");
  int64_t expires_in =
      j.contains("expires_in") && j["expires_in"].is_number() ? j["expires_in"].get<int64_t>() : 60;
  if (expires_in <= 0) expires_in = 60;
  // Refresh a little before the end so a request is not sent with a token about to lapse.
  auto margin = std::chrono::milliseconds(std::min<int64_t>(5000, expires_in * 1000 / 4));
  t.refresh_at = std::chrono::steady_clock::now() + std::chrono::seconds(expires_in) - margin;
  ++tokens_fetched_;
  return t;
}

}  // namespace rayctl::mirror
