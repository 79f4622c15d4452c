#pragma once

// The invariant check of the fuzz targets. A target checks properties that must hold for every
// input (a decoded packet re-encodes to something that decodes to the same packet, a parsed
// certificate's id is the SHA-256 of its DER, ...); a violation aborts, which libFuzzer reports
// as a crash and the corpus replay as a failed test. Active in every build type, unlike assert.

#include <cstdio>
#include <cstdlib>

#define FG_FUZZ_CHECK(cond, why)                                                                 \
  do {                                                                                           \
    if (!(cond)) {                                                                               \
      std::fprintf(stderr, "%s:%d: fuzz invariant failed: %s (%s)\n", __FILE__, __LINE__, #cond, \
                   why);                                                                         \
      std::abort();                                                                              \
    }                                                                                            \
  } while (false)
