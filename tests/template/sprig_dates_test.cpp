// Sprig's date functions over Go's time package: reference-time layouts, IANA zones from the
// system's tzdata (including the POSIX rule past the last transition), Go's parse errors,
// durations, and time.Time values printing and answering methods like Go's.
#include <catch2/catch.hpp>

#include <regex>
#include <sstream>

#include "common/subprocess.h"
#include "deploy/template/gotime.h"
#include "tests/template/sprig_test_util.h"

using sprig_test::Error;
using sprig_test::Render;
using namespace rayctl::tmpl;

TEST_CASE("dateInZone formats Unix seconds and times in IANA zones") {
  CHECK(Render(R"({{ dateInZone "2006-01-02T15:04:05Z07:00" 1590000000 "UTC" }})") ==
        "2020-05-20T18:40:00Z");
  CHECK(Render(R"({{ date_in_zone "2006-01-02 15:04 MST" 1590000000 "America/New_York" }})") ==
        "2020-05-20 14:40 EDT");
  CHECK(Render(R"T({{ dateInZone "Jan 2, 2006 at 3:04pm (MST)" 1579000000 "Europe/Paris" }})T") ==
        "Jan 14, 2020 at 12:06pm (CET)");
  CHECK(Render(R"({{ dateInZone "2006-01-02 15:04 MST -0700" 1590000000 "Asia/Kathmandu" }})") ==
        "2020-05-21 00:25 +0545 +0545");
  CHECK(Render(R"({{ dateInZone "15:04 MST" (int64 1590000000) "Asia/Kolkata" }})") == "00:10 IST");
  // Past the zone file's last transition, the POSIX TZ rule decides (northern and southern).
  CHECK(Render(R"({{ dateInZone "2006-01-02 15:04 MST" 4102444800 "America/New_York" }})") ==
        "2099-12-31 19:00 EST");
  CHECK(Render(R"({{ dateInZone "2006-01-02 15:04 MST" 4118083200 "America/New_York" }})") ==
        "2100-06-30 20:00 EDT");
  CHECK(Render(R"({{ dateInZone "2006-01-02 15:04 MST" 4102444800 "Australia/Sydney" }})") ==
        "2100-01-01 11:00 AEDT");
  CHECK(Render(R"({{ dateInZone "2006-01-02 15:04 MST" 4118083200 "Australia/Sydney" }})") ==
        "2100-07-01 10:00 AEST");
  CHECK(Render(R"({{ dateInZone "15:04 MST" 4118083200 "Europe/London" }})") == "01:00 BST");
  // An unknown zone falls back to UTC, as Sprig does.
  CHECK(
      Render(
          R"({{ dateInZone "15:04 MST" 0 "Not/AZone" }}|{{ dateInZone "MST" 0 "../etc/passwd" }})") ==
      "00:00 UTC|UTC");
  CHECK(Render(R"({{ htmlDateInZone 1590000000 "UTC" }}|{{ htmlDateInZone (int64 0) "UTC" }})") ==
        "2020-05-20|1970-01-01");
}

TEST_CASE("Go's layout elements") {
  auto at = [](const std::string& layout, const std::string& zone = "UTC") {
    return Render("{{ dateInZone \"" + layout + "\" 1590000000 \"" + zone + "\" }}");
  };
  CHECK(at("Mon Jan _2 15:04:05 2006") == "Wed May 20 18:40:00 2020");
  CHECK(at("3:04PM") == "6:40PM");
  CHECK(at("03:04pm") == "06:40pm");
  CHECK(at("Monday, January 2, 2006") == "Wednesday, May 20, 2020");
  CHECK(at("002 __2 _2") == "141 141 20");
  CHECK(at("06 1 2 15 4 5") == "20 5 20 18 40 0");
  CHECK(at("2006-01-02T15:04:05.000Z07:00") == "2020-05-20T18:40:00.000Z");
  CHECK(at("2006-01-02T15:04:05.999999999Z0700") == "2020-05-20T18:40:00Z");
  CHECK(at("-07:00 -0700 -07 Z07 Z07:00:00") == "+00:00 +0000 +00 Z Z");
  CHECK(at("-07:00:00 Z07:00 MST", "Asia/Kolkata") == "+05:30:00 +05:30 IST");
  CHECK(at("Jan January Janx") == "May May Janx");
  CHECK(at("Janu") == "Janu");
}

