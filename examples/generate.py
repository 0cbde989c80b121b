#!/usr/bin/env python3
"""Generates the bundled example: a signed OCI image layout (examples/layout, tag v1) and a
notation configuration directory (examples/config: trust policy + trust store) that verifies it.

    python3 examples/generate.py
    cargo run --release -p notaverify-cli -- verify --config-dir examples/config \\
        --oci-layout --scope example.com/app examples/layout:v1

A fresh P-256 PKI (root -> intermediate -> leaf) is made on every run; only certificates are
written, never private keys. The signature is in the form released notation 1.x writes (an
image manifest whose config media type is application/vnd.cncf.notary.signature), JWS, with the
user metadata buildId=42. Needs Python 3 and `cryptography`.
"""
from __future__ import annotations

import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(REPO, "core", "tests", "fixtures"))
sys.path.insert(0, os.path.join(REPO, "cli", "tests", "fixtures"))

from generate import MT_JWS, OCI_MANIFEST_MT, cert_pem, descriptor_payload, make_envelope, make_pki  # noqa: E402
from make_layouts import Layout, write  # noqa: E402

SCOPE = "example.com/app"


def main() -> int:
    pki = make_pki("p256", name="example", org="Notaverify Example", label="example")

    layout = Layout("example")
    target, content = layout.target(tag="v1")
    payload = descriptor_payload(OCI_MANIFEST_MT, content, annotations={"buildId": "42"})
    layout.signature(target, make_envelope("jws", pki.leaf_key, pki.chain, payload), MT_JWS)
    layout.write(os.path.join(HERE, "layout"))

    config = os.path.join(HERE, "config")
    shutil.rmtree(config, ignore_errors=True)
    write(os.path.join(config, "truststore", "x509", "ca", "example", "example-root.pem"), cert_pem(pki.root))
    policy = {
        "version": "1.0",
        "trustPolicies": [{
            "name": "example-app",
            "registryScopes": [SCOPE],
            "signatureVerification": {"level": "strict"},
            "trustStores": ["ca:example"],
            "trustedIdentities": ["x509.subject: C=US, ST=WA, O=Notaverify Example"],
        }],
    }
    write(os.path.join(config, "trustpolicy.oci.json"), json.dumps(policy, indent=2).encode() + b"\n")
    print(f"example target {target['digest']} (tag v1) in {os.path.join(HERE, 'layout')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
