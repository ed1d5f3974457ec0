// Sprig's crypto.go on OpenSSL (hashes, AES-CBC, scrypt-based derivePassword, keys and X.509
// certificates built as Go's crypto/x509 builds them) and libxcrypt (bcrypt for bcrypt/htpasswd,
// which OpenSSL does not provide). Errors carry Sprig's texts; outputs are random where Sprig's
// are (keys, serials, salts), so only their form can be compared with Go's.
#include <arpa/inet.h>
#include <crypt.h>
#include <openssl/crypto.h>
#include <openssl/decoder.h>
#include <openssl/encoder.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstring>
#include <memory>

#include "common/random.h"
#include "deploy/template/function_table.h"
#include "deploy/template/gobase64.h"
#include "deploy/template/sprig_conv.h"

namespace rayctl::tmpl {

namespace {

using P = Param;

template <typename T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, Deleter<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>>;

std::string Hex(const unsigned char* p, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kHex[p[i] >> 4]);
    out.push_back(kHex[p[i] & 15]);
  }
  return out;
}

// A digest fetched from OpenSSL's default provider once. The first use initializes OpenSSL
// without the system's openssl.cnf and error strings (neither changes a digest; we never print
// OpenSSL's errors), and a fetched digest skips the legacy ENGINE lookup that EVP_sha256() and
// friends pay: about 1 ms of a chart's first sha256sum here.
const EVP_MD* FetchDigest(const char* name) {
  static const bool initialized =
      OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG | OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS,
                          nullptr) == 1;
  (void)initialized;
  const EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);  // kept for the process's life
  if (md == nullptr) throw FunctionError(std::string("no ") + name + " digest in OpenSSL");
  return md;
}

std::string Digest(const EVP_MD* md, std::string_view in) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(in.data(), in.size(), out, &n, md, nullptr) != 1)
    throw FunctionError("digest failed");
  return Hex(out, n);
}

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  FillRandom(out.data(), n);
  return out;
}

std::string Adler32(std::string_view in) {
  uint32_t a = 1, b = 0;
  for (unsigned char c : in) {
    a = (a + c) % 65521;
    b = (b + a) % 65521;
  }
  return std::to_string((b << 16) | a);
}

// ------------------------------------------------------------------ bcrypt

std::string Bcrypt(const std::string& input) {
  if (input.size() > 72)
    return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes";
  std::string salt = RandomBytes(16);
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  if (crypt_gensalt_rn("$2a$", 10, salt.data(), static_cast<int>(salt.size()), setting,
                       sizeof setting) == nullptr)
    return "failed to encrypt string with bcrypt: cannot make a bcrypt salt";
  auto data = std::make_unique<crypt_data>();
  std::memset(data.get(), 0, sizeof(crypt_data));
  const char* hash = crypt_r(input.c_str(), setting, data.get());
  if (hash == nullptr || hash[0] == '*')
    return "failed to encrypt string with bcrypt: bcrypt failed";
  return hash;
}

// ------------------------------------------------------------------ derivePassword

const char* const kMaximum[] = {"anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"};
const char* const kLong[] = {"CvcvnoCvcvCvcv", "CvcvCvcvnoCvcv", "CvcvCvcvCvcvno", "CvccnoCvcvCvcv",
                             "CvccCvcvnoCvcv", "CvccCvcvCvcvno", "CvcvnoCvccCvcv", "CvcvCvccnoCvcv",
                             "CvcvCvccCvcvno", "CvcvnoCvcvCvcc", "CvcvCvcvnoCvcc", "CvcvCvcvCvccno",
                             "CvccnoCvccCvcv", "CvccCvccnoCvcv", "CvccCvccCvcvno", "CvcvnoCvccCvcc",
                             "CvcvCvccnoCvcc", "CvcvCvccCvccno", "CvccnoCvcvCvcc", "CvccCvcvnoCvcc",
                             "CvccCvcvCvccno"};
const char* const kMedium[] = {"CvcnoCvc", "CvcCvcno"};
const char* const kShort[] = {"Cvcn"};
const char* const kBasic[] = {"aaanaaan", "aannaaan", "aaannaaa"};
const char* const kPin[] = {"nnnn"};

