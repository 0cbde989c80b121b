//! Layouts built in a scratch directory: resolution, signature discovery, digest checks.

use super::*;
use crate::digest_of;
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
        Self { root, index: Vec::new() }
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
        self.blob(&self.signature_manifest(subject, envelope), MEDIA_TYPE_IMAGE_MANIFEST)
    }

    /// The bytes of a signature manifest of `subject` (its envelope and config are stored).
    fn signature_manifest(&self, subject: &serde_json::Value, envelope: &[u8]) -> Vec<u8> {
        let layer = self.blob(envelope, "application/jose+json");
        let config = self.blob(b"{}", NOTATION_SIGNATURE);
        let manifest = serde_json::json!({"schemaVersion": 2, "mediaType": MEDIA_TYPE_IMAGE_MANIFEST,
            "config": config, "layers": [layer], "subject": subject});
        manifest.to_string().into_bytes()
    }

    /// Stores `bytes` under `digest`, which is not theirs, and returns the descriptor of `digest`.
    fn misplaced(&self, bytes: &[u8], digest: &str) -> serde_json::Value {
        fs::write(blob_path(&self.root, digest).unwrap(), bytes).unwrap();
        serde_json::json!({"mediaType": MEDIA_TYPE_IMAGE_MANIFEST, "digest": digest, "size": bytes.len()})
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

fn target_descriptor(listed: &serde_json::Value) -> Descriptor {
    Descriptor {
        media_type: listed["mediaType"].as_str().unwrap().to_owned(),
        digest: listed["digest"].as_str().unwrap().to_owned(),
        size: listed["size"].as_i64().unwrap(),
        ..Descriptor::default()
    }
}

/// The signature manifests found for `target` as (digest, problem) pairs.
fn found(layout: &OciLayout, target: &serde_json::Value) -> Vec<(String, Option<String>)> {
    let manifests = layout.signature_manifests(&target_descriptor(target)).unwrap();
    manifests.into_iter().map(|m| (m.digest.clone(), m.problem().map(str::to_owned))).collect()
}

fn digest(listed: &serde_json::Value) -> String {
    listed["digest"].as_str().unwrap().to_owned()
}

fn other_target_bytes(name: &str) -> Vec<u8> {
    format!(r#"{{"schemaVersion":2,"mediaType":"{MEDIA_TYPE_IMAGE_MANIFEST}","layers":[],"name":"{name}"}}"#)
        .into_bytes()
}

#[test]
fn each_target_gets_its_own_signatures_in_index_order() {
    let mut s = Scratch::new("by-subject");
    let a = s.list(s.blob(&target_bytes(), MEDIA_TYPE_IMAGE_MANIFEST), Some("a"));
    let b = s.list(s.blob(&other_target_bytes("b"), MEDIA_TYPE_IMAGE_MANIFEST), Some("b"));
    let unsigned = s.list(s.blob(&other_target_bytes("c"), MEDIA_TYPE_IMAGE_MANIFEST), Some("c"));
    let a1 = s.list(s.signature(&a, b"envelope-a1"), None);
    let b1 = s.list(s.signature(&b, b"envelope-b1"), None);
    // Content that claims to sign `a` under a digest that is not its own.
    let wrong_digest = digest_of("sha256", b"something else").unwrap();
    let mismatched = s.list(s.misplaced(&s.signature_manifest(&a, b"envelope-m"), &wrong_digest), None);
    let a2 = s.list(s.signature(&a, b"envelope-a2"), None);
    // Content under a foreign digest that claims to sign that very digest.
    let self_digest = digest_of("sha256", b"a digest nobody has").unwrap();
    let self_subject = serde_json::json!({"mediaType": MEDIA_TYPE_IMAGE_MANIFEST, "digest": self_digest, "size": 3});
    let self_signed = s.list(s.misplaced(&s.signature_manifest(&self_subject, b"envelope-s"), &self_digest), None);
    let layout = s.open().unwrap();

    let mismatch = format!(
        "the signature manifest cannot be trusted: manifest content does not match its digest {wrong_digest} \
         (the content's digest is {})",
        digest_of("sha256", &s.signature_manifest(&a, b"envelope-m")).unwrap()
    );
    let expected_a = vec![(digest(&a1), None), (digest(&mismatched), Some(mismatch)), (digest(&a2), None)];
    assert_eq!(found(&layout, &a), expected_a);
    assert_eq!(found(&layout, &b), vec![(digest(&b1), None)]);
    assert_eq!(found(&layout, &unsigned), vec![]);
    assert_eq!(found(&layout, &self_subject), vec![], "a manifest is never its own signature");
    assert_eq!(found(&layout, &self_signed), vec![]);
    // A signature whose subject descriptor differs in size is found, with its problem.
    let resized = serde_json::json!({"mediaType": MEDIA_TYPE_IMAGE_MANIFEST, "digest": digest(&b), "size": 1});
    let problem = "the signature manifest's subject descriptor (media type, size) does not match the target";
    assert_eq!(found(&layout, &resized), vec![(digest(&b1), Some(problem.to_owned()))]);
    // Asked again, the same answers.
    assert_eq!(found(&layout, &a), expected_a);
    let read = layout.signatures_for(&target_descriptor(&a)).unwrap();
    let envelopes: Vec<&[u8]> = read.iter().map(|r| r.envelope.as_slice()).collect();
    assert_eq!(envelopes, vec![&b"envelope-a1"[..], b"", b"envelope-a2"]);
}

#[test]
fn an_unreadable_manifest_fails_every_target_but_itself() {
    let mut s = Scratch::new("broken");
    let a = s.list(s.blob(&target_bytes(), MEDIA_TYPE_IMAGE_MANIFEST), Some("a"));
    s.list(s.signature(&a, b"envelope-a1"), None);
    // Not JSON, and not the content of its digest: the digest mismatch is the reason.
    let wrong_digest = digest_of("sha256", b"not this").unwrap();
    let garbled = s.list(s.misplaced(b"not json", &wrong_digest), None);
    // Listed but missing.
    let missing_digest = digest_of("sha256", b"never written").unwrap();
    let missing =
        s.list(serde_json::json!({"mediaType": MEDIA_TYPE_IMAGE_MANIFEST, "digest": missing_digest, "size": 13}), None);
    let layout = s.open().unwrap();

    let error_of = |target: &serde_json::Value| layout.signature_manifests(&target_descriptor(target)).unwrap_err();
    let garbled_error = Error::Load {
        path: blob_path(&s.root, &wrong_digest).unwrap().display().to_string(),
        reason: format!(
            "manifest content does not match its digest {wrong_digest} (the content's digest is {})",
            digest_of("sha256", b"not json").unwrap()
        ),
    };
    let missing_error = Error::Load {
        path: blob_path(&s.root, &missing_digest).unwrap().display().to_string(),
        reason: format!("manifest {missing_digest} is missing from the layout"),
    };
    assert_eq!(error_of(&a), garbled_error, "the first broken manifest in index order");
    assert_eq!(error_of(&garbled), missing_error, "a broken manifest is not read as its own signature");
    assert_eq!(error_of(&missing), garbled_error);
    assert_eq!(error_of(&a), garbled_error, "asked again, the same answer");
}

#[test]
fn an_opened_layout_can_be_shared_across_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<OciLayout>();
}

/// Moves `root/rel` to `outside/rel` and leaves a symlink to it in its place.
#[cfg(unix)]
fn move_out_and_link(root: &Path, outside: &Path, rel: &str) -> PathBuf {
    let from = root.join(rel);
    let to = outside.join(rel);
    fs::create_dir_all(to.parent().unwrap()).unwrap();
    fs::rename(&from, &to).unwrap();
    std::os::unix::fs::symlink(&to, &from).unwrap();
    from
}

#[cfg(unix)]
#[test]
fn a_symlinked_blobs_directory_is_refused() {
    for rel in ["blobs", "blobs/sha256"] {
        let mut s = Scratch::new("linked-blobs");
        let target = s.list(s.blob(&target_bytes(), MEDIA_TYPE_IMAGE_MANIFEST), Some("v1"));
        s.list(s.signature(&target, b"envelope"), None);
        s.open().unwrap();
        let outside = std::env::temp_dir().join(format!("notaverify-layout-outside-{}", std::process::id()));
        let _ = fs::remove_dir_all(&outside);
        let link = move_out_and_link(&s.root, &outside, rel);
        // Every blob is still there, but outside the layout: nothing is read through the link.
        let error = s.open().unwrap_err();
        let Error::Load { path, reason } = &error else { panic!("{rel}: {error:?}") };
        assert_eq!(path, &link.display().to_string(), "{rel}");
        assert!(reason.starts_with("is a symlink"), "{rel}: {reason}");
        fs::remove_dir_all(&outside).unwrap();
    }
    // A link that stays inside the layout is refused as well.
    let mut s = Scratch::new("inside-link");
    s.list(s.blob(&target_bytes(), MEDIA_TYPE_IMAGE_MANIFEST), Some("v1"));
    s.open().unwrap();
    fs::rename(s.root.join("blobs"), s.root.join("real-blobs")).unwrap();
    std::os::unix::fs::symlink("real-blobs", s.root.join("blobs")).unwrap();
    assert!(matches!(s.open(), Err(Error::Load { .. })));
    // The layout directory itself may be a symlink: it is the root the caller named.
    let mut s = Scratch::new("linked-root");
    let target = s.list(s.blob(&target_bytes(), MEDIA_TYPE_IMAGE_MANIFEST), Some("v1"));
    s.open().unwrap();
    let alias = std::env::temp_dir().join(format!("notaverify-layout-alias-{}", std::process::id()));
    let _ = fs::remove_file(&alias);
    std::os::unix::fs::symlink(&s.root, &alias).unwrap();
    let layout = OciLayout::open(&alias).unwrap();
    assert_eq!(layout.resolve(&TagOrDigest::Tag("v1".into())).unwrap(), target_descriptor(&target));
    fs::remove_file(&alias).unwrap();
}

#[cfg(unix)]
#[test]
fn symlinked_top_level_files_and_blobs_are_refused() {
    for rel in ["oci-layout", "index.json"] {
        let s = Scratch::new("linked-files");
        s.open().unwrap();
        let outside = std::env::temp_dir().join(format!("notaverify-layout-outside-files-{}", std::process::id()));
        let _ = fs::remove_dir_all(&outside);
        move_out_and_link(&s.root, &outside, rel);
        // `open` rewrites index.json; link it after.
        let error = OciLayout::open(&s.root).unwrap_err();
        assert!(
            matches!(&error, Error::Load { reason, .. } if reason.contains("not a regular file")),
            "{rel}: {error:?}"
        );
        fs::remove_dir_all(&outside).unwrap();
    }
    let mut s = Scratch::new("linked-blob");
    let target = s.list(s.blob(&target_bytes(), MEDIA_TYPE_IMAGE_MANIFEST), Some("v1"));
    let layout = s.open().unwrap();
    let outside = std::env::temp_dir().join(format!("notaverify-layout-outside-blob-{}", std::process::id()));
    let _ = fs::remove_dir_all(&outside);
    let rel = format!("blobs/sha256/{}", digest(&target).trim_start_matches("sha256:"));
    move_out_and_link(&s.root, &outside, &rel);
    assert!(matches!(layout.resolve(&TagOrDigest::Tag("v1".into())), Err(Error::Load { .. })));
    assert!(matches!(layout.resolve(&TagOrDigest::Digest(digest(&target))), Err(Error::Load { .. })));
    fs::remove_dir_all(&outside).unwrap();
}

/// The bytes of an image manifest with the given members (its config and layers stored).
fn image_manifest(
    s: &Scratch,
    artifact_type: Option<&str>,
    config: (&[u8], &str),
    layers: &[(&[u8], &str)],
) -> Vec<u8> {
    let config = s.blob(config.0, config.1);
    let layers: Vec<_> = layers.iter().map(|(bytes, media_type)| s.blob(bytes, media_type)).collect();
    let mut manifest = serde_json::json!({"schemaVersion": 2, "mediaType": MEDIA_TYPE_IMAGE_MANIFEST,
        "config": config, "layers": layers});
    if let Some(artifact_type) = artifact_type {
        manifest["artifactType"] = artifact_type.into();
    }
    manifest.to_string().into_bytes()
}

#[test]
fn scan_and_verify_share_one_signature_rule() {
    let mut s = Scratch::new("rule");
    let image_config: (&[u8], &str) =
        (br#"{"architecture":"amd64","os":"linux"}"#, "application/vnd.oci.image.config.v1+json");
    let tar: (&[u8], &str) = (b"layer bytes", "application/vnd.oci.image.layer.v1.tar+gzip");
    let signed = s.list(s.blob(&target_bytes(), MEDIA_TYPE_IMAGE_MANIFEST), Some("signed"));
    let signature = s.list(s.signature(&signed, b"envelope"), None);
    // An unsigned image whose index entry claims the signature artifact type.
    let mut claimed_in_index = s.blob(&image_manifest(&s, None, image_config, &[tar]), MEDIA_TYPE_IMAGE_MANIFEST);
    claimed_in_index["artifactType"] = NOTATION_SIGNATURE.into();
    let claimed_in_index = s.list(claimed_in_index, Some("index-claim"));
    // An unsigned image whose own manifest claims it, with a real config.
    let claimed_in_manifest = s.list(
        s.blob(&image_manifest(&s, Some(NOTATION_SIGNATURE), image_config, &[tar]), MEDIA_TYPE_IMAGE_MANIFEST),
        Some("manifest-claim"),
    );
    // An image in the legacy signature form, with a subject, but carrying image layers.
    let mut dressed: serde_json::Value =
        serde_json::from_slice(&image_manifest(&s, None, (b"{}", NOTATION_SIGNATURE), &[tar])).unwrap();
    dressed["subject"] = signed.clone();
    let dressed = s.list(s.blob(dressed.to_string().as_bytes(), MEDIA_TYPE_IMAGE_MANIFEST), Some("dressed"));
    let layout = s.open().unwrap();

    let artifacts: Vec<String> = layout.artifacts().iter().map(|m| m.descriptor.digest.clone()).collect();
    assert_eq!(
        artifacts,
        vec![digest(&signed), digest(&claimed_in_index), digest(&claimed_in_manifest), digest(&dressed)]
    );
    assert!(layout.is_notation_signature(&digest(&signature)));
    assert!(!layout.is_notation_signature(&digest(&dressed)));
    assert_eq!(layout.manifests().len(), 5, "manifests() still lists everything");
    // verify reads the dressed-up manifest as a (failing) signature of its subject, as notation
    // does: scan's artifacts are never fewer than what verify leaves out.
    let problem =
        "the signature envelope layer has unsupported media type \"application/vnd.oci.image.layer.v1.tar+gzip\"";
    assert_eq!(found(&layout, &signed), vec![(digest(&signature), None), (digest(&dressed), Some(problem.to_owned()))]);
    assert_eq!(found(&layout, &claimed_in_index), vec![]);
    assert_eq!(found(&layout, &claimed_in_manifest), vec![]);
}
