//! Roll-up and progress between scans: the per-source breakdown of a scan, and with
//! `scan --previous OLD.jsonl` (an earlier `scan -o json` output) the counts then and now per
//! repository, per source and in total, and the artifacts and workloads whose class changed.
//! Pure functions over the scan's lines, the artifact lines counted as they come
//! ([`ArtifactRollUp`]). Its JSON (the summary line's `sources` and `progress`) is here, its
//! HTML in [`crate::report`]; `notaverify scan` prints it as text too.
//!
//! Keys: an artifact is its `reference`; a workload container is its (source, kind, namespace,
//! name, container). A key present more than once on one side (the same digest in two inputs)
//! is compared by its first out-of-policy occurrence, or else its first one; the counts count
//! every line, as the summary does.
//!
//! Sources: an artifact's source is the input it came from: the layout directory as given, or
//! the batch file (the `:line` suffix that `scan` puts on a batch artifact's `source` dropped;
//! the same rule applies to both scans, so a layout directory whose name ends in `:<digits>`
//! is grouped without that suffix too). A workload's source is its `--workloads-source` label.
//!
//! Reading the previous file fails closed: it must be a complete `scan -o json` output — JSON
//! objects one per line, artifact lines (`reference`, `class`, `inPolicy`, `repository`,
//! `source`), workload lines (`workload` {`source`, `kind`, `namespace`, `name`, `container`},
//! `image`, `class`, `inPolicy`), and a last `summary` line whose `total` and `workloads.total`
//! (when present) are the numbers of artifact and workload lines — each with a known class whose
//! `inPolicy` agrees with it. Members it does not need are ignored; a JSON `{"error"}` document
//! (a scan that failed) is refused. The file, its lines and their number are bounded
//! ([`MAX_PREVIOUS_BYTES`], [`MAX_PREVIOUS_LINE_BYTES`], [`MAX_PREVIOUS_LINES`]); anything else
//! is an error naming the file and the line ([`read_previous`]).

mod json;
mod previous;

pub use previous::read_previous;

use crate::hash::{HashMap, HashMapExt, HashSet, HashSetExt};
use crate::workloads::{WorkloadClass, WorkloadSummary};
use crate::{Class, ScannedArtifact};
use std::collections::BTreeMap;
use std::hash::Hash;
use std::sync::Arc;

/// Largest previous scan file read.
pub const MAX_PREVIOUS_BYTES: u64 = 8 * 1024 * 1024 * 1024;
/// Longest line of a previous scan file (the summary line is the longest: it lists every
/// repository, exception and change).
pub const MAX_PREVIOUS_LINE_BYTES: usize = 64 * 1024 * 1024;
/// Most lines in a previous scan file (artifacts, workload containers and the summary).
pub const MAX_PREVIOUS_LINES: usize = 20_000_000;
/// Most changes kept (the first ones in report order); every change is counted.
pub const MAX_CHANGES_KEPT: usize = 10_000;
/// The class of a deployed workload whose image no scanned input holds (out of policy).
pub const NOT_SCANNED: &str = WorkloadClass::NotScanned.as_str();

/// A class name (an artifact class or [`NOT_SCANNED`]) and whether it is in policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct State {
    /// The class, as in the JSON lines.
    pub class: &'static str,
    /// In policy.
    pub in_policy: bool,
}

impl State {
    /// The state of an artifact class.
    pub fn of(class: Class, in_policy: bool) -> Self {
        Self { class: class.as_str(), in_policy }
    }
}

/// The known class names: the artifact classes then [`NOT_SCANNED`], in report order.
pub fn class_names() -> impl Iterator<Item = &'static str> {
    Class::ALL.into_iter().map(Class::as_str).chain(std::iter::once(NOT_SCANNED))
}

fn class_rank(name: &str) -> usize {
    class_names().position(|c| c == name).unwrap_or(usize::MAX)
}

/// The static name of a known class, and whether that class is in policy.
fn known_class(name: &str) -> Option<(&'static str, bool)> {
    if name == NOT_SCANNED {
        return Some((NOT_SCANNED, false));
    }
    Class::from_name(name).map(|c| (c.as_str(), c.in_policy()))
}

