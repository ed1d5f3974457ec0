// Sprig's path functions: Go's path package (base, dir, clean, ext, isAbs) and path/filepath
// (osBase, ...), which on Linux splits on '/' exactly as path does.
#include "deploy/template/function_table.h"

namespace rayctl::tmpl {

namespace {

using P = Param;

std::string Clean(std::string_view path) {
  if (path.empty()) return ".";
  bool rooted = path[0] == '/';
  size_t n = path.size();
  std::string out;
  size_t r = 0, dotdot = 0;
  if (rooted) {
    out.push_back('/');
    r = dotdot = 1;
  }
  while (r < n) {
    if (path[r] == '/') {
      ++r;
    } else if (path[r] == '.' && (r + 1 == n || path[r + 1] == '/')) {
      ++r;
    } else if (path[r] == '.' && path[r + 1] == '.' && (r + 2 == n || path[r + 2] == '/')) {
      r += 2;
      if (out.size() > dotdot) {
        out.pop_back();
        while (out.size() > dotdot && out.back() != '/')
          out.pop_back();
      } else if (!rooted) {
        if (!out.empty()) out.push_back('/');
        out += "..";
        dotdot = out.size();
      }
    } else {
      if ((rooted && out.size() != 1) || (!rooted && !out.empty())) out.push_back('/');
      for (; r < n && path[r] != '/'; ++r)
        out.push_back(path[r]);
    }
  }
  return out.empty() ? "." : out;
}

std::string Base(std::string_view path) {
  if (path.empty()) return ".";
  while (!path.empty() && path.back() == '/')
    path.remove_suffix(1);
  if (size_t i = path.rfind('/'); i != std::string_view::npos) path.remove_prefix(i + 1);
  if (path.empty()) return "/";
  return std::string(path);
}

std::string Dir(std::string_view path) {
  size_t i = path.rfind('/');
  return Clean(i == std::string_view::npos ? std::string_view() : path.substr(0, i + 1));
}

std::string Ext(std::string_view path) {
  for (size_t i = path.size(); i > 0 && path[i - 1] != '/'; --i)
    if (path[i - 1] == '.') return std::string(path.substr(i - 1));
  return "";
}

}  // namespace

void RegisterPathFunctions(FunctionTable& t) {
  for (const char* prefix : {"", "os"}) {
    std::string p = prefix;
    auto name = [&](const char* base) {
      std::string n = base;
      if (!p.empty()) n[0] = static_cast<char>(toupper(n[0]));
      return p + n;
    };
    t.Add(name("base"), {P::kString},
          [](CallContext&, Args a) { return Value::String(Base(a[0].AsString())); });
    t.Add(name("dir"), {P::kString},
          [](CallContext&, Args a) { return Value::String(Dir(a[0].AsString())); });
    t.Add(name("clean"), {P::kString},
          [](CallContext&, Args a) { return Value::String(Clean(a[0].AsString())); });
    t.Add(name("ext"), {P::kString},
          [](CallContext&, Args a) { return Value::String(Ext(a[0].AsString())); });
    t.Add(name("isAbs"), {P::kString}, [](CallContext&, Args a) {
      return Value::Bool(!a[0].AsString().empty() && a[0].AsString()[0] == '/');
    });
  }
}

}  // namespace rayctl::tmpl
