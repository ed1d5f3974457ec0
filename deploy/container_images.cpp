// Parsing uses libyaml's document loader (the parser go-yaml v2 was ported from, already how
// deploy/template reads YAML): it keeps each node's start and end mark and its scalar style,
// which is what splicing a new value into the text in place needs. The marks count characters,
// not bytes, so they are converted to byte offsets in one pass over the text.
#include "deploy/container_images.h"

#include <yaml.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <set>

#include "common/error.h"
#include "deploy/template/yaml.h"

namespace rayctl::deploy {

namespace {

constexpr std::string_view kStrTag = "tag:yaml.org,2002:str";

bool IsContainerList(std::string_view key) {
  return key == "containers" || key == "initContainers" || key == "ephemeralContainers";
}

ScalarStyle StyleOf(yaml_scalar_style_t s) {
  switch (s) {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE:
      return ScalarStyle::kSingleQuoted;
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
      return ScalarStyle::kDoubleQuoted;
    case YAML_LITERAL_SCALAR_STYLE:
      return ScalarStyle::kLiteral;
    case YAML_FOLDED_SCALAR_STYLE:
      return ScalarStyle::kFolded;
    default:
      return ScalarStyle::kPlain;
  }
}

// A found image before its character marks become byte offsets.
struct Found {
  ContainerImage image;
  size_t start_char = 0, end_char = 0;
};

// One document of the stream, loaded; owns the libyaml document.
class LoadedDocument {
 public:
  explicit LoadedDocument(yaml_parser_t& parser) {
    if (!yaml_parser_load(&parser, &doc_)) Fail(parser);
    loaded_ = true;
  }
  ~LoadedDocument() {
    if (loaded_) yaml_document_delete(&doc_);
  }
  LoadedDocument(const LoadedDocument&) = delete;
  LoadedDocument& operator=(const LoadedDocument&) = delete;

  // False at the end of the stream.
  bool empty() { return yaml_document_get_root_node(&doc_) == nullptr; }

  void Collect(std::vector<Found>& out) {
    std::set<int> visited;
    Walk(1, visited, out);  // the root is node 1
  }

 private:
  [[noreturn]] static void Fail(const yaml_parser_t& parser) {
    size_t line = parser.problem_mark.line + (parser.error == YAML_SCANNER_ERROR ? 1 : 0);
    std::string problem = parser.problem ? parser.problem : "unknown problem parsing YAML content";
    throw InputError("reading the rendered manifests: yaml: line " + std::to_string(line) + ": " +
                     problem);
  }

  yaml_node_t* Node(int id) { return yaml_document_get_node(&doc_, id); }

  static std::string_view Text(const yaml_node_t* n) {
    return {reinterpret_cast<const char*>(n->data.scalar.value), n->data.scalar.length};
  }

  // A scalar that reads as a string: an explicit non-string tag, or a plain scalar that YAML
  // 1.1 resolves to a number, boolean or null, is not an image name.
  static bool IsString(const yaml_node_t* n) {
    if (n->type != YAML_SCALAR_NODE) return false;
    if (n->tag && std::string_view(reinterpret_cast<const char*>(n->tag)) != kStrTag) return false;
    if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
      return tmpl::ResolvePlainScalar(Text(n)).tag == "!!str";
    return true;
  }

  void TakeImage(int container, std::set<int>& taken, std::vector<Found>& out) {
    yaml_node_t* c = Node(container);
    if (!c || c->type != YAML_MAPPING_NODE) return;
    for (auto* p = c->data.mapping.pairs.start; p < c->data.mapping.pairs.top; ++p) {
      yaml_node_t* k = Node(p->key);
      yaml_node_t* v = Node(p->value);
      if (!k || !v || k->type != YAML_SCALAR_NODE || Text(k) != "image" || !IsString(v)) continue;
      if (!taken.insert(p->value).second) continue;  // an alias of an image already taken
      Found f;
      f.image.image = std::string(Text(v));
      f.image.line = static_cast<int>(v->start_mark.line) + 1;
      f.image.style = StyleOf(v->data.scalar.style);
      f.start_char = v->start_mark.index;
      f.end_char = v->end_mark.index;
      out.push_back(std::move(f));
    }
  }