std::string_view TemplateCharacters(char c) {
  switch (c) {
    case 'V':
      return "AEIOU";
    case 'C':
      return "BCDFGHJKLMNPQRSTVWXYZ";
    case 'v':
      return "aeiou";
    case 'c':
      return "bcdfghjklmnpqrstvwxyz";
    case 'A':
      return "AEIOUBCDFGHJKLMNPQRSTVWXYZ";
    case 'a':
      return "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz";
    case 'n':
      return "0123456789";
    case 'o':
      return "@&%?,=[]_:-+*$#!'^~;()/.";
    case 'x':
      return "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()";
    default:
      return "";
  }
}

void AppendBE32(std::string& s, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8)
    s.push_back(static_cast<char>((v >> shift) & 0xFF));
}

std::string DerivePassword(uint32_t counter, const std::string& type, const std::string& password,
                           const std::string& user, const std::string& site) {
  std::vector<const char*> templates;
  auto use = [&](auto& arr) { templates.assign(std::begin(arr), std::end(arr)); };
  if (type == "maximum")
    use(kMaximum);
  else if (type == "long")
    use(kLong);
  else if (type == "medium")
    use(kMedium);
  else if (type == "short")
    use(kShort);
  else if (type == "basic")
    use(kBasic);
  else if (type == "pin")
    use(kPin);
  else
    return "cannot find password template " + type;
  const std::string seed_prefix = "com.lyndir.masterpassword";
  std::string salt = seed_prefix;
  AppendBE32(salt, static_cast<uint32_t>(user.size()));
  salt += user;
  unsigned char key[64];
  if (EVP_PBE_scrypt(password.data(), password.size(),
                     reinterpret_cast<const unsigned char*>(salt.data()), salt.size(), 32768, 8, 2,
                     uint64_t{256} << 20, key, sizeof key) != 1)
    return "failed to derive password: scrypt failed";
  std::string buffer = seed_prefix;
  AppendBE32(buffer, static_cast<uint32_t>(site.size()));
  buffer += site;
  AppendBE32(buffer, counter);
  unsigned char seed[EVP_MAX_MD_SIZE];
  unsigned int seed_len = 0;
  HMAC(EVP_sha256(), key, sizeof key, reinterpret_cast<const unsigned char*>(buffer.data()),
       buffer.size(), seed, &seed_len);
  std::string_view tmpl = templates[seed[0] % templates.size()];
  std::string out;
  for (size_t i = 0; i < tmpl.size(); ++i) {
    std::string_view chars = TemplateCharacters(tmpl[i]);
    out.push_back(chars[seed[i + 1] % chars.size()]);
  }
  return out;
}

// ------------------------------------------------------------------ keys

std::string BioString(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(n));
}

// pemBlockForKey: PKCS#1, SEC 1 and the traditional DSA form for RSA, EC and DSA keys, PKCS#8
// for the others (Ed25519).
std::string KeyPem(EVP_PKEY* pkey) {
  const char* structure = "type-specific";
  if (EVP_PKEY_is_a(pkey, "ED25519")) structure = "PrivateKeyInfo";
  OSSL_ENCODER_CTX* ctx =
      OSSL_ENCODER_CTX_new_for_pkey(pkey, OSSL_KEYMGMT_SELECT_ALL, "PEM", structure, nullptr);
  if (ctx == nullptr) throw FunctionError("error pem-encoding key: no encoder");
  unsigned char* data = nullptr;
  size_t len = 0;
  int ok = OSSL_ENCODER_to_data(ctx, &data, &len);
  OSSL_ENCODER_CTX_free(ctx);
  if (ok != 1) throw FunctionError("error pem-encoding key: encoding failed");
  std::string out(reinterpret_cast<char*>(data), len);
  OPENSSL_free(data);
  return out;
}

PkeyPtr GenerateRsa(unsigned bits) {
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(bits)));
  if (!key) throw FunctionError("error generating rsa key: key generation failed");
  return key;
}

