//! Kubernetes objects as `kubectl get ... -o json|yaml` prints them (single objects, or a
//! `List`/`<Kind>List` with `items`): which kinds run containers, where each keeps its pod spec,
//! and the folding of objects owned by a listed controller into that controller.
//!
//! | kind | pod spec |
//! |---|---|
//! | Pod | `spec` |
//! | Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job | `spec.template.spec` |
//! | CronJob | `spec.jobTemplate.spec.template.spec` |
//!
//! Every container of the pod spec is a workload container: `initContainers`, `containers`,
//! then `ephemeralContainers`. Objects of other kinds (Service, ConfigMap, custom resources)
//! are skipped, and the file's warning names them.
//!
//! Folding: a listed object whose `metadata.ownerReferences` names another listed object
//! (same namespace, kind and name, and the same uid when both have one) is reported under that
//! owner, transitively — a Pod of a ReplicaSet of a Deployment under the Deployment, a Pod of a
//! Job of a CronJob under the CronJob. Its containers are reported once: a container with the
//! same name, list and image as one already reported for the owner is not repeated, but a
//! different image (a pod of the previous ReplicaSet still running during a rollout, a debug
//! container) is its own line under the owner, since it is running too. An object listed twice
//! (same kind, namespace and name) is one object.

use super::read::{Container, Object, Spec, Text};
use super::{ContainerType, Problem, WorkloadId, WorkloadLine};
use crate::hash::{HashMap, HashMapExt};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Longest chain of owners followed (Pod → ReplicaSet → Deployment is 2); a longer chain in a
/// malformed file stops there.
const MAX_OWNER_HOPS: usize = 8;
/// The namespace of an object that names none (a manifest; `kubectl` prints it for every
/// namespaced object).
const DEFAULT_NAMESPACE: &str = "default";

/// A listed workload object: its strings borrowed from the file where they can be (the file
/// outlives the collector).
#[derive(Debug)]
pub(super) struct Workload<'a> {
    kind: Cow<'a, str>,
    namespace: Cow<'a, str>,
    name: Cow<'a, str>,
    uid: Option<Cow<'a, str>>,
    owners: Vec<Owner<'a>>,
    containers: Vec<Listed<'a>>,
}

/// A container of a listed object: its list, name and image.
type Listed<'a> = (ContainerType, Cow<'a, str>, Cow<'a, str>);

/// A `metadata.ownerReferences[]` entry with a kind and a name.
#[derive(Debug)]
struct Owner<'a> {
    kind: Cow<'a, str>,
    name: Cow<'a, str>,
    uid: Option<Cow<'a, str>>,
    controller: bool,
}

/// The Kubernetes objects of one file.
#[derive(Default)]
pub(super) struct Collector<'a> {
    workloads: Vec<Workload<'a>>,
    /// Objects of other kinds, counted by kind.
    skipped: BTreeMap<String, usize>,
}

/// Whether `object` is a Kubernetes object (it has `apiVersion` and `kind`).
pub(super) fn is_kubernetes(object: &Object<'_>) -> bool {
    object.api_version.is_some() && object.kind.is_some()
}

