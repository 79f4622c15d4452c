#include "pki/x509_name.h"

#include <openssl/err.h>

#include "pki/crypto_error.h"
#include "pki/memory_bio.h"

namespace fg::pki {

std::string CommonNameOf(const X509_NAME& name) {
  int index = -1;
  int last = -1;
  while ((index = X509_NAME_get_index_by_NID(&name, NID_commonName, index)) >= 0) {
    last = index;
  }
  if (last < 0) {
    return std::string();
  }
  unsigned char* raw = nullptr;
  const int len =
      ASN1_STRING_to_UTF8(&raw, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(&name, last)));
  OpensslBytesPtr utf8(raw);
  if (len < 0) {
    ERR_clear_error();
    return std::string();
  }
  return std::string(reinterpret_cast<const char*>(utf8.get()), static_cast<size_t>(len));
}

std::string NameToRfc2253(const X509_NAME& name) {
  BioPtr bio = WritableMemBio();
  const unsigned long flags = XN_FLAG_RFC2253 & ~static_cast<unsigned long>(ASN1_STRFLGS_ESC_MSB);
  CheckCrypto(X509_NAME_print_ex(bio.get(), &name, 0, flags) >= 0, "X509_NAME_print_ex");
  return MemBioContents(*bio);
}

}  // namespace fg::pki
