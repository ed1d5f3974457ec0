#include <catch2/catch.hpp>

#include "common/error.h"
#include "common/quantity.h"

using rayctl::FormatBytes;
using rayctl::InputError;
using rayctl::Quantity;

TEST_CASE("quantities parse to the values Kubernetes gives them") {
  CHECK(Quantity::Parse("1Gi").Value() == 1073741824);
  CHECK(Quantity::Parse("500M").Value() == 500000000);
  CHECK(Quantity::Parse("2.5G").Value() == 2500000000);
  CHECK(Quantity::Parse("100m").MilliValue() == 100);
  CHECK(Quantity::Parse("100m").Value() == 1);  // rounds up, like resource.Quantity.Value()
  CHECK(Quantity::Parse("123456789").Value() == 123456789);
  CHECK(Quantity::Parse("1e3").Value() == 1000);
  CHECK(Quantity::Parse("1E").Value() == 1000000000000000000);
  CHECK(Quantity::Parse("0.5Ki").Value() == 512);
  CHECK(Quantity::Parse(".5").MilliValue() == 500);
  CHECK(Quantity::Parse("1.").Value() == 1);
  CHECK(Quantity::Parse("+2k").Value() == 2000);
  CHECK(Quantity::Parse("-1Mi").Value() == -1048576);
  CHECK(Quantity::Parse("250u").MilliValue() == 1);  // 0.25m rounds up to 1m
  CHECK(Quantity::Parse("7n").AsDouble() == Approx(7e-9));
}

TEST_CASE("quantities print in apimachinery's canonical form") {
  auto canon = [](const char* s) { return Quantity::Parse(s).ToString(); };
  CHECK(canon("1Gi") == "1Gi");
  CHECK(canon("1024Mi") == "1Gi");
  CHECK(canon("1.5Gi") == "1536Mi");
  CHECK(canon("2.5G") == "2500M");
  CHECK(canon("100m") == "100m");
  CHECK(canon("0.1") == "100m");
  CHECK(canon("1000") == "1k");
  CHECK(canon("1500") == "1500");
  CHECK(canon("1e3") == "1e3");
  CHECK(canon("1.5e3") == "1500");
  CHECK(canon("512Ki") == "512Ki");
  CHECK(canon("0.5Ki") == "512");  // below 1024: printed as decimal, as kubectl does
  CHECK(canon("0") == "0");
  CHECK(canon("0Gi") == "0");
  CHECK(canon("-3Gi") == "-3Gi");
  CHECK(canon("12345678901") == "12345678901");
}

TEST_CASE("canonical text parses back to the same quantity") {
  for (const char* s : {"1Gi", "1536Mi", "2500M", "100m", "1k", "7n", "250u", "3Ei", "1e-3",
                        "999999999999", "0.001", "64Mi", "8Ti"}) {
    Quantity q = Quantity::Parse(s);
    Quantity again = Quantity::Parse(q.ToString());
    INFO(s << " -> " << q.ToString());
    CHECK(again == q);
    CHECK(again.ToString() == q.ToString());
  }
  CHECK(Quantity::FromInt(1 << 30).ToString() == "1Gi");
  CHECK(Quantity::FromInt(1000, Quantity::Format::kDecimalSI).ToString() == "1k");
}

TEST_CASE("quantities compare by value across suffix families") {
  CHECK(Quantity::Parse("1Ki") == Quantity::Parse("1024"));
  CHECK(Quantity::Parse("1G") < Quantity::Parse("1Gi"));
  CHECK(Quantity::Parse("1500m") > Quantity::Parse("1"));
}

TEST_CASE("garbage quantities are rejected with a message naming the input") {
  for (const char* s : {"", "12XB", "Gi", "1.2.3", "1 Gi", "--1", "1GiB", "e3", "1e", "0x10", "1ki",
                        "abc", "1e1000", "99999999999999999999999", "10Ei"}) {
    INFO(s);
    try {
      Quantity::Parse(s);
      FAIL("accepted");
    } catch (const InputError& e) {
      CHECK(std::string(e.what()).find(std::string("\"") + s + "\"") != std::string::npos);
      CHECK(!e.hint().empty());
      CHECK(e.exit_code() == 2);
    }
  }
}

TEST_CASE("byte counts print the way ray status prints them") {
  CHECK(FormatBytes(0) == "0B");
  CHECK(FormatBytes(1023) == "1023B");
  CHECK(FormatBytes(1024) == "1.00KiB");
  CHECK(FormatBytes(3584) == "3.50KiB");
  CHECK(FormatBytes(75628371968ull) == "70.43GiB");
  CHECK(FormatBytes(1ull << 40) == "1.00TiB");
}