/// A Kubernetes object taken apart for the collector as soon as it is read: a `List`'s items
/// are prepared one by one as they are read (`read::Items`), so that the items of a large
/// export are never all held as objects.
#[derive(Debug)]
pub(super) enum Prepared<'a> {
    /// A `List` (a kind that ends in `List`, with `items`): its kind and its items, each `None`
    /// when it is not a Kubernetes object.
    List(Cow<'a, str>, Vec<Option<Self>>),
    /// An object of a workload kind.
    Workload(Workload<'a>),
    /// An object of a kind that is not read: its kind.
    Skipped(Cow<'a, str>),
    /// An object of a workload kind that cannot be reported: why.
    Invalid(Problem),
}

/// `object`, a Kubernetes object ([`is_kubernetes`]), taken apart for the collector.
pub(super) fn prepare(object: Object<'_>) -> Prepared<'_> {
    let kind = object.kind.map(Text::into_cow).unwrap_or_default();
    if kind.ends_with("List")
        && let Some(items) = object.items
    {
        return Prepared::List(kind, items.0);
    }
    let Some(pod_spec) = pod_spec(&kind, object.spec) else {
        return Prepared::Skipped(kind);
    };
    let metadata = object.metadata.unwrap_or_default();
    let name = match (metadata.name, metadata.generate_name) {
        (Some(name), _) if !name.is_empty() => name.into_cow(),
        (_, Some(prefix)) if !prefix.is_empty() => Cow::Owned(format!("{}*", &*prefix)),
        _ => return Prepared::Invalid(Problem::Invalid(format!("a {kind} without metadata.name"))),
    };
    let owners = metadata
        .owner_references
        .unwrap_or_default()
        .into_iter()
        .filter_map(|o| {
            Some(Owner {
                kind: o.kind?.into_cow(),
                name: o.name?.into_cow(),
                uid: o.uid.map(Text::into_cow),
                controller: o.controller.unwrap_or(false),
            })
        })
        .collect();
    let mut containers = Vec::new();
    if let Some(spec) = pod_spec {
        for (list, container_type) in [
            (spec.init_containers, ContainerType::Init),
            (spec.containers, ContainerType::Container),
            (spec.ephemeral_containers, ContainerType::Ephemeral),
        ] {
            for Container { name, image } in list.unwrap_or_default() {
                containers.push((
                    container_type,
                    name.map(Text::into_cow).unwrap_or_default(),
                    image.map(Text::into_cow).unwrap_or_default(),
                ));
            }
        }
    }
    Prepared::Workload(Workload {
        kind,
        namespace: metadata
            .namespace
            .filter(|n| !n.is_empty())
            .map_or(Cow::Borrowed(DEFAULT_NAMESPACE), Text::into_cow),
        name,
        uid: metadata.uid.map(Text::into_cow),
        owners,
        containers,
    })
}

impl<'a> Collector<'a> {
    /// Adds a Kubernetes object ([`is_kubernetes`]; a `List`'s items one by one); returns the
    /// number of containers added.
    pub(super) fn add(&mut self, object: Object<'a>) -> Result<usize, Problem> {
        self.take(prepare(object))
    }

    /// Adds a prepared object.
    fn take(&mut self, prepared: Prepared<'a>) -> Result<usize, Problem> {
        match prepared {
            Prepared::List(kind, items) => {
                let mut added = 0;
                for item in items {
                    let Some(item) = item else {
                        return Err(Problem::Unrecognised(format!(
                            "an item of the {kind} is not a Kubernetes object (it has no apiVersion and kind)"
                        )));
                    };
                    added += self.take(item)?;
                }
                Ok(added)
            }
            Prepared::Workload(workload) => {
                let added = workload.containers.len();
                self.workloads.push(workload);
                Ok(added)
            }
            Prepared::Skipped(kind) => {
                *self.skipped.entry(kind.into_owned()).or_default() += 1;
                Ok(0)
            }
            Prepared::Invalid(problem) => Err(problem),
        }
    }

    /// The workload containers, folded into their listed owners, and the warning about skipped
    /// kinds.
    pub(super) fn finish(mut self, source: &str, out: &mut Vec<WorkloadLine>, warnings: &mut Vec<String>) {
        if !self.skipped.is_empty() {
            let kinds: Vec<String> = self.skipped.iter().map(|(k, n)| format!("{k} ({n})")).collect();
            warnings.push(format!(
                "skipped Kubernetes objects of kinds that are not read (only Pod, Deployment, StatefulSet, DaemonSet, \
                 ReplicaSet, ReplicationController, Job and CronJob run containers here): {}",
                kinds.join(", ")
            ));
        }
        let objects = &self.workloads;
        // The first object of each (kind, namespace, name): a duplicate is that object.
        let mut by_key: HashMap<(&str, &str, &str), usize> = HashMap::with_capacity(objects.len());
        let canonical: Vec<usize> = objects
            .iter()
            .enumerate()
            .map(|(i, o)| *by_key.entry((&o.kind, &o.namespace, &o.name)).or_insert(i))
            .collect();
        let owner_of = |i: usize| -> Option<usize> {
            let o = &objects[i];
            // The managing controller first, then the other owners in order.
            let controllers = o.owners.iter().filter(|owner| owner.controller);
            controllers.chain(o.owners.iter().filter(|owner| !owner.controller)).find_map(|owner| {
                let j = *by_key.get(&(&*owner.kind, &*o.namespace, &*owner.name))?;
                let same_uid = match (&owner.uid, &objects[j].uid) {
                    (Some(a), Some(b)) => a == b,
                    _ => true,
                };
                (same_uid && j != canonical[i]).then_some(j)
            })
        };
        // Owners are followed up to the top; an ownership cycle (a malformed file) has one root
        // all the same: its first object.
        let mut chain = Vec::with_capacity(MAX_OWNER_HOPS + 2);
        let root: Vec<usize> = (0..objects.len())
            .map(|i| {
                chain.clear();
                chain.push(canonical[i]);
                loop {
                    let last = chain[chain.len() - 1];
                    match owner_of(last) {
                        Some(owner) if chain.contains(&owner) => {
                            let start = chain.iter().position(|&c| c == owner).unwrap_or(0);
                            break chain[start..].iter().copied().min().unwrap_or(last);
                        }
                        Some(owner) if chain.len() <= MAX_OWNER_HOPS => chain.push(owner),
                        _ => break last,
                    }
                }
            })
            .collect();
        // Each root's own containers first, then those of the objects folded into it; a root's
        // containers are few, so its distinct ones are found among the lines it has so far.
        let mut order: Vec<usize> = (0..objects.len()).collect();
        order.sort_by_key(|&i| (root[i], i != root[i], i));
        let mut containers: Vec<Vec<Listed<'a>>> =
            self.workloads.iter_mut().map(|o| std::mem::take(&mut o.containers)).collect();
        let objects = &self.workloads;
        let source: Arc<str> = Arc::from(source);
        let mut current = usize::MAX;
        let mut first_line = out.len();
        // The root's kind, namespace and name, shared by its lines.
        let (mut kind, mut namespace, mut name): (Arc<str>, Arc<str>, Arc<str>) = Default::default();
        for i in order {
            let r = root[i];
            if r != current {
                current = r;
                first_line = out.len();
                let o = &objects[r];
                (kind, namespace, name) = (Arc::from(&*o.kind), Arc::from(&*o.namespace), Arc::from(&*o.name));
            }
            for (container_type, container, image) in std::mem::take(&mut containers[i]) {
                let seen = out[first_line..].iter().any(|d| {
                    d.container_type == container_type && d.workload.container == container && d.image == image
                });
                if seen {
                    continue;
                }
                out.push(WorkloadLine::unresolved(
                    WorkloadId {
                        source: Arc::clone(&source),
                        kind: Arc::clone(&kind),
                        namespace: Arc::clone(&namespace),
                        name: Arc::clone(&name),
                        container: container.into_owned(),
                    },
                    container_type,
                    image.into_owned(),
                ));
            }
        }
    }
}

/// The pod spec of a workload kind (`Some(None)` when the object has none), or `None` for the
/// kinds that are not read.
fn pod_spec<'a>(kind: &str, spec: Option<Spec<'a>>) -> Option<Option<Spec<'a>>> {
    let template = |spec: Option<Spec<'a>>| spec.and_then(|s| s.template).and_then(|t| t.spec);
    match kind {
        "Pod" => Some(spec),
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "ReplicationController" | "Job" => {
            Some(template(spec))
        }
        "CronJob" => Some(template(spec.and_then(|s| s.job_template).and_then(|t| t.spec))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workloads::read::for_each_object;

    fn lines(json: &str) -> Vec<(String, String, String, String)> {
        let mut collector = Collector::default();
        for_each_object(json.as_bytes(), &mut |_, o| collector.add(o).map(|_| ())).unwrap();
        let (mut out, mut warnings) = (Vec::new(), Vec::new());
        collector.finish("s", &mut out, &mut warnings);
        out.into_iter()
            .map(|d| (d.workload.kind.to_string(), d.workload.name.to_string(), d.workload.container, d.image))
            .collect()
    }

    fn object(kind: &str, name: &str, uid: &str, owner: Option<(&str, &str, &str)>, image: &str) -> String {
        let owners = owner.map_or(String::new(), |(k, n, u)| {
            format!(r#", "ownerReferences": [{{"kind": "{k}", "name": "{n}", "uid": "{u}", "controller": true}}]"#)
        });
        let spec = format!(r#"{{"containers": [{{"name": "c", "image": "{image}"}}]}}"#);
        let spec = if kind == "Pod" { spec } else { format!(r#"{{"template": {{"spec": {spec}}}}}"#) };
        format!(
            r#"{{"apiVersion": "v1", "kind": "{kind}", "metadata": {{"name": "{name}", "namespace": "n", "uid": "{uid}"{owners}}}, "spec": {spec}}}"#
        )
    }

    #[test]
    fn an_owner_of_another_uid_is_not_the_listed_one() {
        let json = format!(
            "[{}, {}, {}]",
            object("ReplicaSet", "rs", "u1", None, "a:1"),
            object("Pod", "p1", "u2", Some(("ReplicaSet", "rs", "u1")), "a:1"),
            object("Pod", "p2", "u3", Some(("ReplicaSet", "rs", "old-uid")), "a:1"),
        );
        let got = lines(&json);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].0, "ReplicaSet");
        assert_eq!((got[1].0.as_str(), got[1].1.as_str()), ("Pod", "p2"));
    }

    #[test]
    fn an_ownership_cycle_ends_and_duplicates_are_one_object() {
        let json = format!(
            "[{}, {}, {}]",
            object("ReplicaSet", "a", "ua", Some(("ReplicaSet", "b", "ub")), "x:1"),
            object("ReplicaSet", "b", "ub", Some(("ReplicaSet", "a", "ua")), "x:1"),
            object("ReplicaSet", "a", "ua", Some(("ReplicaSet", "b", "ub")), "x:1"),
        );
        assert_eq!(lines(&json).len(), 1);
    }

    #[test]
    fn a_manifest_without_a_name_uses_its_generate_name_and_one_without_either_is_invalid() {
        let json = r#"{"apiVersion": "batch/v1", "kind": "Job", "metadata": {"generateName": "seed-"}, "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "x"}]}}}}"#;
        assert_eq!(lines(json)[0].1, "seed-*");
        let mut collector = Collector::default();
        let err = for_each_object(br#"{"apiVersion": "v1", "kind": "Pod", "spec": {}}"#, &mut |_, o| {
            collector.add(o).map(|_| ())
        });
        assert!(matches!(err, Err((Some(1), Problem::Invalid(_)))));
    }
}
