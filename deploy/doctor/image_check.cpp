#include "deploy/doctor/image_check.h"

#include <algorithm>

#include "common/error.h"
#include "mirror/entrypoint.h"

namespace rayctl::doctor {
namespace {

std::string ShortDigest(const mirror::Digest& d) {
  return d.algorithm + ":" + d.hex.substr(0, 12);
}

std::string ReadConfig(mirror::ImageSource& source, const mirror::Descriptor& d) {
  if (d.size > (16 << 20))
    throw Error("config blob " + d.digest.String() + " is larger than 16 MiB");
  auto reader = source.GetBlob(d);
  std::string out(static_cast<size_t>(d.size), '\0');
  size_t off = 0;
  while (off < out.size()) {
    size_t n = reader->Read(out.data() + off, out.size() - off);
    if (n == 0) throw Error("config blob " + d.digest.String() + " is truncated");
    off += n;
  }
  if (mirror::DigestOf(out, d.digest.algorithm) != d.digest)
    throw Error("config blob " + d.digest.String() + " is corrupt");
  return out;
}

}  // namespace

CheckResult CheckImage(mirror::ImageSource& source, const std::string& name,
                       const mirror::Platform& platform) {
  CheckResult r{"image:" + name, Status::kPass, "", ""};
  const std::string want = platform.String();
  mirror::Manifest top = source.GetManifest();
  mirror::Manifest image = top;
  bool from_index = false;
  if (top.IsIndex()) {
    auto it = std::find_if(
        top.manifests().begin(), top.manifests().end(),
        [&](const mirror::Descriptor& d) { return d.platform && *d.platform == platform; });
    if (it == top.manifests().end()) {
      r.status = Status::kFail;
      r.message =
          name + " has no image for " + want + "; it has " + mirror::JoinPlatforms(top.Platforms());
      r.hint = "use an image built for " + want + ", or run the cluster on one of those platforms";
      return r;
    }
    image = source.GetManifest(it->digest);
    from_index = true;
  }
  if (image.IsIndex() || !image.config()) {
    r.status = Status::kWarn;
    r.message = name + " is not a runnable image (" + image.media_type() + ")";
    r.hint = "check that the reference names a container image";
    return r;
  }
  mirror::ImageConfig config =
      mirror::ImageConfig::Parse(ReadConfig(source, *image.config()), name);
  if (!(config.platform == platform)) {
    r.status = Status::kFail;
    r.message =
        name + (from_index ? "'s " + want + " entry has a config for " : " is an image for ") +
        config.platform.String() + ", not " + want + ": it fails with 'exec format error' there";
    r.hint = "mirror it with rayctl mirror --platform " + want + " from a multi-platform source";
    return r;
  }
  std::string where = name + " (" + want + ", " + ShortDigest(image.digest()) + ")";
  mirror::EntrypointResolver resolver(source, image, config);
  std::optional<mirror::EntrypointBinary> bin;
  try {
    bin = resolver.Resolve();
  } catch (const Error& e) {
    r.status = Status::kFail;
    r.message = where + ": " + e.what();
    r.hint = e.hint();
    return r;
  }
  if (!bin) {
    r.status = Status::kWarn;
    r.message = where + " names no Entrypoint or Cmd to check";
    r.hint = "the pod spec must give a command";
    return r;
  }
  std::string path = bin->path + (bin->command != bin->path ? " (\"" + bin->command + "\")" : "");
  if (!bin->elf) {
    r.status = Status::kWarn;
    r.message = where + ": entrypoint " + path + " is not an ELF binary" +
                (bin->interpreter.empty() ? "" : " (script for " + bin->interpreter + ")");
    r.hint = "check its interpreter exists for " + want;
    return r;
  }
  std::string what = bin->interpreter.empty()
                         ? "entrypoint " + path
                         : "interpreter " + bin->interpreter + " of entrypoint " + path;
  if (bin->elf->architecture != platform.architecture) {
    r.status = Status::kFail;
    r.message = name + " is mislabeled: its config says " + config.platform.String() + " but its " +
                what + " is " + bin->elf->Describe() + "; running it on " + want +
                " fails with 'exec format error' (in a pod: CrashLoopBackOff)";
    r.hint = "rebuild the image for " + want + " (docker buildx build --platform " + want + ")";
    return r;
  }
  r.message = where + ": " + what + " is " + bin->elf->Describe();
  return r;
}

CheckResult CheckImageReference(const std::string& ref, const mirror::Platform& platform,
                                const mirror::SideConfig& access) {
  std::string name = ref.rfind("docker://", 0) == 0 ? ref : "docker://" + ref;
  auto source = mirror::OpenSource(name, access);  // InputError for a malformed reference
  std::string display = ref.rfind("docker://", 0) == 0 ? ref.substr(9) : ref;
  try {
    return CheckImage(*source, display, platform);
  } catch (const Error& e) {
    return CheckResult{"image:" + display, Status::kFail, e.what(), e.hint()};
  }
}

}  // namespace rayctl::doctor
