//! The deployed workload containers of `Verifier.scan(workloads=...)`: each line of
//! `notaverify scan --workloads FILE -o json` as a typed object. The lines, their classes and
//! their JSON are the posture crate's (`notaverify_posture::workloads`); this module converts.

use notaverify_posture::workloads::{WorkloadLine, WorkloadSummary};
use pyo3::prelude::*;
use std::sync::Arc;

/// One workload container of the scan, with the class of the artifact it runs.
#[pyclass(module = "notaverify", name = "WorkloadContainer", frozen)]
pub struct WorkloadContainer {
    /// Every line of the scan, shared by its containers (a scan may have a million).
    lines: Arc<WorkloadSummary>,
    index: usize,
}

impl WorkloadContainer {
    /// Every workload container of `workloads`, in order.
    pub(crate) fn all(workloads: &Arc<WorkloadSummary>) -> Vec<Self> {
        (0..workloads.lines.len()).map(|index| Self { lines: Arc::clone(workloads), index }).collect()
    }

    fn line(&self) -> &WorkloadLine {
        &self.lines.lines[self.index]
    }
}

#[pymethods]
impl WorkloadContainer {
    /// The `workloads` source label of its file (default: the file name).
    #[getter]
    fn source(&self) -> &str {
        &self.line().workload.source
    }

    /// `Deployment`, `Pod`, ..., `ContainerApp`, `ContainerAppJob`, `WebApp`, `WebAppSlot`.
    #[getter]
    fn kind(&self) -> &str {
        &self.line().workload.kind
    }

    /// The Kubernetes namespace, or the Azure resource group.
    #[getter]
    fn namespace(&self) -> &str {
        &self.line().workload.namespace
    }

    /// The workload's name (for a pod folded into its controller: the controller's).
    #[getter]
    fn name(&self) -> &str {
        &self.line().workload.name
    }

    /// The container's name.
    #[getter]
    fn container(&self) -> &str {
        &self.line().workload.container
    }

    /// `container`, `init`, `ephemeral` or `sidecar`.
    #[getter]
    fn container_type(&self) -> &'static str {
        self.line().container_type.as_str()
    }

    /// The image as the workload names it.
    #[getter]
    fn image(&self) -> &str {
        &self.line().image
    }

    /// The scanned artifact it resolved to (`registry/repository@digest`), or `None`.
    #[getter]
    fn reference(&self) -> Option<&str> {
        self.line().reference.as_deref()
    }

    /// `digest` or `tag`, or `None` when it did not resolve.
    #[getter]
    fn resolved_by(&self) -> Option<&'static str> {
        self.line().resolved_by.map(|r| r.as_str())
    }

    /// Resolved through the Docker Hub normalised name, not the name as written.
    #[getter]
    fn normalised(&self) -> bool {
        self.line().normalised
    }

    /// The artifact's class, or `notScanned`.
    #[getter]
    fn class_(&self) -> &'static str {
        self.line().class.as_str()
    }

    /// In policy (the artifact is; never for `notScanned`).
    #[getter]
    fn in_policy(&self) -> bool {
        self.line().in_policy
    }

    /// For `excepted`: the artifact's class before the exception.
    #[getter]
    fn underlying(&self) -> Option<&'static str> {
        self.line().underlying.map(|c| c.as_str())
    }

    /// The artifact's failing check.
    #[getter]
    fn check(&self) -> Option<&str> {
        self.line().check.as_deref()
    }

    /// Why: the artifact's reason, or why it is `notScanned`.
    #[getter]
    fn reason(&self) -> Option<&str> {
        self.line().reason.as_deref()
    }

    /// The line `notaverify scan --workloads FILE -o json` prints for it.
    fn to_json(&self) -> String {
        self.line().json_line()
    }

    fn __repr__(&self) -> String {
        let w = &self.line().workload;
        format!(
            "WorkloadContainer(source={:?}, kind={:?}, name={:?}, container={:?}, class_={:?})",
            w.source,
            w.kind,
            w.name,
            w.container,
            self.class_()
        )
    }
}