/// Counts of one group at one scan.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Lines.
    pub total: usize,
    /// In policy.
    pub in_policy: usize,
    counts: BTreeMap<&'static str, usize>,
}

impl Tally {
    /// Counts one more.
    pub fn add(&mut self, state: State) {
        self.total += 1;
        self.in_policy += usize::from(state.in_policy);
        *self.counts.entry(state.class).or_default() += 1;
    }

    /// The tally of `total` workload lines, `out_of_policy` of them out of policy, counted per
    /// class in [`WorkloadClass::all`] order (as [`WorkloadSummary`] counts them): what adding
    /// each line would give.
    pub(crate) fn of_workloads(total: usize, out_of_policy: usize, counts: &[usize; WorkloadClass::COUNT]) -> Self {
        let counts = WorkloadClass::all().into_iter().zip(counts).filter(|(_, n)| **n > 0);
        Self { total, in_policy: total - out_of_policy, counts: counts.map(|(c, n)| (c.as_str(), *n)).collect() }
    }

    /// Out of policy.
    pub fn out_of_policy(&self) -> usize {
        self.total - self.in_policy
    }

    /// The share in policy (0..=1), or `None` when the group is empty.
    pub fn share(&self) -> Option<f64> {
        (self.total > 0).then(|| self.in_policy as f64 / self.total as f64)
    }

    /// The non-zero counts per class, in report order.
    pub fn counts(&self) -> Vec<(&'static str, usize)> {
        let mut counts: Vec<(&'static str, usize)> = self.counts.iter().map(|(c, n)| (*c, *n)).collect();
        counts.sort_by_key(|(c, _)| class_rank(c));
        counts
    }
}

/// A group (repository or source) then and now.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Row {
    /// The repository or source.
    pub name: String,
    /// At the previous scan (empty when it had none of the group).
    pub then: Tally,
    /// At this scan.
    pub now: Tally,
}

/// How an artifact or workload changed, in report order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    /// In policy then, out of policy now.
    NewlyOutOfPolicy,
    /// Out of policy then, in policy now.
    NewlyInPolicy,
    /// Another class, on the same side of the policy.
    ClassChanged,
    /// Not in the previous scan.
    Appeared,
    /// Only in the previous scan.
    Disappeared,
}

impl ChangeKind {
    /// Every kind, in report order.
    pub const ALL: [Self; 5] =
        [Self::NewlyOutOfPolicy, Self::NewlyInPolicy, Self::ClassChanged, Self::Appeared, Self::Disappeared];

    /// The JSON name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::NewlyOutOfPolicy => "newlyOutOfPolicy",
            Self::NewlyInPolicy => "newlyInPolicy",
            Self::ClassChanged => "classChanged",
            Self::Appeared => "appeared",
            Self::Disappeared => "disappeared",
        }
    }

    /// For people.
    pub const fn label(self) -> &'static str {
        match self {
            Self::NewlyOutOfPolicy => "newly out of policy",
            Self::NewlyInPolicy => "newly in policy",
            Self::ClassChanged => "class changed",
            Self::Appeared => "appeared",
            Self::Disappeared => "disappeared",
        }
    }
}

/// A workload container's identity.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WorkloadKey {
    /// The `--workloads-source` label.
    pub source: String,
    /// Pod, Deployment, ..., ContainerApp, WebApp.
    pub kind: String,
    /// The namespace (empty where there is none).
    pub namespace: String,
    /// The workload's name.
    pub name: String,
    /// The container's name.
    pub container: String,
}

/// One side (then or now) of an artifact or workload as compared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seen {
    /// Class and policy.
    pub state: State,
    /// The workload's image (workloads only).
    pub image: Option<String>,
}

/// One change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change<K> {
    /// How it changed.
    pub kind: ChangeKind,
    /// The artifact's reference or the workload's key.
    pub key: K,
    /// The repository (artifacts; empty for workloads).
    pub repository: String,
    /// The source (now, or then when it disappeared).
    pub source: String,
    /// At the previous scan.
    pub then: Option<Seen>,
    /// At this scan.
    pub now: Option<Seen>,
}

