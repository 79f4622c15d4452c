#include "audit/synthetic_log.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <utility>

namespace fg::audit::synthetic {
namespace {

constexpr int64_t kSecond = 1000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;
// 1.5 x a 60 s keep-alive: how long the broker takes to notice a silent device.
constexpr int64_t kKeepAliveGrace = 90 * kSecond;
constexpr int64_t kMinSession = 5 * kMinute;
constexpr int64_t kMinGap = 30 * kSecond;
constexpr uint64_t kExtraSessionBit = 0x8000;

// splitmix64: tiny, fast, and good enough to make logs look random; not for secrets.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in (0, 1].
  double Uniform() { return static_cast<double>((Next() >> 11) + 1) * 0x1.0p-53; }
  int64_t Between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Uniform() * static_cast<double>(hi - lo));
  }
  int64_t Exponential(double mean) { return static_cast<int64_t>(-mean * std::log(Uniform())); }

 private:
  uint64_t state_;
};

uint64_t Mix(uint64_t seed, uint64_t device, uint64_t stream) {
  Rng rng(seed ^ (device * 0xd1b54a32d192ed03ULL) ^ (stream * 0x8cb92ba72f3d8dd7ULL));
  return rng.Next();
}

std::string ClientId(uint64_t device) { return "dev-" + std::to_string(device); }

std::string OwnerIp(uint64_t device) {
  return "10." + std::to_string((device >> 16) & 0xff) + "." +
         std::to_string((device >> 8) & 0xff) + "." + std::to_string(device & 0xff);
}

std::string CloneIp(uint64_t device, int n) {
  return "198.51." + std::to_string(100 + n) + "." + std::to_string(device % 250 + 1);
}

SessionInterval Clean(uint64_t id, std::string client_id, std::string ip, int64_t connect,
                      int64_t end) {
  SessionInterval s;
  s.session_id = id;
  s.client_id = std::move(client_id);
  s.source_ip = std::move(ip);
  s.connect_ms = connect;
  s.last_packet_ms = end;
  s.disconnect_ms = end;
  s.disconnect_reason = "CLIENT_INITIATED_DISCONNECT";
  return s;
}

struct Timeline {
  std::vector<SessionInterval> sessions;
  size_t anchor = 0;  // first of four short, clean, structured sessions
};

// The owner's sessions from `begin` while connects are before `limit`. At `anchor_time` it
// inserts four structured sessions (20-60 min on, 5-30 min off, clean) for the roles to build on.
Timeline OwnerTimeline(Rng& rng, uint64_t device, const SyntheticLogOptions& o, int64_t begin,
                       int64_t limit, int64_t anchor_time, bool clamp_to_limit) {
  const double cycle = static_cast<double>(kDay) / o.sessions_per_day;
  const double mean_on = std::max(0.7 * cycle - static_cast<double>(kMinSession), 1.0);
  const double mean_off = std::max(0.3 * cycle - static_cast<double>(kMinGap), 1.0);
  const int64_t now = ToEpochMillis(o.window_end);
  const std::string client_id = ClientId(device);
  const std::string ip = OwnerIp(device);
  Timeline tl;
  bool anchored = false;
  int64_t t = begin;
  while (t < limit) {
    int64_t on = kMinSession + rng.Exponential(mean_on);
    int64_t off = kMinGap + rng.Exponential(mean_off);
    const bool structured = anchored ? tl.sessions.size() < tl.anchor + 4 : (t >= anchor_time);
    if (structured && !anchored) {
      anchored = true;
      tl.anchor = tl.sessions.size();
    }
    if (structured) {
      on = rng.Between(20 * kMinute, 60 * kMinute);
      off = rng.Between(5 * kMinute, 30 * kMinute);
    }
    if (clamp_to_limit && t + on > limit) {
      on = limit - t;
      if (on < kMinSession) {
        break;
      }
    }
    const uint64_t id = (device << 16) | tl.sessions.size();
    SessionInterval s = Clean(id, client_id, ip, t, t + on);
    const double kind = rng.Uniform();
    if (!structured && kind > 0.6) {
      // Lost connections are noticed by the broker up to 1.5 x keep-alive later.
      const bool timeout = kind > 0.85;
      s.disconnect_ms =
          s.last_packet_ms + (timeout ? kKeepAliveGrace : rng.Between(0, kKeepAliveGrace));
      s.disconnect_reason = timeout ? "MQTT_KEEP_ALIVE_TIMEOUT" : "CONNECTION_LOST";
    }
    const int64_t next = s.last_packet_ms + off;
    if (*s.disconnect_ms > next) {
      // The device came back under its own client id before the broker noticed: a takeover.
      s.disconnect_ms = next;
      s.disconnect_reason = "DUPLICATE_CLIENTID";
    }
    if (*s.disconnect_ms >= now) {
      s.disconnect_ms.reset();
      s.disconnect_reason.clear();
    }
    tl.sessions.push_back(std::move(s));
    t = next;
  }
  return tl;
}

}  // namespace

