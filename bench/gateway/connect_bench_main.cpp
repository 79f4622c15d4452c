// fg_connect_bench: opens N mutual-TLS MQTT connections with distinct client certificates
// against one server, keeps them idle, and reports connects per second, connect latency (TCP
// connect to CONNACK) and, given the server's pid, its CPU time per connect and resident memory
// per idle connection. Bounded in count and time; stops by itself. See docs/benchmarks.md
// ("Gateway: mutual-TLS connects") and scripts/bench-gateway, which runs it side by side
// against fleetguard and mosquitto.

#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <thread>

#include <CLI/CLI.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "connect_load.h"
#include "device_identities.h"
#include "latency_stats.h"
#include "proc_stats.h"

namespace fg::bench {
namespace {

struct Args {
  ConnectLoadOptions load;
  std::string certs_dir;
  size_t count = 1000;
  int server_pid = 0;
  double hold_seconds = 2.0;
  std::string mqtt_version = "3.1.1";
  std::string label;
  bool json = false;
};

// What the server process looked like before the run and with every connection idle.
struct ServerSample {
  std::optional<uint64_t> rss_kib;
  std::optional<double> cpu_ms;
};

ServerSample SampleServer(int pid) {
  ServerSample s;
  if (pid <= 0) {
    return s;
  }
  if (auto rss = ReadVmRssKib(pid)) {
    s.rss_kib = *rss;
  } else {
    std::cerr << "warning: " << rss.error().message << "\n";
  }
  if (auto cpu = ReadCpuMillis(pid)) {
    s.cpu_ms = *cpu;
  }
  return s;
}

struct Figures {
  ConnectReport report;
  LatencySummary latency;
  ServerSample before, after_connect, after_hold;
  size_t dropped_while_idle = 0;

  std::optional<double> ServerCpuMsPerConnect() const {
    if (!before.cpu_ms || !after_connect.cpu_ms || report.established == 0) {
      return std::nullopt;
    }
    return (*after_connect.cpu_ms - *before.cpu_ms) / static_cast<double>(report.established);
  }
  std::optional<double> KibPerIdleConnection() const {
    if (!before.rss_kib || !after_hold.rss_kib || report.established == 0) {
      return std::nullopt;
    }
    return (static_cast<double>(*after_hold.rss_kib) - static_cast<double>(*before.rss_kib)) /
           static_cast<double>(report.established);
  }
};

std::string Optional(const std::optional<double>& v, const char* unit) {
  return v ? fmt::format("{:.2f}{}", *v, unit) : std::string("n/a");
}

void PrintText(const Args& args, const Figures& f) {
  const ConnectReport& r = f.report;
  std::cout << fmt::format("{}{}:{}  sni={}  connections={}  concurrency={}  threads={}\n",
                           args.label.empty() ? "" : args.label + "  ", args.load.host,
                           args.load.port,
                           args.load.server_name.empty() ? "-" : args.load.server_name, args.count,
                           args.load.concurrency, args.load.threads);
  std::cout << fmt::format("  established {} of {} attempted in {:.3f} s: {:.1f} connects/s\n",
                           r.established, r.attempted, r.elapsed_s, r.ConnectsPerSecond());
  std::cout << fmt::format(
      "  latency ms: mean {:.2f}  p50 {:.2f}  p90 {:.2f}  p99 {:.2f}  max {:.2f}\n",
      f.latency.mean_ms, f.latency.p50_ms, f.latency.p90_ms, f.latency.p99_ms, f.latency.max_ms);
  std::cout << fmt::format(
      "  client CPU {:.2f} ms/connect\n",
      r.established ? r.client_cpu_ms / static_cast<double>(r.established) : 0);
  if (args.server_pid > 0) {
    std::cout << fmt::format(
        "  server pid {}: CPU {} per connect; RSS {} KiB -> {} KiB: {} per idle "
        "connection\n",
        args.server_pid, Optional(f.ServerCpuMsPerConnect(), " ms"), f.before.rss_kib.value_or(0),
        f.after_hold.rss_kib.value_or(0), Optional(f.KibPerIdleConnection(), " KiB"));
  }
  std::cout << fmt::format("  closed by the server while idle ({:.1f} s): {}\n", args.hold_seconds,
                           f.dropped_while_idle);
  for (const auto& [reason, count] : r.failures) {
    std::cout << fmt::format("  failed {}x: {}\n", count, reason);
  }
}

void PrintJson(const Args& args, const Figures& f) {
  const ConnectReport& r = f.report;
  boost::json::object o;
  o["label"] = args.label;
  o["connections"] = args.count;
  o["concurrency"] = args.load.concurrency;
  o["threads"] = args.load.threads;
  o["attempted"] = r.attempted;
  o["established"] = r.established;
  o["elapsed_s"] = r.elapsed_s;
  o["connects_per_s"] = r.ConnectsPerSecond();
  o["latency_mean_ms"] = f.latency.mean_ms;
  o["latency_p50_ms"] = f.latency.p50_ms;
  o["latency_p90_ms"] = f.latency.p90_ms;
  o["latency_p99_ms"] = f.latency.p99_ms;
  o["latency_max_ms"] = f.latency.max_ms;
  o["client_cpu_ms"] = r.client_cpu_ms;
  o["dropped_while_idle"] = f.dropped_while_idle;
  if (auto cpu = f.ServerCpuMsPerConnect()) {
    o["server_cpu_ms_per_connect"] = *cpu;
  }
  if (f.before.rss_kib && f.after_hold.rss_kib) {
    o["server_rss_before_kib"] = *f.before.rss_kib;
    o["server_rss_after_kib"] = *f.after_hold.rss_kib;
  }
  if (auto kib = f.KibPerIdleConnection()) {
    o["server_kib_per_idle_connection"] = *kib;
  }
  boost::json::object failures;
  for (const auto& [reason, count] : r.failures) {
    failures[reason] = count;
  }
  o["failures"] = std::move(failures);
  std::cout << boost::json::serialize(o) << std::endl;
}

int Run(Args& args) {
  if (args.mqtt_version == "5") {
    args.load.version = mqtt::ProtocolVersion::kV5;
  } else if (args.mqtt_version != "3.1.1") {
    std::cerr << "--mqtt must be 3.1.1 or 5\n";
    return 2;
  }
  auto identities = LoadDeviceIdentities(args.certs_dir, args.count);
  if (!identities) {
    std::cerr << "fg_connect_bench: " << identities.error().message << "\n";
    return 2;
  }
  auto load = ConnectLoad::Create(args.load, *identities);
  if (!load) {
    std::cerr << "fg_connect_bench: " << load.error().message << "\n";
    return 2;
  }
  Figures f;
  f.before = SampleServer(args.server_pid);
  f.report = (*load)->Run();
  f.after_connect = SampleServer(args.server_pid);
  std::this_thread::sleep_for(std::chrono::duration<double>(args.hold_seconds));
  f.after_hold = SampleServer(args.server_pid);
  f.dropped_while_idle = (*load)->CountDroppedWhileIdle();
  f.latency = Summarize(f.report.latencies_ms);
  if (args.json) {
    PrintJson(args, f);
  } else {
    PrintText(args, f);
  }
  return f.report.established == args.count ? 0 : 1;
}

}  // namespace
}  // namespace fg::bench

