#include "mirror/rewrite.h"

#include "common/error.h"

namespace rayctl::mirror {

RegistryPrefix RegistryPrefix::Parse(std::string_view text, const std::string& what) {
  const std::string form = "write HOST[:PORT][/PREFIX], e.g. registry.local:5000/mirror";
  std::string s(text);
  while (!s.empty() && s.back() == '/')
    s.pop_back();
  if (s.empty()) throw InputError(what + " is empty", form);
  if (auto scheme = s.find("://"); scheme != std::string::npos) {
    throw InputError(what + " \"" + std::string(text) +
                         "\" is not HOST[:PORT][/PREFIX]: it has a \"" + s.substr(0, scheme + 3) +
                         "\" scheme",
                     "write it without the scheme, e.g. " + s.substr(scheme + 3));
  }
  RegistryPrefix p;
  auto slash = s.find('/');
  p.host = s.substr(0, slash);
  if (slash != std::string::npos) p.prefix = s.substr(slash + 1);
  if (s.find('@') != std::string::npos || p.prefix.find(':') != std::string::npos) {
    throw InputError(what + " \"" + std::string(text) + "\" names a tag or digest",
                     form + " (each image keeps its own tag)");
  }
  auto bad = [&](const std::string& why) {
    return InputError(what + " \"" + std::string(text) + "\" is not HOST[:PORT][/PREFIX]: " + why,
                      form);
  };
  // The first component is the host even without a dot ("registry:5000", "mirror"): check it
  // with the reference grammar as a domain.
  bool domain_like = p.host.find_first_of(".:") != std::string::npos || p.host == "localhost";
  try {
    Reference::Parse(domain_like ? p.host + "/x" : p.host + ".invalid/x");
  } catch (const InputError&) {
    throw bad("\"" + p.host + "\" is not a valid registry host");
  }
  for (char& c : p.host)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!p.prefix.empty()) {
    try {
      Reference::Parse("example.invalid/" + p.prefix);
    } catch (const InputError& e) {
      // The reason without the stand-in reference it was checked as.
      std::string why = e.what();
      std::string checked = "\"example.invalid/" + p.prefix + "\": ";
      if (auto at = why.find(checked); at != std::string::npos)
        why = why.substr(at + checked.size());
      throw bad("prefix \"" + p.prefix + "\": " + why);
    }
  }
  return p;
}

Reference Rewrite(const Reference& ref, const RegistryPrefix& to) {
  Reference out = ref;
  out.domain = to.host;
  out.path = to.prefix.empty() ? ref.path : to.prefix + "/" + ref.path;
  return out;
}

}  // namespace rayctl::mirror
