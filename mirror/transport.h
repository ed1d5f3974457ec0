// The two interfaces every transport implements, and the only thing the copy engine knows about
// where images come from and go to: an ImageSource yields manifests and blob streams, an
// ImageDestination takes them. Registries (registry_source.h, registry_destination.h), OCI
// layouts (layout.h), OCI archives (oci_archive.h) and Docker archives (docker_archive.h)
// implement them. Implementations must be safe to call from several copy workers at once
// (blobs move in parallel).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "common/error.h"
#include "mirror/digest.h"
#include "mirror/manifest.h"

namespace rayctl::mirror {

// A failure worth trying again from the start of the blob: the network, or a registry answering
// 408 / 429 / 5xx. Transports throw it; the copy engine retries with backoff.
class TransientError : public Error {
 public:
  using Error::Error;
};

// A stream of blob bytes, pulled by the consumer. Read returns 0 at the end and throws on
// failure; a consumer that stops early simply destroys the reader.
class BlobReader {
 public:
  virtual ~BlobReader() = default;
  virtual size_t Read(char* buf, size_t capacity) = 0;
};

// Where a source's blobs live, so that a destination on the same registry can mount them
// instead of receiving their bytes.
struct BlobOrigin {
  std::string registry;    // domain, e.g. "127.0.0.1:5000"
  std::string repository;  // path, e.g. "team/app"
};

class ImageSource {
 public:
  virtual ~ImageSource() = default;
  virtual std::string Name() const = 0;  // as the user wrote it, e.g. "docker://host/app:v1"
  // The manifest the name refers to (no digest), or a manifest it refers to (by digest).
  // Throws Error when it does not exist.
  virtual Manifest GetManifest(const std::optional<Digest>& digest = std::nullopt) = 0;
  // The blob's bytes as stored; the caller verifies them.
  virtual std::unique_ptr<BlobReader> GetBlob(const Descriptor& blob) = 0;
  virtual std::optional<BlobOrigin> Origin() const { return std::nullopt; }
};

// A file a destination wrote and renamed into place (an archive), with its own SHA-256 so that
// it can be checked after it has been carried somewhere else.
struct WrittenFile {
  std::filesystem::path path;
  uint64_t bytes = 0;
  Digest sha256;
};

enum class BlobReuse {
  kNone,     // not there: the bytes must be sent
  kPresent,  // already there
  kMounted,  // made present without sending bytes (cross-repository mount)
};

class ImageDestination {
 public:
  virtual ~ImageDestination() = default;
  virtual std::string Name() const = 0;
  // Checks the destination can be written to (reachable, credentials, TLS) before any blob
  // moves, so a bad destination fails fast and leaves nothing behind.
  virtual void Prepare() = 0;
  // Refuses, before any blob moves, an image this destination cannot hold (a Docker archive
  // holds one platform's image, not an index). Throws Error.
  virtual void CheckStorable(const Manifest& /*top*/) {}
  // The digest the destination's name (tag) points at now, if any.
  virtual std::optional<Digest> CurrentDigest() = 0;
  virtual bool HasManifest(const Descriptor& manifest) = 0;
  virtual BlobReuse ReuseBlob(const Descriptor& blob, const std::optional<BlobOrigin>& origin) = 0;
  // Stores exactly `blob.size` bytes from `reader`. The reader throws when the bytes are not
  // what `blob` says; the partial write must then be discarded so nothing can refer to it.
  virtual void PutBlob(const Descriptor& blob, BlobReader& reader) = 0;
  // Stores a manifest by digest; every blob and child it refers to is already stored.
  virtual void PutManifest(const Manifest& manifest) = 0;
  // Points the destination's name at `top` (written by the engine last of all) and makes the
  // result visible; an image is complete at the destination only after Commit.
  virtual void Commit(const Manifest& top) = 0;

  // Names the store this destination keeps blobs in ("docker://HOST" for a registry, the
  // archive's path), so that concurrent copies into one store move each blob once: the others
  // wait for it and then find it present or mount it. Empty: blobs are not shared.
  virtual std::string BlobStore() const { return {}; }
  // Where this destination's blobs land, for other copies into the same store to mount from.
  virtual std::optional<BlobOrigin> Location() const { return std::nullopt; }
  // The file the copy produced, once Commit has renamed it into place (archives only).
  virtual std::optional<WrittenFile> Written() const { return std::nullopt; }
};

}  // namespace rayctl::mirror