TEST_CASE("date uses the local zone, and odd date arguments mean now") {
  CHECK(Render(R"({{ toDate "2006-01-02" "2017-12-31" | date "02/01/2006" }})") == "31/12/2017");
  CHECK(Render(R"({{ htmlDate (toDate "2006-01-02" "2017-12-31") }})") == "2017-12-31");
  std::string year = GoTime::Now().Format("2006");
  CHECK(Render(R"({{ date "2006" .v }}|{{ date "2006" "x" }}|{{ htmlDate nil | len }})",
               R"({"v": 1590000000})") == year + "|" + year + "|10");
}

TEST_CASE("toDate and mustToDate parse with Go's rules and errors") {
  CHECK(Render(R"({{ toDate "2006-01-02T15:04:05Z07:00" "2020-05-20T18:40:00Z" | unixEpoch }})") ==
        "1590000000");
  CHECK(
      Render(
          R"({{ toDate "2006-01-02T15:04:05Z07:00" "2020-05-20T20:40:00+02:00" | unixEpoch }})") ==
      "1590000000");
  CHECK(Render(R"({{ toDate "2006-01-02" "bad" }})") == "0001-01-01 00:00:00 +0000 UTC");
  CHECK(
      std::regex_match(Render(R"({{ toDate "2006-01-02 15:04 -0700" "2020-01-02 03:04 +0530" }})"),
                       std::regex(R"(2020-01-02 03:04:00 \+0530 (\+0530|IST))")));
  CHECK(
      Render(
          R"({{ dateInZone "05.000" (toDate "2006-01-02 15:04:05" "2020-01-02 03:04:05.123") "UTC" }})") ==
      "05.123");
  CHECK(
      Render(
          R"({{ dateInZone "15:04:05.999999" (toDate "2006 3:04:05PM .000000" "2020 3:04:05PM .001500") "UTC" }})")
          .substr(5) == ":05.0015");
  CHECK(
      Render(
          R"({{ (toDate "Jan _2 2006" "Feb  3 2013").YearDay }}|{{ (toDate "002 2006" "060 2020").Day }})") ==
      "34|29");
  CHECK_THAT(Error(R"({{ mustToDate "2006-01-02" "bad" }})"),
             Catch::EndsWith("error calling mustToDate: parsing time \"bad\" as \"2006-01-02\": "
                             "cannot parse \"bad\" as \"2006\""));
  CHECK_THAT(Error(R"({{ mustToDate "2006-01-02" "2020-13-01" }})"),
             Catch::EndsWith("parsing time \"2020-13-01\": month out of range"));
  CHECK_THAT(Error(R"({{ mustToDate "2006-01-02" "2020-02-30" }})"),
             Catch::EndsWith("parsing time \"2020-02-30\": day out of range"));
  CHECK_THAT(Error(R"({{ mustToDate "2006-01-02" "2020-01-01x" }})"),
             Catch::EndsWith("parsing time \"2020-01-01x\": extra text: \"x\""));
  CHECK_THAT(Error(R"({{ mustToDate "15:04" "25:00" }})"),
             Catch::EndsWith("parsing time \"25:00\": hour out of range"));
  CHECK_THAT(
      Error(R"({{ mustToDate "Jan 2" "Foo 2" }})"),
      Catch::EndsWith("parsing time \"Foo 2\" as \"Jan 2\": cannot parse \"Foo 2\" as \"Jan\""));
}

