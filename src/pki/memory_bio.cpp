#include "pki/memory_bio.h"

#include "pki/crypto_error.h"

namespace fg::pki {

Result<BioPtr> ReadOnlyMemBio(std::string_view data) {
  if (data.size() > kMaxEncodedInputSize) {
    return Fail(ErrorCode::kInvalidArgument, "input of " + std::to_string(data.size()) +
                                                 " bytes exceeds the limit of " +
                                                 std::to_string(kMaxEncodedInputSize));
  }
  BioPtr bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
  CheckCrypto(bio != nullptr, "BIO_new_mem_buf");
  return bio;
}

BioPtr WritableMemBio() {
  BioPtr bio(BIO_new(BIO_s_mem()));
  CheckCrypto(bio != nullptr, "BIO_new(BIO_s_mem)");
  return bio;
}

std::string MemBioContents(BIO& bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(&bio, &data);
  if (len <= 0 || data == nullptr) {
    return std::string();
  }
  return std::string(data, static_cast<size_t>(len));
}

}  // namespace fg::pki