/// Changes, the first [`MAX_CHANGES_KEPT`] in report order, and how many of each kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Changes<K> {
    /// Newly out of policy first, then newly in policy, other class changes, appeared (out of
    /// policy first), disappeared; by source then key within a kind.
    pub listed: Vec<Change<K>>,
    /// Count per kind, in [`ChangeKind::ALL`] order.
    pub counts: [usize; 5],
}

impl<K> Changes<K> {
    /// All changes (also those not listed).
    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }

    /// Changes counted but not listed.
    pub fn omitted(&self) -> usize {
        self.total() - self.listed.len()
    }
}

/// The artifact or workload side of the comparison.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comparison<K> {
    /// Everything.
    pub total: Row,
    /// Per repository (artifacts only; empty for workloads), by name.
    pub repositories: Vec<Row>,
    /// Per source, by name.
    pub sources: Vec<Row>,
    /// What changed class, appeared or disappeared.
    pub changes: Changes<K>,
}

/// The comparison with a previous scan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    /// The previous file, as given.
    pub previous: String,
    /// The previous scan's time (its summary's `at`).
    pub previous_at: Option<String>,
    /// Artifacts.
    pub artifacts: Comparison<String>,
    /// Workload containers, when either scan has some.
    pub workloads: Option<Comparison<WorkloadKey>>,
}

/// The roll-up of a scan: per source, and the progress since a previous scan.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RollUp {
    /// Artifacts per source, by name.
    pub sources: Vec<(String, Tally)>,
    /// Workload containers per source, by name.
    pub workload_sources: Vec<(String, Tally)>,
    /// With `--previous`.
    pub progress: Option<Progress>,
}

/// The source an artifact line is grouped under: its `source` without a batch line's `:<line>`.
pub fn source_of(source: &str) -> &str {
    match source.rsplit_once(':') {
        Some((file, line)) if !file.is_empty() && !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit()) => file,
        _ => source,
    }
}

/// One side's lines: counts per group and the entries by key.
#[derive(Debug)]
struct Side<K> {
    total: Tally,
    repositories: BTreeMap<Arc<str>, Tally>,
    sources: BTreeMap<Arc<str>, Tally>,
    entries: HashMap<K, Entry>,
    names: HashSet<Arc<str>>,
    /// Whether `entries` is kept (only to compare with another scan).
    keyed: bool,
}

#[derive(Debug)]
struct Entry {
    /// The occurrence the key is compared by: its first out-of-policy one, else its first.
    seen: Seen,
    /// The key's other occurrences (a workload mid-rollout runs two images in one container).
    others: Vec<Seen>,
    repository: Arc<str>,
    source: Arc<str>,
}

impl Entry {
    /// What to show of this side: `seen`, or an occurrence in the same state with `image` (so
    /// that a workload running two images shows the same image then and now).
    fn shown(&self, image: &Option<String>) -> Seen {
        if image.is_some()
            && self.seen.image != *image
            && let Some(s) = self.others.iter().find(|s| s.state == self.seen.state && s.image == *image)
        {
            return s.clone();
        }
        self.seen.clone()
    }
}

impl<K> Default for Side<K> {
    fn default() -> Self {
        Self {
            total: Tally::default(),
            repositories: BTreeMap::new(),
            sources: BTreeMap::new(),
            entries: HashMap::new(),
            names: HashSet::new(),
            keyed: true,
        }
    }
}

impl<K: Eq + Hash> Side<K> {
    fn name(&mut self, name: &str) -> Arc<str> {
        if let Some(n) = self.names.get(name) {
            return n.clone();
        }
        let n: Arc<str> = Arc::from(name);
        self.names.insert(n.clone());
        n
    }

    /// Counts a line; `repository` is `None` for workloads (not grouped per repository).
    fn add(&mut self, key: K, seen: Seen, repository: Option<&str>, source: &str) {
        self.add_with(seen.state, repository, source, || (key, seen));
    }

    /// [`Side::add`] with the key and the occurrence built by `line` only when the entries are
    /// kept: a scan without `--previous` counts its lines without copying their strings.
    fn add_with(&mut self, state: State, repository: Option<&str>, source: &str, line: impl FnOnce() -> (K, Seen)) {
        self.total.add(state);
        let source = self.name(source);
        self.sources.entry(source.clone()).or_default().add(state);
        let repository = match repository {
            Some(r) => {
                let r = self.name(r);
                self.repositories.entry(r.clone()).or_default().add(state);
                r
            }
            None => self.name(""),
        };
        if self.keyed {
            let (key, seen) = line();
            self.keep(key, seen, repository, source);
        }
    }

