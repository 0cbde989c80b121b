#!/usr/bin/env python3
"""Generates the hostile envelopes used by core/tests/hostile_inputs.rs (security notes §4).

    python3 core/tests/hostile/generate.py             # everything (ECDSA/PSS signatures change)
    python3 core/tests/hostile/generate.py ambiguous   # only the amb-* files

Every envelope here is *validly signed* by the committed p256 (or rsa3072/p384) fixture leaf, so a
rejection proves a header/payload rule fired — not merely that the signature broke. Envelopes that
need no signature (size/limit inputs, truncations) are built in Rust inside the test instead.
Imports the fixture generator (../fixtures/generate.py) and reuses its PKIs; keys are the
committed test-only keys, so output is deterministic except for ECDSA/PSS randomness.
"""

from __future__ import annotations

import base64
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fixtures"))

import generate as g  # noqa: E402
from generate import (  # noqa: E402
    H_AUTH_TIME, H_EXPIRY, H_SCHEME, H_SIGNING_TIME, PAYLOAD_CTY, SCHEME_SA, SCHEME_X509, Tag,
    b64url, cbor_encode, json_bytes, raw_sign, sign_cose, sign_jws,
)
from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature  # noqa: E402

FIX = os.path.join(HERE, "..", "fixtures")
P256 = g.load_pki("p256", FIX)
P384 = g.load_pki("p384", FIX)
RSA3072 = g.load_pki("rsa3072", FIX)
with open(os.path.join(FIX, "target", "manifest.json"), "rb") as f:
    MANIFEST = f.read()
PAYLOAD = g.descriptor_payload(g.OCI_MANIFEST_MT, MANIFEST)
TIME = "2025-06-01T12:00:00Z"
EPOCH = 1748779200


def write(name: str, data: bytes) -> None:
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def jprot(**over) -> dict:
    p = {"alg": "ES256", "crit": [H_SCHEME], "cty": PAYLOAD_CTY, H_SCHEME: SCHEME_X509, H_SIGNING_TIME: TIME}
    for k, v in over.items():
        k = {"scheme": H_SCHEME, "signing_time": H_SIGNING_TIME, "auth_time": H_AUTH_TIME, "expiry": H_EXPIRY}.get(k, k)
        if v is None:
            p.pop(k, None)
        else:
            p[k] = v
    return p


def jws(name, prot=None, payload=PAYLOAD, pki=P256, unprotected=None, sign_alg=None, raw_prot=None):
    """Signed flattened JWS; raw_prot (bytes) replaces the serialized protected header verbatim."""
    chain = pki.chain
    if raw_prot is not None:
        prot_b64, pay_b64 = b64url(raw_prot), b64url(payload)
        sig = raw_sign(pki.leaf_key, sign_alg or "ES256", f"{prot_b64}.{pay_b64}".encode())
        x5c = [base64.b64encode(c.public_bytes(serialization.Encoding.DER)).decode() for c in chain]
        env = {"payload": pay_b64, "protected": prot_b64, "header": {"x5c": x5c}, "signature": b64url(sig)}
        data = json.dumps(env, separators=(",", ":")).encode()
    else:
        data = sign_jws(pki.leaf_key, prot or jprot(), payload, chain, unprotected=unprotected,
                        sign_alg=sign_alg or ((prot or {}).get("alg") if (prot or {}).get("alg") in g.ALGS else "ES256"))
    write(name + ".jws", data)
    return data


def cprot(extra=None, **over) -> dict:
    p = {1: -7, 2: [H_SCHEME], 3: PAYLOAD_CTY, H_SCHEME: SCHEME_X509, H_SIGNING_TIME: Tag(1, EPOCH)}
    for k, v in over.items():
        k = {"alg": 1, "crit": 2, "cty": 3, "scheme": H_SCHEME, "signing_time": H_SIGNING_TIME,
             "auth_time": H_AUTH_TIME, "expiry": H_EXPIRY}.get(k, k)
        if v is None:
            p.pop(k, None)
        else:
            p[k] = v
    p.update(extra or {})
    return p


