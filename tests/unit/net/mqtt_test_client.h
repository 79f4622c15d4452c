#pragma once

// A blocking MQTT-over-TLS client for the listener tests: OpenSSL on a plain socket with a
// receive timeout, our own encoder and framer for the packets. Not thread-safe.

#include <arpa/inet.h>
#include <chrono>
#include <cstdint>
#include <memory>
#include <netinet/in.h>
#include <optional>
#include <span>
#include <string>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include "mqtt/encoder.h"
#include "mqtt/framer.h"
#include "mqtt/packet.h"
#include "pki/openssl_ptr.h"

namespace fg::net::testing {

inline std::string PkiFixture(const std::string& name) {
  return std::string(FG_SOURCE_DIR) + "/tests/fixtures/pki/" + name;
}

struct ClientOptions {
  std::string identity;  // fixture name ("device-rsa-1"); empty: no client certificate
  std::string sni;       // empty: no SNI
  std::string alpn;      // empty: no ALPN offer
  mqtt::ProtocolVersion version = mqtt::ProtocolVersion::kV311;
};

class MqttTestClient {
 public:
  // Connects to 127.0.0.1:`port` and runs the TLS handshake (which, in TLS 1.3, completes on
  // the client before the server has judged the client certificate).
  MqttTestClient(uint16_t port, const ClientOptions& options)
      : version_(options.version), framer_(1 << 20) {
    framer_.set_version(version_);
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    SetTimeout(std::chrono::milliseconds(5000));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      return;
    }
    ctx_.reset(SSL_CTX_new(TLS_client_method()));
    // device-sha1 and device-md5 must reach the server, which is what judges them.
    SSL_CTX_set_security_level(ctx_.get(), 0);
    if (!options.identity.empty()) {
      EXPECT_EQ(SSL_CTX_use_certificate_file(
                    ctx_.get(), PkiFixture(options.identity + ".pem").c_str(), SSL_FILETYPE_PEM),
                1);
      EXPECT_EQ(SSL_CTX_use_PrivateKey_file(
                    ctx_.get(), PkiFixture(options.identity + ".key").c_str(), SSL_FILETYPE_PEM),
                1);
    }
    ssl_.reset(SSL_new(ctx_.get()));
    SSL_set_fd(ssl_.get(), fd_);
    if (!options.sni.empty()) {
      // SSL_set_tlsext_host_name is a macro with a C cast.
      SSL_ctrl(ssl_.get(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
               const_cast<char*>(options.sni.c_str()));
    }
    if (!options.alpn.empty()) {
      std::string wire(1, static_cast<char>(options.alpn.size()));
      wire += options.alpn;
      SSL_set_alpn_protos(ssl_.get(), reinterpret_cast<const unsigned char*>(wire.data()),
                          static_cast<unsigned>(wire.size()));
    }
    handshake_ok_ = SSL_connect(ssl_.get()) == 1;
  }

  ~MqttTestClient() {
    ssl_.reset();
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }

  bool handshake_ok() const { return handshake_ok_; }

  void SetTimeout(std::chrono::milliseconds timeout) {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  }

  bool Send(const mqtt::Packet& packet) { return SendRaw(mqtt::Encode(packet, version_)); }

  bool SendRaw(const std::vector<uint8_t>& bytes) {
    if (!handshake_ok_) {
      return false;
    }
    return SSL_write(ssl_.get(), bytes.data(), static_cast<int>(bytes.size())) ==
           static_cast<int>(bytes.size());
  }

  bool Connect(const std::string& client_id, uint16_t keep_alive = 60) {
    mqtt::ConnectPacket connect;
    connect.version = version_;
    connect.client_id = client_id;
    connect.keep_alive = keep_alive;
    return Send(connect);
  }

  // The next packet, or nullopt on EOF, error or timeout (then closed() tells which).
  std::optional<mqtt::Packet> Read() {
    while (true) {
      std::span<const uint8_t> in(pending_);
      auto next = framer_.Next(in);
      pending_.erase(pending_.begin(),
                     pending_.begin() + static_cast<std::ptrdiff_t>(pending_.size() - in.size()));
      if (!next) {
        ADD_FAILURE() << "server sent a malformed packet";
        return std::nullopt;
      }
      if (next->has_value()) {
        return std::move(**next);
      }
      if (!handshake_ok_ || closed_) {
        return std::nullopt;
      }
      uint8_t buffer[4096];
      const int n = SSL_read(ssl_.get(), buffer, sizeof(buffer));
      if (n <= 0) {
        const int err = SSL_get_error(ssl_.get(), n);
        const bool timed_out =
            err == SSL_ERROR_WANT_READ ||
            (err == SSL_ERROR_SYSCALL && (errno == EAGAIN || errno == EWOULDBLOCK));
        if (!timed_out) {
          closed_ = true;
        }
        return std::nullopt;
      }
      pending_.insert(pending_.end(), buffer, buffer + n);
    }
  }

  template <typename T>
  std::optional<T> ReadAs() {
    auto packet = Read();
    if (!packet) {
      return std::nullopt;
    }
    if (auto* typed = std::get_if<T>(&*packet)) {
      return std::move(*typed);
    }
    ADD_FAILURE() << "unexpected packet type " << static_cast<int>(mqtt::TypeOf(*packet));
    return std::nullopt;
  }

  // Reads until the server closes the connection (true) or the timeout passes (false).
  bool WaitClosed() {
    while (!closed_) {
      if (!Read() && !closed_) {
        return false;
      }
    }
    return true;
  }

  bool closed() const { return closed_; }

 private:
  mqtt::ProtocolVersion version_;
  mqtt::Framer framer_;
  int fd_ = -1;
  pki::SslCtxPtr ctx_;
  pki::SslPtr ssl_;
  bool handshake_ok_ = false;
  bool closed_ = false;
  std::vector<uint8_t> pending_;
};

}  // namespace fg::net::testing
