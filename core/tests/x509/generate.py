#!/usr/bin/env python3
"""Writes the test certificates for notaverify's x509 and trust-store tests (DER, next to this file).

One small PKI: an EC P-384 root, an EC P-256 intermediate and leaves that each break one of
notation's certificate rules. Certificates that must chain to the same issuer reuse its key and
subject, so one leaf can be paired with several intermediate variants. Keys are random, so a re-run
rewrites every file; the tests only depend on the structure.

    python3 core/tests/x509/generate.py      (needs the `cryptography` package)
"""

import datetime
import pathlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

OUT = pathlib.Path(__file__).resolve().parent
NOT_BEFORE = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
NOT_AFTER = datetime.datetime(2100, 1, 1, tzinfo=datetime.timezone.utc)

ROOT_KEY = ec.generate_private_key(ec.SECP384R1())
INTER_KEY = ec.generate_private_key(ec.SECP256R1())
LEAF_KEY = ec.generate_private_key(ec.SECP256R1())
OTHER_KEY = ec.generate_private_key(ec.SECP256R1())
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
P521_KEY = ec.generate_private_key(ec.SECP521R1())

_serial = iter(range(1000, 2000))


def name(cn, string_type=None):
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "US"), x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Notaverify Test")]
    if string_type is None:
        attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    else:
        attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn, string_type))
    return x509.Name(attrs)


ROOT = name("Root")
INTER = name("Inter")


def ku(critical=True, **bits):
    names = ["digital_signature", "content_commitment", "key_encipherment", "data_encipherment", "key_agreement",
             "key_cert_sign", "crl_sign", "encipher_only", "decipher_only"]
    values = {n: bits.get(n, False) for n in names}
    return (x509.KeyUsage(**values), critical)


def bc(ca, path_length=None, critical=True):
    return (x509.BasicConstraints(ca=ca, path_length=path_length), critical)


def eku(*oids, critical=False):
    return (x509.ExtendedKeyUsage(list(oids)), critical)


LEAF_KU = ku(digital_signature=True)
CODE_SIGNING = eku(ExtendedKeyUsageOID.CODE_SIGNING)
CA_KU = ku(key_cert_sign=True, crl_sign=True)


def cert(file, subject, issuer, public_key, signing_key, extensions, algorithm=hashes.SHA256(), rsa_padding=None):
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
               .serial_number(next(_serial)).not_valid_before(NOT_BEFORE).not_valid_after(NOT_AFTER))
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical)
    certificate = builder.sign(signing_key, algorithm, rsa_padding=rsa_padding)
    (OUT / f"{file}.der").write_bytes(certificate.public_bytes(serialization.Encoding.DER))


def leaf(file, extensions, key=LEAF_KEY, cn="Leaf", **kwargs):
    """A leaf issued by the intermediate."""
    cert(file, name(cn), INTER, key.public_key(), INTER_KEY, extensions, **kwargs)


def intermediate(file, extensions, key=INTER_KEY):
    """An intermediate with the intermediate's subject, issued by the root."""
    cert(file, INTER, ROOT, key.public_key(), ROOT_KEY, extensions)


def sha1_signed_leaf():
    """A leaf signed by the RSA intermediate with SHA1-RSA. cryptography refuses to sign with SHA-1, so
    a SHA256-RSA certificate is re-signed after swapping the algorithm OID (same length)."""
    sha256_rsa = bytes.fromhex("06092a864886f70d01010b")
    sha1_rsa = bytes.fromhex("06092a864886f70d010105")
    cert("leaf_sha1", name("Leaf"), INTER, LEAF_KEY.public_key(), RSA_KEY, [LEAF_KU])
    der = (OUT / "leaf_sha1.der").read_bytes()
    original = x509.load_der_x509_certificate(der)
    tbs = original.tbs_certificate_bytes.replace(sha256_rsa, sha1_rsa)
    signature = RSA_KEY.sign(tbs, padding.PKCS1v15(), hashes.SHA1())
    der = der.replace(original.tbs_certificate_bytes, tbs).replace(original.signature, signature)
    der = der.replace(sha256_rsa, sha1_rsa)
    (OUT / "leaf_sha1.der").write_bytes(der)


