//! Layouts built in a scratch directory: resolution, signature discovery, digest checks.

use super::*;
use crate::verify::digest_of;
use std::fs;

struct Scratch {
    root: PathBuf,
    index: Vec<serde_json::Value>,
}

impl Scratch {
    fn new(name: &str) -> Self {
        let root = std::env::temp_dir().join(format!("notaverify-layout-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("blobs/sha256")).unwrap();
        fs::write(root.join("oci-layout"), br#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
        Scratch { root, index: Vec::new() }
    }

    fn blob(&self, bytes: &[u8], media_type: &str) -> serde_json::Value {
        let digest = digest_of("sha256", bytes).unwrap();
        fs::write(blob_path(&self.root, &digest).unwrap(), bytes).unwrap();
        serde_json::json!({"mediaType": media_type, "digest": digest, "size": bytes.len()})
    }

    fn list(&mut self, mut descriptor: serde_json::Value, tag: Option<&str>) -> serde_json::Value {
        if let Some(tag) = tag {
            descriptor["annotations"] = serde_json::json!({"org.opencontainers.image.ref.name": tag});
        }
        self.index.push(descriptor.clone());
        descriptor
    }

    fn signature(&self, subject: &serde_json::Value, envelope: &[u8]) -> serde_json::Value {
        let layer = self.blob(envelope, "application/jose+json");
        let config = self.blob(b"{}", NOTATION_SIGNATURE);
        let manifest = serde_json::json!({"schemaVersion": 2, "mediaType": MEDIA_TYPE_IMAGE_MANIFEST,
            "config": config, "layers": [layer], "subject": subject});
        self.blob(manifest.to_string().as_bytes(), MEDIA_TYPE_IMAGE_MANIFEST)
    }

    fn open(&self) -> Result<OciLayout, Error> {
        let index = serde_json::json!({"schemaVersion": 2, "manifests": self.index});
        fs::write(self.root.join("index.json"), index.to_string()).unwrap();
        OciLayout::open(&self.root)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

fn target_bytes() -> Vec<u8> {
    format!(r#"{{"schemaVersion":2,"mediaType":"{MEDIA_TYPE_IMAGE_MANIFEST}","layers":[]}}"#).into_bytes()
}

#[test]
fn resolves_tags_and_digests_and_finds_nested_signatures() {
    let mut s = Scratch::new("nested");
    let target = s.blob(&target_bytes(), MEDIA_TYPE_IMAGE_MANIFEST);
    s.list(target.clone(), Some("v1"));
    let direct = s.signature(&target, b"envelope-1");
    s.list(direct.clone(), None);
    let nested_sig = s.signature(&target, b"envelope-2");
    let nested =
        serde_json::json!({"schemaVersion": 2, "mediaType": MEDIA_TYPE_IMAGE_INDEX, "manifests": [nested_sig]});
    let nested = s.blob(nested.to_string().as_bytes(), MEDIA_TYPE_IMAGE_INDEX);
    s.list(nested, None);
    let layout = s.open().unwrap();

    let by_tag = layout.resolve(&TagOrDigest::Tag("v1".into())).unwrap();
    assert_eq!(by_tag.digest, target["digest"].as_str().unwrap());
    assert_eq!(by_tag.size, target_bytes().len() as i64);
    assert_eq!(by_tag.media_type, MEDIA_TYPE_IMAGE_MANIFEST);
    assert_eq!(layout.resolve(&TagOrDigest::Digest(by_tag.digest.clone())).unwrap(), by_tag);
    assert!(matches!(layout.resolve(&TagOrDigest::Tag("v2".into())), Err(Error::Load { .. })));

    let found = layout.signatures_for(&by_tag).unwrap();
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].envelope, b"envelope-1");
    assert_eq!(found[0].digest.as_deref(), direct["digest"].as_str());
    assert_eq!(found[1].envelope, b"envelope-2");
    assert!(found.iter().all(|f| f.delivery_error.is_none()));
    assert_eq!(layout.manifests().len(), 4);
    assert_eq!(layout.manifests()[0].tags, vec!["v1".to_owned()]);
}

#[test]
fn content_that_does_not_match_its_digest_is_caught() {
    let mut s = Scratch::new("corrupt");
    let target = s.blob(&target_bytes(), MEDIA_TYPE_IMAGE_MANIFEST);
    s.list(target.clone(), Some("v1"));
    let sig = s.signature(&target, b"envelope");
    s.list(sig.clone(), None);
    let layout = s.open().unwrap();
    let descriptor = layout.resolve(&TagOrDigest::Tag("v1".into())).unwrap();

    // A corrupt envelope: that signature fails integrity, the rest still works.
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(blob_path(&s.root, sig["digest"].as_str().unwrap()).unwrap()).unwrap())
            .unwrap();
    let layer_path = blob_path(&s.root, manifest["layers"][0]["digest"].as_str().unwrap()).unwrap();
    fs::write(&layer_path, b"envelopE").unwrap();
    let found = layout.signatures_for(&descriptor).unwrap();
    assert!(found[0].delivery_error.as_deref().unwrap().contains("does not match its digest"));
    assert!(found[0].envelope.is_empty());

    // A corrupt target: nothing can be evaluated.
    fs::write(
        blob_path(&s.root, target["digest"].as_str().unwrap()).unwrap(),
        target_bytes().repeat(1).iter().rev().copied().collect::<Vec<_>>(),
    )
    .unwrap();
    assert!(matches!(layout.resolve(&TagOrDigest::Tag("v1".into())), Err(Error::Load { .. })));
}

#[test]
fn the_marker_and_limits_are_enforced() {
    let s = Scratch::new("marker");
    fs::write(s.root.join("oci-layout"), br#"{"imageLayoutVersion":"2.0.0"}"#).unwrap();
    assert!(matches!(s.open(), Err(Error::Load { .. })));
    let mut s = Scratch::new("big");
    let huge = serde_json::json!({"mediaType": MEDIA_TYPE_IMAGE_MANIFEST, "digest": format!("sha256:{}", "a".repeat(64)), "size": 5 * 1024 * 1024});
    s.list(huge.clone(), Some("v1"));
    let layout = s.open().unwrap();
    assert!(matches!(layout.resolve(&TagOrDigest::Tag("v1".into())), Err(Error::LimitExceeded { .. })));
    let escape =
        serde_json::json!({"mediaType": MEDIA_TYPE_IMAGE_MANIFEST, "digest": "sha256:../../../etc/passwd", "size": 1});
    s.list(escape, Some("v2"));
    let layout = s.open().unwrap();
    assert!(layout.resolve(&TagOrDigest::Tag("v2".into())).is_err());
}
