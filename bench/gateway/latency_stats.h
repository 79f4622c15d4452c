#pragma once

// Order statistics over connect latencies. Pure functions; thread-safe.

#include <cstddef>
#include <vector>

namespace fg::bench {

struct LatencySummary {
  size_t count = 0;
  double mean_ms = 0;
  double p50_ms = 0;
  double p90_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
};

// The nearest-rank percentile (`p` in [0, 100]) of `sorted` (ascending): the smallest value
// with at least p% of the samples at or below it. 0 for an empty input.
double NearestRankPercentile(const std::vector<double>& sorted, double p);

// Summarises `samples` (any order; taken by value and sorted). All zero for no samples.
LatencySummary Summarize(std::vector<double> samples);

}  // namespace fg::bench
