#include "runtime/dashboard/page.h"

#include <cctype>
#include <ctime>

namespace rayctl::dashboard {
namespace {

const char* kStyle = R"CSS(
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1d2330;color:#fff;padding:10px 20px;display:flex;gap:16px;align-items:baseline}
header h1{font-size:18px;margin:0}header span{opacity:.75;font-size:12px}
main{padding:12px 20px}section{background:#fff;border:1px solid #dde1e7;border-radius:6px;
padding:10px 14px;margin-bottom:14px}h2{font-size:15px;margin:0 0 8px}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;
border-bottom:1px solid #eceff3;vertical-align:top}th{font-weight:600;color:#5a6372;font-size:12px}
code{font:12px ui-monospace,monospace;word-break:break-all}
.s{font-weight:600;font-size:12px;padding:1px 6px;border-radius:3px}
.ALIVE,.SUCCEEDED{background:#dff3e4;color:#1b6b34}.DEAD,.FAILED{background:#fbe2e2;color:#9c1c1c}
.RUNNING{background:#e0ecfb;color:#1c4f9c}.PENDING{background:#fdf3d8;color:#7a5a00}
.STOPPED{background:#eceff3;color:#4a5260}
.bar{display:inline-block;width:120px;height:8px;background:#eceff3;border-radius:4px;
margin-right:8px;vertical-align:middle}.bar i{display:block;height:8px;background:#4a7fd4;border-radius:4px}
pre{background:#11151c;color:#d8dee9;padding:10px;border-radius:4px;max-height:480px;overflow:auto;
white-space:pre-wrap;word-break:break-all;font:12px ui-monospace,monospace}
.muted{color:#7a8494}a{color:#1c4f9c}.nw,.nw code{white-space:nowrap;word-break:normal}
)CSS";

const char* kScript = R"JS(
(function(){
  const main = document.getElementById('main');
  async function refresh(){
    const q = new URLSearchParams(location.search); q.set('fragment','1');
    try {
      const r = await fetch(location.pathname + '?' + q.toString(), {credentials:'same-origin'});
      if (!r.ok) return;
      const pre = document.getElementById('log');
      const atEnd = pre && pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
      main.innerHTML = await r.text();
      const next = document.getElementById('log');
      if (next && (atEnd || !pre)) next.scrollTop = next.scrollHeight;
    } catch (e) {}
  }
  const pre = document.getElementById('log'); if (pre) pre.scrollTop = pre.scrollHeight;
  setInterval(refresh, 2000);
})();
)JS";

std::string FormatTime(int64_t ms) {
  if (ms <= 0) return "";
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

std::string Badge(const std::string& status) {
  return "<span class=\"s " + HtmlEscape(status) + "\">" + HtmlEscape(status) + "</span>";
}

std::string ResourceCell(const std::map<std::string, double>& total,
                         const std::map<std::string, double>& available) {
  std::string out;
  for (const auto& line : head::ResourceUsageLines(total, available))
    out += HtmlEscape(line) + "<br>";
  return out;
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string RenderPageMain(const PageInput& in) {
  const head::ClusterView& v = in.view;
  std::string h;
  size_t alive = 0;
  for (const auto& n : v.nodes)
    alive += n.state == "ALIVE";

  h += "<section><h2>Nodes <span class=\"muted\">" + std::to_string(alive) + " alive of " +
       std::to_string(v.nodes.size()) +
       "</span></h2><table><tr><th>Node ID</th><th>Address</th>"
       "<th>Role</th><th>State</th><th>Resources (used/total)</th><th>Last heartbeat</th></tr>";
  for (const auto& n : v.nodes) {
    h += "<tr><td><code>" + HtmlEscape(n.node_id) + "</code></td><td>" + HtmlEscape(n.node_ip) +
         (n.hostname.empty() ? ""
                             : "<br><span class=\"muted\">" + HtmlEscape(n.hostname) + "</span>") +
         "</td><td>" + (n.is_head ? "head" : "worker") + "</td><td>" + Badge(n.state) +
         (n.death_reason.empty()
              ? ""
              : "<br><span class=\"muted\">" + HtmlEscape(n.death_reason) + "</span>") +
         "</td><td>" + ResourceCell(n.total, n.available) + "</td><td>" +
         FormatTime(n.last_heartbeat_ms) + "</td></tr>";
  }
  h += "</table></section>";

  h += "<section><h2>Resources</h2><table>";
  for (const auto& line : head::ResourceUsageLines(v.total, v.available)) {
    std::string name = line.substr(line.find(' ') + 1);  // "used/total name"
    double total = v.total.count(name) ? v.total.at(name) : 0;
    double avail = v.available.count(name) ? v.available.at(name) : 0;
    double pct = total > 0 ? 100.0 * (total - avail) / total : 0;
    h += "<tr><td><span class=\"bar\"><i style=\"width:" + std::to_string(static_cast<int>(pct)) +
         "%\"></i></span>" + HtmlEscape(line) + "</td></tr>";
  }
  if (!v.pending_demands.empty()) {
    h += "<tr><td class=\"muted\">Demands: ";
    for (const auto& d : v.pending_demands)
      h += HtmlEscape(head::FormatDemand(d)) + " ";
    h += "(pending jobs)</td></tr>";
  }
  h += "</table></section>";

  h += "<section><h2>Jobs <span class=\"muted\">" + std::to_string(in.jobs.size()) +
       "</span></h2><table><tr><th>Submission ID</th><th>Status</th><th>Entrypoint</th>"
       "<th>Started</th><th>Ended</th><th>Exit code</th><th></th></tr>";
  for (auto it = in.jobs.rbegin(); it != in.jobs.rend(); ++it) {
    const jobs::JobInfo& j = *it;
    h += "<tr><td class=\"nw\"><code>" + HtmlEscape(j.submission_id) + "</code></td><td>" +
         Badge(jobs::JobStatusName(j.status)) + "</td><td><code>" + HtmlEscape(j.entrypoint) +
         "</code></td><td class=\"nw\">" + FormatTime(j.start_time_ms) + "</td><td class=\"nw\">" +
         FormatTime(j.end_time_ms) + "</td><td>" +
         (j.driver_exit_code ? std::to_string(*j.driver_exit_code) : "") +
         "</td><td><a href=\"/?job=" + UrlEncode(j.submission_id) + "\">logs</a></td></tr>";
  }
  if (in.jobs.empty())
    h += "<tr><td colspan=\"7\" class=\"muted\">No jobs yet. Submit one with: rayctl submit -- "
         "echo hello</td></tr>";
  h += "</table></section>";

  if (in.selected) {
    const jobs::JobInfo& j = *in.selected;
    std::string message = j.message.empty() ? jobs::DefaultJobMessage(j.status) : j.message;
    h += "<section><h2>Logs of <code>" + HtmlEscape(j.submission_id) + "</code> " +
         Badge(jobs::JobStatusName(j.status)) + " <a class=\"muted\" href=\"/\">close</a></h2>" +
         "<p class=\"muted\">" + HtmlEscape(message.substr(0, message.find('\n'))) + "</p>" +
         (in.log_truncated ? "<p class=\"muted\">(showing the end of the log)</p>" : "") +
         "<pre id=\"log\">" + HtmlEscape(in.log) + "</pre></section>";
  }
  return h;
}

std::string RenderPage(const PageInput& in) {
  std::string title = "rayctl cluster " + in.view.session_name;
  return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
         "<title>" +
         HtmlEscape(title) + "</title><style>" + kStyle +
         "</style></head><body>"
         "<header><h1>rayctl</h1><span>" +
         HtmlEscape(in.view.session_name) + "</span><span>" + "cluster " +
         HtmlEscape(in.view.head_address) + "</span><span>version " + HtmlEscape(in.view.version) +
         "</span></header><main id=\"main\">" + RenderPageMain(in) + "</main><script>" + kScript +
         "</script></body></html>";
}

}  // namespace rayctl::dashboard