def cose_parts(prot_bytes: bytes, payload: bytes, pki=P256, sign_alg="ES256"):
    sig = raw_sign(pki.leaf_key, sign_alg, g.cose_sig_structure(prot_bytes, payload))
    x5 = [c.public_bytes(serialization.Encoding.DER) for c in pki.chain]
    return sig, x5


def cose(name, prot=None, payload=PAYLOAD, pki=P256, unprotected=None, sign_alg="ES256"):
    data = sign_cose(pki.leaf_key, prot or cprot(), payload, pki.chain, unprotected=unprotected, sign_alg=sign_alg)
    write(name + ".cose", data)
    return data


def main() -> int:
    # ---- baseline (must verify: proves the helpers build valid envelopes) ----
    good_jws = jws("good")
    good_cose = cose("good")

    # ---- §4.1 JWS ----
    env = json.loads(good_jws)
    write("01-compact.jws", f"{env['protected']}.{env['payload']}.{env['signature']}".encode())
    general = {"payload": env["payload"], "signatures": [
        {"protected": env["protected"], "header": env["header"], "signature": env["signature"]}]}
    write("01-general.jws", json.dumps(general).encode())
    # 03: duplicate top-level payload member (textual: json.dumps cannot produce duplicates)
    write("03-dup-payload.jws", good_jws.replace(b'{"payload":', b'{"payload":"e30","payload":', 1))
    dup = json.dumps(jprot()).encode().replace(b'{"alg": "ES256"', b'{"alg": "none", "alg": "ES256"', 1)
    jws("03-dup-alg", raw_prot=dup)
    jws("04-alg-none", jprot(alg="none"))
    jws("04-alg-hs256", jprot(alg="HS256"))
    jws("04-alg-rs256", jprot(alg="RS256"))
    jws("05-es256-p384", jprot(alg="ES256"), pki=P384, sign_alg="ES256")
    jws("05-ps256-rsa3072", jprot(alg="PS256"), pki=RSA3072, sign_alg="PS256")
    jws("06-crit-missing", jprot(crit=None))
    jws("06-crit-no-scheme", jprot(crit=["io.cncf.notary.expiry"], expiry="2099-01-01T00:00:00Z"))
    jws("06-crit-absent-header", jprot(crit=[H_SCHEME, "io.cncf.notary.expiry"]))
    jws("06-crit-alg", jprot(crit=[H_SCHEME, "alg"]))
    jws("06-crit-unknown-ext", jprot(crit=[H_SCHEME, "io.example.mystery"], **{"io.example.mystery": "x"}))
    jws("07-x509-with-auth-time", jprot(auth_time=TIME))
    jws("07-sa-without-auth-time", jprot(scheme=SCHEME_SA, crit=[H_SCHEME], signing_time=None))
    jws("07-unknown-scheme", jprot(scheme="notary.x509.v2"))
    jws("08-unprotected-jwk", unprotected={"jwk": {"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"}})
    jws("08-unprotected-unknown", unprotected={"io.example.extra": "x"})
    for variant, x5c in [("empty", []), ("not-base64", ["***"]), ("not-der", [base64.b64encode(b"hello").decode()])]:
        e = json.loads(good_jws)
        e["header"]["x5c"] = x5c
        write(f"09-x5c-{variant}.jws", json.dumps(e).encode())
    e = json.loads(good_jws)
    del e["header"]["x5c"]
    write("09-x5c-missing.jws", json.dumps(e).encode())
    jws("10-cty-wrong", jprot(cty="application/json"))
    jws("11-expiry-before-signing", jprot(crit=[H_SCHEME, H_EXPIRY], expiry="2025-06-01T11:00:00Z"))
    jws("11-expiry-equals-signing", jprot(crit=[H_SCHEME, H_EXPIRY], expiry=TIME))
    jws("11-time-not-rfc3339", jprot(signing_time="2025-06-01 12:00:00"))
    jws("11-time-bad-offset", jprot(signing_time="2025-06-01T12:00:00+25:00"))
    jws("11-time-year-5digit", jprot(signing_time="12025-06-01T12:00:00Z"))

    # ---- §4.2 COSE ----
    untagged = good_cose[1:]  # drop the 0xD2 tag byte
    write("12-untagged.cose", untagged)
    write("12-tag98.cose", bytes([0xD8, 98]) + untagged)
    write("12-tag17.cose", bytes([0xD1]) + untagged)
    prot_b = cbor_encode(cprot())
    sig, x5 = cose_parts(prot_b, PAYLOAD)
    write("13-detached.cose", cbor_encode(Tag(18, [prot_b, {33: x5}, None, sig])))
    # 15: duplicate label in the protected header (textual CBOR: map of 6 with alg twice)
    body = b"".join(cbor_encode(k) + cbor_encode(v) for k, v in cprot().items())
    dup_prot = g._cbor_head(5, len(cprot()) + 1) + cbor_encode(1) + cbor_encode(-35) + body
    sig, x5 = cose_parts(dup_prot, PAYLOAD)
    write("15-dup-label.cose", cbor_encode(Tag(18, [dup_prot, {33: x5}, PAYLOAD, sig])))
    other_chain = [c.public_bytes(serialization.Encoding.DER) for c in P384.chain]
    cose("15-x5chain-both", cprot({33: other_chain}))
    cose("16-alg-text", cprot(alg="ES256"))
    cose("16-alg-unknown", cprot(alg=-999))
    cose("16-crit-label-1", cprot(crit=[H_SCHEME, 1]))
    cose("16-crit-empty", cprot(crit=[]))
    # 17: ECDSA signature in DER form / wrong length
    sig, x5 = cose_parts(prot_b, PAYLOAD)
    der_sig = encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big"))
    write("17-ecdsa-der.cose", cbor_encode(Tag(18, [prot_b, {33: x5}, PAYLOAD, der_sig])))
    write("17-ecdsa-short.cose", cbor_encode(Tag(18, [prot_b, {33: x5}, PAYLOAD, sig[:63]])))
    write("17-ecdsa-long.cose", cbor_encode(Tag(18, [prot_b, {33: x5}, PAYLOAD, sig + b"\x00"])))
    e = json.loads(good_jws)
    e["signature"] = b64url(der_sig)
    write("17-ecdsa-der.jws", json.dumps(e).encode())

    # ---- §4.3 payload (validly signed, for both formats) ----
    d = g.hashlib.sha256(MANIFEST).hexdigest()
    ta = {"mediaType": g.OCI_MANIFEST_MT, "digest": f"sha256:{d}", "size": len(MANIFEST)}
    payloads = {
        "19-trailing-garbage": json_bytes({"targetArtifact": ta}) + b"garbage",
        "19-size-string": json_bytes({"targetArtifact": {**ta, "size": str(len(MANIFEST))}}),
        "19-size-negative": json_bytes({"targetArtifact": {**ta, "size": -1}}),
        "19-digest-missing": json_bytes({"targetArtifact": {k: v for k, v in ta.items() if k != "digest"}}),
        "19-digest-63hex": json_bytes({"targetArtifact": {**ta, "digest": f"sha256:{d[:63]}"}}),
        "19-digest-upper": json_bytes({"targetArtifact": {**ta, "digest": f"sha256:{d.upper()}"}}),
        "19-digest-unknown-alg": json_bytes({"targetArtifact": {**ta, "digest": f"md5:{d[:32]}"}}),
        "19-digest-sha512": g.descriptor_payload(g.OCI_MANIFEST_MT, MANIFEST, "sha512"),
        "19-dup-key": b'{"targetArtifact":' + json_bytes(ta)[:-1] + b',"size":1}}',
        "19-not-object": b'["targetArtifact"]',
        "21-metadata-signed": g.descriptor_payload(g.OCI_MANIFEST_MT, MANIFEST, annotations={"env": "prod"}),
    }
    for name, p in payloads.items():
        jws(name, payload=p)
        cose(name, payload=p)
    # ---- §4.1 entry 8: key material in the unprotected header is never substituted ----
    other = g.load_pki("other", FIX)
    from cryptography.hazmat.primitives.asymmetric import ec as _ec
    nums = other.leaf_key.public_key().public_numbers()
    jwk = {"kty": "EC", "crv": "P-256", "x": b64url(nums.x.to_bytes(32, "big")), "y": b64url(nums.y.to_bytes(32, "big"))}
    prot_b64, pay_b64 = b64url(json_bytes(jprot())), b64url(PAYLOAD)
    sig = raw_sign(other.leaf_key, "ES256", f"{prot_b64}.{pay_b64}".encode())
    x5c = [base64.b64encode(c.public_bytes(serialization.Encoding.DER)).decode() for c in P256.chain]
    write("08-jwk-substitution.jws", json.dumps({"payload": pay_b64, "protected": prot_b64,
          "header": {"x5c": x5c, "jwk": jwk, "x5c_other": [x5c[0]]}, "signature": b64url(sig)}).encode())

    # ---- §4.4 entries 26 and 29: leaves with hostile keys / subjects, issued by the p256 intermediate ----
    from cryptography.hazmat.primitives.asymmetric import rsa as _rsa
    from cryptography import x509 as _x509
    from cryptography.x509.oid import NameOID as _N
    import random
    rnd = random.Random(7)

    def fake_rsa(bits, e=65537):
        n = rnd.getrandbits(bits) | (1 << (bits - 1)) | 1
        return _rsa.RSAPublicNumbers(e, n).public_key()

    def leaf_with(name, public_key, subject=None):
        cert = g.make_cert(subject=subject or g.dn(f"hostile {name} leaf"), public_key=public_key,
                           issuer=P256.intermediate.subject, issuer_key=P256.intermediate_key,
                           issuer_cert=P256.intermediate, kind="leaf",
                           not_before=g.LEAF_VALIDITY[0], not_after=g.LEAF_VALIDITY[1])
        return cert

    def env_with_leaf(name, leaf, alg, key=None):
        chain = [leaf, P256.intermediate, P256.root]
        prot_b64, pay_b64 = b64url(json_bytes(jprot(alg=alg))), b64url(PAYLOAD)
        sig = raw_sign(key, alg, f"{prot_b64}.{pay_b64}".encode()) if key else bytes(rnd.getrandbits(8) for _ in range(256))
        x5c = [base64.b64encode(c.public_bytes(serialization.Encoding.DER)).decode() for c in chain]
        write(name + ".jws", json.dumps({"payload": pay_b64, "protected": prot_b64, "header": {"x5c": x5c},
                                         "signature": b64url(sig)}).encode())

    for bits in (1024, 2560, 8192, 16384):
        env_with_leaf(f"26-rsa{bits}", leaf_with(f"rsa{bits}", fake_rsa(bits)), "PS256")
    try:
        env_with_leaf("26-rsa-huge-exponent", leaf_with("rsa-huge-e", fake_rsa(2048, (1 << 1023) + 1)), "PS256")
    except Exception as exc:  # some OpenSSL builds refuse such keys outright
        print("skipped 26-rsa-huge-exponent:", exc)
    # 29: subjects with '=#', NUL, 3000 RDNs (same key as the p256 leaf, so validly signed)
    attrs = [_x509.NameAttribute(_N.COUNTRY_NAME, "US"), _x509.NameAttribute(_N.STATE_OR_PROVINCE_NAME, "WA"),
             _x509.NameAttribute(_N.ORGANIZATION_NAME, "Notaverify Test")]
    for name, extra in [("29-subject-hash", [_x509.NameAttribute(_N.COMMON_NAME, "bad=#CN")]),
                        ("29-subject-hexlike", [_x509.NameAttribute(_N.COMMON_NAME, "#04ffffffff")]),
                        ("29-subject-nul", [_x509.NameAttribute(_N.COMMON_NAME, "a\x00b")]),
                        ("29-subject-3000-rdns", [_x509.NameAttribute(_N.ORGANIZATIONAL_UNIT_NAME, f"u{i}") for i in range(3000)])]:
        leaf = leaf_with(name, P256.leaf_key.public_key(), subject=_x509.Name(attrs + extra))
        env_with_leaf(name, leaf, "ES256", key=P256.leaf_key)
    ambiguous_names()
    print(f"wrote hostile envelopes to {HERE}")
    return 0


