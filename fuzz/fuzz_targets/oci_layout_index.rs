//! OCI image layout index parsing: the input is written as `index.json` of a scratch layout
//! (the loader only exposes directory-based APIs), then opened, listed and resolved.
#![no_main]

use libfuzzer_sys::fuzz_target;
use notaverify::loader::{OciLayout, TagOrDigest};
use std::path::PathBuf;
use std::sync::OnceLock;

fn dir() -> &'static PathBuf {
    static D: OnceLock<PathBuf> = OnceLock::new();
    D.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("notaverify-fuzz-index-{}", std::process::id()));
        std::fs::create_dir_all(d.join("blobs/sha256")).unwrap();
        std::fs::write(d.join("oci-layout"), br#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
        d
    })
}

fuzz_target!(|data: &[u8]| {
    let d = dir();
    std::fs::write(d.join("index.json"), data).unwrap();
    if let Ok(layout) = OciLayout::open(d) {
        let manifests = layout.manifests();
        let _ = layout.resolve(&TagOrDigest::Tag("latest".into()));
        for m in manifests.iter().take(4) {
            let _ = layout.signatures_for(&m.descriptor);
        }
    }
});