std::string GeneratePrivateKey(const std::string& type) {
  PkeyPtr key;
  if (type.empty() || type == "rsa") {
    key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{4096}));
  } else if (type == "ecdsa") {
    key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  } else if (type == "ed25519") {
    key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  } else if (type == "dsa") {
    PkeyCtxPtr pctx(EVP_PKEY_CTX_new_from_name(nullptr, "DSA", nullptr));
    EVP_PKEY* params = nullptr;
    if (!pctx || EVP_PKEY_paramgen_init(pctx.get()) != 1 ||
        EVP_PKEY_CTX_set_dsa_paramgen_bits(pctx.get(), 2048) != 1 ||
        EVP_PKEY_CTX_set_dsa_paramgen_q_bits(pctx.get(), 256) != 1 ||
        EVP_PKEY_paramgen(pctx.get(), &params) != 1)
      return "failed to generate dsa params: parameter generation failed";
    PkeyPtr param_key(params);
    PkeyCtxPtr kctx(EVP_PKEY_CTX_new_from_pkey(nullptr, params, nullptr));
    EVP_PKEY* k = nullptr;
    if (kctx && EVP_PKEY_keygen_init(kctx.get()) == 1 && EVP_PKEY_keygen(kctx.get(), &k) == 1)
      key.reset(k);
  } else {
    return "Unknown type " + type;
  }
  if (!key) return "failed to generate private key: key generation failed";
  return KeyPem(key.get());
}

// encoding/pem's Decode: the first PEM block in data (its type and DER bytes), or none.
bool PemDecode(std::string_view data, std::string& type, std::string& der) {
  size_t pos = 0;
  while (true) {
    size_t begin = data.find("-----BEGIN ", pos);
    if (begin == std::string_view::npos) return false;
    if (begin != 0 && data[begin - 1] != '\n') {
      pos = begin + 1;
      continue;
    }
    size_t type_end = data.find("-----", begin + 11);
    size_t line_end = data.find('\n', begin);
    if (type_end == std::string_view::npos || line_end == std::string_view::npos ||
        type_end > line_end) {
      pos = begin + 1;
      continue;
    }
    type = std::string(data.substr(begin + 11, type_end - begin - 11));
    std::string end_marker = "-----END " + type + "-----";
    size_t end = data.find(end_marker, line_end);
    if (end == std::string_view::npos) {
      pos = begin + 1;
      continue;
    }
    std::string_view body = data.substr(line_end + 1, end - line_end - 1);
    // Skip RFC 1421 headers ("Key: value" lines before a blank line).
    if (body.find(':') != std::string_view::npos) {
      size_t blank = body.find("\n\n");
      if (blank != std::string_view::npos) body = body.substr(blank + 2);
    }
    std::string b64;
    for (char c : body)
      if (c != '\n' && c != '\r' && c != ' ' && c != '\t') b64.push_back(c);
    std::string error;
    der = GoBase64Decode(b64, error);
    if (!error.empty()) {
      pos = begin + 1;
      continue;
    }
    return true;
  }
}

PkeyPtr DecodeKey(const std::string& der, const char* structure, const char* keytype) {
  EVP_PKEY* pkey = nullptr;
  OSSL_DECODER_CTX* ctx = OSSL_DECODER_CTX_new_for_pkey(
      &pkey, "DER", structure, keytype, OSSL_KEYMGMT_SELECT_KEYPAIR, nullptr, nullptr);
  if (ctx == nullptr) return nullptr;
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  size_t len = der.size();
  int ok = OSSL_DECODER_from_data(ctx, &p, &len);
  OSSL_DECODER_CTX_free(ctx);
  if (ok != 1) {
    EVP_PKEY_free(pkey);
    return nullptr;
  }
  return PkeyPtr(pkey);
}

