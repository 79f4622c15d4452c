#include "app/wiring.h"

#include <sys/resource.h>
#include <thread>

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "api/access_key_cache.h"
#include "api/api_service.h"
#include "api/audit_routes.h"
#include "api/iot_routes.h"
#include "api/pagination.h"
#include "api/router.h"
#include "api/sigv4.h"
#include "app/audit_node.h"
#include "app/descriptor_budget.h"
#include "app/notification_targets.h"
#include "app/serve_config.h"
#include "audit/audit_window.h"
#include "gateway/account_message.h"
#include "gateway/authenticator.h"
#include "gateway/broker.h"
#include "gateway/connection_log_writer.h"
#include "gateway/identity_cache.h"
#include "net/http_server.h"
#include "net/mqtt_listener.h"
#include "pki/authority.h"
#include "pki/secret_box.h"
#include "registry/account_service.h"
#include "registry/ca_service.h"
#include "registry/certificate_service.h"
#include "registry/status_events.h"
#include "registry/thing_group_service.h"
#include "registry/thing_service.h"
#include "store/sqlite/sqlite_store.h"

namespace fg::app {

struct Node::Parts {
  const Clock* clock = nullptr;
  InstallationSettings settings;
  std::string api_host;
  std::unique_ptr<store::SqliteStore> store;
  std::unique_ptr<pki::SecretBox> box;
  std::unique_ptr<pki::CertificateAuthority> issuer;
  registry::StatusEventPublisher events;
  std::unique_ptr<registry::AccountService> accounts;
  std::unique_ptr<registry::CertificateService> certificates;
  std::unique_ptr<registry::CaService> ca_certificates;
  std::unique_ptr<registry::ThingService> things;
  std::unique_ptr<registry::ThingGroupService> thing_groups;
  std::unique_ptr<api::PageTokenCodec> page_tokens;
  // SigV4 key lookups without a store transaction per request (api/access_key_cache.h).
  std::unique_ptr<api::AccessKeyCache> access_keys;
  // The Device Defender audit (app/audit_node.h); its scheduler thread starts in Start().
  std::unique_ptr<AuditNode> audit;
  std::unique_ptr<api::ApiService> api;
  std::unique_ptr<net::HttpServer> http;
  // The device gateway. Declared after the store and the publisher they use, and the listener
  // after the pieces it drives, so that destruction runs the other way.
  std::string mqtt_host;
  std::unique_ptr<gateway::IdentityCache> identity_cache;
  std::unique_ptr<gateway::Authenticator> authenticator;
  std::unique_ptr<gateway::Broker> broker;
  registry::StatusEventPublisher::SubscriptionId broker_subscription = 0;
  std::unique_ptr<gateway::ConnectionLogWriter> connection_log;
  std::thread connection_log_thread;
  std::unique_ptr<net::MqttListener> mqtt;
  // The 443-style listener (ALPN x-amzn-mqtt-ca), when --mqtt-alpn-listen is given.
  std::string mqtt_alpn_host;
  std::unique_ptr<net::MqttListener> mqtt_alpn;
};

namespace {

template <typename T>
Result<std::unique_ptr<T>> Boxed(Result<T> r) {
  if (!r) {
    return Fail(r.error());
  }
  return std::make_unique<T>(std::move(*r));
}

Result<std::unique_ptr<pki::CertificateAuthority>> LoadIssuer(const DataDir& dir) {
  auto cert = ReadFile(dir.DeviceCaCert());
  if (!cert) {
    return Fail(cert.error());
  }
  auto key = ReadFile(dir.DeviceCaKey());
  if (!key) {
    return Fail(key.error());
  }
  return Boxed(pki::CertificateAuthority::Load(*cert, *key));
}

// The audit settings: the data directory's audit.json, then the --config file's, then
// --audit-settle-lag (each later one wins). Notifications to an MQTT target go out through the
// node's broker, which exists by the time the scheduler thread starts.
Result<std::unique_ptr<AuditNode>> CreateAudit(const ServeOptions& options, const DataDir& dir,
                                               const AuditSettings& from_config, const Clock& clock,
                                               const std::string& region, store::SqliteStore& store,
                                               registry::CertificateService& certificates,
                                               registry::ThingService& things,
                                               registry::ThingGroupService& groups,
                                               const std::unique_ptr<gateway::Broker>* broker);

// Raises RLIMIT_NOFILE to its hard limit and gives each listener whose max_connections the
// configuration leaves unset its share of the descriptors (app/descriptor_budget.h). An explicit
// value is kept even above the budget: running out of descriptors is handled at accept.
void FitConnectionLimits(ListenerLimits& limits, size_t mqtt_listeners) {
  auto raised = RaiseDescriptorLimit();
  uint64_t nofile = 0;
  if (raised) {
    nofile = raised->now;
    if (raised->now != raised->before) {
      spdlog::info("RLIMIT_NOFILE raised from {} to {} (the hard limit)", raised->before,
                   raised->now);
    }
  } else {
    spdlog::warn("{}; keeping the current descriptor limit", raised.error().message);
    rlimit current{};
    nofile = getrlimit(RLIMIT_NOFILE, &current) == 0 ? current.rlim_cur : 1024;
  }
  const ConnectionBudget budget = FitConnections(nofile, mqtt_listeners);
  limits.mqtt.max_connections = limits.mqtt_max_connections.value_or(budget.mqtt_per_listener);
  limits.http.max_connections = limits.http_max_connections.value_or(budget.http);
  spdlog::info(
      "max connections: mqtt {} per listener{}, http {}{} (RLIMIT_NOFILE {}, {} descriptors "
      "reserved)",
      limits.mqtt.max_connections, limits.mqtt_max_connections ? " (configured)" : "",
      limits.http.max_connections, limits.http_max_connections ? " (configured)" : "", nofile,
      kReservedDescriptors);
  const uint64_t wanted = kReservedDescriptors + limits.http.max_connections +
                          limits.mqtt.max_connections * mqtt_listeners;
  if (wanted > nofile) {
    spdlog::warn(
        "the configured max connections need about {} descriptors, over RLIMIT_NOFILE {}: past it "
        "accept fails (EMFILE) and is retried every 100 ms",
        wanted, nofile);
  }
}

// Host part of "host:port" and the port, for printing the bound address.
std::string HostOf(const std::string& listen) {
  auto colon = listen.rfind(':');
  return colon == std::string::npos ? listen : listen.substr(0, colon);
}

}  // namespace

Node::Node(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

Node::~Node() { Stop(); }

Result<std::unique_ptr<Node>> Node::Create(const ServeOptions& options, const Clock& clock) {
  // The configuration first: a bad key fails the start before anything is opened.
  ServeConfig config;
  if (!options.config_file.empty()) {
    auto loaded = LoadServeConfig(options.config_file);
    if (!loaded) {
      return Fail(loaded.error());
    }
    config = std::move(*loaded);
  }
  FitConnectionLimits(config.limits, options.mqtt_alpn_listen.empty() ? 1 : 2);
  DataDir dir{std::filesystem::path(options.data_dir)};
  if (auto ready = dir.RequireInitialised(); !ready) {
    return Fail(ready.error());
  }
  auto p = std::make_unique<Parts>();
  p->clock = &clock;
  auto settings = dir.LoadSettings();
  if (!settings) {
    return Fail(settings.error());
  }
  p->settings = *settings;
  auto store = store::SqliteStore::Open(dir.Database().string());
  if (!store) {
    return Fail(store.error());
  }
  p->store = std::move(*store);
  auto key = ReadFile(dir.SecretKeyFile());
  if (!key) {
    return Fail(key.error());
  }
  auto box = Boxed(pki::SecretBox::FromKey(*key));
  if (!box) {
    return Fail(ErrorCode::kCorrupt,
                dir.SecretKeyFile().string() + " is corrupt: " + box.error().message);
  }
  p->box = std::move(*box);
  auto issuer = LoadIssuer(dir);
  if (!issuer) {
    return Fail(issuer.error());
  }
  p->issuer = std::move(*issuer);
  p->accounts = std::make_unique<registry::AccountService>(*p->store, *p->box, clock);

  registry::AccountService* accounts = p->accounts.get();
  api::AccessKeyLookup lookup =
      [accounts](std::string_view access_key_id) -> Result<api::AccessKeySecret> {
    auto creds = accounts->LookupAccessKey(access_key_id);
    if (!creds) {
      // The verifier answers unknown keys with UnrecognizedClient; it expects kNotFound for them.
      if (creds.error().code == ErrorCode::kUnauthenticated) {
        return Fail(ErrorCode::kNotFound, "unknown access key");
      }
      return Fail(creds.error());
    }
    return api::AccessKeySecret{creds->account.id, creds->secret_access_key};
  };
  p->certificates =
      std::make_unique<registry::CertificateService>(*p->store, p->events, clock, *p->issuer);
  p->ca_certificates = std::make_unique<registry::CaService>(*p->store, p->events, clock);
  p->things = std::make_unique<registry::ThingService>(*p->store, clock);
  p->thing_groups = std::make_unique<registry::ThingGroupService>(*p->store, clock);

  api::IotServices services{p->accounts.get(), p->certificates.get(), p->ca_certificates.get(),
                            p->things.get(),   p->thing_groups.get(), p->settings.region,
                            p->settings.domain};
  // Derived from secret.key, so a client's nextToken/marker survives a restart of serve.
  p->page_tokens =
      std::make_unique<api::PageTokenCodec>(api::PageTokenCodec::FromInstallationSecret(*key));
  services.page_tokens = p->page_tokens.get();
  auto audit = CreateAudit(options, dir, config.audit, clock, p->settings.region, *p->store,
                           *p->certificates, *p->things, *p->thing_groups, &p->broker);
  if (!audit) {
    return Fail(audit.error());
  }
  p->audit = std::move(*audit);
  api::Router router;
  // One line per area of the AWS IoT API (api/iot_routes.h).
  for (auto add : std::initializer_list<Result<void> (*)(api::Router&, const api::IotServices&)>{
           // ROUTES: each handler area adds its Add*Routes function here.
           api::AddThingRoutes,
           api::AddThingGroupRoutes,
           api::AddCertificateRoutes,
           api::AddCaRoutes,
           api::AddEndpointRoutes,
       }) {
    if (auto added = add(router, services); !added) {
      return Fail(added.error());
    }
  }
  if (auto added = api::AddAuditRoutes(router, p->audit->Services(p->page_tokens.get())); !added) {
    return Fail(added.error());
  }
  p->access_keys = std::make_unique<api::AccessKeyCache>(std::move(lookup), clock);
  p->api = std::make_unique<api::ApiService>(
      api::SigV4Verifier(p->access_keys->AsLookup(), p->settings.region, clock), std::move(router));

  net::HttpServerOptions http = config.limits.http;
  http.listen_address = options.api_listen;
  if (options.api_tls) {
    http.tls_cert_file =
        options.api_tls_cert.empty() ? dir.ServerCert().string() : options.api_tls_cert;
    http.tls_key_file =
        options.api_tls_key.empty() ? dir.ServerKey().string() : options.api_tls_key;
  }
  api::ApiService* service = p->api.get();
  http.handler = [service](const api::HttpRequest& request) { return service->Handle(request); };
  auto server = net::HttpServer::Create(std::move(http));
  if (!server) {
    return Fail(server.error());
  }
  p->http = std::move(*server);
  p->api_host = HostOf(options.api_listen);
  // The device gateway: identity cache, authenticator, broker, connection-log writer and the
  // MQTT listener on options.mqtt_listen with the data directory's server certificate.
  auto create_gateway = [&](Parts& g) -> Result<void> {
    // Sessions a crash left open are closed at the node's last heartbeat before it serves again.
    if (auto orphans = g.store->CloseOrphanedSessions(g.settings.node_id); !orphans) {
      return Fail(orphans.error());
    }
    g.identity_cache = std::make_unique<gateway::IdentityCache>(*g.store, g.events, clock);
    g.authenticator = std::make_unique<gateway::Authenticator>(*g.identity_cache, *g.store);
    g.broker = std::make_unique<gateway::Broker>();
    gateway::Broker* broker = g.broker.get();
    // Kicks a certificate's live sessions as soon as it (or its CA) leaves ACTIVE.
    g.broker_subscription = g.events.Subscribe(
        [broker](const registry::StatusEvent& event) { broker->OnStatusEvent(event); });
    gateway::ConnectionLogWriterOptions log_options;
    log_options.node_id = g.settings.node_id;
    g.connection_log =
        std::make_unique<gateway::ConnectionLogWriter>(*g.store, clock, std::move(log_options));

    // Both listeners share the gateway; they differ in the address and in requiring ALPN.
    auto make_listener = [&](const std::string& listen,
                             bool require_alpn) -> Result<std::unique_ptr<net::MqttListener>> {
      net::MqttListenerOptions mqtt = config.limits.mqtt;
      mqtt.listen_address = listen;
      mqtt.require_alpn = require_alpn;
      mqtt.tls_cert_file = dir.ServerCert().string();
      mqtt.tls_key_file = dir.ServerKey().string();
      mqtt.node_id = g.settings.node_id;
      return net::MqttListener::Create(
          std::move(mqtt),
          net::MqttGateway{g.authenticator.get(), broker, g.connection_log.get(), &clock});
    };
    auto listener = make_listener(options.mqtt_listen, false);
    if (!listener) {
      return Fail(listener.error());
    }
    g.mqtt = std::move(*listener);
    g.mqtt_host = HostOf(options.mqtt_listen);
    if (!options.mqtt_alpn_listen.empty()) {
      auto alpn = make_listener(options.mqtt_alpn_listen, true);
      if (!alpn) {
        return Fail(alpn.error());
      }
      g.mqtt_alpn = std::move(*alpn);
      g.mqtt_alpn_host = HostOf(options.mqtt_alpn_listen);
    }
    return Ok();
  };
  if (auto built = create_gateway(*p); !built) {
    return Fail(built.error());
  }
  return std::unique_ptr<Node>(new Node(std::move(p)));
}

void Node::Start() {
  parts_->audit->Start();
  gateway::ConnectionLogWriter* log = parts_->connection_log.get();
  parts_->connection_log_thread = std::thread([log] { log->Run(); });
  parts_->mqtt->Start();
  if (parts_->mqtt_alpn) {
    parts_->mqtt_alpn->Start();
  }
  parts_->http->Start();
}

void Node::Stop() {
  if (!parts_) {
    return;
  }
  if (parts_->mqtt) {
    // Ends the live sessions, whose close records go to the writer before it stops.
    parts_->mqtt->Stop();
  }
  if (parts_->mqtt_alpn) {
    parts_->mqtt_alpn->Stop();
  }
  if (parts_->http) {
    parts_->http->Stop();
  }
  if (parts_->audit) {
    // After the API, so that no request wakes it again; the current audit finishes first.
    parts_->audit->Stop();
  }
  if (parts_->connection_log) {
    parts_->connection_log->Stop();
    if (parts_->connection_log_thread.joinable()) {
      parts_->connection_log_thread.join();
    }
  }
  if (parts_->broker_subscription != 0) {
    parts_->events.Unsubscribe(parts_->broker_subscription);
    parts_->broker_subscription = 0;
  }
}

std::string Node::ListeningJson() const {
  boost::json::object o;
  o["api"] = parts_->api_host + ":" + std::to_string(parts_->http->LocalPort());
  o["mqtt"] = parts_->mqtt_host + ":" + std::to_string(parts_->mqtt->LocalPort());
  if (parts_->mqtt_alpn) {
    o["mqttAlpn"] = parts_->mqtt_alpn_host + ":" + std::to_string(parts_->mqtt_alpn->LocalPort());
  }
  return boost::json::serialize(o);
}

namespace {

Result<std::unique_ptr<AuditNode>> CreateAudit(const ServeOptions& options, const DataDir& dir,
                                               const AuditSettings& from_config, const Clock& clock,
                                               const std::string& region, store::SqliteStore& store,
                                               registry::CertificateService& certificates,
                                               registry::ThingService& things,
                                               registry::ThingGroupService& groups,
                                               const std::unique_ptr<gateway::Broker>* broker) {
  auto settings = LoadAuditSettings(dir.Root() / "audit.json");
  if (!settings) {
    return Fail(settings.error());
  }
  *settings = MergeAuditSettings(std::move(*settings), from_config);
  AuditNodeOptions audit;
  audit.region = region;
  audit.settle_lag =
      options.audit_settle_lag.value_or(settings->settle_lag.value_or(audit::kDefaultSettleLag));
  audit.targets = std::move(settings->targets);
  audit.mqtt = [broker](const std::string& account_id, const std::string& topic,
                        const std::string& payload) {
    if (*broker) {
      (*broker)->PublishEvent(gateway::AccountMessage{account_id, topic, payload});
    }
  };
  return AuditNode::Create(store, certificates, things, groups, clock, std::move(audit));
}

}  // namespace

}  // namespace fg::app
