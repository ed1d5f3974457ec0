// The dashboard's web page: nodes, resources and jobs, and the log of a selected job, rendered on
// the server as plain HTML (every user-supplied string escaped) so that it works without
// JavaScript and can be checked with a plain HTTP GET. A few lines of JavaScript refresh the
// <main> element every two seconds from /?fragment=1. Stateless; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/head/cluster_view.h"
#include "runtime/jobs/job_info.h"

namespace rayctl::dashboard {

struct PageInput {
  head::ClusterView view;
  std::vector<jobs::JobInfo> jobs;
  std::optional<jobs::JobInfo> selected;  // the job whose log is shown
  std::string log;                        // its log (the tail, when long)
  bool log_truncated = false;
};

std::string RenderPage(const PageInput& input);      // the whole document
std::string RenderPageMain(const PageInput& input);  // the inside of <main>

std::string HtmlEscape(std::string_view text);
// Like encodeURIComponent, for ids in links.
std::string UrlEncode(std::string_view text);

}  // namespace rayctl::dashboard