// parsePrivateKeyPEM; throws FunctionError with Sprig's text (without the caller's prefix).
PkeyPtr ParsePrivateKeyPem(const std::string& pem) {
  std::string type, der;
  if (!PemDecode(pem, type, der)) throw FunctionError("no PEM data in input");
  if (type == "PRIVATE KEY") {
    PkeyPtr k = DecodeKey(der, "PrivateKeyInfo", nullptr);
    if (!k) throw FunctionError("decoding PEM as PKCS#8: x509: failed to parse private key");
    return k;
  }
  const std::string suffix = " PRIVATE KEY";
  if (type.size() < suffix.size() ||
      type.compare(type.size() - suffix.size(), suffix.size(), suffix) != 0)
    throw FunctionError("no private key data in PEM block of type " + type);
  std::string kind = type.substr(0, type.size() - suffix.size());
  if (kind == "RSA" || kind == "EC" || kind == "DSA") {
    PkeyPtr k = DecodeKey(der, "type-specific", kind.c_str());
    if (!k)
      throw FunctionError("parsing " + kind + " private key from PEM: " +
                          (kind == "DSA" ? "asn1: structure error"
                                         : "x509: failed to parse " + kind + " private key"));
    return k;
  }
  throw FunctionError("invalid private key type " + type);
}

// ------------------------------------------------------------------ certificates

class CertificateObject final : public Object {
 public:
  CertificateObject(std::string cert, std::string key)
      : cert_(std::move(cert)), key_(std::move(key)) {}
  std::string TypeName() const override { return "sprig.certificate"; }
  std::string_view KindName() const override { return "struct"; }
  std::optional<Value> Field(std::string_view name) const override {
    if (name == "Cert") return Value::String(cert_);
    if (name == "Key") return Value::String(key_);
    return std::nullopt;
  }
  std::string Format() const override { return "{" + cert_ + " " + key_ + "}"; }
  Value ToData() const override {
    std::map<std::string, Value, std::less<>> m;
    m["Cert"] = Value::String(cert_);
    m["Key"] = Value::String(key_);
    return Value::NewMap(std::move(m));
  }
  const std::string& cert() const { return cert_; }
  const std::string& key() const { return key_; }

 private:
  std::string cert_, key_;
};

Value CertificateValue(std::string cert, std::string key) {
  return Value::FromObject(std::make_shared<CertificateObject>(std::move(cert), std::move(key)));
}

const CertificateObject& CertificateArg(const Value& v) {
  auto* c = v.IsObject() ? dynamic_cast<const CertificateObject*>(&v.AsObject()) : nullptr;
  if (c == nullptr)
    throw FunctionError("wrong type for value; expected sprig.certificate; got " + v.TypeName());
  return *c;
}

struct Template {
  std::string cn;
  std::vector<std::string> ips;  // raw 4- or 16-byte addresses
  std::vector<std::string> dns;
  int64_t days = 0;
  bool is_ca = false;
};

bool IsV4Mapped(const unsigned char* ip) {
  for (int i = 0; i < 10; ++i)
    if (ip[i] != 0) return false;
  return ip[10] == 0xFF && ip[11] == 0xFF;
}

// getBaseCertTemplate's argument checks (getNetIPs, getAlternateDNSStrs).
Template BaseTemplate(const std::string& cn, const Value& ips, const Value& dns, int64_t days) {
  Template t;
  t.cn = cn;
  t.days = days;
  for (const Value& ip : ips.AsList().items) {
    if (!ip.IsString())
      throw FunctionError("error parsing ip: " + (ip.IsNil() ? std::string("<nil>") : StrVal(ip)) +
                          " is not a string");
    unsigned char buf[16];
    const std::string& s = ip.AsString();
    if (inet_pton(AF_INET, s.c_str(), buf) == 1)
      t.ips.emplace_back(reinterpret_cast<char*>(buf), 4);
    else if (inet_pton(AF_INET6, s.c_str(), buf) == 1)
      // Go writes an IPv4-mapped address (::ffff:a.b.c.d) as its 4 IPv4 bytes (IP.To4).
      t.ips.emplace_back(reinterpret_cast<char*>(buf) + (IsV4Mapped(buf) ? 12 : 0),
                         IsV4Mapped(buf) ? 4 : 16);
    else
      throw FunctionError("error parsing ip: " + s);
  }
  for (const Value& name : dns.AsList().items) {
    if (!name.IsString())
      throw FunctionError("error processing alternate dns name: " +
                          (name.IsNil() ? std::string("<nil>") : StrVal(name)) +
                          " is not a string");
    t.dns.push_back(name.AsString());
  }
  return t;
}