def main():
    cert("root", ROOT, ROOT, ROOT_KEY.public_key(), ROOT_KEY, [bc(True), CA_KU])
    cert("root_path_len_0", ROOT, ROOT, ROOT_KEY.public_key(), ROOT_KEY, [bc(True, 0), CA_KU])
    cert("unrelated_root", name("Unrelated"), name("Unrelated"), OTHER_KEY.public_key(), OTHER_KEY, [bc(True), CA_KU])

    intermediate("inter", [bc(True, 0), CA_KU])
    intermediate("inter_no_bc", [CA_KU])
    intermediate("inter_ca_false", [bc(False), CA_KU])
    intermediate("inter_ku_not_critical", [bc(True), ku(False, key_cert_sign=True)])
    intermediate("inter_no_ku", [bc(True)])
    intermediate("inter_ku_digital_signature", [bc(True), ku(digital_signature=True)])
    intermediate("inter_ku_empty", [bc(True), ku()])
    intermediate("inter_rsa", [bc(True, 0), CA_KU], key=RSA_KEY)
    intermediate("inter_p521", [bc(True, 0), CA_KU], key=P521_KEY)

    leaf("leaf", [LEAF_KU, CODE_SIGNING])
    leaf("leaf_no_eku", [LEAF_KU])
    leaf("leaf_ku_not_critical", [ku(False, digital_signature=True)])
    leaf("leaf_no_ku", [CODE_SIGNING])
    leaf("leaf_ku_no_digital_signature", [ku(content_commitment=True)])
    leaf("leaf_ku_content_commitment", [ku(digital_signature=True, content_commitment=True)])
    leaf("leaf_ku_cert_sign", [ku(digital_signature=True, key_cert_sign=True, crl_sign=True)])
    leaf("leaf_ca", [bc(True), LEAF_KU])
    leaf("leaf_ca_false", [bc(False), LEAF_KU])
    for purpose, oid in [("server_auth", ExtendedKeyUsageOID.SERVER_AUTH), ("client_auth", ExtendedKeyUsageOID.CLIENT_AUTH),
                         ("email_protection", ExtendedKeyUsageOID.EMAIL_PROTECTION), ("time_stamping", ExtendedKeyUsageOID.TIME_STAMPING),
                         ("ocsp_signing", ExtendedKeyUsageOID.OCSP_SIGNING)]:
        leaf(f"leaf_eku_{purpose}", [LEAF_KU, eku(ExtendedKeyUsageOID.CODE_SIGNING, oid)])
    leaf("leaf_eku_any", [LEAF_KU, eku(ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE)])
    leaf("leaf_eku_unknown", [LEAF_KU, eku(ObjectIdentifier("1.3.6.1.4.1.311.10.3.13"))])
    leaf("leaf_rsa1024", [LEAF_KU], key=rsa.generate_private_key(public_exponent=65537, key_size=1024))
    leaf("leaf_p224", [LEAF_KU], key=ec.generate_private_key(ec.SECP224R1()))
    sha1_signed_leaf()
    cert("leaf_issuer_printable", name("Leaf"), name("Inter", x509.name._ASN1Type.PrintableString), LEAF_KEY.public_key(),
         INTER_KEY, [LEAF_KU])
    leaf("leaf_revocation", [LEAF_KU,
                             (x509.AuthorityInformationAccess([
                                 x509.AccessDescription(x509.AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier("http://ocsp.test")),
                                 x509.AccessDescription(x509.AuthorityInformationAccessOID.CA_ISSUERS, x509.UniformResourceIdentifier("http://ca.test/i.crt")),
                             ]), False),
                             (x509.CRLDistributionPoints([x509.DistributionPoint([x509.UniformResourceIdentifier("http://crl.test/a.crl")], None, None, None)]), False),
                             (x509.FreshestCRL([x509.DistributionPoint([x509.UniformResourceIdentifier("http://crl.test/delta.crl")], None, None, None)]), False)])
    cert("leaf_pss", name("Leaf"), INTER, LEAF_KEY.public_key(), RSA_KEY, [LEAF_KU], algorithm=hashes.SHA256(),
         rsa_padding=padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32))
    cert("leaf_p521_sha512", name("Leaf"), INTER, LEAF_KEY.public_key(), P521_KEY, [LEAF_KU], algorithm=hashes.SHA512())

    self_signed = [LEAF_KU, CODE_SIGNING]
    cert("self_signed", name("Self"), name("Self"), LEAF_KEY.public_key(), LEAF_KEY, self_signed)
    cert("self_signed_other_issuer", name("Self"), name("Someone else"), LEAF_KEY.public_key(), LEAF_KEY, self_signed)
    quirky = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
        x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "WA"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Acme, Inc."),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "a"),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "b"),
        x509.NameAttribute(NameOID.COMMON_NAME, " lead#"),
        x509.NameAttribute(NameOID.EMAIL_ADDRESS, "x@y"),
    ])
    cert("self_signed_quirky_name", quirky, quirky, LEAF_KEY.public_key(), LEAF_KEY, self_signed)

    tsa_ku = ku(False, digital_signature=True)  # keyUsage criticality is not required for TSA
    leaf("tsa_leaf", [tsa_ku, eku(ExtendedKeyUsageOID.TIME_STAMPING, critical=True)], cn="TSA")
    leaf("tsa_leaf_eku_not_critical", [tsa_ku, eku(ExtendedKeyUsageOID.TIME_STAMPING)], cn="TSA")
    leaf("tsa_leaf_eku_extra", [tsa_ku, eku(ExtendedKeyUsageOID.TIME_STAMPING, ExtendedKeyUsageOID.CODE_SIGNING, critical=True)], cn="TSA")
    leaf("tsa_leaf_no_eku", [tsa_ku], cn="TSA")


if __name__ == "__main__":
    main()