    /// Keeps a line's entry (its counts are the caller's).
    fn keep(&mut self, key: K, seen: Seen, repository: Arc<str>, source: Arc<str>) {
        match self.entries.get_mut(&key) {
            None => {
                self.entries.insert(key, Entry { seen, others: Vec::new(), repository, source });
            }
            // A key seen twice is compared by its first out-of-policy occurrence.
            Some(first) if first.seen.state.in_policy && !seen.state.in_policy => {
                let previous = std::mem::replace(&mut first.seen, seen);
                first.others.push(previous);
                (first.repository, first.source) = (repository, source);
            }
            Some(first) => first.others.push(seen),
        }
    }

    fn is_empty(&self) -> bool {
        self.total.total == 0
    }
}

impl Side<WorkloadKey> {
    /// The deployed workload containers of a scan. Their counts are the summary's, per source and
    /// class, not counted again line by line; their entries are kept line by line.
    fn workloads(workloads: &WorkloadSummary, keyed: bool) -> Self {
        let mut side = Self { keyed, ..Self::default() };
        side.total = Tally::of_workloads(workloads.total, workloads.out_of_policy, &workloads.counts);
        // The summary also has the sources without a container; a side only those it counted.
        for row in workloads.sources.iter().filter(|r| r.total > 0) {
            let source = side.name(&row.source);
            side.sources.insert(source, Tally::of_workloads(row.total, row.out_of_policy, &row.counts));
        }
        if !keyed {
            return side;
        }
        let repository = side.name("");
        for w in &workloads.lines {
            let id = &w.workload;
            let key = WorkloadKey {
                source: id.source.to_string(),
                kind: id.kind.to_string(),
                namespace: id.namespace.to_string(),
                name: id.name.to_string(),
                container: id.container.clone(),
            };
            let seen =
                Seen { state: State { class: w.class.as_str(), in_policy: w.in_policy }, image: Some(w.image.clone()) };
            let source = side.name(&id.source);
            side.keep(key, seen, Arc::clone(&repository), source);
        }
        side
    }
}

fn rows(then: &BTreeMap<Arc<str>, Tally>, now: &BTreeMap<Arc<str>, Tally>) -> Vec<Row> {
    let mut names: Vec<&Arc<str>> = then.keys().chain(now.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .map(|n| Row {
            name: n.to_string(),
            then: then.get(n).cloned().unwrap_or_default(),
            now: now.get(n).cloned().unwrap_or_default(),
        })
        .collect()
}

fn compare<K: Eq + Hash + Ord + Clone>(then: &Side<K>, now: &Side<K>) -> Comparison<K> {
    let mut all: Vec<Change<K>> = Vec::new();
    let mut counts = [0usize; 5];
    let mut push = |kind: ChangeKind, key: &K, t: Option<&Entry>, n: Option<&Entry>| {
        counts[ChangeKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)] += 1;
        let place = n.or(t).expect("one side");
        all.push(Change {
            kind,
            key: key.clone(),
            repository: place.repository.to_string(),
            source: place.source.to_string(),
            // Where a key runs several images, the same image on both sides when there is one.
            then: t.map(|t| t.shown(&n.and_then(|n| n.seen.image.clone()))),
            now: n.map(|n| match t {
                Some(t) if t.shown(&n.seen.image).image == n.seen.image => n.seen.clone(),
                Some(t) => n.shown(&t.seen.image),
                None => n.seen.clone(),
            }),
        });
    };
    for (key, n) in &now.entries {
        match then.entries.get(key) {
            None => push(ChangeKind::Appeared, key, None, Some(n)),
            Some(t) if t.seen.state.class != n.seen.state.class || t.seen.state.in_policy != n.seen.state.in_policy => {
                let kind = match (t.seen.state.in_policy, n.seen.state.in_policy) {
                    (true, false) => ChangeKind::NewlyOutOfPolicy,
                    (false, true) => ChangeKind::NewlyInPolicy,
                    _ => ChangeKind::ClassChanged,
                };
                push(kind, key, Some(t), Some(n));
            }
            Some(_) => {}
        }
    }
    for (key, t) in &then.entries {
        if !now.entries.contains_key(key) {
            push(ChangeKind::Disappeared, key, Some(t), None);
        }
    }
    // Within a kind: out of policy now first (appeared), then by source and key.
    all.sort_by(|a, b| {
        let out = |c: &Change<K>| c.now.as_ref().is_some_and(|s| !s.state.in_policy);
        (a.kind, !out(a), &a.source, &a.key).cmp(&(b.kind, !out(b), &b.source, &b.key))
    });
    all.truncate(MAX_CHANGES_KEPT);
    Comparison {
        total: Row { name: String::new(), then: then.total.clone(), now: now.total.clone() },
        repositories: rows(&then.repositories, &now.repositories),
        sources: rows(&then.sources, &now.sources),
        changes: Changes { listed: all, counts },
    }
}