bool PrintableString(const std::string& s) {
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              std::string_view(" '()+,-./:=?*").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

// The subject key identifier Go generates for CA certificates: a truncated SHA-256 of the
// subject public key bits.
std::string KeyId(X509* x) {
  const ASN1_BIT_STRING* bits = X509_get0_pubkey_bitstr(x);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(bits->data, static_cast<size_t>(bits->length), md, &n, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<char*>(md), 20);
}

void AddConfExt(X509* x, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, x, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) throw FunctionError("error creating certificate: extension failed");
  X509_add_ext(x, ext, -1);
  X509_EXTENSION_free(ext);
}

const EVP_MD* SigningDigest(EVP_PKEY* key) {
  if (EVP_PKEY_is_a(key, "ED25519")) return nullptr;
  if (EVP_PKEY_is_a(key, "EC")) {
    int bits = EVP_PKEY_get_bits(key);
    if (bits > 384) return EVP_sha512();
    if (bits > 256) return EVP_sha384();
  }
  return EVP_sha256();
}

// getCertAndKey: the certificate PEM and the signee's key PEM. parent == null: self-signed.
std::pair<std::string, std::string> CertAndKey(const Template& t, EVP_PKEY* signee, X509* parent,
                                               EVP_PKEY* signer) {
  if (EVP_PKEY_is_a(signee, "DSA") && !EVP_PKEY_is_a(signer, "DSA"))
    throw FunctionError(
        "error creating certificate: x509: unsupported public key type: *dsa.PublicKey");
  if (EVP_PKEY_is_a(signer, "DSA"))
    throw FunctionError(
        "error creating certificate: x509: certificate private key does not implement "
        "crypto.Signer");
  X509Ptr x(X509_new());
  X509_set_version(x.get(), X509_VERSION_3);
  BnPtr serial(BN_new()), bound(BN_new());
  BN_one(bound.get());
  BN_lshift(bound.get(), bound.get(), 128);
  BN_rand_range(serial.get(), bound.get());
  ASN1_INTEGER* asn1_serial = BN_to_ASN1_INTEGER(serial.get(), nullptr);
  X509_set_serialNumber(x.get(), asn1_serial);
  ASN1_INTEGER_free(asn1_serial);
  X509_NAME* name = X509_get_subject_name(x.get());
  if (!t.cn.empty())
    X509_NAME_add_entry(
        name,
        X509_NAME_ENTRY_create_by_NID(
            nullptr, NID_commonName,
            PrintableString(t.cn) ? V_ASN1_PRINTABLESTRING : V_ASN1_UTF8STRING,
            reinterpret_cast<const unsigned char*>(t.cn.data()), static_cast<int>(t.cn.size())),
        -1, 0);
  X509* issuer = parent ? parent : x.get();
  X509_set_issuer_name(x.get(), X509_get_subject_name(issuer));
  time_t now = time(nullptr);
  X509_time_adj_ex(X509_getm_notBefore(x.get()), 0, 0, &now);
  int64_t days = std::clamp<int64_t>(t.days, -1000000, 1000000);
  X509_time_adj_ex(X509_getm_notAfter(x.get()), static_cast<int>(days), 0, &now);
  X509_set_pubkey(x.get(), signee);

  AddConfExt(x.get(), issuer, NID_key_usage,
             t.is_ca ? "critical,digitalSignature,keyEncipherment,keyCertSign"
                     : "critical,digitalSignature,keyEncipherment");
  AddConfExt(x.get(), issuer, NID_ext_key_usage, "serverAuth,clientAuth");
  AddConfExt(x.get(), issuer, NID_basic_constraints,
             t.is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
  if (t.is_ca) {
    std::string id = KeyId(x.get());
    ASN1_OCTET_STRING* oct = ASN1_OCTET_STRING_new();
    ASN1_OCTET_STRING_set(oct, reinterpret_cast<const unsigned char*>(id.data()),
                          static_cast<int>(id.size()));
    X509_add1_ext_i2d(x.get(), NID_subject_key_identifier, oct, 0, X509V3_ADD_DEFAULT);
    ASN1_OCTET_STRING_free(oct);
  }
  if (parent != nullptr) {
    const ASN1_OCTET_STRING* skid = X509_get0_subject_key_id(parent);
    if (skid != nullptr &&
        X509_NAME_cmp(X509_get_subject_name(parent), X509_get_subject_name(x.get())) != 0) {
      AUTHORITY_KEYID* akid = AUTHORITY_KEYID_new();
      akid->keyid = ASN1_OCTET_STRING_dup(skid);
      X509_add1_ext_i2d(x.get(), NID_authority_key_identifier, akid, 0, X509V3_ADD_DEFAULT);
      AUTHORITY_KEYID_free(akid);
    }
  }
  if (!t.dns.empty() || !t.ips.empty()) {
    GENERAL_NAMES* names = sk_GENERAL_NAME_new_null();
    for (const std::string& d : t.dns) {
      GENERAL_NAME* gn = GENERAL_NAME_new();
      ASN1_IA5STRING* s = ASN1_IA5STRING_new();
      ASN1_STRING_set(s, d.data(), static_cast<int>(d.size()));
      GENERAL_NAME_set0_value(gn, GEN_DNS, s);
      sk_GENERAL_NAME_push(names, gn);
    }
    for (const std::string& ip : t.ips) {
      GENERAL_NAME* gn = GENERAL_NAME_new();
      ASN1_OCTET_STRING* s = ASN1_OCTET_STRING_new();
      ASN1_OCTET_STRING_set(s, reinterpret_cast<const unsigned char*>(ip.data()),
                            static_cast<int>(ip.size()));
      GENERAL_NAME_set0_value(gn, GEN_IPADD, s);
      sk_GENERAL_NAME_push(names, gn);
    }
    X509_add1_ext_i2d(x.get(), NID_subject_alt_name, names, t.cn.empty() ? 1 : 0,
                      X509V3_ADD_DEFAULT);
    GENERAL_NAMES_free(names);
  }
  if (X509_sign(x.get(), signer, SigningDigest(signer)) <= 0)
    throw FunctionError("error creating certificate: signing failed");
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), x.get());
  return {BioString(bio.get()), KeyPem(signee)};
}

