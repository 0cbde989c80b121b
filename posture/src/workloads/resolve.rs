//! Which scanned artifact a workload container runs, and so its class.
//!
//! The scan's artifact lines are indexed twice, and only twice (memory grows with the
//! artifacts, not with the workloads): by reference (`registry/repository@digest`) and by
//! (repository, tag), from the tags of the layouts' `index.json` and the `"tags"` of batch
//! lines. Then, for each container's image:
//!
//! 1. The image is parsed (`image::ImageRef`); an image that does not parse is `notScanned`.
//! 2. Candidate repositories: the name as written; then, only if the name as written is not
//!    the one the runtime pulls, the Kubernetes-normalised name (`nginx` →
//!    `docker.io/library/nginx`, `user/app` → `docker.io/user/app`, `docker.io/nginx` →
//!    `docker.io/library/nginx`). Normalisation never changes a registry host other than
//!    Docker Hub's, so an image never matches an artifact of another registry.
//! 3. For each candidate in that order: with a digest (also `repo:tag@digest`, where the
//!    runtime ignores the tag), the artifact `candidate@digest`; else the artifacts tagged
//!    `candidate:tag` (tag `latest` when none is written). The first candidate that names a
//!    scanned artifact decides: so an artifact scanned under the name as written wins, and the
//!    normalised name is used only where the scan's scope (the policy's `registryScopes`) is
//!    written the normalised way.
//! 4. A tag that names more than one scanned digest (two inputs disagree) is ambiguous: the
//!    container is `notScanned` with the digests in the reason, never one of them.
//! 5. Nothing found: `notScanned` (out of policy), saying what was looked for.
//!
//! When one artifact was scanned more than once (a layout and a batch line naming it), the
//! out-of-policy classification wins over an in-policy one, else the first.

use super::image::ImageRef;
use super::{ResolvedBy, WorkloadClass, WorkloadLine};
use crate::hash::{HashMap, HashMapExt};
use crate::{Class, ScannedArtifact};
use std::sync::Arc;

/// Digests named in an ambiguity reason.
const MAX_DIGESTS_NAMED: usize = 4;

/// What a (repository, tag) names.
enum Tagged {
    /// One digest: this line.
    One(usize),
    /// Several digests: a line of each (the first [`MAX_DIGESTS_NAMED`]), and how many.
    Ambiguous(Vec<usize>, usize),
}

/// What an image resolves to.
enum Found {
    /// The artifact line, how it was found, and whether through the normalised name.
    Artifact(usize, ResolvedBy, bool),
    /// No artifact: why.
    NotScanned(Arc<str>),
}

/// What resolution needs of one scanned artifact: where it is found, and what a workload line
/// that runs it repeats.
#[derive(Clone, Debug)]
struct Kept {
    repository: String,
    tags: Vec<String>,
    reference: Arc<str>,
    class: Class,
    in_policy: bool,
    underlying: Option<Class>,
    check: Option<Arc<str>>,
    reason: Option<Arc<str>>,
}

/// The scanned artifacts as workload resolution needs them, kept while they are scanned: of
/// each, its reference, repository, tags and class (with the check and reason a workload line
/// repeats), not its signers and signatures. A scan with workloads keeps every artifact until
/// the workloads are resolved, so this is what its memory grows by.
#[derive(Clone, Debug, Default)]
pub struct Artifacts {
    kept: Vec<Kept>,
}

impl Artifacts {
    /// Keeps what resolution needs of `artifact`.
    pub fn add(&mut self, artifact: &ScannedArtifact) {
        let c = &artifact.classification;
        self.kept.push(Kept {
            repository: artifact.repository.clone(),
            tags: artifact.tags.clone(),
            reference: Arc::from(c.reference.as_str()),
            class: c.class,
            in_policy: c.in_policy,
            underlying: c.underlying,
            check: c.check.as_deref().map(Arc::from),
            reason: c.reason.as_deref().map(Arc::from),
        });
    }
}

/// The scanned artifacts by reference and by (repository, tag).
pub(super) struct ArtifactIndex<'a> {
    lines: &'a [Kept],
    /// By reference, split at its first `@` (an image's name has none, nor has a digest): so an
    /// image is looked up without building its reference.
    by_reference: HashMap<(&'a str, &'a str), usize>,
    by_tag: HashMap<(&'a str, &'a str), Tagged>,
}

fn digest_of(line: &Kept) -> &str {
    line.reference.rsplit_once('@').map_or("", |(_, d)| d)
}