TEST_CASE("dateModify, mustDateModify and unixEpoch") {
  std::string t = R"($t := toDate "2006-01-02 15:04 -0700" "2020-01-01 00:00 +0000")";
  CHECK(Render("{{ " + t +
               R"( }}{{ dateInZone "2006-01-02 15:04" (dateModify "1.5h" $t) "UTC" }})") ==
        "2020-01-01 01:30");
  CHECK(Render("{{ " + t +
               R"( }}{{ dateInZone "2006-01-02 15:04" (date_modify "-2h45m" $t) "UTC" }})") ==
        "2019-12-31 21:15");
  CHECK(Render("{{ " + t + R"( }}{{ dateInZone "15:04" (dateModify "bad" $t) "UTC" }})") ==
        "00:00");
  CHECK_THAT(Error("{{ " + t + R"( }}{{ mustDateModify "bad" $t }})"),
             Catch::EndsWith("error calling mustDateModify: time: invalid duration \"bad\""));
  CHECK_THAT(Error("{{ " + t + R"( }}{{ must_date_modify "1x" $t }})"),
             Catch::EndsWith("time: unknown unit \"x\" in duration \"1x\""));
  CHECK_THAT(Error(R"({{ dateModify "1h" .s }})", R"({"s": "2020"})"),
             Catch::EndsWith("wrong type for value; expected time.Time; got string"));
  CHECK_THAT(Error(R"({{ dateModify "1h" "2020" }})"),
             Catch::EndsWith("can't handle \"2020\" for arg of type time.Time"));
  CHECK(std::regex_match(Render("{{ now | unixEpoch }}"), std::regex("[0-9]{10}")));
}

TEST_CASE("duration, durationRound and ago") {
  CHECK(
      Render(
          R"({{ duration "95" }}|{{ duration (int64 95) }}|{{ duration 95 }}|{{ duration "x" }})") ==
      "1m35s|1m35s|0s|0s");
  CHECK(Render(R"({{ duration "3600" }}|{{ duration "-1" }}|{{ duration "0" }})") ==
        "1h0m0s|-1s|0s");
  CHECK(
      Render(
          R"({{ durationRound "2h10m5s" }}|{{ durationRound "1h" }}|{{ durationRound "400h" }})") ==
      "2h|60m|16d");
  CHECK(
      Render(
          R"({{ durationRound "5000h" }}|{{ durationRound "10000h" }}|{{ durationRound "-3s" }})") ==
      "6m|1y|3s");
  CHECK(
      Render(
          R"({{ durationRound "1s" }}|{{ durationRound (int64 90000000000) }}|{{ durationRound 5 }})") ==
      "0s|1m|0s");
  CHECK(Render(R"({{ ago now }})") == "0s");
  CHECK(std::regex_match(Render("{{ ago 0 }}"), std::regex(R"(\d+h\d+m\d+s)")));
}