X509Ptr ParseCertificatePem(const std::string& pem, const char* what) {
  std::string type, der;
  if (!PemDecode(pem, type, der)) throw FunctionError("unable to decode certificate");
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  X509Ptr x(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!x)
    throw FunctionError(std::string("error parsing certificate: ") + what +
                        ": x509: malformed certificate");
  return x;
}

Value BuildCustomCert(const std::string& b64cert, const std::string& b64key) {
  std::string error;
  std::string cert = GoBase64Decode(b64cert, error);
  if (!error.empty()) throw FunctionError("unable to decode base64 certificate");
  std::string key = GoBase64Decode(b64key, error);
  if (!error.empty()) throw FunctionError("unable to decode base64 private key");
  ParseCertificatePem(cert, "decodedCert.Bytes");
  try {
    ParsePrivateKeyPem(key);
  } catch (const FunctionError& e) {
    throw FunctionError(std::string("error parsing private key: ") + e.what());
  }
  return CertificateValue(cert, key);
}

PkeyPtr KeyFromPem(const std::string& pem) {
  try {
    return ParsePrivateKeyPem(pem);
  } catch (const FunctionError& e) {
    throw FunctionError(std::string("parsing private key: ") + e.what());
  }
}

Value GenCA(const std::string& cn, int64_t days, PkeyPtr key) {
  Template t = BaseTemplate(cn, Value::NewList(), Value::NewList(), days);
  t.is_ca = true;
  auto [cert, pem] = CertAndKey(t, key.get(), nullptr, key.get());
  return CertificateValue(cert, pem);
}

