#pragma once

// Owning smart pointers for every OpenSSL handle fleetguard touches. This header is the only
// place in the tree that calls an OpenSSL *_free function (a CI grep enforces it): anything
// returned by *_new, d2i_*, PEM_read_*, *_get1_* or X509_get_ext_d2i is wrapped in one of these
// aliases on the line that receives it. *_get0_* results are borrowed and never wrapped.
//
// Each alias but Asn1ValuePtr has the size of a raw pointer (the deleter is an empty function
// object).

#include <memory>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace fg::pki {

template <auto FreeFn>
struct CFree {
  template <class T>
  void operator()(T* p) const noexcept {
    FreeFn(p);
  }
};

// sk_* are macros, so the stack deleters need real functions to take the address of.
inline void FreeX509Stack(STACK_OF(X509) * s) { sk_X509_pop_free(s, X509_free); }
inline void FreeX509ExtensionStack(STACK_OF(X509_EXTENSION) * s) {
  sk_X509_EXTENSION_pop_free(s, X509_EXTENSION_free);
}
// Clears the key material before releasing it.
inline void FreeBignumSecure(BIGNUM* b) { BN_clear_free(b); }
// OPENSSL_free is a macro carrying __FILE__/__LINE__.
inline void FreeOpensslString(char* p) { OPENSSL_free(p); }
inline void FreeOpensslBytes(unsigned char* p) { OPENSSL_free(p); }

using X509Ptr = std::unique_ptr<X509, CFree<&X509_free>>;
using X509ReqPtr = std::unique_ptr<X509_REQ, CFree<&X509_REQ_free>>;
using X509NamePtr = std::unique_ptr<X509_NAME, CFree<&X509_NAME_free>>;
using X509ExtensionPtr = std::unique_ptr<X509_EXTENSION, CFree<&X509_EXTENSION_free>>;
using X509StorePtr = std::unique_ptr<X509_STORE, CFree<&X509_STORE_free>>;
using X509StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, CFree<&X509_STORE_CTX_free>>;
using X509StackPtr = std::unique_ptr<STACK_OF(X509), CFree<&FreeX509Stack>>;
using X509ExtensionStackPtr =
    std::unique_ptr<STACK_OF(X509_EXTENSION), CFree<&FreeX509ExtensionStack>>;
using GeneralNamePtr = std::unique_ptr<GENERAL_NAME, CFree<&GENERAL_NAME_free>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, CFree<&GENERAL_NAMES_free>>;
using BasicConstraintsPtr = std::unique_ptr<BASIC_CONSTRAINTS, CFree<&BASIC_CONSTRAINTS_free>>;
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, CFree<&EVP_PKEY_free>>;
using EvpPkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, CFree<&EVP_PKEY_CTX_free>>;
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, CFree<&EVP_MD_CTX_free>>;
using EvpMacPtr = std::unique_ptr<EVP_MAC, CFree<&EVP_MAC_free>>;
using EvpMacCtxPtr = std::unique_ptr<EVP_MAC_CTX, CFree<&EVP_MAC_CTX_free>>;
using EvpCipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CFree<&EVP_CIPHER_CTX_free>>;
using EvpCipherPtr = std::unique_ptr<EVP_CIPHER, CFree<&EVP_CIPHER_free>>;
using EvpKdfPtr = std::unique_ptr<EVP_KDF, CFree<&EVP_KDF_free>>;
using EvpKdfCtxPtr = std::unique_ptr<EVP_KDF_CTX, CFree<&EVP_KDF_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, CFree<&BIO_free_all>>;
using BignumPtr = std::unique_ptr<BIGNUM, CFree<&FreeBignumSecure>>;
using Asn1IntegerPtr = std::unique_ptr<ASN1_INTEGER, CFree<&ASN1_INTEGER_free>>;
using Asn1TimePtr = std::unique_ptr<ASN1_TIME, CFree<&ASN1_TIME_free>>;
using Asn1StringPtr = std::unique_ptr<ASN1_STRING, CFree<&ASN1_STRING_free>>;
using Asn1OctetStringPtr = std::unique_ptr<ASN1_OCTET_STRING, CFree<&ASN1_OCTET_STRING_free>>;
using OpensslStringPtr = std::unique_ptr<char, CFree<&FreeOpensslString>>;
using OpensslBytesPtr = std::unique_ptr<unsigned char, CFree<&FreeOpensslBytes>>;
using SslCtxPtr = std::unique_ptr<SSL_CTX, CFree<&SSL_CTX_free>>;
using SslPtr = std::unique_ptr<SSL, CFree<&SSL_free>>;

// A value of an ASN.1 type known only at run time (ASN1_item_d2i): the deleter carries the
// ASN1_ITEM, so this one alone is not pointer-sized.
struct Asn1ItemFree {
  const ASN1_ITEM* item;
  void operator()(ASN1_VALUE* p) const noexcept { ASN1_item_free(p, item); }
};
using Asn1ValuePtr = std::unique_ptr<ASN1_VALUE, Asn1ItemFree>;

}  // namespace fg::pki