std::string_view DeviceRoleName(DeviceRole role) {
  static constexpr std::string_view kNames[kDeviceRoleCount] = {"normal",
                                                                "clone",
                                                                "clone_triple",
                                                                "just_over_tolerance",
                                                                "clone_open_at_end",
                                                                "clone_before_window",
                                                                "at_tolerance",
                                                                "touching",
                                                                "quick_reconnect",
                                                                "takeover",
                                                                "greengrass"};
  return kNames[static_cast<int>(role)];
}

SyntheticLog::SyntheticLog(SyntheticLogOptions options) : options_(options) {
  uint32_t total = 0;
  for (int r = 1; r < kDeviceRoleCount; ++r) {
    total += options_.role_per_10k[r];
  }
  if (options_.window_end - options_.window_start < std::chrono::hours(72) ||
      !(options_.sessions_per_day > 0) || options_.tolerance_ms < 1 || total > 10000) {
    std::abort();  // REQUIRES violated: a bug in the calling test or benchmark
  }
}

DeviceRole SyntheticLog::Role(uint64_t device) const {
  const uint64_t draw = Mix(options_.seed, device, 1) % 10000;
  uint64_t upper = 0;
  for (int r = 1; r < kDeviceRoleCount; ++r) {
    upper += options_.role_per_10k[r];
    if (draw < upper) {
      return static_cast<DeviceRole>(r);
    }
  }
  return DeviceRole::kNormal;
}

std::string SyntheticLog::CertificateId(uint64_t device) const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(64, '0');
  for (uint64_t part = 0; part < 4; ++part) {
    uint64_t v = Mix(options_.seed, device, 2 + part);
    for (size_t i = 0; i < 16; ++i) {
      id[part * 16 + 15 - i] = kHex[v & 0xf];
      v >>= 4;
    }
  }
  return id;
}

int SyntheticLog::ExpectedMaxDevices(uint64_t device, DeviceKeyRule rule) const {
  switch (Role(device)) {
    case DeviceRole::kClone:
    case DeviceRole::kJustOverTolerance:
    case DeviceRole::kCloneOpenAtEnd:
      return 2;
    case DeviceRole::kCloneTriple:
      return 3;
    case DeviceRole::kGreengrass:
      return rule == DeviceKeyRule::kClientId ? 2 : 0;
    default:
      return 0;
  }
}