int main(int argc, char** argv) {
  fg::bench::Args args;
  CLI::App app{"fg_connect_bench: mutual-TLS MQTT connect rate, latency and server memory"};
  app.add_option("--port", args.load.port, "server port")->required();
  app.add_option("--host", args.load.host, "server address (literal IP)");
  app.add_option("--sni", args.load.server_name,
                 "server name: sent as SNI and checked against the server certificate");
  app.add_option("--ca", args.load.ca_file, "PEM CA file to verify the server certificate");
  app.add_option("--certs", args.certs_dir,
                 "directory of <name>.pem + <name>.key client identities (one per connection)")
      ->required();
  app.add_option("-n,--count", args.count, "connections to open (distinct certificates)")
      ->check(CLI::Range(1, 1'000'000));
  app.add_option("-c,--concurrency", args.load.concurrency, "attempts in flight at once")
      ->check(CLI::Range(1, 100'000));
  app.add_option("--threads", args.load.threads, "client I/O threads")->check(CLI::Range(1, 64));
  app.add_option("--server-pid", args.server_pid,
                 "server process: CPU per connect and RSS per idle connection from /proc");
  app.add_option("--hold", args.hold_seconds,
                 "seconds to keep the connections idle before the "
                 "memory sample")
      ->check(CLI::Range(0.0, 600.0));
  int attempt_timeout_ms = 10'000;
  int run_timeout_s = 120;
  app.add_option("--attempt-timeout-ms", attempt_timeout_ms)->check(CLI::Range(1, 600'000));
  app.add_option("--run-timeout", run_timeout_s, "seconds")->check(CLI::Range(1, 3600));
  app.add_option("--mqtt", args.mqtt_version, "3.1.1 or 5");
  app.add_option("--tls", args.load.tls_version, "pin 1.2 or 1.3 (default: negotiate)");
  app.add_option("--client-id-prefix", args.load.client_id_prefix);
  app.add_option("--label", args.label, "name of the server in the report");
  app.add_flag("--json", args.json, "one JSON line instead of text");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  args.load.attempt_timeout = std::chrono::milliseconds(attempt_timeout_ms);
  args.load.run_timeout = std::chrono::seconds(run_timeout_s);
  return fg::bench::Run(args);
}
