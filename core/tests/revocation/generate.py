#!/usr/bin/env python3
"""Revocation and timestamp fixtures for core/tests/revocation.rs and timestamp_vectors.rs.

Offline only: Python `cryptography` builds the PKI, CRLs and OCSP responses; `openssl ts` (the
OpenSSL CLI, no network) makes RFC 3161 tokens over our envelopes' signatures. Envelopes are
made with core/tests/fixtures/generate.py (imported).

Layout written next to this file:
  pki/<name>.pem (+ .key.pem)       certificates with CRL distribution points / OCSP URLs
  envelopes/<name>.jws              signatures by the leaves below (target: fixtures manifest)
  crl/<name>.crl                    DER CRLs (base and delta)
  ocsp/<name>.der                   DER OCSP responses
  ts/<name>.jws|.cose               envelopes carrying timestamp tokens (good and forged)
  ts/<name>.tst                     the raw tokens

Re-running regenerates every key, so all outputs change together; commit them together.
"""

import base64
import datetime as _dt
import os
import shutil
import subprocess
import sys
import tempfile

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, AuthorityInformationAccessOID
from cryptography.x509 import ocsp

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fixtures"))
import generate as fx  # noqa: E402

UTC = _dt.timezone.utc
T0 = _dt.datetime(2020, 1, 1, tzinfo=UTC)
T_END = _dt.datetime(2120, 1, 1, tzinfo=UTC)
THIS_UPDATE = _dt.datetime(2025, 1, 1, tzinfo=UTC)
NEXT_UPDATE = _dt.datetime(2099, 1, 1, tzinfo=UTC)
STALE_NEXT = _dt.datetime(2025, 6, 1, tzinfo=UTC)
FUTURE = _dt.datetime(2099, 6, 1, tzinfo=UTC)
REVOKED_AT = _dt.datetime(2025, 3, 1, tzinfo=UTC)

ROOT_CRL = "http://crl.test/root.crl"
INTER_CRL = "http://crl.test/inter.crl"
INTER_DELTA = "http://crl.test/inter-delta.crl"
INTER_OCSP = "http://ocsp.test/inter"
TSA_CRL = "http://crl.test/tsa-root.crl"
TS_HEADER = "io.cncf.notary.timestampSignature"


def name(cn):
    return x509.Name([x509.NameAttribute(x509.NameOID.COUNTRY_NAME, "US"),
                      x509.NameAttribute(x509.NameOID.ORGANIZATION_NAME, "Notaverify Revocation Test"),
                      x509.NameAttribute(x509.NameOID.COMMON_NAME, cn)])


def key():
    return ec.generate_private_key(ec.SECP256R1())


def cert(cn, pub, issuer_cert, issuer_key, *, ca, crl=None, ocsp_url=None, freshest=None, eku=None,
         eku_critical=False, issuer_name=None, key_usage=None):
    subject = name(cn)
    b = (x509.CertificateBuilder().subject_name(subject)
         .issuer_name(issuer_name or (issuer_cert.subject if issuer_cert is not None else subject))
         .public_key(pub).serial_number(x509.random_serial_number())
         .not_valid_before(T0).not_valid_after(T_END)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(pub), critical=False))
    if ca:
        b = b.add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        b = b.add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
    else:
        b = b.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        b = b.add_extension(key_usage or x509.KeyUsage(True, False, False, False, False, False, False, False, False),
                            critical=True)
    if eku:
        b = b.add_extension(x509.ExtendedKeyUsage(eku), critical=eku_critical)
    if crl:
        b = b.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
            [x509.UniformResourceIdentifier(crl)], None, None, None)]), critical=False)
    if freshest:
        b = b.add_extension(x509.FreshestCRL([x509.DistributionPoint(
            [x509.UniformResourceIdentifier(freshest)], None, None, None)]), critical=False)
    if ocsp_url:
        b = b.add_extension(x509.AuthorityInformationAccess([x509.AccessDescription(
            AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(ocsp_url))]), critical=False)
    return b.sign(issuer_key, hashes.SHA256())


