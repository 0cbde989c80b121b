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
# Newer evidence for the conflict cases (core/tests/revocation_conflicts.rs): CRL numbers 2/3 and
# the base 7 / delta 8 pair are issued at LATER/LATEST; "-later" OCSP responses are produced at LATER.
LATER = _dt.datetime(2025, 4, 1, tzinfo=UTC)
LATEST = _dt.datetime(2025, 5, 1, tzinfo=UTC)
UNRELATED_SERIAL = 0x7E57

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


def der_tlv(data, off=0):
    """(tag, content start, content end) of the DER element at `off`."""
    tag, first = data[off], data[off + 1]
    if first < 0x80:
        return tag, off + 2, off + 2 + first
    n = first & 0x7F
    length = int.from_bytes(data[off + 2:off + 2 + n], "big")
    return tag, off + 2 + n, off + 2 + n + length


def der_children(data):
    """The complete child elements of a constructed element's content."""
    out, off = [], 0
    while off < len(data):
        _, _, end = der_tlv(data, off)
        out.append(data[off:end])
        off = end
    return out


def der_content(element):
    _, start, end = der_tlv(element)
    return element[start:end]


def der_encode(tag, content):
    n = len(content)
    if n < 0x80:
        return bytes([tag, n]) + content
    size = (n.bit_length() + 7) // 8
    return bytes([tag, 0x80 | size]) + n.to_bytes(size, "big") + content


def with_produced_at(response, produced, signer_key):
    """`response` re-dated to producedAt `produced` and re-signed. cryptography stamps the signing
    time, but which answer is newest is decided by producedAt, so the fixtures fix it."""
    status, response_bytes = der_children(der_content(response))
    oid, basic_octets = der_children(der_content(der_content(response_bytes)))
    tbs, algorithm, _signature, *certs = der_children(der_content(der_content(basic_octets)))
    fields = der_children(der_content(tbs))
    at = der_encode(0x18, produced.strftime("%Y%m%d%H%M%SZ").encode())
    fields = [at if f[0] == 0x18 else f for f in fields]
    tbs = der_encode(0x30, b"".join(fields))
    signature = signer_key.sign(tbs, ec.ECDSA(hashes.SHA256()))
    basic = der_encode(0x30, tbs + algorithm + der_encode(0x03, b"\x00" + signature) + b"".join(certs))
    return der_encode(0x30, status + der_encode(0xA0, der_encode(0x30, oid + der_encode(0x04, basic))))


def make_ocsp(leaf, issuer, signer_key, status, *, responder=None, this=THIS_UPDATE, next_=NEXT_UPDATE):
    """A response whose producedAt is its thisUpdate."""
    b = ocsp.OCSPResponseBuilder().add_response(
        cert=leaf, issuer=issuer, algorithm=hashes.SHA1(), cert_status=status, this_update=this,
        next_update=next_, revocation_time=REVOKED_AT if status == ocsp.OCSPCertStatus.REVOKED else None,
        revocation_reason=x509.ReasonFlags.key_compromise if status == ocsp.OCSPCertStatus.REVOKED else None)
    b = b.responder_id(ocsp.OCSPResponderEncoding.HASH, responder or issuer)
    if responder is not None:
        b = b.certificates([responder])
    signed = b.sign(signer_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
    return with_produced_at(signed, this, signer_key)


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
        # Conflicts: newer CRLs (numbers 2 and 3), two CRLs numbered 2 at the same time with other
        # content, and a forgery with a high number.
        "inter-2-revokes-leaves": make_crl(inter, inter_key, [(v, kc) for v in s.values()], number=2, this=LATER),
        "inter-2-good": make_crl(inter, inter_key, number=2, this=LATER),
        "inter-2-good-other-content": make_crl(inter, inter_key, [(UNRELATED_SERIAL, kc)], number=2, this=LATER),
        "inter-3-good": make_crl(inter, inter_key, number=3, this=LATEST),
        "inter-9-revokes-leaves-forged": make_crl(inter, other_key, [(v, kc) for v in s.values()], number=9,
                                                  this=LATEST),
        # A newer base (7) and deltas that apply to it only (8, BaseCRLNumber 7).
        "inter-base-7": make_crl(inter, inter_key, number=7, freshest=INTER_DELTA, this=LATER),
        "inter-delta-8-good": make_crl(inter, inter_key, number=8, delta_of=7, this=LATER),
        "inter-delta-8-revokes": make_crl(inter, inter_key, [(s["leaf-delta"], kc)], number=8, delta_of=7,
                                          this=LATER),
        "inter-delta-8-good-other-content": make_crl(inter, inter_key, [(UNRELATED_SERIAL, kc)], number=8,
                                                     delta_of=7, this=LATER),
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
        # Conflicts: answers produced after the others (LATER), and a revoked one that is stale.
        "leaf-ocsp-good-later": make_ocsp(lo, inter, inter_key, G, this=LATER),
        "leaf-ocsp-unknown-later": make_ocsp(lo, inter, inter_key, U, this=LATER),
        "leaf-ocsp-revoked-stale": make_ocsp(lo, inter, inter_key, R, next_=STALE_NEXT),
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
