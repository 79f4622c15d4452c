#include "net/tls_channel.h"

#include <array>
#include <cerrno>
#include <sys/socket.h>
#include <sys/types.h>
#include <utility>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "net/tls_handoff.h"
#include "net/tls_record_layer.h"

namespace fg::net {
namespace {

// Bytes read per call, on the stack: a connection keeps no read buffer between reads (the
// record layer holds only a partial record, the MQTT framer only a partial packet).
constexpr size_t kReadChunk = 16 * 1024;

void Append(std::vector<uint8_t>& queue, std::vector<uint8_t> bytes) {
  if (queue.empty()) {
    queue = std::move(bytes);
  } else {
    queue.insert(queue.end(), bytes.begin(), bytes.end());
  }
}

class RecordChannel final : public TlsChannel {
 public:
  RecordChannel(TlsRecordLayer layer, int fd) : layer_(std::move(layer)), fd_(fd) {}

  ReadResult Read() override {
    ReadResult result;
    std::array<uint8_t, kReadChunk> buffer;
    ssize_t n = 0;
    do {
      n = ::recv(fd_, buffer.data(), buffer.size(), 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      result.io = Io::kWantRead;
      return result;
    }
    if (n <= 0) {
      result.io = Io::kEnded;  // EOF without close_notify, or a reset
      return result;
    }
    TlsRecordLayer::Opened opened =
        layer_.Open(std::span<const uint8_t>(buffer.data(), static_cast<size_t>(n)));
    result.plaintext = std::move(opened.plaintext);
    if (!opened.to_send.empty()) {
      Append(out_, std::move(opened.to_send));
    }
    if (opened.ended) {
      // Our close_notify or alert: one attempt, the connection closes next.
      Flush();
      result.io = Io::kEnded;
    } else if (!out_.empty()) {
      // A KeyUpdate answer: sent now, or by the flush a pending write wait resumes.
      if (Flush() == Io::kEnded) {
        result.io = Io::kEnded;
      }
    }
    return result;
  }

  bool Queue(std::span<const uint8_t> plaintext) override {
    auto sealed = layer_.Seal(plaintext);
    if (!sealed) {
      return false;
    }
    Append(out_, std::move(*sealed));
    return true;
  }

  size_t queued_bytes() const override { return out_.size() - out_offset_; }

  Io Flush() override {
    while (out_offset_ < out_.size()) {
      const ssize_t n =
          ::send(fd_, out_.data() + out_offset_, out_.size() - out_offset_, MSG_NOSIGNAL);
      if (n > 0) {
        out_offset_ += static_cast<size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        return Io::kWantWrite;
      }
      return Io::kEnded;
    }
    std::vector<uint8_t>().swap(out_);  // an idle connection holds no write buffer
    out_offset_ = 0;
    return Io::kDone;
  }

  void CloseNotify() override {
    std::vector<uint8_t> alert = layer_.CloseNotify();
    if (!alert.empty()) {
      Append(out_, std::move(alert));
    }
    Flush();
  }

  bool own_record_layer() const override { return true; }

 private:
  TlsRecordLayer layer_;
  int fd_;
  std::vector<uint8_t> out_;  // ciphertext; out_[0, out_offset_) is written
  size_t out_offset_ = 0;
};

class SslChannel final : public TlsChannel {
 public:
  explicit SslChannel(pki::SslPtr ssl) : ssl_(std::move(ssl)) {}

  ReadResult Read() override {
    ReadResult result;
    std::array<uint8_t, kReadChunk> buffer;
    ERR_clear_error();
    size_t n = 0;
    const int rc = SSL_read_ex(ssl_.get(), buffer.data(), buffer.size(), &n);
    if (rc == 1) {
      result.plaintext.assign(buffer.begin(), buffer.begin() + static_cast<ptrdiff_t>(n));
      return result;
    }
    result.io = Want(rc);
    return result;
  }

  bool Queue(std::span<const uint8_t> plaintext) override {
    out_.insert(out_.end(), plaintext.begin(), plaintext.end());
    return true;
  }

  size_t queued_bytes() const override { return out_.size() - out_offset_; }

  Io Flush() override {
    while (out_offset_ < out_.size()) {
      ERR_clear_error();
      size_t n = 0;
      const int rc =
          SSL_write_ex(ssl_.get(), out_.data() + out_offset_, out_.size() - out_offset_, &n);
      if (rc != 1) {
        return Want(rc);
      }
      out_offset_ += n;
    }
    std::vector<uint8_t>().swap(out_);
    out_offset_ = 0;
    return Io::kDone;
  }

  void CloseNotify() override {
    ERR_clear_error();
    if (SSL_shutdown(ssl_.get()) < 0) {
      ERR_clear_error();
    }
  }

  bool own_record_layer() const override { return false; }

 private:
  Io Want(int rc) {
    switch (SSL_get_error(ssl_.get(), rc)) {
      case SSL_ERROR_WANT_READ:
        return Io::kWantRead;
      case SSL_ERROR_WANT_WRITE:
        return Io::kWantWrite;
      default:
        // SSL_ERROR_ZERO_RETURN (close_notify), SSL_ERROR_SYSCALL (EOF or reset), a TLS error.
        ERR_clear_error();
        return Io::kEnded;
    }
  }

  pki::SslPtr ssl_;
  std::vector<uint8_t> out_;  // plaintext; out_[0, out_offset_) is written
  size_t out_offset_ = 0;
};

}  // namespace

std::unique_ptr<TlsChannel> MakeTlsChannel(pki::SslPtr ssl, int fd, bool take_over,
                                           std::string* fallback_reason) {
  if (take_over) {
    auto layer = TakeOverRecordLayer(*ssl);
    if (layer) {
      // SSL_free sends nothing and leaves the fd open (SSL_set_fd's BIO does not own it).
      ssl.reset();
      return std::make_unique<RecordChannel>(std::move(*layer), fd);
    }
    if (fallback_reason != nullptr) {
      *fallback_reason = layer.error().message;
    }
  }
  return std::make_unique<SslChannel>(std::move(ssl));
}

}  // namespace fg::net