CertificateSessions SyntheticLog::Certificate(uint64_t device) const {
  const SyntheticLogOptions& o = options_;
  const DeviceRole role = Role(device);
  const int64_t ws = ToEpochMillis(o.window_start);
  const int64_t we = ToEpochMillis(o.window_end);
  const int64_t tau = o.tolerance_ms;
  Rng rng(Mix(o.seed, device, 7));

  const int64_t begin = ws - kDay + rng.Between(0, kHour);
  int64_t anchor_time = ws + kDay + rng.Between(0, (we - ws) - 2 * kDay);
  if (role == DeviceRole::kCloneBeforeWindow) {
    anchor_time = begin;
  }
  const bool open_at_end = role == DeviceRole::kCloneOpenAtEnd;
  Timeline tl = OwnerTimeline(rng, device, o, begin, open_at_end ? we - 2 * kHour : we, anchor_time,
                              open_at_end);
  std::vector<SessionInterval>& s = tl.sessions;
  const size_t k = tl.anchor;
  uint64_t extra = 0;
  auto extra_id = [&] { return (device << 16) | kExtraSessionBit | extra++; };
  const std::string own_id = ClientId(device);

  // A session of another device inside the owner's session `a`: overlaps it by 18+ minutes.
  auto clone_inside = [&](size_t a, const std::string& client, int n, int64_t offset) {
    const int64_t c = s[a].connect_ms;
    const int64_t x = std::min(20 * kMinute, s[a].last_packet_ms - c - 2 * kMinute);
    return Clean(extra_id(), client, CloneIp(device, n), c + offset, c + kMinute + x);
  };
  std::vector<SessionInterval> added;
  switch (role) {
    case DeviceRole::kNormal:
      break;
    case DeviceRole::kClone:
    case DeviceRole::kCloneBeforeWindow:
      added.push_back(clone_inside(k, own_id + "-clone", 0, kMinute));
      added.push_back(clone_inside(k + 2, own_id + "-clone", 0, kMinute));
      break;
    case DeviceRole::kCloneTriple:
      added.push_back(clone_inside(k, own_id + "-clone", 0, kMinute));
      added.push_back(clone_inside(k, own_id + "-clone2", 1, 90 * kSecond));
      break;
    case DeviceRole::kGreengrass:
      added.push_back(clone_inside(k, own_id + "#2", 0, kMinute));
      added.back().source_ip = OwnerIp(device);
      break;
    case DeviceRole::kJustOverTolerance:
      added.push_back(Clean(extra_id(), own_id + "-b", CloneIp(device, 0),
                            s[k].last_packet_ms - (tau + 1), s[k + 1].connect_ms));
      break;
    case DeviceRole::kAtTolerance:
      added.push_back(Clean(extra_id(), own_id + "-b", CloneIp(device, 0),
                            s[k].last_packet_ms - tau, s[k + 1].connect_ms));
      added.push_back(Clean(extra_id(), own_id + "-c", CloneIp(device, 1),
                            s[k + 2].last_packet_ms - (tau - 1), s[k + 3].connect_ms));
      break;
    case DeviceRole::kTouching:
      added.push_back(Clean(extra_id(), own_id + "-b", CloneIp(device, 0), s[k].last_packet_ms,
                            s[k + 1].connect_ms));
      break;
    case DeviceRole::kQuickReconnect:
      s[k].disconnect_ms = s[k].last_packet_ms + kKeepAliveGrace;
      s[k].disconnect_reason = "MQTT_KEEP_ALIVE_TIMEOUT";
      s[k + 1].connect_ms = s[k].last_packet_ms + 5 * kSecond;
      s[k + 1].client_id = own_id + "-r";
      break;
    case DeviceRole::kTakeover:
      s[k + 1].connect_ms = s[k].last_packet_ms - 4 * kMinute;
      s[k].disconnect_reason = "DUPLICATE_CLIENTID";
      break;
    case DeviceRole::kCloneOpenAtEnd: {
      SessionInterval owner =
          Clean((device << 16) | s.size(), own_id, OwnerIp(device), we - 50 * kMinute, we);
      owner.disconnect_ms.reset();
      owner.disconnect_reason.clear();
      SessionInterval clone = owner;
      clone.session_id = extra_id();
      clone.client_id = own_id + "-clone";
      clone.source_ip = CloneIp(device, 0);
      clone.connect_ms = we - 30 * kMinute;
      s.push_back(std::move(owner));
      added.push_back(std::move(clone));
      break;
    }
  }
  for (SessionInterval& a : added) {
    s.push_back(std::move(a));
  }
  std::sort(s.begin(), s.end(), [](const SessionInterval& a, const SessionInterval& b) {
    return a.connect_ms != b.connect_ms ? a.connect_ms < b.connect_ms : a.session_id < b.session_id;
  });
  return CertificateSessions{CertificateId(device), std::move(s)};
}

SyntheticLogSource::SyntheticLogSource(const SyntheticLog& log, uint64_t first, uint64_t end)
    : log_(log), next_(first), end_(std::min(end, log.device_count())) {}

Result<std::optional<CertificateSessions>> SyntheticLogSource::Next() {
  if (next_ >= end_) {
    return std::optional<CertificateSessions>();
  }
  return std::optional<CertificateSessions>(log_.Certificate(next_++));
}

}  // namespace fg::audit::synthetic
