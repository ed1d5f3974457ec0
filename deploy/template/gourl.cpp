// net/url from Go, written here because urlParse/urlJoin must split and re-escape exactly as Go
// does; libcurl's URL API normalises differently (it lowercases hosts, adds slashes, rejects
// relative references).
#include "deploy/template/gourl.h"

#include "deploy/template/gofmt.h"

namespace rayctl::tmpl {

namespace {

enum class Encoding {
  kPath,
  kPathSegment,
  kHost,
  kZone,
  kUserPassword,
  kQueryComponent,
  kFragment
};

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
unsigned char Unhex(char c) {
  if (c >= '0' && c <= '9') return static_cast<unsigned char>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<unsigned char>(c - 'a' + 10);
  return static_cast<unsigned char>(c - 'A' + 10);
}

bool ShouldEscape(unsigned char c, Encoding mode) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return false;
  if (mode == Encoding::kHost || mode == Encoding::kZone) {
    switch (c) {
      case '!':
      case '$':
      case '&':
      case '\'':
      case '(':
      case ')':
      case '*':
      case '+':
      case ',':
      case ';':
      case '=':
      case ':':
      case '[':
      case ']':
      case '<':
      case '>':
      case '"':
        return false;
      default:
        break;
    }
  }
  switch (c) {
    case '-':
    case '_':
    case '.':
    case '~':
      return false;
    case '$':
    case '&':
    case '+':
    case ',':
    case '/':
    case ':':
    case ';':
    case '=':
    case '?':
    case '@':
      switch (mode) {
        case Encoding::kPath:
          return c == '?';
        case Encoding::kPathSegment:
          return c == '/' || c == ';' || c == ',' || c == '?';
        case Encoding::kUserPassword:
          return c == '@' || c == '/' || c == '?' || c == ':';
        case Encoding::kQueryComponent:
          return true;
        case Encoding::kFragment:
          return false;
        default:
          break;
      }
      break;
    default:
      break;
  }
  if (mode == Encoding::kFragment) {
    switch (c) {
      case '!':
      case '(':
      case ')':
      case '*':
        return false;
      default:
        break;
    }
  }
  return true;
}

std::string Escape(std::string_view s, Encoding mode) {
  static constexpr char kUpperHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (!ShouldEscape(c, mode)) {
      out.push_back(ch);
    } else if (c == ' ' && mode == Encoding::kQueryComponent) {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kUpperHex[c >> 4]);
      out.push_back(kUpperHex[c & 15]);
    }
  }
  return out;
}

std::string Unescape(std::string_view s, Encoding mode) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '%') {
      if (i + 2 >= s.size() || !IsHex(s[i + 1]) || !IsHex(s[i + 2])) {
        std::string_view bad = s.substr(i, 3);
        throw std::runtime_error("invalid URL escape " + Quote(bad));
      }
      if (mode == Encoding::kHost && Unhex(s[i + 1]) < 8 && s.substr(i, 3) != "%25")
        throw std::runtime_error("invalid URL escape " + Quote(s.substr(i, 3)));
      if (mode == Encoding::kZone) {
        unsigned char v = static_cast<unsigned char>(Unhex(s[i + 1]) << 4 | Unhex(s[i + 2]));
        if (s.substr(i, 3) != "%25" && v != ' ' && ShouldEscape(v, Encoding::kHost))
          throw std::runtime_error("invalid URL escape " + Quote(s.substr(i, 3)));
      }
      i += 3;
    } else {
      if ((mode == Encoding::kHost || mode == Encoding::kZone) && c < 0x80 && ShouldEscape(c, mode))
        throw std::runtime_error("invalid character " + Quote(s.substr(i, 1)) + " in host name");
      ++i;
    }
  }
  std::string t;
  t.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      t.push_back(static_cast<char>(Unhex(s[i + 1]) << 4 | Unhex(s[i + 2])));
      i += 2;
    } else if (s[i] == '+' && mode == Encoding::kQueryComponent) {
      t.push_back(' ');
    } else {
      t.push_back(s[i]);
    }
  }
  return t;
}

bool ValidOptionalPort(std::string_view port) {
  if (port.empty()) return true;
  if (port[0] != ':') return false;
  for (char b : port.substr(1))
    if (b < '0' || b > '9') return false;
  return true;
}

std::string ParseHost(std::string_view host) {
  if (!host.empty() && host[0] == '[') {
    size_t i = host.rfind(']');
    if (i == std::string_view::npos) throw std::runtime_error("missing ']' in host");
    std::string_view colon_port = host.substr(i + 1);
    if (!ValidOptionalPort(colon_port))
      throw std::runtime_error("invalid port " + Quote(colon_port) + " after host");
    size_t zone = host.substr(0, i).find("%25");
    if (zone != std::string_view::npos)
      return Unescape(host.substr(0, zone), Encoding::kHost) +
             Unescape(host.substr(zone, i - zone), Encoding::kZone) +
             Unescape(host.substr(i), Encoding::kHost);
  } else if (size_t i = host.rfind(':'); i != std::string_view::npos) {
    std::string_view colon_port = host.substr(i);
    if (!ValidOptionalPort(colon_port))
      throw std::runtime_error("invalid port " + Quote(colon_port) + " after host");
  }
  return Unescape(host, Encoding::kHost);
}

