//! Which scanned artifact a workload container runs, and so its class.
//!
//! The scan's artifact lines are indexed twice, and only twice (memory grows with the
//! artifacts, not with the workloads): by reference (`registry/repository@digest`) and by
//! (repository, tag), from the tags of the layouts' `index.json` and the `"tags"` of batch
//! lines. Then, for each distinct image of the containers:
//!
//! 1. The image is parsed (`image::ImageRef`); an image that does not parse is `notScanned`.
//!    This needs no artifact: it is done while the files are read ([`Images`]), so that what
//!    is left after the scan is steps 3–5, lookups.
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

use super::image::{DEFAULT_TAG, ImageRef};
use super::{ResolvedBy, WorkloadClass, WorkloadLine};
use crate::hash::{HashMap, HashMapExt};
use crate::{Class, ScannedArtifact};
use std::ops::Range;
use std::sync::Arc;

/// Fewest distinct images, or workload lines, worth a thread of their own when resolving.
const RESOLVED_PER_THREAD: usize = 4096;
/// Digests named in an ambiguity reason.
const MAX_DIGESTS_NAMED: usize = 4;

/// What a (repository, tag) names.
enum Tagged {
    /// One digest: this line.
    One(usize),
    /// Several digests: a line of each (the first [`MAX_DIGESTS_NAMED`]), and how many.
    Ambiguous(Vec<usize>, usize),
}

/// Where an image is looked up (steps 2 and 3 above), found by parsing it: its parts as
/// ranges of the image (of a line that runs it), so that the images of a scan are parsed
/// without an allocation each.
#[derive(Debug)]
struct Wanted {
    /// A line that runs the image.
    line: usize,
    /// The name as written.
    name: Range<usize>,
    /// The Docker Hub name, when it differs from the name as written.
    normalised: Option<Box<str>>,
    /// The digest the image names, if any.
    digest: Option<Range<usize>>,
    /// The tag written, if any (when it names no digest, `latest` is looked up without one).
    tag: Option<Range<usize>>,
}

impl Wanted {
    /// Where `lines[line].image` is looked up, or why it is `notScanned` (it is not an image
    /// reference).
    fn parse(lines: &[WorkloadLine], line: usize) -> Result<Self, Arc<str>> {
        let image = lines[line].image.as_str();
        let parsed = ImageRef::parse(image).map_err(|e| Arc::from(format!("not an image reference: {e}")))?;
        // The parts are slices of `image`: where each starts in it.
        let range = |part: &str| {
            let start = part.as_ptr() as usize - image.as_ptr() as usize;
            start..start + part.len()
        };
        Ok(Self {
            line,
            name: range(parsed.name),
            normalised: parsed.normalised_name().map(String::into_boxed_str),
            digest: parsed.digest.map(range),
            tag: parsed.tag.map(range),
        })
    }

    /// The candidate repositories, in the order they are tried, and what is looked up under
    /// each, of this image of `lines`.
    fn lookup<'l>(&'l self, lines: &'l [WorkloadLine]) -> (impl Iterator<Item = &'l str> + Clone, Key<'l>) {
        let image = lines[self.line].image.as_str();
        let candidates = std::iter::once(&image[self.name.clone()]).chain(self.normalised.as_deref());
        let key = match &self.digest {
            Some(digest) => Key::Digest(&image[digest.clone()]),
            None => Key::Tag(self.tag.clone().map_or(DEFAULT_TAG, |tag| &image[tag])),
        };
        (candidates, key)
    }
}