TEST_CASE("time.Time values print and answer methods like Go's") {
  CHECK(std::regex_match(
      Render("{{ now }}"),
      std::regex(R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? [+-]\d{4} \S+ m=\+\d+\.\d{9})")));
  CHECK(Render(R"({{ typeOf now }}|{{ kindOf now }}|{{ typeOf (now).Month }})") ==
        "time.Time|struct|time.Month");
  std::string d = R"((toDate "2006-01-02" "2020-05-20"))";
  CHECK(Render("{{ " + d + ".Year }} {{ " + d + ".Month }} {{ " + d + ".Day }} {{ " + d +
               ".Weekday }} {{ " + d + ".YearDay }}") == "2020 May 20 Wednesday 141");
  CHECK(Render("{{ (" + d + R"(.AddDate 0 1 15).Format "2006-01-02" }})") == "2020-07-05");
  CHECK(Render("{{ (" + d + R"(.AddDate 0 0 -20).Format "2006-01-02" }})") == "2020-04-30");
  CHECK(Render("{{ add1 " + d + ".Month }}") == "6");
  CHECK(Render(R"({{ ((toDate "2006-01-02" "2020-05-21").Sub )" + d + ") }}") == "24h0m0s");
  CHECK(Render("{{ " + d + R"(.UTC.Location }}|{{ (toDate "2006" "x").IsZero }})") == "UTC|true");
  CHECK(Render(
            "{{ toJson (toDate \"2006-01-02T15:04:05.999Z07:00\" \"2020-05-20T18:40:00.5Z\") }}") ==
        R"("2020-05-20T18:40:00.5Z")");
  CHECK(
      Render(
          R"({{ dateInZone "15:04:05" ((toDate "2006-01-02T15:04:05Z" "2020-05-20T18:40:29Z").Round 60000000000) "UTC" }})") ==
      "18:40:00");
}

TEST_CASE("Go's duration parsing and printing") {
  CHECK(ParseDuration("1h30m") == 90 * kMinute);
  CHECK(ParseDuration("1.5h") == 90 * kMinute);
  CHECK(ParseDuration("-1.5us") == -1500);
  CHECK(ParseDuration("2\xC2\xB5s") == 2 * kMicrosecond);
  CHECK_THROWS_WITH(ParseDuration(".s"), "time: invalid duration \".s\"");
  CHECK_THROWS_WITH(ParseDuration(""), "time: invalid duration \"\"");
  CHECK_THROWS_WITH(ParseDuration("1"), "time: missing unit in duration \"1\"");
  CHECK_THROWS_WITH(ParseDuration("3d"), "time: unknown unit \"d\" in duration \"3d\"");
  CHECK_THROWS_WITH(ParseDuration("9999999999h"), "time: invalid duration \"9999999999h\"");
  CHECK(DurationString(0) == "0s");
  CHECK(DurationString(1) == "1ns");
  CHECK(DurationString(1500) == "1.5\xC2\xB5s");
  CHECK(DurationString(1500000) == "1.5ms");
  CHECK(DurationString(90 * kMinute) == "1h30m0s");
  CHECK(DurationString(-kSecond - 500 * kMillisecond) == "-1.5s");
  CHECK(DurationString(INT64_MIN) == "-2562047h47m16.854775808s");
  CHECK(DurationRound(1499 * kMillisecond, kSecond) == kSecond);
  CHECK(DurationRound(-1500 * kMillisecond, kSecond) == -2 * kSecond);
}

TEST_CASE("zone offsets and abbreviations agree with Python's zoneinfo over 1970-2100") {
  // Python's zoneinfo reads the same tzdata (TZif transitions plus the POSIX footer) with an
  // independent implementation; every instant below must show the same local time and zone.
  const char* zones[] = {"America/New_York",  "Europe/Paris",     "Europe/London",
                         "Australia/Sydney",  "Asia/Kolkata",     "Asia/Kathmandu",
                         "America/Sao_Paulo", "Pacific/Auckland", "Africa/Casablanca",
                         "America/St_Johns",  "Asia/Tokyo",       "Europe/Moscow"};
  std::vector<int64_t> instants;
  for (int64_t t = 0; t < 4102444800; t += 86400 * 97 + 3607)  // about every 3 months
    instants.push_back(t);
  for (int64_t t : {int64_t{1711846800}, int64_t{1711850400}, int64_t{1729990800},
                    int64_t{1729994400}, int64_t{4118083200}})
    instants.push_back(t);  // around 2024's European switches, and mid-2100
  std::string script =
      "import sys\nfrom datetime import datetime\nfrom zoneinfo import ZoneInfo\n"
      "for line in sys.stdin:\n"
      "  z, t = line.split()\n"
      "  d = datetime.fromtimestamp(int(t), ZoneInfo(z))\n"
      "  print(d.strftime('%Y-%m-%d %H:%M:%S %z %Z'))\n";
  std::string input, tmpl;
  for (const char* zone : zones) {
    for (int64_t t : instants) {
      input += std::string(zone) + " " + std::to_string(t) + "\n";
      tmpl += "{{ dateInZone \"2006-01-02 15:04:05 -0700 MST\" (int64 " + std::to_string(t) +
              ") \"" + zone + "\" }}\n";
    }
  }
  rayctl::ProcessOptions options;
  options.input = input;
  options.timeout = std::chrono::seconds(60);
  rayctl::ProcessResult py = rayctl::RunProcess({"python3", "-c", script}, options);
  INFO(py.err);
  REQUIRE(py.exit_code == 0);
  std::string ours = Render(tmpl);
  std::istringstream a(ours), b(py.out), q(input);
  std::string la, lb, lq;
  int compared = 0;
  while (std::getline(b, lb)) {
    REQUIRE(std::getline(a, la));
    std::getline(q, lq);
    INFO(lq);
    CHECK(la == lb);
    ++compared;
  }
  CHECK(compared == static_cast<int>(std::size(zones) * instants.size()));
}
