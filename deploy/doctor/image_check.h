// `rayctl doctor --image REF [--platform P]`: checks, through the registry, that an image exists
// for a platform and that the ELF machine of its entrypoint binary (found through the layers)
// matches that platform. A mislabeled image (config amd64, binary arm64) is a FAIL that says so.
// Stateless functions; safe to call from several threads with separate sources.
#pragma once

#include <string>

#include "deploy/doctor/check.h"
#include "mirror/platform.h"
#include "mirror/transport.h"
#include "mirror/transports.h"

namespace rayctl::doctor {

// The check on an already opened source (any transport).
CheckResult CheckImage(mirror::ImageSource& source, const std::string& name,
                       const mirror::Platform& platform);

// Opens REF (with or without docker://) with `access` and checks it. Problems reaching the
// image (unknown tag, credentials, TLS) are FAILs with the error's hint, not exceptions;
// a malformed REF throws InputError.
CheckResult CheckImageReference(const std::string& ref, const mirror::Platform& platform,
                                const mirror::SideConfig& access);

}  // namespace rayctl::doctor