/// What an image is looked up by under each candidate repository.
#[derive(Clone, Copy)]
enum Key<'a> {
    /// Its digest: the runtime pulls by digest, also when a tag is written.
    Digest(&'a str),
    /// Its tag (`latest` when none is written).
    Tag(&'a str),
}

/// The distinct images of the workload lines, each parsed once, and which one each line runs:
/// made while the files are read (it needs no scanned artifact), so that resolution after the
/// scan only looks each distinct image up. The containers of a cluster run the same images many
/// times over (replicas, sidecars).
#[derive(Debug, Default)]
pub(super) struct Images {
    /// Each distinct image: where it is looked up, or why it is `notScanned`.
    distinct: Vec<Result<Wanted, Arc<str>>>,
    /// For each line, in order, its image's position in `distinct`.
    of_line: Vec<usize>,
}

impl Images {
    /// The images of `lines`.
    pub(super) fn new(lines: &[WorkloadLine]) -> Self {
        let mut distinct = Vec::new();
        let mut by_image: HashMap<&str, usize> = HashMap::with_capacity(lines.len());
        let of_line = lines
            .iter()
            .enumerate()
            .map(|(n, line)| {
                *by_image.entry(line.image.as_str()).or_insert_with(|| {
                    distinct.push(Wanted::parse(lines, n));
                    distinct.len() - 1
                })
            })
            .collect();
        Self { distinct, of_line }
    }
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
        let mut by_tag: HashMap<(&str, &str), Tagged> = HashMap::with_capacity(lines.len());
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

    /// Resolves each of `lines` (given unresolved: `notScanned`, nothing found yet, and
    /// described by `images`) in place, on `jobs` threads: each distinct image is looked up once,
    /// then each line takes what its image resolved to.
    pub(super) fn resolve(&self, images: &Images, lines: &mut [WorkloadLine], jobs: usize) {
        let parts = |n: usize| n.div_ceil(jobs.max(1)).max(RESOLVED_PER_THREAD);
        let per_thread = parts(images.distinct.len());
        let found: Vec<Found> = std::thread::scope(|s| {
            let lines = &*lines;
            let mut parts = images.distinct.chunks(per_thread);
            let first = parts.next();
            let others: Vec<_> = parts.map(|part| s.spawn(move || self.find_each(part, lines))).collect();
            let mut found = first.map(|part| self.find_each(part, lines)).unwrap_or_default();
            for other in others {
                found.extend(other.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
            }
            found
        });
        let per_thread = parts(lines.len());
        std::thread::scope(|s| {
            let found = &found[..];
            let mut parts = lines.chunks_mut(per_thread).zip(images.of_line.chunks(per_thread));
            let first = parts.next();
            for (part, of_line) in parts {
                s.spawn(move || self.fill(part, of_line, found));
            }
            if let Some((part, of_line)) = first {
                self.fill(part, of_line, found);
            }
        });
    }

    /// What each of the distinct images `wanted` (a part of [`Images::distinct`]) of `lines`
    /// resolves to, in their order.
    fn find_each(&self, wanted: &[Result<Wanted, Arc<str>>], lines: &[WorkloadLine]) -> Vec<Found> {
        let find = |wanted: &Result<Wanted, Arc<str>>| match wanted {
            Ok(wanted) => self.find(wanted, lines),
            Err(reason) => Found::NotScanned(Arc::clone(reason)),
        };
        wanted.iter().map(find).collect()
    }

    /// Fills each of `lines` in: line `n` runs the image `found[of_line[n]]` resolved to.
    fn fill(&self, lines: &mut [WorkloadLine], of_line: &[usize], found: &[Found]) {
        for (line, &k) in lines.iter_mut().zip(of_line) {
            match &found[k] {
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

    /// The artifact line an image of `lines` names (with how, and whether through the
    /// normalised name), or why there is none.
    fn find(&self, wanted: &Wanted, lines: &[WorkloadLine]) -> Found {
        let (candidates, key) = wanted.lookup(lines);
        for (n, repository) in candidates.clone().enumerate() {
            let tag = match key {
                // `repository@digest` is a scanned reference.
                Key::Digest(digest) => {
                    if let Some(&i) = self.by_reference.get(&(repository, digest)) {
                        return Found::Artifact(i, ResolvedBy::Digest, n > 0);
                    }
                    continue;
                }
                Key::Tag(tag) => tag,
            };
            match self.by_tag.get(&(repository, tag)) {
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
        let tried = candidates.collect::<Vec<&str>>().join(" or ");
        Found::NotScanned(
            match key {
                Key::Digest(digest) => format!("no scanned input holds {digest} under {tried}"),
                Key::Tag(tag) => format!("tag {tag} of {tried} names no scanned artifact"),
            }
            .into(),
        )
    }
}