  void Walk(int id, std::set<int>& visited, std::vector<Found>& out) {
    if (!visited.insert(id).second) return;  // aliases: each node once
    yaml_node_t* n = Node(id);
    if (!n) return;
    if (n->type == YAML_SEQUENCE_NODE) {
      for (auto* i = n->data.sequence.items.start; i < n->data.sequence.items.top; ++i)
        Walk(*i, visited, out);
    } else if (n->type == YAML_MAPPING_NODE) {
      for (auto* p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; ++p) {
        yaml_node_t* k = Node(p->key);
        yaml_node_t* v = Node(p->value);
        if (k && v && k->type == YAML_SCALAR_NODE && IsContainerList(Text(k)) &&
            v->type == YAML_SEQUENCE_NODE) {
          for (auto* i = v->data.sequence.items.start; i < v->data.sequence.items.top; ++i)
            TakeImage(*i, taken_, out);
        }
        Walk(p->value, visited, out);
      }
    }
  }

  yaml_document_t doc_{};
  bool loaded_ = false;
  std::set<int> taken_;
};

// libyaml's marks count code points; the byte offset of each.
void CharsToBytes(std::string_view text, std::vector<Found>& found) {
  std::vector<std::pair<size_t, size_t*>> marks;  // char index -> where its byte offset goes
  std::vector<size_t> ends(found.size());
  for (size_t i = 0; i < found.size(); ++i) {
    marks.emplace_back(found[i].start_char, &found[i].image.offset);
    marks.emplace_back(found[i].end_char, &ends[i]);
  }
  std::sort(marks.begin(), marks.end());
  size_t chars = 0, byte = 0;
  for (auto& [index, into] : marks) {
    while (chars < index && byte < text.size()) {
      ++byte;
      while (byte < text.size() && (static_cast<unsigned char>(text[byte]) & 0xC0) == 0x80)
        ++byte;
      ++chars;
    }
    *into = byte;
  }
  for (size_t i = 0; i < found.size(); ++i)
    found[i].image.length = ends[i] - found[i].image.offset;
}

// The "# Source: FILE" line Helm prints above each document, the last one before `offset`.
std::string SourceBefore(std::string_view text, size_t offset) {
  constexpr std::string_view kMark = "# Source: ";
  size_t at = offset;
  while (at != std::string_view::npos && at > 0) {
    size_t pos = text.rfind(kMark, at - 1);
    if (pos == std::string_view::npos) return {};
    if (pos == 0 || text[pos - 1] == '\n') {
      size_t eol = text.find('\n', pos);
      return std::string(text.substr(pos + kMark.size(), eol == std::string_view::npos
                                                             ? std::string_view::npos
                                                             : eol - pos - kMark.size()));
    }
    at = pos;
  }
  return {};
}

// A plain scalar may hold it without changing what it reads as (a reference never resolves to
// a number or boolean: it has a letter or a '/'; an IPv6 host starts with '[' and needs quotes).
bool PlainSafe(std::string_view v) {
  if (v.empty() || std::strchr("[]{},#&*!|>'\"%@`-?: ", v.front())) return false;
  if (v.find_first_of(",[]{}#") != std::string_view::npos) return false;
  if (v.find(": ") != std::string_view::npos || v.back() == ':') return false;
  return tmpl::ResolvePlainScalar(v).tag == "!!str";
}

std::string DoubleQuoted(std::string_view v) {
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string SingleQuoted(std::string_view v) {
  std::string out = "'";
  for (char c : v) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

// The new text of one image scalar, in the style it was written in.
std::string Respell(const ContainerImage& image, std::string_view raw, const std::string& value) {
  // The common case: the value is written out verbatim once (plain, or quoted without escapes):
  // only those bytes change, quotes and block indicators stay.
  size_t at = raw.find(image.image);
  bool verbatim = !image.image.empty() && at != std::string_view::npos &&
                  raw.find(image.image, at + 1) == std::string_view::npos;
  switch (image.style) {
    case ScalarStyle::kDoubleQuoted:
      if (verbatim && value.find_first_of("\"\\") == std::string::npos)
        return std::string(raw.substr(0, at)) + value +
               std::string(raw.substr(at + image.image.size()));
      return DoubleQuoted(value);
    case ScalarStyle::kSingleQuoted:
      if (verbatim && value.find('\'') == std::string::npos)
        return std::string(raw.substr(0, at)) + value +
               std::string(raw.substr(at + image.image.size()));
      return SingleQuoted(value);
    case ScalarStyle::kPlain:
      if (!PlainSafe(value)) return DoubleQuoted(value);
      if (verbatim)
        return std::string(raw.substr(0, at)) + value +
               std::string(raw.substr(at + image.image.size()));
      return value;  // a plain scalar folded over lines: one line now
    case ScalarStyle::kLiteral:
    case ScalarStyle::kFolded:
      if (verbatim && value.find('\n') == std::string::npos)
        return std::string(raw.substr(0, at)) + value +
               std::string(raw.substr(at + image.image.size()));
      break;
  }
  throw InputError("cannot rewrite the image \"" + image.image + "\" at " + image.Where() +
                       ": it is a block scalar folded over several lines",
                   "write the image on one line in the chart's template");
}

}  // namespace

std::string ContainerImage::Where() const {
  std::string at = "line " + std::to_string(line) + " of the rendered manifests";
  return source.empty() ? at : source + " (" + at + ")";
}

std::vector<ContainerImage> FindContainerImages(std::string_view yaml) {
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser)) throw Error("out of memory initializing the YAML parser");
  std::unique_ptr<yaml_parser_t, void (*)(yaml_parser_t*)> guard(&parser, yaml_parser_delete);
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(yaml.data()),
                               yaml.size());
  yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
  std::vector<Found> found;
  for (;;) {
    LoadedDocument doc(parser);
    if (doc.empty()) break;
    doc.Collect(found);
  }
  CharsToBytes(yaml, found);
  std::vector<ContainerImage> out;
  out.reserve(found.size());
  for (auto& f : found) {
    f.image.source = SourceBefore(yaml, f.image.offset);
    out.push_back(std::move(f.image));
  }
  std::stable_sort(out.begin(), out.end(), [](const ContainerImage& a, const ContainerImage& b) {
    return a.offset < b.offset;
  });
  return out;
}