Value GenSelfSigned(const std::string& cn, const Value& ips, const Value& dns, int64_t days,
                    PkeyPtr key) {
  Template t = BaseTemplate(cn, ips, dns, days);
  auto [cert, pem] = CertAndKey(t, key.get(), nullptr, key.get());
  return CertificateValue(cert, pem);
}

Value GenSigned(const std::string& cn, const Value& ips, const Value& dns, int64_t days,
                const Value& ca_value, PkeyPtr key) {
  const CertificateObject& ca = CertificateArg(ca_value);
  X509Ptr signer_cert = ParseCertificatePem(ca.cert(), "decodedSignerCert.Bytes");
  PkeyPtr signer_key;
  try {
    signer_key = ParsePrivateKeyPem(ca.key());
  } catch (const FunctionError& e) {
    throw FunctionError(std::string("error parsing private key: ") + e.what());
  }
  Template t = BaseTemplate(cn, ips, dns, days);
  auto [cert, pem] = CertAndKey(t, key.get(), signer_cert.get(), signer_key.get());
  return CertificateValue(cert, pem);
}

// ------------------------------------------------------------------ AES

std::string EncryptAes(const std::string& password, const std::string& plaintext) {
  if (plaintext.empty()) return "";
  unsigned char key[32] = {};
  std::memcpy(key, password.data(), std::min<size_t>(password.size(), 32));
  size_t padding = 16 - plaintext.size() % 16;
  std::string content = plaintext + std::string(padding, static_cast<char>(padding));
  std::string iv = RandomBytes(16);
  std::string out(content.size(), '\0');
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  int n = 0;
  if (!ctx ||
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, key,
                         reinterpret_cast<const unsigned char*>(iv.data())) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1 ||
      EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &n,
                        reinterpret_cast<const unsigned char*>(content.data()),
                        static_cast<int>(content.size())) != 1)
    throw FunctionError("crypto/aes: encryption failed");
  return GoBase64Encode(iv + out);
}

std::string DecryptAes(const std::string& password, const std::string& crypt64) {
  if (crypt64.empty()) return "";
  unsigned char key[32] = {};
  std::memcpy(key, password.data(), std::min<size_t>(password.size(), 32));
  std::string error;
  std::string crypt = GoBase64Decode(crypt64, error);
  if (!error.empty()) throw FunctionError(error);
  if (crypt.size() < 16)
    throw FunctionError(
        SliceBoundsOutOfRange(0, 16, static_cast<int64_t>(crypt64.size() / 4 * 3), false));
  std::string iv = crypt.substr(0, 16);
  std::string body = crypt.substr(16);
  if (body.size() % 16 != 0) throw FunctionError("crypto/cipher: input not full blocks");
  if (body.empty()) throw FunctionError("runtime error: index out of range [-1]");
  std::string out(body.size(), '\0');
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  int n = 0;
  if (!ctx ||
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, key,
                         reinterpret_cast<const unsigned char*>(iv.data())) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1 ||
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &n,
                        reinterpret_cast<const unsigned char*>(body.data()),
                        static_cast<int>(body.size())) != 1)
    throw FunctionError("crypto/aes: decryption failed");
  int64_t pad = static_cast<unsigned char>(out.back());
  int64_t keep = static_cast<int64_t>(out.size()) - pad;
  if (keep < 0)
    throw FunctionError(SliceBoundsOutOfRange(0, keep, static_cast<int64_t>(out.size()), false));
  return out.substr(0, static_cast<size_t>(keep));
}

std::string UuidV4() {
  std::string b = RandomBytes(16);
  b[6] = static_cast<char>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<char>((b[8] & 0x3F) | 0x80);
  std::string hex = Hex(reinterpret_cast<const unsigned char*>(b.data()), 16);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

const Param kCertificate(Param::kObject, "sprig.certificate");

}  // namespace

