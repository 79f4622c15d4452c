#pragma once

// Access to tests/fixtures/pki (see its README.md) for the fg_pki tests.

#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "core/clock.h"
#include "pki/certificate.h"

namespace fg::pki::testing {

// The fixed time every PKI test verifies at: 2030-01-01T00:00:00Z.
inline const TimePoint kReferenceTime = FromEpochSeconds(1893456000);

inline std::string FixturePath(const std::string& name) {
  return std::string(FG_SOURCE_DIR) + "/tests/fixtures/pki/" + name;
}

// The file's bytes; fails the current test (and returns "") if it cannot be read.
inline std::string ReadFixture(const std::string& name) {
  std::ifstream in(FixturePath(name), std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing fixture " << name;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The fixture's expected certificate id from gen.sh's "<name>.sha256" (newline stripped).
inline std::string FixtureFingerprint(const std::string& name) {
  std::string s = ReadFixture(name + ".sha256");
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) {
    s.pop_back();
  }
  return s;
}

// Parses "<name>.pem"; aborts the test binary with a clear message if that fails, since every
// caller relies on a good fixture.
inline Certificate LoadCert(const std::string& name) {
  auto cert = Certificate::FromPem(ReadFixture(name + ".pem"));
  if (!cert) {
    ADD_FAILURE() << name << ": " << cert.error().ToString();
    std::abort();
  }
  return *cert;
}

}  // namespace fg::pki::testing
