// fg_audit_bench: times DEVICE_CERTIFICATE_SHARED_CHECK over a synthetic 31-day connection log and
// reports peak RSS and precision/recall against the planted truth; then, on a (smaller) slice of
// the same log, the same check as one SQLite window-function query, side by side with the engine
// on identical in-memory data. Usage and figures: docs/benchmarks.md.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <sys/resource.h>
#include <vector>

#include "audit/shared_certificate_engine.h"
#include "audit/synthetic_log.h"
#include "sqlite_shared_check.h"

namespace fg::audit::bench {
namespace {

struct Args {
  uint64_t devices = 65'000;  // about 10 M sessions
  uint64_t sqlite_devices = 20'000;
  unsigned workers = 2;
  uint64_t seed = 1;
  bool generation_only = false;
};

bool ParseArgs(int argc, char** argv, Args& args) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--devices" && has_value) {
      args.devices = std::strtoull(argv[++i], nullptr, 10);
    } else if (a == "--sqlite-devices" && has_value) {
      args.sqlite_devices = std::strtoull(argv[++i], nullptr, 10);
    } else if (a == "--workers" && has_value) {
      args.workers = static_cast<unsigned>(std::strtoul(argv[++i], nullptr, 10));
    } else if (a == "--seed" && has_value) {
      args.seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (a == "--generation-baseline") {
      args.generation_only = true;
    } else {
      std::fprintf(stderr,
                   "usage: fg_audit_bench [--devices N] [--sqlite-devices M (0: skip)] "
                   "[--workers W] [--seed S] [--generation-baseline]\n");
      return false;
    }
  }
  return true;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

double PeakRssMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

struct Score {
  uint64_t true_positives = 0;
  uint64_t false_positives = 0;
  uint64_t false_negatives = 0;
  uint64_t wrong_device_count = 0;
  double precision() const {
    const uint64_t flagged = true_positives + false_positives;
    return flagged == 0 ? 1.0 : static_cast<double>(true_positives) / static_cast<double>(flagged);
  }
  double recall() const {
    const uint64_t planted = true_positives + false_negatives;
    return planted == 0 ? 1.0 : static_cast<double>(true_positives) / static_cast<double>(planted);
  }
};

template <typename Key>
Score Compare(const std::map<Key, int>& found, const std::map<Key, int>& truth) {
  Score s;
  for (const auto& [key, devices] : found) {
    auto it = truth.find(key);
    if (it == truth.end()) {
      ++s.false_positives;
    } else {
      ++s.true_positives;
      s.wrong_device_count += it->second == devices ? 0u : 1u;
    }
  }
  for (const auto& [key, devices] : truth) {
    s.false_negatives += found.count(key) == 0 ? 1u : 0u;
  }
  return s;
}

void PrintScore(const char* what, const Score& s) {
  std::printf(
      "%-34s precision %.6f  recall %.6f  (tp %llu fp %llu fn %llu, wrong device count %llu)\n",
      what, s.precision(), s.recall(), static_cast<unsigned long long>(s.true_positives),
      static_cast<unsigned long long>(s.false_positives),
      static_cast<unsigned long long>(s.false_negatives),
      static_cast<unsigned long long>(s.wrong_device_count));
}

std::map<std::string, int> FindingsByCertificate(const SharedCheckReport& report) {
  std::map<std::string, int> found;
  for (const AuditFinding& f : report.findings) {
    found[f.non_compliant_resource.identifier.device_certificate_id] = std::atoi(
        f.non_compliant_resource.additional_info.at(std::string(kMaxConcurrentDevicesKey)).c_str());
  }
  return found;
}

int Main(int argc, char** argv) {
  Args args;
  if (!ParseArgs(argc, argv, args)) {
    return 2;
  }
  synthetic::SyntheticLogOptions options;
  options.seed = args.seed;
  options.device_count = args.devices;
  const synthetic::SyntheticLog log(options);
  const AuditWindow window{options.window_start, options.window_end};
  const SharedCheckOptions check;

  std::map<std::string, int> truth;
  for (uint64_t d = 0; d < log.device_count(); ++d) {
    if (int max = log.ExpectedMaxDevices(d, DeviceKeyRule::kClientId); max > 0) {
      truth[log.CertificateId(d)] = max;
    }
  }
  std::printf("log: %llu devices, 31-day window (+1 day before), %zu planted shared certificates\n",
              static_cast<unsigned long long>(args.devices), truth.size());

  if (args.generation_only) {
    // What the generator alone costs, to separate "reading the log" from "checking it".
    const auto t0 = std::chrono::steady_clock::now();
    synthetic::SyntheticLogSource source(log);
    uint64_t sessions = 0;
    while (true) {
      auto next = source.Next();
      if (!next || !next->has_value()) {
        break;
      }
      sessions += (*next)->sessions.size();
    }
    std::printf("generation only (1 thread):        %.2f s for %llu sessions\n", Seconds(t0),
                static_cast<unsigned long long>(sessions));
  }

  {
    const auto t0 = std::chrono::steady_clock::now();
    synthetic::SyntheticLogSource source(log);
    auto report = RunSharedCertificateCheck(source, window, check, args.workers);
    const double seconds = Seconds(t0);
    if (!report) {
      std::fprintf(stderr, "check failed: %s\n", report.error().ToString().c_str());
      return 1;
    }
    std::printf(
        "engine, streaming (generate+check): %.2f s  %llu sessions  %llu certificates  "
        "%zu findings  %u workers  %.1f M sessions/s  peak RSS %.0f MiB\n",
        seconds, static_cast<unsigned long long>(report->sessions_checked),
        static_cast<unsigned long long>(report->certificates_checked), report->findings.size(),
        args.workers, static_cast<double>(report->sessions_checked) / seconds / 1e6, PeakRssMiB());
    PrintScore("engine vs planted truth:", Compare(FindingsByCertificate(*report), truth));
  }

  if (args.sqlite_devices == 0) {
    return 0;
  }
  // The SQL side needs the data materialised; the engine gets the very same batches in memory.
  const uint64_t m = std::min(args.sqlite_devices, args.devices);
  std::vector<CertificateSessions> certificates;
  certificates.reserve(m);
  std::map<int64_t, int> sql_truth;
  uint64_t sessions = 0;
  for (uint64_t d = 0; d < m; ++d) {
    certificates.push_back(log.Certificate(d));
    sessions += certificates.back().sessions.size();
    if (int max = log.ExpectedMaxDevices(d, DeviceKeyRule::kClientId); max > 0) {
      sql_truth[static_cast<int64_t>(d)] = max;
    }
  }
  std::printf("\nside by side on the same %llu sessions (%llu devices), in memory:\n",
              static_cast<unsigned long long>(sessions), static_cast<unsigned long long>(m));

  double engine_seconds[2] = {0, 0};
  const unsigned worker_counts[2] = {1, args.workers};
  for (int i = 0; i < 2; ++i) {
    InMemorySessionSource source(certificates);  // copies, outside the timed region
    const auto t0 = std::chrono::steady_clock::now();
    auto report = RunSharedCertificateCheck(source, window, check, worker_counts[i]);
    engine_seconds[i] = Seconds(t0);
    if (!report) {
      std::fprintf(stderr, "check failed: %s\n", report.error().ToString().c_str());
      return 1;
    }
    std::printf("engine, %u worker(s):                %.3f s  %zu findings\n", worker_counts[i],
                engine_seconds[i], report->findings.size());
  }

  auto sql = SqliteSharedCheck::Create();
  if (!sql) {
    std::fprintf(stderr, "sqlite: %s\n", sql.error().ToString().c_str());
    return 1;
  }
  auto t0 = std::chrono::steady_clock::now();
  bool loaded = static_cast<bool>((*sql)->Begin());
  for (uint64_t d = 0; d < m && loaded; ++d) {
    loaded = static_cast<bool>((*sql)->Insert(static_cast<int64_t>(d), certificates[d]));
  }
  loaded = loaded && static_cast<bool>((*sql)->Commit());
  if (!loaded) {
    std::fprintf(stderr, "sqlite load failed\n");
    return 1;
  }
  std::printf("sqlite load (not in the comparison): %.2f s\n", Seconds(t0));
  t0 = std::chrono::steady_clock::now();
  auto found = (*sql)->Run(window, check.tolerance.count());
  const double sql_seconds = Seconds(t0);
  if (!found) {
    std::fprintf(stderr, "sqlite query: %s\n", found.error().ToString().c_str());
    return 1;
  }
  std::printf("sqlite window-function query:        %.3f s  %zu findings\n", sql_seconds,
              found->size());
  PrintScore("sqlite vs planted truth:", Compare(*found, sql_truth));
  std::printf("speed-up over SQL: %.1fx (1 worker), %.1fx (%u workers)\n",
              sql_seconds / engine_seconds[0], sql_seconds / engine_seconds[1], args.workers);
  return 0;
}

}  // namespace
}  // namespace fg::audit::bench

int main(int argc, char** argv) { return fg::audit::bench::Main(argc, argv); }