impl<'a> ArtifactIndex<'a> {
    /// Indexes the scanned `artifacts`.
    pub(super) fn new(artifacts: &'a Artifacts) -> Self {
        let lines = &artifacts.kept[..];
        let mut by_reference: HashMap<(&str, &str), usize> = HashMap::with_capacity(lines.len());
        let mut by_tag: HashMap<(&str, &str), Tagged> = HashMap::new();
        // The out-of-policy line of one artifact wins over an in-policy one.
        let worse = |kept: usize, new: usize| {
            if lines[kept].in_policy && !lines[new].in_policy { new } else { kept }
        };
        for (i, line) in lines.iter().enumerate() {
            let reference = &*line.reference;
            by_reference
                .entry(reference.split_once('@').unwrap_or((reference, "")))
                .and_modify(|kept| *kept = worse(*kept, i))
                .or_insert(i);
            for tag in &line.tags {
                let entry = by_tag.entry((line.repository.as_str(), tag.as_str()));
                entry
                    .and_modify(|tagged| match tagged {
                        Tagged::One(kept) if digest_of(&lines[*kept]) == digest_of(line) => *kept = worse(*kept, i),
                        Tagged::One(kept) => *tagged = Tagged::Ambiguous(vec![*kept, i], 2),
                        Tagged::Ambiguous(named, count) => {
                            if !named.iter().any(|n| digest_of(&lines[*n]) == digest_of(line)) {
                                *count += 1;
                                if named.len() < MAX_DIGESTS_NAMED {
                                    named.push(i);
                                }
                            }
                        }
                    })
                    .or_insert(Tagged::One(i));
            }
        }
        ArtifactIndex { lines, by_reference, by_tag }
    }

    /// Resolves each of `lines` (given unresolved: `notScanned`, nothing found yet) in place.
    /// Each distinct image is looked up once: the containers of a cluster run the same images
    /// many times over (replicas, a controller's pods, sidecars).
    pub(super) fn resolve(&self, lines: &mut [WorkloadLine]) {
        let mut distinct: Vec<Found> = Vec::new();
        let mut by_image: HashMap<&str, usize> = HashMap::with_capacity(lines.len());
        let found: Vec<usize> = lines
            .iter()
            .map(|line| {
                *by_image.entry(line.image.as_str()).or_insert_with(|| {
                    distinct.push(self.find(&line.image));
                    distinct.len() - 1
                })
            })
            .collect();
        drop(by_image);
        for (line, &k) in lines.iter_mut().zip(&found) {
            match &distinct[k] {
                Found::Artifact(i, resolved_by, normalised) => {
                    let c = &self.lines[*i];
                    line.reference = Some(Arc::clone(&c.reference));
                    line.resolved_by = Some(*resolved_by);
                    line.normalised = *normalised;
                    line.class = WorkloadClass::Artifact(c.class);
                    line.in_policy = c.in_policy;
                    line.underlying = c.underlying;
                    line.check = c.check.clone();
                    line.reason = c.reason.clone();
                }
                Found::NotScanned(reason) => line.reason = Some(Arc::clone(reason)),
            }
        }
    }

    /// The artifact line an image names (with how, and whether through the normalised name),
    /// or why there is none.
    fn find(&self, image: &str) -> Found {
        let parsed = match ImageRef::parse(image) {
            Ok(parsed) => parsed,
            Err(e) => return Found::NotScanned(format!("not an image reference: {e}").into()),
        };
        let normalised = parsed.normalised_name();
        let candidates = [Some(parsed.name), normalised.as_deref()];
        let candidates = candidates.iter().flatten();
        for (n, repository) in candidates.clone().enumerate() {
            if let Some(digest) = parsed.digest {
                // `repository@digest` is a scanned reference.
                if let Some(&i) = self.by_reference.get(&(*repository, digest)) {
                    return Found::Artifact(i, ResolvedBy::Digest, n > 0);
                }
                continue;
            }
            let tag = parsed.tag_or_default();
            match self.by_tag.get(&(*repository, tag)) {
                Some(Tagged::One(i)) => return Found::Artifact(*i, ResolvedBy::Tag, n > 0),
                Some(Tagged::Ambiguous(named, count)) => {
                    let digests: Vec<&str> = named.iter().map(|i| digest_of(&self.lines[*i])).collect();
                    let more =
                        if *count > named.len() { format!(" and {} more", count - named.len()) } else { String::new() };
                    return Found::NotScanned(
                        format!(
                            "tag {tag} of {repository} is ambiguous: the scanned inputs tag {count} different digests \
                             with it ({}{more}); pin the image by digest",
                            digests.join(", ")
                        )
                        .into(),
                    );
                }
                None => {}
            }
        }
        let tried = candidates.copied().collect::<Vec<&str>>().join(" or ");
        Found::NotScanned(
            match parsed.digest {
                Some(digest) => format!("no scanned input holds {digest} under {tried}"),
                None => format!("tag {} of {tried} names no scanned artifact", parsed.tag_or_default()),
            }
            .into(),
        )
    }
}