std::string RewriteContainerImages(
    std::string_view yaml, const std::function<std::string(const ContainerImage&)>& rewrite) {
  std::vector<ContainerImage> images = FindContainerImages(yaml);
  std::string out;
  out.reserve(yaml.size() + images.size() * 32);
  size_t done = 0;
  for (const auto& image : images) {
    out.append(yaml.substr(done, image.offset - done));
    out += Respell(image, yaml.substr(image.offset, image.length), rewrite(image));
    done = image.offset + image.length;
  }
  out.append(yaml.substr(done));
  return out;
}

std::vector<mirror::Reference> ImageReferences(const std::vector<ContainerImage>& images) {
  std::vector<mirror::Reference> out;
  std::set<std::string> seen;
  for (const auto& image : images) {
    mirror::Reference ref;
    try {
      ref = mirror::Reference::Parse(image.image);
    } catch (const InputError& e) {
      throw InputError("the image of a container at " + image.Where() + ": " + e.what(), e.hint());
    }
    if (seen.insert(ref.String()).second) out.push_back(std::move(ref));
  }
  return out;
}

std::string RewriteImagesUnder(std::string_view yaml, const mirror::RegistryPrefix& to) {
  return RewriteContainerImages(yaml, [&](const ContainerImage& image) {
    mirror::Reference ref;
    try {
      ref = mirror::Reference::Parse(image.image);
    } catch (const InputError& e) {
      throw InputError("the image of a container at " + image.Where() + ": " + e.what(), e.hint());
    }
    return mirror::Rewrite(ref, to).String();
  });
}

}  // namespace rayctl::deploy
