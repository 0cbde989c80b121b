#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ with our own fixtures (the corpus directory is gitignored).
# Idempotent: existing corpus entries (including ones libFuzzer found) are kept.
#
#   fuzz/seeds.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tests="$here/../core/tests"
fx="$tests/fixtures"
corpus="$here/corpus"

seed() { # seed <target> <files...>
    local target="$1"; shift
    mkdir -p "$corpus/$target"
    local f
    for f in "$@"; do
        [ -f "$f" ] || continue
        # name by content so re-running never duplicates
        cp "$f" "$corpus/$target/seed-$(sha1sum "$f" | cut -c1-16)"
    done
}

shopt -s nullglob globstar
jws=("$fx"/envelopes/**/*.jws "$fx"/extra/envelopes/*.jws "$tests"/hostile/*.jws "$tests"/revocation/envelopes/*.jws "$tests"/revocation/ts/*.jws)
cose=("$fx"/envelopes/**/*.cose "$fx"/extra/envelopes/*.cose "$tests"/hostile/*.cose "$tests"/revocation/ts/*.cose)
seed jws "${jws[@]}"
seed cose "${cose[@]}"
seed verify "${jws[@]}" "${cose[@]}"
seed trust_policy "$fx"/trustpolicy.json "$fx"/trustpolicy.oci.json "$tests"/policies/valid/oci-*.json "$tests"/policies/invalid/*.json
seed blob_policy "$fx"/trustpolicy.blob.json "$tests"/policies/valid/blob-*.json "$tests"/policies/invalid/*.json
seed certificate "$tests"/x509/*.der "$fx"/pki/**/*.pem "$fx"/extra/pki/*.pem "$fx"/truststore/**/*.pem
seed timestamp_token "$tests"/revocation/ts/*.tst
seed crl "$tests"/revocation/crl/*.crl
seed ocsp "$tests"/revocation/ocsp/*.der
seed oci_manifest "$fx"/target/manifest.json

# Inputs that need assembling: payloads, chains, OCI index/manifest documents.
python3 - "$corpus" "$fx" "$tests" <<'PY'
import base64, glob, hashlib, json, os, struct, sys
corpus, fx, tests = sys.argv[1:4]

def put(target, data):
    d = os.path.join(corpus, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + hashlib.sha1(data).hexdigest()[:16]), "wb") as f:
        f.write(data)

def pad(s):
    return s + "=" * (-len(s) % 4)

for path in glob.glob(os.path.join(fx, "envelopes", "**", "*.jws"), recursive=True) + glob.glob(os.path.join(tests, "hostile", "*.jws")):
    try:
        env = json.load(open(path, "rb"))
        put("payload", base64.urlsafe_b64decode(pad(env["payload"])))
        ders = [base64.b64decode(c) for c in env["header"]["x5c"]]
    except Exception:
        continue
    put("chain", bytes([len(ders)]) + b"".join(struct.pack(">H", len(d)) + d for d in ders))

manifest = open(os.path.join(fx, "target", "manifest.json"), "rb").read()
digest = "sha256:" + hashlib.sha256(manifest).hexdigest()
target = {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": digest, "size": len(manifest)}
sig_manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "artifactType": "application/vnd.cncf.notary.signature",
                "config": {"mediaType": "application/vnd.oci.empty.v1+json", "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", "size": 2},
                "layers": [{"mediaType": "application/jose+json", "digest": "sha256:" + "0" * 64, "size": 10}],
                "subject": target,
                "annotations": {"io.cncf.notary.x509chain.thumbprint#S256": "[\"00\"]"}}
put("oci_manifest", json.dumps(sig_manifest).encode())
put("oci_manifest", json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": [target]}).encode())
tagged = dict(target, annotations={"org.opencontainers.image.ref.name": "latest"})
put("oci_layout_index", json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": [tagged]}).encode())
put("oci_layout_index", json.dumps({"schemaVersion": 2, "manifests": [tagged, dict(target, mediaType="application/vnd.oci.image.index.v1+json")]}).encode())
PY

for d in "$corpus"/*/; do
    printf '%-18s %s seeds\n' "$(basename "$d")" "$(ls "$d" | wc -l)"
done
