#include "latency_stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace fg::bench {

double NearestRankPercentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) {
    return 0;
  }
  const double clamped = std::clamp(p, 0.0, 100.0);
  const auto n = static_cast<double>(sorted.size());
  auto rank = static_cast<size_t>(std::ceil(clamped / 100.0 * n));
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

LatencySummary Summarize(std::vector<double> samples) {
  LatencySummary s;
  if (samples.empty()) {
    return s;
  }
  std::sort(samples.begin(), samples.end());
  s.count = samples.size();
  s.mean_ms =
      std::accumulate(samples.begin(), samples.end(), 0.0) / static_cast<double>(samples.size());
  s.p50_ms = NearestRankPercentile(samples, 50);
  s.p90_ms = NearestRankPercentile(samples, 90);
  s.p99_ms = NearestRankPercentile(samples, 99);
  s.max_ms = samples.back();
  return s;
}

}  // namespace fg::bench