def write(rel, data):
    path = os.path.join(HERE, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def der(c):
    return c.public_bytes(serialization.Encoding.DER)


def make_crl(issuer_cert, issuer_key, revoked=(), *, this=THIS_UPDATE, next_=NEXT_UPDATE, number=1,
             delta_of=None, freshest=None, idp=None, issuer_name=None):
    b = (x509.CertificateRevocationListBuilder().issuer_name(issuer_name or issuer_cert.subject)
         .last_update(this).next_update(next_)
         .add_extension(x509.CRLNumber(number), critical=False))
    if delta_of is not None:
        b = b.add_extension(x509.DeltaCRLIndicator(delta_of), critical=True)
    if freshest:
        b = b.add_extension(x509.FreshestCRL([x509.DistributionPoint(
            [x509.UniformResourceIdentifier(freshest)], None, None, None)]), critical=False)
    if idp:
        b = b.add_extension(x509.IssuingDistributionPoint(
            [x509.UniformResourceIdentifier(idp)], None, False, False, None, False, False), critical=True)
    for serial, reason in revoked:
        r = x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(REVOKED_AT)
        if reason is not None:
            r = r.add_extension(x509.CRLReason(reason), critical=False)
        b = b.add_revoked_certificate(r.build())
    return b.sign(issuer_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def make_ocsp(leaf, issuer, signer_key, status, *, responder=None, this=THIS_UPDATE, next_=NEXT_UPDATE):
    b = ocsp.OCSPResponseBuilder().add_response(
        cert=leaf, issuer=issuer, algorithm=hashes.SHA1(), cert_status=status, this_update=this,
        next_update=next_, revocation_time=REVOKED_AT if status == ocsp.OCSPCertStatus.REVOKED else None,
        revocation_reason=x509.ReasonFlags.key_compromise if status == ocsp.OCSPCertStatus.REVOKED else None)
    b = b.responder_id(ocsp.OCSPResponderEncoding.HASH, responder or issuer)
    if responder is not None:
        b = b.certificates([responder])
    return b.sign(signer_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def envelope(fmt, leaf, leaf_key, chain, unprotected=None):
    payload = fx.descriptor_payload(fx.OCI_MANIFEST_MT, fx.MANIFEST_BYTES)
    data = fx.make_envelope(fmt, leaf_key, chain, payload)
    if unprotected:
        if fmt == "jws":
            data = fx._jws_edit(data, lambda env: env["header"].update(unprotected))
        else:
            data = fx._cose_edit(data, lambda arr: arr[1].update(unprotected))
    return data


def signature_of(fmt, data):
    return fx.parse_envelope(fmt, data)["signature"]


def openssl_token(tmp, data, tsa_cert, tsa_key, chain_pems):
    """An RFC 3161 token over `data` from `openssl ts -reply -token_out` (offline)."""
    for n, c in [("tsa.pem", fx.cert_pem(tsa_cert)), ("tsa.key", fx.key_pem(tsa_key)),
                 ("chain.pem", b"".join(chain_pems)), ("data.bin", data)]:
        with open(os.path.join(tmp, n), "wb") as f:
            f.write(c)
    with open(os.path.join(tmp, "serial"), "w") as f:
        f.write("01\n")
    cfg = f"""
[ tsa ]
default_tsa = tsa1
[ tsa1 ]
dir = {tmp}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/chain.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""
    with open(os.path.join(tmp, "tsa.cnf"), "w") as f:
        f.write(cfg)
    run = lambda *a: subprocess.run(["openssl", "ts", *a], check=True, capture_output=True)  # noqa: E731
    run("-query", "-data", os.path.join(tmp, "data.bin"), "-sha256", "-cert", "-no_nonce",
        "-out", os.path.join(tmp, "req.tsq"))
    run("-reply", "-config", os.path.join(tmp, "tsa.cnf"), "-queryfile", os.path.join(tmp, "req.tsq"),
        "-token_out", "-out", os.path.join(tmp, "token.der"))
    with open(os.path.join(tmp, "token.der"), "rb") as f:
        return f.read()


def main():
    for sub in ["pki", "envelopes", "crl", "ocsp", "ts"]:
        shutil.rmtree(os.path.join(HERE, sub), ignore_errors=True)

    # --- the revocation PKI: root -> inter (CDP root.crl) -> leaves -------------------------
    root_key, inter_key = key(), key()
    root = cert("Revocation Root", root_key.public_key(), None, root_key, ca=True)
    inter = cert("Revocation Intermediate", inter_key.public_key(), root, root_key, ca=True, crl=ROOT_CRL)
    leaves = {}
    for n, kw in {
        "leaf-crl": dict(crl=INTER_CRL),
        "leaf-ocsp": dict(ocsp_url=INTER_OCSP),
        "leaf-both": dict(crl=INTER_CRL, ocsp_url=INTER_OCSP),
        "leaf-delta": dict(crl=INTER_CRL, freshest=INTER_DELTA),
    }.items():
        k = key()
        leaves[n] = (cert(f"Revocation {n}", k.public_key(), inter, inter_key, ca=False,
                          eku=[ExtendedKeyUsageOID.CODE_SIGNING], **kw), k)
    responder_key = key()
    responder = cert("Revocation OCSP responder", responder_key.public_key(), inter, inter_key, ca=False,
                     eku=[ExtendedKeyUsageOID.OCSP_SIGNING])
    responder_noeku = cert("Revocation OCSP responder without EKU", responder_key.public_key(), inter,
                           inter_key, ca=False)
    other_key = key()
    other = cert("Other Root", other_key.public_key(), None, other_key, ca=True)
    for n, c, k in [("root", root, root_key), ("inter", inter, inter_key), ("other-root", other, other_key),
                    ("responder", responder, responder_key), ("responder-noeku", responder_noeku, None)] + \
            [(n, c, k) for n, (c, k) in leaves.items()]:
        write(f"pki/{n}.pem", fx.cert_pem(c))
        if k is not None:
            write(f"pki/{n}.key.pem", fx.key_pem(k))
    for n, (c, k) in leaves.items():
        write(f"envelopes/{n}.jws", envelope("jws", c, k, [c, inter, root]))

    s = {n: c.serial_number for n, (c, _) in leaves.items()}
    kc = x509.ReasonFlags.key_compromise
    # --- CRLs ----------------------------------------------------------------------------
    crls = {
        "root-good": make_crl(root, root_key),
        "root-revokes-inter": make_crl(root, root_key, [(inter.serial_number, kc)]),
        "inter-good": make_crl(inter, inter_key),
        "inter-revokes-leaves": make_crl(inter, inter_key, [(v, kc) for v in s.values()]),
        "inter-hold": make_crl(inter, inter_key, [(s["leaf-crl"], x509.ReasonFlags.certificate_hold)]),
        "inter-no-reason": make_crl(inter, inter_key, [(s["leaf-crl"], None)]),
        "inter-stale": make_crl(inter, inter_key, next_=STALE_NEXT),
        "inter-not-yet-valid": make_crl(inter, inter_key, this=FUTURE, next_=FUTURE + _dt.timedelta(days=30)),
        # Issuer name of the intermediate but signed by another key (a forgery).
        "inter-forged": make_crl(inter, other_key),
        # A genuine CRL of another CA.
        "other-good": make_crl(other, other_key),
        "inter-wrong-dp": make_crl(inter, inter_key, idp="http://crl.test/elsewhere.crl"),
        "inter-right-dp": make_crl(inter, inter_key, idp=INTER_CRL),
        "inter-base-5": make_crl(inter, inter_key, number=5, freshest=INTER_DELTA),
        "inter-delta-6-revokes": make_crl(inter, inter_key, [(s["leaf-delta"], kc)], number=6, delta_of=5),
        "inter-delta-6-good": make_crl(inter, inter_key, number=6, delta_of=5),
        "inter-delta-4-stale-number": make_crl(inter, inter_key, number=4, delta_of=5),
    }
    for n, d in crls.items():
        write(f"crl/{n}.crl", d)

    # --- OCSP ----------------------------------------------------------------------------
    lo, lb = leaves["leaf-ocsp"][0], leaves["leaf-both"][0]
    G, R, U = ocsp.OCSPCertStatus.GOOD, ocsp.OCSPCertStatus.REVOKED, ocsp.OCSPCertStatus.UNKNOWN
    responses = {
        "leaf-ocsp-good": make_ocsp(lo, inter, inter_key, G),
        "leaf-ocsp-revoked": make_ocsp(lo, inter, inter_key, R),
        "leaf-ocsp-unknown": make_ocsp(lo, inter, inter_key, U),
        "leaf-ocsp-stale": make_ocsp(lo, inter, inter_key, G, next_=STALE_NEXT),
        "leaf-ocsp-not-yet-valid": make_ocsp(lo, inter, inter_key, G, this=FUTURE, next_=FUTURE),
        "leaf-ocsp-no-next-update": make_ocsp(lo, inter, inter_key, G, next_=None),
        "leaf-ocsp-wrong-responder": make_ocsp(lo, inter, other_key, G, responder=other),
        "leaf-ocsp-delegated-good": make_ocsp(lo, inter, responder_key, G, responder=responder),
        "leaf-ocsp-delegated-noeku": make_ocsp(lo, inter, responder_key, G, responder=responder_noeku),
        "leaf-both-good": make_ocsp(lb, inter, inter_key, G),
        "leaf-both-unknown": make_ocsp(lb, inter, inter_key, U),
    }
    for n, d in responses.items():
        write(f"ocsp/{n}.der", d)

    # --- timestamps: a test TSA (self-signed root in a tsa store, EKU timeStamping critical) ---
    tsa_root_key, tsa_key, rogue_root_key, rogue_key = key(), key(), key(), key()
    tsa_root = cert("Test TSA Root", tsa_root_key.public_key(), None, tsa_root_key, ca=True)
    tsa = cert("Test TSA", tsa_key.public_key(), tsa_root, tsa_root_key, ca=False,
               eku=[ExtendedKeyUsageOID.TIME_STAMPING], eku_critical=True)
    tsa_revocable = cert("Test TSA with CRL", tsa_key.public_key(), tsa_root, tsa_root_key, ca=False,
                         eku=[ExtendedKeyUsageOID.TIME_STAMPING], eku_critical=True, crl=TSA_CRL)
    rogue_root = cert("Rogue TSA Root", rogue_root_key.public_key(), None, rogue_root_key, ca=True)
    rogue = cert("Rogue TSA", rogue_key.public_key(), rogue_root, rogue_root_key, ca=False,
                 eku=[ExtendedKeyUsageOID.TIME_STAMPING], eku_critical=True)
    for n, c in [("tsa-root", tsa_root), ("tsa", tsa), ("tsa-revocable", tsa_revocable), ("rogue-tsa-root", rogue_root)]:
        write(f"pki/{n}.pem", fx.cert_pem(c))
    write("crl/tsa-root-good.crl", make_crl(tsa_root, tsa_root_key))
    write("crl/tsa-root-revokes-tsa.crl", make_crl(tsa_root, tsa_root_key, [(tsa_revocable.serial_number, kc)]))

    p = fx.load_pki("p256", os.path.join(HERE, "..", "fixtures"))
    chain = [p.leaf, p.intermediate, p.root]
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ["jws", "cose"]:
            plain = envelope(fmt, p.leaf, p.leaf_key, chain)
            sig = signature_of(fmt, plain)
            good = openssl_token(tmp, sig, tsa, tsa_key, [fx.cert_pem(tsa_root)])
            other = openssl_token(tmp, b"a different signature", tsa, tsa_key, [fx.cert_pem(tsa_root)])
            bad_sig = bytearray(good)
            bad_sig[-1] ^= 0x01  # the SignerInfo signature is the token's last field
            untrusted = openssl_token(tmp, sig, rogue, rogue_key, [fx.cert_pem(rogue_root)])
            revocable = openssl_token(tmp, sig, tsa_revocable, tsa_key, [fx.cert_pem(tsa_root)])
            tokens = {"good": good, "other-signature": other, "bad-signature": bytes(bad_sig),
                      "untrusted": untrusted, "tsa-with-crl": revocable}
            write(f"ts/none.{fmt}", plain)
            for n, t in tokens.items():
                write(f"ts/{n}.{fmt}.tst", t)
                if fmt == "jws":
                    value = base64.b64encode(t).decode("ascii")
                    data = fx._jws_edit(plain, lambda env, v=value: env["header"].update({TS_HEADER: v}))
                else:
                    data = fx._cose_edit(plain, lambda arr, v=t: arr[1].update({TS_HEADER: v}))
                write(f"ts/{n}.{fmt}", data)


if __name__ == "__main__":
    main()