def ambiguous_names() -> None:
    """amb-*: signed names that differ from a notation name only in letter case (read by
    core/tests/ambiguous_names.rs). Go's encoding/json matches member names to struct fields
    ignoring case (also U+017F with `s`), and takes the last of several spellings."""
    past = "2025-07-01T00:00:00Z"  # after TIME, before today: an expired signature if read
    # Protected header: alone, the variant is what notation-go reads (JWS); here it must fail, not
    # be an ignored extended attribute (the signature would never expire).
    jws("amb-expiry-upper", jprot(**{"IO.CNCF.NOTARY.EXPIRY": past}))
    cose("amb-expiry-upper", cprot({"IO.CNCF.NOTARY.EXPIRY": Tag(1, EPOCH + 30 * 86400)}))
    # JWS: Go reads these as the scheme, and crit lists the exact name, so notation-go accepts them.
    # COSE: go-cose reads labels exactly, so notation-go finds no scheme (and crit names an absent label).
    jws("amb-scheme-mixed", jprot(scheme=None, **{"Io.Cncf.Notary.SigningScheme": SCHEME_X509}))
    jws("amb-scheme-long-s", jprot(scheme=None, **{"io.cncf.notary.\u017figningScheme": SCHEME_X509}))
    cose("amb-scheme-mixed", cprot({"Io.Cncf.Notary.SigningScheme": SCHEME_X509}, scheme=None))
    # Beside the real member: Go takes the last one in document order.
    jws("amb-alg-upper", jprot(ALG="ES384"))
    # crit entries are compared exactly (notation-core-go, go-cose): a variant names no header.
    jws("amb-crit-entry", jprot(crit=[H_SCHEME, "IO.CNCF.NOTARY.SIGNINGSCHEME"]))
    cose("amb-crit-entry", cprot(crit=[H_SCHEME, "IO.CNCF.NOTARY.SIGNINGSCHEME"]))
    # Payload: this verifier used to bind to `targetArtifact`; notation-go binds to the last.
    d = g.hashlib.sha256(MANIFEST).hexdigest()
    ta = {"mediaType": g.OCI_MANIFEST_MT, "digest": f"sha256:{d}", "size": len(MANIFEST)}
    other = {**ta, "digest": "sha256:" + g.hashlib.sha256(b"another artifact").hexdigest()}
    payloads = {
        "amb-target-both": json_bytes({"targetArtifact": ta, "TargetArtifact": other}),
        "amb-target-only": json_bytes({"TargetArtifact": ta}),
        "amb-digest-both": json_bytes({"targetArtifact": {**ta, "Digest": other["digest"]}}),
        "amb-size-long-s": json_bytes({"targetArtifact": {**ta, "\u017fize": 1}}),
        "amb-annotations-variant": json_bytes({"targetArtifact": {**ta, "Annotations": {"env": "prod"}}}),
    }
    for name, p in payloads.items():
        jws(name, payload=p)
        cose(name, payload=p)
    # Look-alikes that are no notation name: ordinary extended attributes / ignored members.
    lookalikes = {"io.cncf.notary.expiry.note": "x", "IO.CNCF.NOTARY.EXPIRY2": "x", "X5C": "x", "Crits": "x"}
    lookalike_payload = json_bytes({"targetArtifact": {**ta, "ArtifactType": "x", "sizes": 1}, "TargetArtifacts": 1})
    jws("amb-ok-lookalikes", jprot(**lookalikes), payload=lookalike_payload)
    cose("amb-ok-lookalikes", cprot({**lookalikes, "alg": "x", "CRIT": "x"}), payload=lookalike_payload)


if __name__ == "__main__":
    if sys.argv[1:] == ["ambiguous"]:
        ambiguous_names()
        sys.exit(0)
    sys.exit(main())
