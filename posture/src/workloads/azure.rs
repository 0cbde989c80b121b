//! Azure resources as `az` prints them with `-o json` (`list`: an array, `show`: one object),
//! told apart by their `type`:
//!
//! | `type` | command | kind | containers |
//! |---|---|---|---|
//! | `Microsoft.App/containerApps` | `az containerapp list/show` | ContainerApp | `properties.template.initContainers`, `.containers` |
//! | `Microsoft.App/jobs` | `az containerapp job list/show` | ContainerAppJob | the same |
//! | `Microsoft.Web/sites` | `az webapp list/show` | WebApp | `siteConfig.linuxFxVersion` / `windowsFxVersion` of the form `DOCKER\|image` |
//! | `Microsoft.Web/sites/slots` | `az webapp deployment slot list` | WebAppSlot | the same |
//! | `Microsoft.Web/sites/sitecontainers` | `az webapp sitecontainers list/show` | WebApp | `image`; `isMain: false` is a sidecar |
//!
//! `az webapp` prints the site's properties flattened (`siteConfig` at the top level), as the
//! Azure SDK models hold them; `az resource show` and ARM exports keep the REST shape
//! (`properties.siteConfig`, `properties.image`). Both are read. A web app with sidecars has
//! `linuxFxVersion: "sitecontainers"` and its containers are separate resources, which only
//! `az webapp sitecontainers list` prints: when the files of a source have such an app and none
//! of its site containers, a warning says so ([`Sidecars`]). The namespace of an Azure workload is its resource
//! group (from `resourceGroup`, else from the resource id).

