#include "deploy/gzip_tar.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>

#include "common/error.h"

namespace rayctl::deploy {

namespace {

constexpr size_t kBlock = 512;
constexpr size_t kMaxSpecialFileSize = size_t{1} << 20;  // Go's limit for PAX and GNU name data

[[noreturn]] void Fail(const std::string& message) {
  throw InputError(message);
}
[[noreturn]] void BadHeader() {
  Fail("archive/tar: invalid tar header");
}

// Go's parser.parseString: the bytes up to the first NUL.
std::string ParseString(const char* field, size_t size) {
  const void* nul = std::memchr(field, '\0', size);
  return std::string(field, nul == nullptr ? size : static_cast<const char*>(nul) - field);
}

// Go's parser.parseOctal: leading and trailing NULs and spaces are padding; empty is 0.
bool ParseOctal(const char* field, size_t size, int64_t* out) {
  std::string_view s(field, size);
  auto pad = [](char c) { return c == ' ' || c == '\0'; };
  while (!s.empty() && pad(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && pad(s.back()))
    s.remove_suffix(1);
  uint64_t value = 0;
  for (char c : s) {
    if (c < '0' || c > '7' || value > (std::numeric_limits<uint64_t>::max() >> 3)) return false;
    value = value << 3 | static_cast<uint64_t>(c - '0');
  }
  if (value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return false;
  *out = static_cast<int64_t>(value);
  return true;
}

// Go's parser.parseNumeric: octal, or GNU's base-256 when the top bit of the first byte is set.
bool ParseNumeric(const char* field, size_t size, int64_t* out) {
  if (size == 0 || (static_cast<unsigned char>(field[0]) & 0x80) == 0)
    return ParseOctal(field, size, out);
  unsigned char inv = (static_cast<unsigned char>(field[0]) & 0x40) != 0 ? 0xff : 0;
  uint64_t x = 0;
  for (size_t i = 0; i < size; ++i) {
    unsigned char c = static_cast<unsigned char>(field[i]) ^ inv;
    if (i == 0) c &= 0x7f;
    if ((x >> 56) > 0) return false;
    x = x << 8 | c;
  }
  if ((x >> 63) > 0) return false;
  *out = inv == 0xff ? ~static_cast<int64_t>(x) : static_cast<int64_t>(x);
  return true;
}

// Go's isHeaderOnlyType: entries whose size field does not count data.
bool HeaderOnly(char type) {
  return type == '1' || type == '2' || type == '3' || type == '4' || type == '5' || type == '6';
}

// The records of a PAX extended header ("%d %s=%s\n"), as Go's parsePAX applies them.
struct PaxRecords {
  std::optional<std::string> path, linkpath;
  std::optional<int64_t> size;
  bool sparse = false;
};

void ParsePax(std::string_view data, PaxRecords& out) {
  while (!data.empty()) {
    size_t space = data.find(' ');
    if (space == std::string_view::npos || space == 0) BadHeader();
    int64_t n = 0;
    for (char c : data.substr(0, space)) {
      if (c < '0' || c > '9' || n > (int64_t{1} << 40)) BadHeader();
      n = n * 10 + (c - '0');
    }
    if (n < 5 || static_cast<size_t>(n) > data.size() || static_cast<size_t>(n) <= space + 1)
      BadHeader();
    std::string_view record = data.substr(space + 1, static_cast<size_t>(n) - space - 1);
    data.remove_prefix(static_cast<size_t>(n));
    if (record.empty() || record.back() != '\n') BadHeader();
    record.remove_suffix(1);
    size_t eq = record.find('=');
    if (eq == std::string_view::npos || eq == 0) BadHeader();
    std::string_view key = record.substr(0, eq), value = record.substr(eq + 1);
    if (key == "path" || key == "linkpath") {
      if (value.find('\0') != std::string_view::npos) BadHeader();
      (key == "path" ? out.path : out.linkpath) = std::string(value);
    } else if (key == "size") {
      int64_t size = 0;
      if (value.empty()) BadHeader();
      for (char c : value) {
        if (c < '0' || c > '9' || size > (std::numeric_limits<int64_t>::max() - 9) / 10)
          BadHeader();
        size = size * 10 + (c - '0');
      }
      out.size = size;
    } else if (key.starts_with("GNU.sparse.")) {
      out.sparse = true;
    }
  }
}

}  // namespace

// gzip through zlib, several members in a row allowed (Go's multistream default).
struct GzipTarReader::Inflater {
  z_stream zs{};
  bool open = false;
  bool at_end = false;  // the last member has ended and no input follows

  explicit Inflater(std::string_view in) {
    if (in.empty()) Fail("EOF");
    CheckHeader(in);
    if (in.size() > std::numeric_limits<uInt>::max()) Fail("gzip: archive too large");
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs.avail_in = static_cast<uInt>(in.size());
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) Fail("gzip: cannot initialise zlib");
    open = true;
  }
  ~Inflater() {
    if (open) inflateEnd(&zs);
  }

  // Go's gzip.Reader checks the magic and the method before anything else.
  static void CheckHeader(std::string_view in) {
    if (in.size() < 10) Fail("unexpected EOF");
    if (static_cast<unsigned char>(in[0]) != 0x1f || static_cast<unsigned char>(in[1]) != 0x8b ||
        in[2] != 8)
      Fail("gzip: invalid header");
  }

  size_t Read(char* out, size_t n) {
    size_t produced = 0;
    while (produced < n && !at_end) {
      zs.next_out = reinterpret_cast<Bytef*>(out + produced);
      zs.avail_out = static_cast<uInt>(std::min<size_t>(n - produced, 1 << 30));
      uInt before = zs.avail_out;
      int rc = inflate(&zs, Z_NO_FLUSH);
      produced += before - zs.avail_out;
      if (rc == Z_STREAM_END) {
        if (zs.avail_in == 0) {
          at_end = true;
          break;
        }
        CheckHeader(std::string_view(reinterpret_cast<const char*>(zs.next_in), zs.avail_in));
        inflateReset(&zs);
        continue;
      }
      if (rc == Z_BUF_ERROR) {
        if (zs.avail_in == 0) Fail("unexpected EOF");
        if (zs.avail_out == before) Fail("gzip: inflate made no progress");
      } else if (rc == Z_DATA_ERROR) {
        std::string why = zs.msg != nullptr ? zs.msg : "corrupt data";
        if (why == "incorrect data check" || why == "incorrect length check")
          Fail("gzip: invalid checksum");
        if (why == "incorrect header check") Fail("gzip: invalid header");
        Fail("flate: corrupt input (" + why + ")");
      } else if (rc != Z_OK) {
        Fail("gzip: inflate failed (zlib error " + std::to_string(rc) + ")");
      }
    }
    return produced;
  }
};

GzipTarReader::GzipTarReader(std::string_view gzip_bytes)
    : inflater_(std::make_unique<Inflater>(gzip_bytes)) {}

GzipTarReader::~GzipTarReader() = default;

size_t GzipTarReader::ReadSome(char* out, size_t n) {
  return inflater_->Read(out, n);
}

void GzipTarReader::ReadFull(char* out, size_t n) {
  if (ReadSome(out, n) != n) Fail("unexpected EOF");
}

void GzipTarReader::Skip(size_t n) {
  std::array<char, 16384> scratch;
  while (n > 0) {
    size_t chunk = std::min(n, scratch.size());
    ReadFull(scratch.data(), chunk);
    n -= chunk;
  }
}

std::string GzipTarReader::ReadBlocks(size_t size) {
  if (size > kMaxSpecialFileSize) Fail("archive/tar: header field too long");
  std::string data(size, '\0');
  ReadFull(data.data(), size);
  Skip((kBlock - size % kBlock) % kBlock);
  return data;
}

std::optional<TarEntry> GzipTarReader::Next() {
  Skip(remaining_ + padding_);
  remaining_ = padding_ = 0;
  PaxRecords pax;
  std::optional<std::string> long_name;
  std::array<char, kBlock> block;
  // The end: Go's reader stops at the end-of-archive blocks, but the rest of the gzip stream
  // (tar's padding to a 10 KiB record) is read too, so that its checksum is verified: a chart
  // whose archive is cut short or corrupt is refused rather than rendered from damaged bytes.
  auto end = [this]() -> std::optional<TarEntry> {
    std::array<char, 16384> scratch;
    while (ReadSome(scratch.data(), scratch.size()) > 0) {
    }
    return std::nullopt;
  };
  while (true) {
    size_t got = ReadSome(block.data(), kBlock);
    if (got == 0) return end();  // io.EOF on a block boundary
    if (got != kBlock) Fail("unexpected EOF");
    static const std::array<char, kBlock> kZero{};
    if (block == kZero) {
      got = ReadSome(block.data(), kBlock);
      if (got == 0) return end();  // exactly one zero block
      if (got != kBlock) Fail("unexpected EOF");
      if (block == kZero) return end();  // the end-of-archive marker
      BadHeader();
    }
    // Go's getFormat: the checksum, computed unsigned or signed, must match.
    int64_t stored = 0;
    if (!ParseOctal(block.data() + 148, 8, &stored)) BadHeader();
    int64_t unsigned_sum = 0, signed_sum = 0;
    for (size_t i = 0; i < kBlock; ++i) {
      char c = i >= 148 && i < 156 ? ' ' : block[i];
      unsigned_sum += static_cast<unsigned char>(c);
      signed_sum += static_cast<signed char>(c);
    }
    if (stored != unsigned_sum && stored != signed_sum) BadHeader();
    std::string_view magic(block.data() + 257, 6), version(block.data() + 263, 2);
    bool ustar = magic == std::string_view("ustar\0", 6) && version == "00";

    TarEntry entry;
    entry.type = block[156];
    entry.name = ParseString(block.data(), 100);
    int64_t size = 0;
    if (!ParseNumeric(block.data() + 124, 12, &size)) BadHeader();
    if (ustar) {
      // star's variant keeps times in the last 24 bytes of the prefix field.
      bool star = std::string_view(block.data() + 508, 4) == std::string_view("tar\0", 4);
      std::string prefix = ParseString(block.data() + 345, star ? 131 : 155);
      if (!prefix.empty()) entry.name = prefix + "/" + entry.name;
    }
    if (size < 0) BadHeader();

    if (entry.type == 'x' || entry.type == 'g') {
      std::string data = ReadBlocks(static_cast<size_t>(size));
      // A global header ('g') is returned by Go's reader and skipped by Helm's loader.
      if (entry.type == 'x') ParsePax(data, pax);
      continue;
    }
    if (entry.type == 'L' || entry.type == 'K') {
      std::string data = ReadBlocks(static_cast<size_t>(size));
      if (entry.type == 'L') long_name = ParseString(data.data(), data.size());
      continue;
    }
    if (pax.path) entry.name = *pax.path;
    if (pax.size) size = *pax.size;
    if (long_name) entry.name = *long_name;
    if (entry.type == '\0')
      entry.type = !entry.name.empty() && entry.name.back() == '/' ? '5' : '0';
    if (entry.type == 'S' || pax.sparse)
      Fail("archive/tar: sparse file " + entry.name + " in a chart archive is not supported");
    if (HeaderOnly(entry.type)) size = 0;
    entry.size = static_cast<size_t>(size);
    remaining_ = entry.size;
    padding_ = (kBlock - entry.size % kBlock) % kBlock;
    return entry;
  }
}

std::string GzipTarReader::ReadData() {
  std::string data(remaining_, '\0');
  ReadFull(data.data(), data.size());
  remaining_ = 0;
  return data;
}

}  // namespace rayctl::deploy
