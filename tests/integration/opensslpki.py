"""Keys, CSRs and certificates made on the fly with the `openssl` command line (3.0), for the
control-plane tests. Everything lives in one temporary directory per Pki; nothing is fixed, so
each test run registers certificates no earlier run has seen.
"""

import hashlib
import os
import secrets
import shutil
import subprocess
import tempfile

_CONFIG = """
[req]
distinguished_name = dn
prompt = no
[dn]
CN = placeholder
[ca_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[device_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[self_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
subjectKeyIdentifier = hash
"""


def openssl(*args, input_bytes=None):
    proc = subprocess.run(["openssl", *args], input=input_bytes, capture_output=True, timeout=60)
    if proc.returncode != 0:
        raise AssertionError(f"openssl {' '.join(args)} failed: {proc.stderr.decode()}")
    return proc.stdout


class Pki:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="fg-pki-")
        self.config = self.path("openssl.cnf")
        with open(self.config, "w") as f:
            f.write(_CONFIG)

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.dir, name)

    @staticmethod
    def read(path):
        with open(path) as f:
            return f.read()

    def new_ca(self, name):
        """A self-signed RSA-2048 CA; returns (key_path, cert_path)."""
        key, cert = self.path(name + ".key"), self.path(name + ".pem")
        openssl("req", "-x509", "-config", self.config, "-extensions", "ca_ext", "-newkey",
                "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "3650", "-sha256",
                "-subj", f"/CN={name}/O=fleetguard tests {secrets.token_hex(4)}")
        return key, cert

    def new_csr(self, name, cn):
        """A fresh RSA-2048 key and a CSR with subject CN=cn; returns (key_path, csr_path)."""
        key, csr = self.path(name + ".key"), self.path(name + ".csr")
        openssl("req", "-new", "-config", self.config, "-newkey", "rsa:2048", "-nodes", "-keyout",
                key, "-out", csr, "-subj", f"/CN={cn}")
        return key, csr

    def sign(self, csr, ca, name, digest="sha256", extensions="device_ext"):
        """Signs `csr` with `ca` = (key_path, cert_path); returns the certificate path."""
        ca_key, ca_cert = ca
        cert = self.path(name + ".pem")
        openssl("x509", "-req", "-in", csr, "-CA", ca_cert, "-CAkey", ca_key, "-set_serial",
                str(secrets.randbits(63)), "-days", "365", f"-{digest}", "-extfile", self.config,
                "-extensions", extensions, "-out", cert)
        return cert

    def device(self, name, ca, digest="sha256"):
        """A device certificate signed by `ca`; returns its path."""
        _, csr = self.new_csr(name, name)
        return self.sign(csr, ca, name, digest=digest)

    def self_signed(self, name, digest="sha256"):
        """A self-signed device certificate (for RegisterCertificateWithoutCA)."""
        key, cert = self.path(name + ".key"), self.path(name + ".pem")
        openssl("req", "-x509", "-config", self.config, "-extensions", "self_ext", "-newkey",
                "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "365", f"-{digest}",
                "-subj", f"/CN={name}")
        return cert

    @staticmethod
    def certificate_id(cert_path):
        """The AWS certificate id: lowercase hex SHA-256 of the DER."""
        der = openssl("x509", "-in", cert_path, "-outform", "DER")
        return hashlib.sha256(der).hexdigest()

    @staticmethod
    def certificate_id_of_text(pem_text):
        der = openssl("x509", "-outform", "DER", input_bytes=pem_text.encode())
        return hashlib.sha256(der).hexdigest()

    @staticmethod
    def public_key_of_pem(pem_text, kind="x509"):
        """The PEM public key of a certificate (kind "x509") or CSR (kind "req")."""
        return openssl(kind, "-noout", "-pubkey", input_bytes=pem_text.encode()).decode()
