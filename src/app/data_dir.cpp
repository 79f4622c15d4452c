#include "app/data_dir.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>

namespace fg::app {
namespace {

std::string Errno(std::string_view what, const std::filesystem::path& path) {
  return std::string(what) + " " + path.string() + ": " + std::strerror(errno);
}

// Closes the descriptor on every path out of WriteFileAtomic.
class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  ~FdCloser() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;
  int Get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

bool DataDir::IsInitialised() const {
  std::error_code ec;
  return std::filesystem::is_regular_file(Database(), ec);
}

Result<void> DataDir::RequireInitialised() const {
  std::error_code ec;
  if (!std::filesystem::is_directory(root_, ec)) {
    return Fail(ErrorCode::kNotFound, "data directory " + root_.string() +
                                          " does not exist or is not initialised; run "
                                          "`fleetguard init --data-dir " +
                                          root_.string() + "`");
  }
  if (!IsInitialised()) {
    return Fail(ErrorCode::kNotFound, "data directory " + root_.string() +
                                          " is not initialised; run `fleetguard init --data-dir " +
                                          root_.string() + "`");
  }
  return Ok();
}

Result<InstallationSettings> DataDir::LoadSettings() const {
  auto text = ReadFile(SettingsFile());
  if (!text) {
    return Fail(text.error());
  }
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(*text, ec);
  const boost::json::object* obj = ec ? nullptr : v.if_object();
  InstallationSettings s;
  auto get = [&](const char* key, std::string& out) {
    if (obj == nullptr) {
      return false;
    }
    const boost::json::value* field = obj->if_contains(key);
    if (field == nullptr || !field->is_string()) {
      return false;
    }
    out = std::string(field->as_string());
    return !out.empty();
  };
  if (!get("region", s.region) || !get("domain", s.domain) || !get("nodeId", s.node_id)) {
    return Fail(ErrorCode::kCorrupt, SettingsFile().string() +
                                         " is corrupt: expected a JSON object with region, "
                                         "domain and nodeId");
  }
  return s;
}

Result<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Fail(errno == ENOENT ? ErrorCode::kNotFound : ErrorCode::kUnavailable,
                Errno("cannot read", path));
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) {
    return Fail(ErrorCode::kUnavailable, Errno("cannot read", path));
  }
  return buf.str();
}

Result<void> WriteFileAtomic(const std::filesystem::path& path, std::string_view contents,
                             unsigned mode) {
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  FdCloser fd(
      ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, static_cast<mode_t>(mode)));
  int raw = fd.Get();
  if (raw < 0) {
    return Fail(ErrorCode::kUnavailable, Errno("cannot create", tmp));
  }
  // The umask may have narrowed the mode at creation, never widened it; make it exact.
  if (::fchmod(raw, static_cast<mode_t>(mode)) != 0) {
    return Fail(ErrorCode::kUnavailable, Errno("cannot chmod", tmp));
  }
  size_t written = 0;
  while (written < contents.size()) {
    ssize_t n = ::write(raw, contents.data() + written, contents.size() - written);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      ::unlink(tmp.c_str());
      return Fail(ErrorCode::kUnavailable, Errno("cannot write", tmp));
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(raw) != 0) {
    ::unlink(tmp.c_str());
    return Fail(ErrorCode::kUnavailable, Errno("cannot fsync", tmp));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return Fail(ErrorCode::kUnavailable, Errno("cannot rename into", path));
  }
  FdCloser dir(::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.Get() >= 0) {
    ::fsync(dir.Get());  // Best effort: some filesystems refuse fsync on directories.
  }
  return Ok();
}

}  // namespace fg::app
