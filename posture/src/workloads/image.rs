//! Container image references as a workload names them (`[host[:port]/]path[:tag][@digest]`,
//! the grammar of the Docker/OCI distribution reference that Kubernetes, containerd and the
//! Azure runtimes read), and the one normalisation Kubernetes applies to them: Docker Hub's
//! implicit host and `library/` namespace.
//!
//! This module only parses and normalises; which scanned artifact a reference names is
//! `resolve`'s business. A tag is checked by the scan's rule for batch lines' tags
//! ([`check_tag`]): one grammar for both.

use crate::scan::check_tag;

/// The tag Kubernetes pulls when an image names neither a tag nor a digest.
pub(super) const DEFAULT_TAG: &str = "latest";
/// Docker Hub's canonical host: what the runtime puts in front of a name that has no host.
const DOCKER_HUB: &str = "docker.io";
/// Docker Hub's legacy host, which the runtime rewrites to [`DOCKER_HUB`].
const DOCKER_HUB_LEGACY: &str = "index.docker.io";
/// Docker Hub's namespace of official images: `nginx` is `docker.io/library/nginx`.
const OFFICIAL_NAMESPACE: &str = "library";

/// An image reference split into its parts, as written (nothing normalised).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct ImageRef<'a> {
    /// `[host[:port]/]path`, without tag or digest.
    pub name: &'a str,
    /// The tag, if one is written.
    pub tag: Option<&'a str>,
    /// The digest (`algorithm:encoded`), if one is written. When both are written the runtime
    /// pulls by digest and ignores the tag, and so does resolution.
    pub digest: Option<&'a str>,
}

impl<'a> ImageRef<'a> {
    /// Splits `image`; `Err` says why it is not an image reference (the runtime could not pull
    /// it either).
    pub(super) fn parse(image: &'a str) -> Result<Self, String> {
        if image.is_empty() {
            return Err("the container names no image".into());
        }
        // White space and control characters; for ASCII, the bytes up to space and DEL.
        let bad = if image.is_ascii() {
            image.bytes().any(|b| b <= b' ' || b == 0x7f)
        } else {
            image.chars().any(|c| c.is_whitespace() || c.is_control())
        };
        if bad {
            return Err("an image reference has no white space or control characters".into());
        }
        let (rest, digest) = match image.split_once('@') {
            Some((rest, digest)) => {
                check_digest(digest)?;
                (rest, Some(digest))
            }
            None => (image, None),
        };
        // A `:` after the last `/` starts the tag; one before it belongs to `host:port`.
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[last_slash..].find(':') {
            Some(i) => (&rest[..last_slash + i], Some(&rest[last_slash + i + 1..])),
            None => (rest, None),
        };
        if let Some(tag) = tag {
            check_tag(tag).map_err(|e| format!("tag {tag:?}: {e}"))?;
        }
        if name.is_empty() || name.starts_with('/') || name.ends_with('/') || name.contains("//") {
            return Err(format!("{name:?} is not a repository name"));
        }
        Ok(ImageRef { name, tag, digest })
    }

    /// The repository the runtime pulls from, when it differs from [`ImageRef::name`]:
    /// a name without a host gets `docker.io/`, a single-component Docker Hub name gets
    /// `library/`, and `index.docker.io` becomes `docker.io`. Names on any other host are
    /// already what the runtime pulls (`None`): normalisation never changes the registry of a
    /// name that has one.
    pub(super) fn normalised_name(&self) -> Option<String> {
        let (host, path) = split_host(self.name);
        let normalised = match host {
            None => docker_hub(self.name),
            Some(DOCKER_HUB) | Some(DOCKER_HUB_LEGACY) => docker_hub(path),
            Some(_) => return None,
        };
        (normalised != self.name).then_some(normalised)
    }
}

/// `docker.io/<path>`, with `library/` before a single-component path.
fn docker_hub(path: &str) -> String {
    if path.contains('/') {
        format!("{DOCKER_HUB}/{path}")
    } else {
        format!("{DOCKER_HUB}/{OFFICIAL_NAMESPACE}/{path}")
    }
}

/// The host of a name and the rest. The first component is a host when it has a `.` or a `:`,
/// is `localhost`, or has an upper-case letter (the distribution reference's rule: repository
/// paths are lower case, so such a component cannot be one).
fn split_host(name: &str) -> (Option<&str>, &str) {
    match name.split_once('/') {
        Some((first, rest))
            if first.contains(['.', ':']) || first == "localhost" || first.chars().any(|c| c.is_ascii_uppercase()) =>
        {
            (Some(first), rest)
        }
        _ => (None, name),
    }
}

/// `algorithm:encoded`, as the distribution reference grammar has it (algorithm components of
/// `[a-z0-9]` joined by `+._-`, at least 32 encoded characters of `[a-zA-Z0-9=_-]`).
fn check_digest(digest: &str) -> Result<(), String> {
    let bad = || format!("{digest:?} is not a digest (algorithm:encoded, e.g. sha256:<64 hex>)");
    let (algorithm, encoded) = digest.split_once(':').ok_or_else(bad)?;
    let algorithm_ok = !algorithm.is_empty()
        && algorithm
            .split(['+', '.', '_', '-'])
            .all(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
    let encoded_ok = encoded.len() >= 32 && encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"=_-".contains(&b));
    if algorithm_ok && encoded_ok { Ok(()) } else { Err(bad()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: &str = "sha256:5be1a7e2b83cc9084e76beba191d0bc9b3fc98592788356a314a0705893d1668";

    fn parts(image: &str) -> (String, Option<String>, Option<String>, Option<String>) {
        let r = ImageRef::parse(image).unwrap();
        (r.name.to_owned(), r.tag.map(str::to_owned), r.digest.map(str::to_owned), r.normalised_name())
    }

    #[test]
    fn splits_name_tag_and_digest() {
        assert_eq!(parts("nginx"), ("nginx".into(), None, None, Some("docker.io/library/nginx".into())));
        assert_eq!(ImageRef::parse("nginx").unwrap().tag, None);
        assert_eq!(parts("nginx:1.25").1.as_deref(), Some("1.25"));
        assert_eq!(parts("user/app:v1").3.as_deref(), Some("docker.io/user/app"));
        assert_eq!(parts("docker.io/nginx").3.as_deref(), Some("docker.io/library/nginx"));
        assert_eq!(parts("index.docker.io/user/app").3.as_deref(), Some("docker.io/user/app"));
        assert_eq!(parts("docker.io/library/nginx").3, None, "already normalised");
        let (name, tag, digest, normalised) = parts(&format!("registry.example:5000/team/app:v2@{D}"));
        assert_eq!(name, "registry.example:5000/team/app");
        assert_eq!(tag.as_deref(), Some("v2"));
        assert_eq!(digest.as_deref(), Some(D));
        assert_eq!(normalised, None, "a name with a host is never moved to another registry");
        assert_eq!(parts("localhost/app").3, None);
        assert_eq!(parts("localhost:5000/app").0, "localhost:5000/app");
        assert_eq!(parts("Registry/app").3, None, "an upper-case first component is a host");
    }

    #[test]
    fn rejects_what_no_runtime_pulls() {
        for bad in [
            "",
            " nginx",
            "nginx:",
            "nginx:-x",
            "app@sha256:abc",
            "app@sha256",
            "/app",
            "a//b",
            "app@",
            "app\u{7f}",
            "app\u{85}",
            "app\u{a0}:1",
            "app:é",
            "app\u{2028}",
        ] {
            assert!(ImageRef::parse(bad).is_err(), "{bad:?}");
        }
    }
}