use super::read::{Container, Object, Text};
use super::{ContainerType, Problem, WorkloadId, WorkloadLine};
use crate::hash::{HashSet, HashSetExt};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// A container of a resource: (kind, resource group, name, container type, container, image),
/// the group and name shared by the containers of a resource.
type Listed = (&'static str, Arc<str>, Arc<str>, ContainerType, String, String);

/// The `az` resources of one file.
#[derive(Default)]
pub(super) struct Collector {
    /// The containers, in file order.
    containers: Vec<Listed>,
    /// Web apps in sidecar mode: (kind, resource group, name), lower case.
    sidecar_sites: BTreeSet<(String, String, String)>,
    /// Web apps whose site containers the file lists.
    listed_sites: BTreeSet<(String, String, String)>,
    /// What the file's warning says besides.
    notes: BTreeSet<String>,
    /// Resources of other types, counted by type.
    skipped: BTreeMap<String, usize>,
}

/// Whether `object` is an Azure resource (a `type`, and no Kubernetes `apiVersion`).
pub(super) fn is_azure(object: &Object<'_>) -> bool {
    object.resource_type.is_some() && object.api_version.is_none()
}

impl Collector {
    /// Adds a resource; returns the number of containers added.
    pub(super) fn add(&mut self, object: Object<'_>) -> Result<usize, Problem> {
        let resource_type = object.resource_type.clone().map(Text::into_string).unwrap_or_default();
        let before = self.containers.len();
        match resource_type.to_ascii_lowercase().as_str() {
            "microsoft.app/containerapps" => self.container_app("ContainerApp", object)?,
            "microsoft.app/jobs" => self.container_app("ContainerAppJob", object)?,
            "microsoft.web/sites" => self.web_app("WebApp", object)?,
            "microsoft.web/sites/slots" => self.web_app("WebAppSlot", object)?,
            "microsoft.web/sites/sitecontainers" => self.site_container("WebApp", object)?,
            "microsoft.web/sites/slots/sitecontainers" => self.site_container("WebAppSlot", object)?,
            _ => *self.skipped.entry(resource_type).or_default() += 1,
        }
        Ok(self.containers.len() - before)
    }

    fn container_app(&mut self, kind: &'static str, object: Object<'_>) -> Result<(), Problem> {
        let (group, name) = identity(&object, kind)?;
        let (group, name): (Arc<str>, Arc<str>) = (group.into(), name.into());
        let template = object.properties.and_then(|p| p.template).unwrap_or_default();
        for (list, container_type) in
            [(template.init_containers, ContainerType::Init), (template.containers, ContainerType::Container)]
        {
            for Container { name: container, image } in list.unwrap_or_default() {
                self.push(
                    kind,
                    Arc::clone(&group),
                    Arc::clone(&name),
                    container_type,
                    container.map(Text::into_string).unwrap_or_default(),
                    image.map(Text::into_string).unwrap_or_default(),
                );
            }
        }
        Ok(())
    }

    fn web_app(&mut self, kind: &'static str, object: Object<'_>) -> Result<(), Problem> {
        let (group, name) = identity(&object, kind)?;
        let is_container = object.kind.as_deref().is_some_and(|k| k.to_ascii_lowercase().contains("container"));
        let config = object.site_config.or_else(|| object.properties.and_then(|p| p.site_config)).unwrap_or_default();
        let mut found = false;
        for (field, value) in
            [("linuxFxVersion", config.linux_fx_version), ("windowsFxVersion", config.windows_fx_version)]
        {
            let value = value.unwrap_or_default();
            let value: &str = &value;
            match value.split_once('|') {
                Some((scheme, image)) if scheme.eq_ignore_ascii_case("DOCKER") => {
                    let (group, name) = (Arc::from(group.as_str()), Arc::from(name.as_str()));
                    self.push(kind, group, name, ContainerType::Container, field.into(), image.into());
                    found = true;
                }
                Some((scheme, _)) if scheme.eq_ignore_ascii_case("COMPOSE") || scheme.eq_ignore_ascii_case("KUBE") => {
                    self.notes.insert(format!(
                        "{kind} {name} is a multi-container ({scheme}) app, which is not read: its images are not reported"
                    ));
                    found = true;
                }
                None if value.eq_ignore_ascii_case("sitecontainers") => {
                    self.sidecar_sites.insert(key(kind, &group, &name));
                    found = true;
                }
                // Empty, or a language stack (`PYTHON|3.12`): no container image.
                _ => {}
            }
        }
        if is_container && !found {
            self.notes.insert(format!(
                "{kind} {name} runs a container but this file has no siteConfig.linuxFxVersion or windowsFxVersion for \
                 it (`az webapp list` may leave them empty; `az webapp show` prints them)"
            ));
        }
        Ok(())
    }

    fn site_container(&mut self, kind: &'static str, object: Object<'_>) -> Result<(), Problem> {
        let id = object.id.as_deref().unwrap_or_default();
        let group = object
            .resource_group
            .as_deref()
            .map(str::to_owned)
            .or_else(|| segment_after(id, "resourceGroups"))
            .unwrap_or_default();
        let site = match (segment_after(id, "sites"), segment_after(id, "slots")) {
            (Some(site), Some(slot)) if kind == "WebAppSlot" => format!("{site}/{slot}"),
            (Some(site), _) => site,
            (None, _) => {
                return Err(Problem::Invalid(format!(
                    "a {} without a resource id naming its site (/subscriptions/…/sites/<name>/sitecontainers/<name>)",
                    object.resource_type.as_deref().unwrap_or_default()
                )));
            }
        };
        let container = segment_after(id, "sitecontainers")
            .or_else(|| object.name.as_deref().map(|n| n.rsplit('/').next().unwrap_or(n).to_owned()))
            .unwrap_or_default();
        let properties = object.properties.unwrap_or_default();
        let image = object.image.or(properties.image).map(Text::into_string).unwrap_or_default();
        let main = object.is_main.or(properties.is_main).unwrap_or(false);
        self.listed_sites.insert(key(kind, &group, &site));
        let container_type = if main { ContainerType::Container } else { ContainerType::Sidecar };
        self.push(kind, group.into(), site.into(), container_type, container, image);
        Ok(())
    }

    fn push(
        &mut self,
        kind: &'static str,
        group: Arc<str>,
        name: Arc<str>,
        container_type: ContainerType,
        container: String,
        image: String,
    ) {
        self.containers.push((kind, group, name, container_type, container, image));
    }

    /// The workload containers (each once) and the file's warnings; the web apps in sidecar
    /// mode and the site containers go to `sidecars`, checked once every file is read.
    pub(super) fn finish(
        self,
        source: &str,
        file: &str,
        out: &mut Vec<WorkloadLine>,
        warnings: &mut Vec<String>,
        sidecars: &mut Sidecars,
    ) {
        if !self.skipped.is_empty() {
            let types: Vec<String> = self.skipped.iter().map(|(t, n)| format!("{t} ({n})")).collect();
            warnings.push(format!("skipped Azure resources of types that are not read: {}", types.join(", ")));
        }
        for (kind, group, name) in self.sidecar_sites {
            sidecars.sites.entry((source.to_owned(), kind, group, name)).or_insert_with(|| file.to_owned());
        }
        for (kind, group, name) in self.listed_sites {
            sidecars.listed.insert((source.to_owned(), kind, group, name));
        }
        warnings.extend(self.notes);
        // Each container once: the first of equal ones.
        let mut seen = HashSet::with_capacity(self.containers.len());
        let first: Vec<bool> = self.containers.iter().map(|c| seen.insert(c)).collect();
        drop(seen);
        let source: Arc<str> = Arc::from(source);
        // The few kinds, each shared by its lines.
        let mut kinds: Vec<Arc<str>> = Vec::new();
        for ((kind, group, name, container_type, container, image), first) in self.containers.into_iter().zip(first) {
            if !first {
                continue;
            }
            let kind = match kinds.iter().find(|k| ***k == *kind) {
                Some(k) => Arc::clone(k),
                None => {
                    kinds.push(Arc::from(kind));
                    Arc::clone(&kinds[kinds.len() - 1])
                }
            };
            out.push(WorkloadLine::unresolved(
                WorkloadId { source: Arc::clone(&source), kind, namespace: group, name, container },
                container_type,
                image,
            ));
        }
    }
}

/// Web apps in sidecar mode and the site containers listed, over every file: the containers of
/// such an app may come in another file of the same source (`az webapp sitecontainers list`).
#[derive(Default)]
pub(super) struct Sidecars {
    /// (source, kind, resource group, name) → the file that has the app.
    sites: BTreeMap<(String, String, String, String), String>,
    /// (source, kind, resource group, name) of the apps with a listed site container.
    listed: HashSet<(String, String, String, String)>,
}

impl Sidecars {
    /// A warning for each app in sidecar mode whose site containers no file of its source lists.
    pub(super) fn warnings(&self) -> Vec<String> {
        self.sites
            .iter()
            .filter(|(key, _)| !self.listed.contains(*key))
            .map(|((source, kind, group, name), file)| {
                format!(
                    "workloads file {file}: {kind} {name} (resource group {group}) runs sidecar containers (linuxFxVersion \
                     \"sitecontainers\") that no workloads file of source {source} lists: add the output of `az webapp \
                     sitecontainers list` for it"
                )
            })
            .collect()
    }
}

/// The resource group and name of a resource.
fn identity(object: &Object<'_>, kind: &str) -> Result<(String, String), Problem> {
    let id = object.id.as_deref().unwrap_or_default();
    let name = object
        .name
        .as_deref()
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .or_else(|| id.rsplit('/').next().filter(|n| !n.is_empty()).map(str::to_owned))
        .ok_or_else(|| Problem::Invalid(format!("a {kind} without a name or resource id")))?;
    let group = object
        .resource_group
        .as_deref()
        .map(str::to_owned)
        .or_else(|| segment_after(id, "resourceGroups"))
        .unwrap_or_default();
    Ok((group, name))
}

/// The path segment after `segment` (compared without case, as ARM does) in a resource id.
fn segment_after(id: &str, segment: &str) -> Option<String> {
    let mut parts = id.split('/');
    parts.by_ref().find(|p| p.eq_ignore_ascii_case(segment))?;
    parts.next().filter(|p| !p.is_empty()).map(str::to_owned)
}

/// A web app's key for matching sites to their site containers (ARM names are case-insensitive).
fn key(kind: &str, group: &str, name: &str) -> (String, String, String) {
    (kind.to_owned(), group.to_ascii_lowercase(), name.to_ascii_lowercase())
}