/// A previous scan, as read from its `scan -o json` output.
#[derive(Debug)]
pub struct Previous {
    path: String,
    at: Option<String>,
    artifacts: Side<String>,
    workloads: Side<WorkloadKey>,
}

/// A scan's artifact lines counted as they come (per repository and per source; by key too when
/// they are compared with a previous scan): the artifact side of a [`RollUp`], which needs no
/// line kept.
#[derive(Debug)]
pub struct ArtifactRollUp<'p> {
    side: Side<String>,
    previous: Option<&'p Previous>,
}

impl<'p> ArtifactRollUp<'p> {
    /// Nothing counted yet; compared with `previous` when given.
    pub fn new(previous: Option<&'p Previous>) -> Self {
        ArtifactRollUp { side: Side { keyed: previous.is_some(), ..Side::default() }, previous }
    }

    /// Counts one artifact line.
    pub fn add(&mut self, line: &ScannedArtifact) {
        let c = &line.classification;
        let state = State::of(c.class, c.in_policy);
        self.side.add_with(state, Some(&line.repository), source_of(&line.source), || {
            (c.reference.clone(), Seen { state, image: None })
        });
    }
}

impl RollUp {
    /// The roll-up of a scan's artifact lines (counted in `artifacts`) and deployed `workloads`,
    /// compared with the previous scan the artifacts were counted for, if any.
    pub fn new(artifacts: ArtifactRollUp<'_>, workloads: Option<&WorkloadSummary>) -> Self {
        let ArtifactRollUp { side: artifacts, previous } = artifacts;
        let keyed = artifacts.keyed;
        let deployed = match workloads {
            Some(w) => Side::workloads(w, keyed),
            None => Side { keyed, ..Side::default() },
        };
        let sources = artifacts.sources.iter().map(|(n, t)| (n.to_string(), t.clone())).collect();
        let workload_sources = deployed.sources.iter().map(|(n, t)| (n.to_string(), t.clone())).collect();
        let progress = previous.map(|p| Progress {
            previous: p.path.clone(),
            previous_at: p.at.clone(),
            artifacts: compare(&p.artifacts, &artifacts),
            workloads: (!p.workloads.is_empty() || !deployed.is_empty()).then(|| compare(&p.workloads, &deployed)),
        });
        Self { sources, workload_sources, progress }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_sources_are_grouped_by_file() {
        assert_eq!(source_of("batches/east.jsonl:12"), "batches/east.jsonl");
        assert_eq!(source_of("layouts/app"), "layouts/app");
        assert_eq!(source_of("C:\\scans\\a.jsonl:3"), "C:\\scans\\a.jsonl");
        assert_eq!(source_of("odd:"), "odd:");
        assert_eq!(source_of(":12"), ":12");
    }

    fn side(entries: &[(&str, Class, bool, &str)]) -> Side<String> {
        let mut s = Side::default();
        for (key, class, in_policy, source) in entries {
            let repo = key.split('@').next().unwrap_or_default().to_owned();
            s.add((*key).to_owned(), Seen { state: State::of(*class, *in_policy), image: None }, Some(&repo), source);
        }
        s
    }

    #[test]
    fn changes_come_newly_out_of_policy_first() {
        let then = side(&[
            ("r/a@1", Class::Verified, true, "s"),
            ("r/a@2", Class::Unsigned, false, "s"),
            ("r/a@3", Class::Unsigned, false, "s"),
            ("r/b@4", Class::Verified, true, "t"),
            ("r/b@5", Class::Verified, true, "t"),
        ]);
        let now = side(&[
            ("r/a@1", Class::Verified, true, "s"),
            ("r/a@2", Class::Verified, true, "s"),
            ("r/a@3", Class::UnknownSigner, false, "s"),
            ("r/b@4", Class::RetiredSigner, false, "t"),
            ("r/b@6", Class::Verified, true, "t"),
            ("r/b@7", Class::Unsigned, false, "t"),
        ]);
        let c = compare(&then, &now);
        let kinds: Vec<(ChangeKind, &str)> = c.changes.listed.iter().map(|c| (c.kind, c.key.as_str())).collect();
        assert_eq!(
            kinds,
            [
                (ChangeKind::NewlyOutOfPolicy, "r/b@4"),
                (ChangeKind::NewlyInPolicy, "r/a@2"),
                (ChangeKind::ClassChanged, "r/a@3"),
                (ChangeKind::Appeared, "r/b@7"),
                (ChangeKind::Appeared, "r/b@6"),
                (ChangeKind::Disappeared, "r/b@5"),
            ]
        );
        assert_eq!(c.changes.counts, [1, 1, 1, 2, 1]);
        assert_eq!(
            (c.total.then.total, c.total.then.in_policy, c.total.now.total, c.total.now.in_policy),
            (5, 3, 6, 3)
        );
        let b = c.repositories.iter().find(|r| r.name == "r/b").unwrap();
        assert_eq!((b.then.in_policy, b.now.in_policy, b.now.out_of_policy()), (2, 1, 2));
        assert_eq!(c.sources.len(), 2);
    }

    #[test]
    fn a_workload_running_two_images_shows_the_same_image_then_and_now() {
        let key = WorkloadKey {
            source: "aks".into(),
            kind: "Deployment".into(),
            namespace: "prod".into(),
            name: "web".into(),
            container: "app".into(),
        };
        let seen = |class: Class, in_policy: bool, image: &str| Seen {
            state: State::of(class, in_policy),
            image: Some(image.to_owned()),
        };
        // Mid-rollout: two ReplicaSets of one Deployment, the old one on the rotated-out key.
        let mut then: Side<WorkloadKey> = Side::default();
        then.add(key.clone(), seen(Class::Verified, true, "app:new"), None, "aks");
        then.add(key.clone(), seen(Class::Verified, true, "app:old"), None, "aks");
        let mut now: Side<WorkloadKey> = Side::default();
        now.add(key.clone(), seen(Class::Verified, true, "app:new"), None, "aks");
        now.add(key.clone(), seen(Class::RetiredSigner, false, "app:old"), None, "aks");
        let c = compare(&then, &now);
        assert_eq!(c.changes.counts, [1, 0, 0, 0, 0]);
        let change = &c.changes.listed[0];
        assert_eq!(change.then, Some(seen(Class::Verified, true, "app:old")), "not app:new");
        assert_eq!(change.now, Some(seen(Class::RetiredSigner, false, "app:old")));
        // And back: the now side shows the image that was out of policy then.
        let c = compare(&now, &then);
        let change = &c.changes.listed[0];
        assert_eq!(change.kind, ChangeKind::NewlyInPolicy);
        assert_eq!(change.now, Some(seen(Class::Verified, true, "app:old")));
        assert_eq!(c.total.now.total, 2);
    }

    #[test]
    fn a_duplicate_is_compared_by_its_out_of_policy_occurrence() {
        let then = side(&[("r@1", Class::Verified, true, "s")]);
        let now = side(&[("r@1", Class::Verified, true, "s"), ("r@1", Class::Unsigned, false, "t")]);
        let c = compare(&then, &now);
        assert_eq!(c.changes.counts[0], 1);
        assert_eq!(c.changes.listed[0].source, "t");
        assert_eq!(c.total.now.total, 2, "every line counts");
    }
}