bool ValidUserinfo(std::string_view s) {
  for (char r : s) {
    if ((r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9')) continue;
    switch (r) {
      case '-':
      case '.':
      case '_':
      case ':':
      case '~':
      case '!':
      case '$':
      case '&':
      case '\'':
      case '(':
      case ')':
      case '*':
      case '+':
      case ',':
      case ';':
      case '=':
      case '%':
      case '@':
        continue;
      default:
        return false;
    }
  }
  return true;
}

void ParseAuthority(std::string_view authority, GoUrl& u) {
  size_t at = authority.rfind('@');
  u.host = ParseHost(at == std::string_view::npos ? authority : authority.substr(at + 1));
  if (at == std::string_view::npos) return;
  std::string_view userinfo = authority.substr(0, at);
  if (!ValidUserinfo(userinfo)) throw std::runtime_error("net/url: invalid userinfo");
  u.has_user = true;
  size_t colon = userinfo.find(':');
  if (colon == std::string_view::npos) {
    u.username = Unescape(userinfo, Encoding::kUserPassword);
  } else {
    u.username = Unescape(userinfo.substr(0, colon), Encoding::kUserPassword);
    u.password = Unescape(userinfo.substr(colon + 1), Encoding::kUserPassword);
    u.password_set = true;
  }
}

GoUrl ParseNoFragment(std::string_view raw) {
  for (char c : raw)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
      throw std::runtime_error("net/url: invalid control character in URL");
  GoUrl u;
  if (raw == "*") {
    u.path = "*";
    return u;
  }
  std::string_view rest = raw;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) continue;
    if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
      if (i == 0) break;
      continue;
    }
    if (c == ':') {
      if (i == 0) throw std::runtime_error("missing protocol scheme");
      u.scheme = std::string(raw.substr(0, i));
      rest = raw.substr(i + 1);
    }
    break;
  }
  for (char& c : u.scheme)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  if (!rest.empty() && rest.back() == '?' && rest.find('?') == rest.size() - 1) {
    u.force_query = true;
    rest.remove_suffix(1);
  } else if (size_t q = rest.find('?'); q != std::string_view::npos) {
    u.raw_query = std::string(rest.substr(q + 1));
    rest = rest.substr(0, q);
  }
  if (rest.empty() || rest[0] != '/') {
    if (!u.scheme.empty()) {
      u.opaque = std::string(rest);
      return u;
    }
    std::string_view segment = rest.substr(0, rest.find('/'));
    if (segment.find(':') != std::string_view::npos)
      throw std::runtime_error("first path segment in URL cannot contain colon");
  }
  if ((!u.scheme.empty() || rest.substr(0, 3) != "///") && rest.substr(0, 2) == "//") {
    std::string_view authority = rest.substr(2);
    rest = {};
    if (size_t i = authority.find('/'); i != std::string_view::npos) {
      rest = authority.substr(i);
      authority = authority.substr(0, i);
    }
    ParseAuthority(authority, u);
  } else if (!u.scheme.empty() && !rest.empty() && rest[0] == '/') {
    u.omit_host = true;
  }
  u.path = Unescape(rest, Encoding::kPath);
  if (Escape(u.path, Encoding::kPath) != rest) u.raw_path = std::string(rest);
  return u;
}

}  // namespace

GoUrl GoUrl::Parse(std::string_view raw) {
  size_t hash = raw.find('#');
  std::string_view main = raw.substr(0, hash);
  GoUrl u;
  try {
    u = ParseNoFragment(main);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error("parse " + Quote(main) + ": " + e.what());
  }
  if (hash != std::string_view::npos) {
    std::string_view frag = raw.substr(hash + 1);
    try {
      u.fragment = Unescape(frag, Encoding::kFragment);
    } catch (const std::runtime_error& e) {
      throw std::runtime_error("parse " + Quote(raw) + ": " + e.what());
    }
  }
  return u;
}

std::string GoUrl::UserString() const {
  if (!has_user) return "";
  std::string s = Escape(username, Encoding::kUserPassword);
  if (password_set) s += ":" + Escape(password, Encoding::kUserPassword);
  return s;
}

std::string GoUrl::Hostname() const {
  std::string_view h = host;
  size_t colon = h.rfind(':');
  if (colon != std::string_view::npos && ValidOptionalPort(h.substr(colon))) h = h.substr(0, colon);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  return std::string(h);
}

std::string GoUrl::String() const {
  std::string buf;
  if (!scheme.empty()) {
    buf += scheme;
    buf.push_back(':');
  }
  if (!opaque.empty()) {
    buf += opaque;
  } else {
    if (!scheme.empty() || !host.empty() || has_user) {
      if (!(omit_host && host.empty() && !has_user)) {
        if (!host.empty() || !path.empty() || has_user) buf += "//";
        if (has_user) {
          buf += UserString();
          buf.push_back('@');
        }
        if (!host.empty()) buf += Escape(host, Encoding::kHost);
      }
    }
    std::string p;
    if (!raw_path.empty() && Unescape(raw_path, Encoding::kPath) == path)
      p = raw_path;
    else if (path == "*")
      p = "*";
    else
      p = Escape(path, Encoding::kPath);
    if (!p.empty() && p[0] != '/' && !host.empty()) buf.push_back('/');
    if (buf.empty()) {
      std::string_view segment = std::string_view(p).substr(0, p.find('/'));
      if (segment.find(':') != std::string_view::npos) buf += "./";
    }
    buf += p;
  }
  if (force_query || !raw_query.empty()) {
    buf.push_back('?');
    buf += raw_query;
  }
  if (!fragment.empty()) {
    buf.push_back('#');
    buf += Escape(fragment, Encoding::kFragment);
  }
  return buf;
}

}  // namespace rayctl::tmpl
