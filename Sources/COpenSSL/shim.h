#ifndef BILLPORT_COPENSSL_SHIM_H
#define BILLPORT_COPENSSL_SHIM_H
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/hmac.h>
#include <openssl/evp.h>
#include <openssl/crypto.h>
#endif