void RegisterCryptoFunctions(FunctionTable& t) {
  t.Add("sha1sum", {P::kString}, [](CallContext&, Args a) {
    static const EVP_MD* md = FetchDigest("SHA1");
    return Value::String(Digest(md, a[0].AsString()));
  });
  t.Add("sha256sum", {P::kString}, [](CallContext&, Args a) {
    static const EVP_MD* md = FetchDigest("SHA256");
    return Value::String(Digest(md, a[0].AsString()));
  });
  t.Add("sha512sum", {P::kString}, [](CallContext&, Args a) {
    static const EVP_MD* md = FetchDigest("SHA512");
    return Value::String(Digest(md, a[0].AsString()));
  });
  t.Add("adler32sum", {P::kString},
        [](CallContext&, Args a) { return Value::String(Adler32(a[0].AsString())); });
  t.Add("bcrypt", {P::kString},
        [](CallContext&, Args a) { return Value::String(Bcrypt(a[0].AsString())); });
  t.Add("htpasswd", {P::kString, P::kString}, [](CallContext&, Args a) {
    const std::string& user = a[0].AsString();
    if (user.find(':') != std::string::npos) return Value::String("invalid username: " + user);
    return Value::String(user + ":" + Bcrypt(a[1].AsString()));
  });
  t.Add("randBytes", {P::kInt}, [](CallContext&, Args a) {
    int64_t n = a[0].AsInt();
    if (n < 0) throw FunctionError(kMakesliceLen);
    if (n > (int64_t{1} << 30)) throw FunctionError("randBytes: count exceeds 1 GiB");
    return Value::String(GoBase64Encode(RandomBytes(static_cast<size_t>(n))));
  });
  t.Add("uuidv4", {}, [](CallContext&, Args) { return Value::String(UuidV4()); });
  t.Add("derivePassword", {P::kUint64, P::kString, P::kString, P::kString, P::kString},
        [](CallContext&, Args a) {
          return Value::String(DerivePassword(static_cast<uint32_t>(a[0].AsUint()), a[1].AsString(),
                                              a[2].AsString(), a[3].AsString(), a[4].AsString()));
        });
  t.Add("genPrivateKey", {P::kString},
        [](CallContext&, Args a) { return Value::String(GeneratePrivateKey(a[0].AsString())); });
  t.Add("buildCustomCert", {P::kString, P::kString},
        [](CallContext&, Args a) { return BuildCustomCert(a[0].AsString(), a[1].AsString()); });
  t.Add("genCA", {P::kString, P::kInt}, [](CallContext&, Args a) {
    return GenCA(a[0].AsString(), a[1].AsInt(), GenerateRsa(2048));
  });
  t.Add("genCAWithKey", {P::kString, P::kInt, P::kString}, [](CallContext&, Args a) {
    return GenCA(a[0].AsString(), a[1].AsInt(), KeyFromPem(a[2].AsString()));
  });
  t.Add("genSelfSignedCert", {P::kString, P::kList, P::kList, P::kInt}, [](CallContext&, Args a) {
    return GenSelfSigned(a[0].AsString(), a[1], a[2], a[3].AsInt(), GenerateRsa(2048));
  });
  t.Add("genSelfSignedCertWithKey", {P::kString, P::kList, P::kList, P::kInt, P::kString},
        [](CallContext&, Args a) {
          return GenSelfSigned(a[0].AsString(), a[1], a[2], a[3].AsInt(),
                               KeyFromPem(a[4].AsString()));
        });
  t.Add("genSignedCert", {P::kString, P::kList, P::kList, P::kInt, kCertificate},
        [](CallContext&, Args a) {
          return GenSigned(a[0].AsString(), a[1], a[2], a[3].AsInt(), a[4], GenerateRsa(2048));
        });
  t.Add("genSignedCertWithKey", {P::kString, P::kList, P::kList, P::kInt, kCertificate, P::kString},
        [](CallContext&, Args a) {
          return GenSigned(a[0].AsString(), a[1], a[2], a[3].AsInt(), a[4],
                           KeyFromPem(a[5].AsString()));
        });
  t.Add("encryptAES", {P::kString, P::kString}, [](CallContext&, Args a) {
    return Value::String(EncryptAes(a[0].AsString(), a[1].AsString()));
  });
  t.Add("decryptAES", {P::kString, P::kString}, [](CallContext&, Args a) {
    return Value::String(DecryptAes(a[0].AsString(), a[1].AsString()));
  });
}

}  // namespace rayctl::tmpl
