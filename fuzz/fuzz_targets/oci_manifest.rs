//! OCI manifests and nested indexes inside a layout: the input is stored as a blob that
//! `index.json` points to (as a manifest and as a nested index, tagged), then the layout is
//! resolved and searched for signatures of it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use notaverify::digest_of;
use notaverify::loader::{OciLayout, TagOrDigest};
use std::path::PathBuf;
use std::sync::OnceLock;

fn dir() -> &'static PathBuf {
    static D: OnceLock<PathBuf> = OnceLock::new();
    D.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("notaverify-fuzz-manifest-{}", std::process::id()));
        std::fs::create_dir_all(d.join("blobs/sha256")).unwrap();
        std::fs::write(d.join("oci-layout"), br#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
        d
    })
}

fuzz_target!(|data: &[u8]| {
    let d = dir();
    let digest = digest_of("sha256", data).unwrap();
    let blob = d.join("blobs/sha256").join(&digest[7..]);
    std::fs::write(&blob, data).unwrap();
    for media_type in ["application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.index.v1+json"] {
        let index = format!(
            r#"{{"schemaVersion":2,"manifests":[{{"mediaType":"{media_type}","digest":"{digest}","size":{},"annotations":{{"org.opencontainers.image.ref.name":"v1"}}}}]}}"#,
            data.len()
        );
        std::fs::write(d.join("index.json"), index).unwrap();
        if let Ok(layout) = OciLayout::open(d) {
            let _ = layout.manifests();
            if let Ok(target) = layout.resolve(&TagOrDigest::Tag("v1".into())) {
                let _ = layout.signature_manifests(&target);
                let _ = layout.signatures_for(&target);
            }
        }
    }
    let _ = std::fs::remove_file(&blob);
});
