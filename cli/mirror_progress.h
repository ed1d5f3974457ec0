// How `rayctl mirror` shows a copy in progress on stderr: on a terminal, one live line per blob
// in flight and a total (bytes, rate, ETA), redrawn a few times a second; otherwise one line per
// finished blob. A bulk mirror shows one line per finished image instead of per blob, and its
// total grows as each image's plan is known. Thread-safe: the copy engine calls it from its
// workers.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "mirror/copy.h"

namespace rayctl::cli {

class MirrorProgress : public mirror::CopyObserver {
 public:
  // `blob_lines`: print a line per finished blob (one image); else only Line()s (bulk).
  MirrorProgress(std::FILE* out, bool live, bool blob_lines = true);
  ~MirrorProgress() override;

  void OnPlan(size_t blobs, uint64_t bytes) override;
  void OnBlobStart(const mirror::Descriptor& blob) override;
  void OnBlobBytes(const mirror::Descriptor& blob, uint64_t n) override;
  void OnBlobRestart(const mirror::Descriptor& blob, uint64_t discarded) override;
  void OnBlobDone(const mirror::Descriptor& blob, mirror::BlobOutcome outcome) override;

  // Prints a line above the live display.
  void Line(const std::string& text);
  // Stops the live display and clears it.
  void Finish();

 private:
  struct InFlight {
    uint64_t done = 0;
    uint64_t size = 0;
  };
  void Redraw();     // holds mu_
  void ClearLive();  // holds mu_

  std::FILE* out_;
  bool live_;
  bool blob_lines_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::map<std::string, InFlight> in_flight_;
  uint64_t total_bytes_ = 0;
  uint64_t moved_bytes_ = 0;
  size_t total_blobs_ = 0;
  size_t finished_blobs_ = 0;
  int live_lines_ = 0;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::thread ticker_;
};

std::string FormatBytes(uint64_t bytes);  // "201.3 MiB"

}  // namespace rayctl::cli
