#include "cli/mirror_progress.h"

#include <fmt/format.h>

namespace rayctl::cli {

std::string FormatBytes(uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  return u == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", v, units[u]);
}

namespace {
std::string Short(const mirror::Descriptor& d) {
  return d.digest.algorithm + ":" + d.digest.hex.substr(0, 12);
}
}  // namespace

MirrorProgress::MirrorProgress(std::FILE* out, bool live, bool blob_lines)
    : out_(out), live_(live), blob_lines_(blob_lines) {
  if (live_) {
    ticker_ = std::thread([this] {
      std::unique_lock lock(mu_);
      while (!stop_) {
        cv_.wait_for(lock, std::chrono::milliseconds(200));
        if (!stop_) Redraw();
      }
    });
  }
}

MirrorProgress::~MirrorProgress() {
  Finish();
}

void MirrorProgress::Finish() {
  {
    std::lock_guard lock(mu_);
    if (stop_) return;
    stop_ = true;
    if (live_) ClearLive();
  }
  cv_.notify_all();
  if (ticker_.joinable()) ticker_.join();
}

void MirrorProgress::OnPlan(size_t blobs, uint64_t bytes) {
  std::lock_guard lock(mu_);
  total_blobs_ += blobs;  // several images add up
  total_bytes_ += bytes;
}

void MirrorProgress::Line(const std::string& text) {
  std::lock_guard lock(mu_);
  if (live_) ClearLive();
  std::fprintf(out_, "%s\n", text.c_str());
  if (live_ && !stop_) Redraw();
  std::fflush(out_);
}

void MirrorProgress::OnBlobStart(const mirror::Descriptor& blob) {
  std::lock_guard lock(mu_);
  in_flight_[blob.digest.String()] = {0, static_cast<uint64_t>(blob.size)};
}

void MirrorProgress::OnBlobBytes(const mirror::Descriptor& blob, uint64_t n) {
  std::lock_guard lock(mu_);
  in_flight_[blob.digest.String()].done += n;
  moved_bytes_ += n;
}

void MirrorProgress::OnBlobRestart(const mirror::Descriptor& blob, uint64_t discarded) {
  std::lock_guard lock(mu_);
  in_flight_[blob.digest.String()].done = 0;
  moved_bytes_ -= std::min(moved_bytes_, discarded);
}

void MirrorProgress::OnBlobDone(const mirror::Descriptor& blob, mirror::BlobOutcome outcome) {
  std::lock_guard lock(mu_);
  in_flight_.erase(blob.digest.String());
  ++finished_blobs_;
  if (!blob_lines_) return;
  const char* what = outcome == mirror::BlobOutcome::kCopied    ? "copied "
                     : outcome == mirror::BlobOutcome::kMounted ? "mounted"
                                                                : "skipped";
  if (live_) ClearLive();
  std::fprintf(out_, "%s %s  %s  (%zu/%zu)\n", what, Short(blob).c_str(),
               FormatBytes(static_cast<uint64_t>(blob.size)).c_str(), finished_blobs_,
               total_blobs_);
  if (live_) Redraw();
  std::fflush(out_);
}

void MirrorProgress::ClearLive() {
  for (int i = 0; i < live_lines_; ++i)
    std::fputs("\x1b[1A\x1b[2K", out_);
  live_lines_ = 0;
}

void MirrorProgress::Redraw() {
  ClearLive();
  for (const auto& [digest, f] : in_flight_) {
    int pct = f.size ? static_cast<int>(100 * f.done / f.size) : 100;
    std::fprintf(out_, "  %s  %s / %s  %3d%%\n", digest.substr(0, 19).c_str(),
                 FormatBytes(f.done).c_str(), FormatBytes(f.size).c_str(), pct);
    ++live_lines_;
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  double rate = secs > 0 ? moved_bytes_ / secs : 0;
  std::string eta = "-";
  if (rate > 0 && total_bytes_ > moved_bytes_)
    eta = fmt::format("{:.0f}s", (total_bytes_ - moved_bytes_) / rate);
  std::fprintf(out_, "  total %s / %s  %s/s  ETA %s\n", FormatBytes(moved_bytes_).c_str(),
               FormatBytes(total_bytes_).c_str(), FormatBytes(static_cast<uint64_t>(rate)).c_str(),
               eta.c_str());
  ++live_lines_;
  std::fflush(out_);
}

}  // namespace rayctl::cli
