// fleetguard: the command-line entry point. Parses flags, runs one command, and turns every
// failure into one clear line on stderr and a non-zero exit. Exceptions are allowed only at
// start-up (CLI11 and configuration parsing) and are caught here.

#include <cstdio>
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "app/commands.h"
#include "core/time_format.h"

namespace {

int Report(const fg::Error& error) {
  std::cerr << "fleetguard: " << error.message << "\n";
  return error.code == fg::ErrorCode::kInvalidArgument ? 2 : 1;
}

int Run(int argc, char** argv) {
  CLI::App cli{"fleetguard: a self-hosted device-identity gateway for IoT fleets"};
  cli.require_subcommand(1);

  fg::app::InitOptions init;
  auto* init_cmd = cli.add_subcommand("init", "Initialise a data directory and a first account");
  init_cmd->add_option("--data-dir", init.data_dir, "Data directory")->required();
  init_cmd->add_option("--region", init.region, "Region of this installation")
      ->capture_default_str();
  init_cmd->add_option("--domain", init.domain, "Domain under which device endpoints are named")
      ->capture_default_str();

  auto* account_cmd = cli.add_subcommand("account", "Manage accounts");
  account_cmd->require_subcommand(1);
  std::string account_dir;
  std::string account_name;
  auto* create_cmd = account_cmd->add_subcommand("create", "Create an account with one access key");
  create_cmd->add_option("--data-dir", account_dir, "Data directory")->required();
  create_cmd->add_option("--name", account_name, "Account name")->required();

  fg::app::ServeOptions serve;
  auto* serve_cmd = cli.add_subcommand("serve", "Run the gateway and the control plane");
  serve_cmd->add_option("--data-dir", serve.data_dir, "Data directory")->required();
  serve_cmd
      ->add_option("--api-listen", serve.api_listen,
                   "HOST:PORT of the control plane (0 = any free port)")
      ->capture_default_str();
  serve_cmd->add_option("--mqtt-listen", serve.mqtt_listen, "HOST:PORT of the MQTT/TLS gateway")
      ->capture_default_str();
  serve_cmd->add_option("--mqtt-alpn-listen", serve.mqtt_alpn_listen,
                        "HOST:PORT of a second MQTT/TLS gateway that requires ALPN x-amzn-mqtt-ca "
                        "(AWS's port 443 style; default: none)");
  serve_cmd->add_option("--config", serve.config_file,
                        "Configuration file (JSON): audit settings, listener limits and deadlines");
  std::string audit_settle_lag;
  serve_cmd->add_option("--audit-settle-lag", audit_settle_lag,
                        "How long the connection log settles before an audit reads it "
                        "(0s, 90s, 2h; default: auditSettleLag in --config, else 2h)");
  serve_cmd->add_flag("--api-tls", serve.api_tls,
                      "Serve the control plane over HTTPS (default certificate: pki/server.pem)");
  serve_cmd->add_option("--api-tls-cert", serve.api_tls_cert, "PEM certificate chain for HTTPS")
      ->needs("--api-tls");
  serve_cmd->add_option("--api-tls-key", serve.api_tls_key, "PEM private key for HTTPS")
      ->needs("--api-tls");

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }

  const fg::Clock& clock = fg::SystemClock::Instance();
  if (*init_cmd) {
    auto result = fg::app::RunInit(init, clock);
    if (!result) {
      if (result.error().code == fg::ErrorCode::kAlreadyExists) {
        std::cerr << "fleetguard: " << result.error().message << "\n";
        return 0;
      }
      return Report(result.error());
    }
    std::cout << fg::app::ToJson(*result) << std::endl;
    return 0;
  }
  if (*create_cmd) {
    auto result = fg::app::RunAccountCreate(account_dir, account_name, clock);
    if (!result) {
      return Report(result.error());
    }
    std::cout << fg::app::ToJson(*result) << std::endl;
    return 0;
  }
  if (!audit_settle_lag.empty()) {
    serve.audit_settle_lag = fg::ParseDuration(audit_settle_lag);
    if (!serve.audit_settle_lag) {
      return Report(fg::Error{
          fg::ErrorCode::kInvalidArgument,
          "--audit-settle-lag: '" + audit_settle_lag + "' is not a duration such as 0s, 90s or 2h",
          {},
          {}});
    }
  }
  auto result = fg::app::RunServe(serve);
  return result ? 0 : Report(result.error());
}

}  // namespace

int main(int argc, char** argv) {
  try {
    // stdout carries fleetguard's machine-readable output (init's JSON, serve's ports line);
    // logs go to stderr so that they can neither corrupt it nor fill a pipe nobody reads.
    spdlog::set_default_logger(spdlog::stderr_color_mt("fleetguard"));
    return Run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "fleetguard: " << e.what() << "\n";
    return 1;
  }
}
