//! plan: the resolved release. Pure data, no I/O: everything the templates
//! print is decided here.

pub mod assetnames;
pub mod build;
pub mod bumpscript;
pub mod changelog;
pub mod cut;
pub mod cutscript;
pub mod docker;
pub mod graph;
pub mod helm;
pub mod identity;
pub mod imagebins;
pub mod manifest;
pub mod pins;
pub mod pullrequest;
pub mod python;
pub mod registries;
pub mod release;
pub mod runners;
pub mod steps;
pub mod tags;
pub mod tagscript;
pub mod toolchains;
pub mod version;
pub mod versionfiles;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::spec::{GithubRelease, Latest, Spec};
pub use version::{Grammar, Version};

/// The `plan` output naming the GitHub release's own tag where it can differ
/// from the pushed tag (a promotion releases its plain tag): written only
/// when the grammar has a promotion suffix; otherwise the release's tag is
/// the `tag` output.
pub const RELEASE_TAG_OUTPUT: &str = "release-tag";

/// The checks of the spec that need what the plan resolves: the names of
/// the binaries' release files, a login for every registry host, a leg of
/// each binary an image takes for each of its platforms, chart versions as
/// Helm reads them. The loader runs them after the spec's own
/// (`spec::validate`) and reports the problems of both, each in its section.
pub fn check(spec: &Spec, c: &mut crate::spec::validate::Problems) {
    assetnames::check_collisions(spec, c);
    registries::check_image_logins(spec, c);
    imagebins::check(spec, c);
    registries::check_chart_logins(spec, c);
    helm::check_versions(spec, c);
}

/// The longest Docker tag (the part after `image:`) registries accept.
pub const MAX_DOCKER_TAG: usize = 128;

/// Everything a release of this spec does, for every tag.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub project: String,
    pub repository: Option<String>,
    pub grammar: Grammar,
    /// `on.push.tags` globs; empty when tag triggers are off.
    pub tag_globs: Vec<String>,
    pub dispatch: bool,
    pub version_files: Vec<String>,
    /// The pinned version of every tool the jobs install.
    pub toolchains: toolchains::Toolchains,
    pub gates: Vec<GatePlan>,
    pub build: Option<build::BuildPlan>,
    pub python: Vec<python::PythonWorkflow>,
    pub docker: Option<docker::DockerPlan>,
    pub helm: Option<helm::HelmPlan>,
    pub release: ReleasePlan,
    pub pins: pins::Pins,
    /// The spec's own jobs (`jobs:`), placed in release.yml by `release`.
    pub jobs: Vec<crate::spec::CustomJob>,
    /// How release.yml calls the other workflows.
    pub local_calls: crate::spec::LocalCalls,
    /// What pull requests run (pull-request.yml).
    pub pull_request: crate::spec::PullRequest,
    /// How releases are cut from the Actions tab (cut.yml), if they are.
    pub cut: Option<crate::spec::Cut>,
    /// `versioning.prerelease-format`.
    pub prerelease_format: Option<String>,
}

pub use graph::{Access, Permission};

#[derive(Debug, Clone, Serialize)]
pub struct GatePlan {
    /// Job id in release.yml.
    pub id: String,
    /// The command, or none for a gate that calls a reusable workflow.
    pub run: Option<String>,
    /// `./.github/workflows/<file>` of a gate that calls a reusable workflow.
    pub uses: Option<String>,
    /// The top-level setup steps, then the gate's own.
    pub setup: Vec<steps::SetupStep>,
    /// The top-level env, then the gate's own.
    pub env: steps::JobEnv,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReleasePlan {
    /// always | stable | never
    pub github_release: GithubRelease,
    pub draft: bool,
    /// generated | none | a path | changelog:PATH
    pub notes: String,
    /// Release title template (`{tag}` and version placeholders).
    pub title: String,
    /// Checksums file name template.
    pub checksums_file: String,
    /// More files of the tagged commit to attach (globs).
    pub assets: Vec<String>,
    pub latest_auto: bool,
    pub checksums: bool,
    pub sign: bool,
    pub provenance: bool,
    pub sbom: bool,
    pub slack_webhook_secret: Option<String>,
    /// `release.setup`: steps that make the files of `assets`, in a
    /// read-only job of their own (`release-assets`).
    pub setup: Vec<steps::SetupStep>,
    /// The top-level env, for that job.
    pub env: steps::JobEnv,
}

impl ReleasePlan {
    /// The tag script computes the release title and checksums file name
    /// (outputs `release-title`, `checksums-file`): only when the spec sets
    /// one of them, so that a spec without them gets the workflows it got.
    pub fn named(&self) -> bool {
        self.github_release != GithubRelease::Never && (self.title != "{tag}" || self.checksums_file != "SHA256SUMS")
    }
}

impl Plan {
    /// Resolves a validated spec.
    pub fn new(spec: &Spec) -> Plan {
        let pypi = spec.python.iter().any(|p| p.publish != crate::spec::Publish::None);
        let grammar = Grammar::new(&spec.versioning, pypi);
        let r = &spec.release;
        let pins = pins::resolve(spec);
        Plan {
            project: spec.project.name.clone(),
            repository: spec.project.repository.clone(),
            tag_globs: if spec.triggers.tags {
                grammar.trigger_globs()
            } else {
                Vec::new()
            },
            grammar,
            dispatch: spec.triggers.dispatch,
            version_files: spec.versioning.version_files.clone(),
            toolchains: toolchains::Toolchains::new(spec),
            gates: spec
                .gates
                .iter()
                .map(|g| GatePlan {
                    id: g.name.clone(),
                    run: g.run.clone(),
                    uses: g.uses.clone(),
                    setup: steps::resolve(&pins, &[&spec.setup, &g.setup]),
                    env: steps::JobEnv::new(&[&spec.env, &g.env]),
                })
                .collect(),
            build: build::plan(spec),
            python: python::plan(spec),
            docker: docker::plan(spec),
            helm: helm::plan(spec),
            release: ReleasePlan {
                github_release: r.github_release,
                draft: r.draft,
                notes: r.notes.clone(),
                title: r.title.clone(),
                checksums_file: r.checksums_file.clone(),
                assets: r.assets.clone(),
                latest_auto: r.latest == Latest::Auto,
                checksums: r.checksums,
                sign: r.sign,
                provenance: r.provenance,
                sbom: r.sbom,
                slack_webhook_secret: r.notify.as_ref().map(|n| n.slack_webhook_secret.clone()),
                setup: steps::resolve(&pins, &[&r.setup]),
                env: steps::JobEnv::new(&[&spec.env]),
            },
            pins,
            jobs: spec.jobs.clone(),
            local_calls: spec.output.local_calls,
            pull_request: spec.triggers.pull_request,
            cut: spec.triggers.cut.clone(),
            prerelease_format: spec.versioning.prerelease_format.clone(),
        }
    }

    /// Every output name the tag script can write (the `plan` job's outputs).
    pub fn output_names(&self) -> Vec<String> {
        let mut names: Vec<String> = [
            "tag",
            "valid",
            "version",
            "major",
            "minor",
            "patch",
            "prerelease",
            "is-prerelease",
            "promotion",
            "github-release",
            "latest",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        if let Some(d) = &self.docker {
            for im in &d.images {
                for v in &im.variants {
                    if im.per_arch {
                        names.extend(v.platforms.iter().map(|p| p.tags_output.clone()));
                    } else {
                        names.push(v.tags_output.clone());
                    }
                    names.push(v.build_args_output.clone());
                    names.push(v.labels_output.clone());
                }
            }
        }
        if self.grammar.stable_suffix.is_some() {
            names.push(RELEASE_TAG_OUTPUT.into());
        }
        if !self.python.is_empty() {
            names.push("python-version".into());
        }
        if self.release.named() {
            names.push("release-title".into());
            names.push("checksums-file".into());
        }
        if let Some(h) = &self.helm {
            names.extend(h.charts.iter().map(|c| c.version_output.clone()));
            names.extend(h.charts.iter().map(|c| c.app_version_output.clone()));
        }
        names
    }

    /// What a release of `tag` at commit `sha` does, in a repository whose
    /// tags are `tags` (they decide where `latest` and the moving tags go).
    /// The outputs and publications of a release of `tag`; an invalid plan
    /// for a tag outside the version grammar, or one that would make a Docker
    /// tag longer than [`MAX_DOCKER_TAG`] characters.
    pub fn evaluate(&self, tag: &str, sha: &str, tags: &[String]) -> TagPlan {
        match self.grammar.parse(tag) {
            Err(error) => TagPlan::rejected(tag, error),
            Ok(v) => {
                let standing = version::Standing::of(&v, &self.grammar, tags);
                self.evaluate_version(tag, sha, v, standing)
            }
        }
    }

    fn evaluate_version(&self, tag: &str, sha: &str, v: Version, standing: version::Standing) -> TagPlan {
        let github_release = match self.release.github_release {
            GithubRelease::Never => false,
            GithubRelease::Always => true,
            GithubRelease::Stable if self.grammar.stable_suffix.is_some() => v.promotion,
            GithubRelease::Stable => !v.is_prerelease,
        };
        let latest = github_release && self.release.latest_auto && !v.is_prerelease && standing.newest;
        let b = |x: bool| if x { "true" } else { "false" }.to_string();
        let mut outputs = BTreeMap::new();
        outputs.insert("tag".into(), tag.to_string());
        outputs.insert("valid".into(), b(true));
        outputs.insert("version".into(), v.version.clone());
        outputs.insert("major".into(), v.major.to_string());
        outputs.insert("minor".into(), v.minor.to_string());
        outputs.insert("patch".into(), v.patch.to_string());
        outputs.insert("prerelease".into(), v.prerelease.clone());
        outputs.insert("is-prerelease".into(), b(v.is_prerelease));
        outputs.insert("promotion".into(), b(v.promotion));
        outputs.insert("github-release".into(), b(github_release));
        outputs.insert("latest".into(), b(latest));
        if !self.python.is_empty() {
            outputs.insert("python-version".into(), manifest::python_version(&v));
        }

        let mut docker_tags: BTreeMap<String, Vec<String>> = BTreeMap::new();
        if let Some(d) = &self.docker
            && let Some(r) = docker_outputs(d, &v, sha, standing, &mut outputs, &mut docker_tags)
        {
            let n = r.rsplit_once(':').map(|(_, t)| t.len()).unwrap_or(0);
            return TagPlan::rejected(
                tag,
                format!(
                    "tag '{tag}' makes the Docker tag '{r}', {n} characters after the ':'; a Docker tag has at most {MAX_DOCKER_TAG}"
                ),
            );
        }
        let mut helm = Vec::new();
        if let Some(h) = &self.helm {
            match helm_releases(h, tag, &v, sha, &mut outputs) {
                Ok(releases) => helm = releases,
                Err(error) => return TagPlan::rejected(tag, error),
            }
        }
        let pypi = if v.promotion {
            Vec::new()
        } else {
            self.python
                .iter()
                .flat_map(|w| &w.packages)
                .filter(|p| p.publish != "none")
                .map(|p| PypiUpload {
                    name: p.name.clone(),
                    repository: p.publish.clone(),
                })
                .collect()
        };
        // The release's own tag: a promotion releases its plain tag.
        let release_tag = if v.promotion {
            format!("{}{}", self.grammar.prefix, v.version)
        } else {
            tag.to_string()
        };
        let rv = tags::Values {
            version: &v,
            sha,
            variant: None,
            arch: None,
        };
        let release_title = tags::expand_with(&self.release.title, &rv, &[("tag", &release_tag)]);
        let checksums_file = tags::expand_with(&self.release.checksums_file, &rv, &[("tag", &release_tag)]);
        if self.grammar.stable_suffix.is_some() {
            outputs.insert(RELEASE_TAG_OUTPUT.into(), release_tag.clone());
        }
        if self.release.named() {
            outputs.insert("release-title".into(), release_title.clone());
            outputs.insert("checksums-file".into(), checksums_file.clone());
        }
        TagPlan {
            release_title: Some(release_title),
            checksums_file: Some(checksums_file),
            tag: tag.to_string(),
            valid: true,
            error: None,
            standing: Some(standing),
            pypi,
            version: Some(v),
            github_release,
            latest,
            docker_tags,
            helm,
            outputs,
        }
    }
}

/// The Docker outputs of a release of `v` at `sha`: each variant's tags
/// (per platform with `per-arch`), build arguments and labels into
/// `outputs`, the references pushed per image name into `docker_tags`.
/// Returns the first reference whose tag is longer than Docker allows.
fn docker_outputs(
    d: &docker::DockerPlan,
    v: &Version,
    sha: &str,
    standing: version::Standing,
    outputs: &mut BTreeMap<String, String>,
    docker_tags: &mut BTreeMap<String, Vec<String>>,
) -> Option<String> {
    let mut too_long: Option<String> = None;
    let mut note = |refs: Vec<String>, output: &str, outputs: &mut BTreeMap<String, String>| {
        if too_long.is_none() {
            too_long = refs
                .iter()
                .find(|r| r.rsplit_once(':').is_some_and(|(_, t)| t.len() > MAX_DOCKER_TAG))
                .cloned();
        }
        outputs.insert(output.to_string(), refs.join(" "));
        for r in refs {
            let (name, _) = r.rsplit_once(':').expect("ref has a tag");
            docker_tags.entry(name.to_string()).or_default().push(r.clone());
        }
    };
    for im in &d.images {
        for var in &im.variants {
            if im.per_arch {
                for p in &var.platforms {
                    note(
                        variant_refs(im, var, v, sha, standing, Some(&p.arch)),
                        &p.tags_output,
                        outputs,
                    );
                }
            } else {
                note(variant_refs(im, var, v, sha, standing, None), &var.tags_output, outputs);
            }
            let values = variant_values(v, sha, &var.name, None);
            let args: Vec<String> = var
                .build_args
                .iter()
                .map(|(k, t)| format!("{k}={}", tags::expand(t, &values)))
                .collect();
            outputs.insert(var.build_args_output.clone(), args.join("\n"));
            let labels: Vec<String> = var
                .labels
                .iter()
                .map(|(k, t)| format!("{k}={}", tags::expand(t, &values)))
                .collect();
            if !labels.is_empty() {
                outputs.insert(var.labels_output.clone(), labels.join("\n"));
            }
        }
    }
    too_long
}

/// The placeholders' values of a variant's tags, build arguments and labels.
fn variant_values<'a>(v: &'a Version, sha: &'a str, variant: &'a str, arch: Option<&'a str>) -> tags::Values<'a> {
    tags::Values {
        version: v,
        sha,
        variant: Some(variant),
        arch,
    }
}

/// The references a release of `v` pushes for a variant of an image (for
/// one platform with `arch`): every name with every tag that applies; none
/// for a promotion.
fn variant_refs(
    im: &docker::ImagePlan,
    var: &docker::VariantPlan,
    v: &Version,
    sha: &str,
    standing: version::Standing,
    arch: Option<&str>,
) -> Vec<String> {
    if v.promotion {
        return Vec::new();
    }
    let mut refs = Vec::new();
    for name in &im.names {
        for t in var.tags.iter().filter(|t| tags::docker_tag_applies(t, v, standing)) {
            refs.push(format!(
                "{name}:{}",
                tags::docker_tag(t, &variant_values(v, sha, &var.name, arch))
            ));
        }
    }
    refs
}

/// The charts a release of `v` pushes, their versions and appVersions into
/// `outputs`; why the tag is rejected when a chart version is not SemVer 2.
fn helm_releases(
    h: &helm::HelmPlan,
    tag: &str,
    v: &Version,
    sha: &str,
    outputs: &mut BTreeMap<String, String>,
) -> Result<Vec<HelmRelease>, String> {
    let values = tags::Values {
        version: v,
        sha,
        variant: None,
        arch: None,
    };
    let mut helm = Vec::new();
    for c in &h.charts {
        let chart_version = match &c.version {
            Some(t) => tags::expand(t, &values),
            None => semver_for_helm(v),
        };
        if !is_semver2(&chart_version) {
            return Err(format!(
                "tag '{tag}' makes the chart version '{chart_version}' of {}, which is not SemVer 2 (Helm requires it)",
                c.chart
            ));
        }
        outputs.insert(c.version_output.clone(), chart_version.clone());
        let app = tags::expand(&c.app_version, &values);
        outputs.insert(c.app_version_output.clone(), app.clone());
        if !v.promotion {
            helm.push(HelmRelease {
                chart: c.chart.clone(),
                registry: c.registry.clone(),
                username_secret: c.login.username_secret.clone(),
                version: chart_version.clone(),
                app_version: app,
            });
        }
    }
    Ok(helm)
}

/// A chart version is SemVer 2: PEP 440 pre-releases become `-pre`, posts `+post`.
/// The SemVer 2 grammar (semver.org's regular expression), which Helm
/// requires of chart versions; the tag script checks the same.
pub const SEMVER2: &str = r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-((0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)(\.(0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*))?(\+([0-9a-zA-Z-]+(\.[0-9a-zA-Z-]+)*))?$";

pub fn is_semver2(s: &str) -> bool {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| regex::Regex::new(SEMVER2).expect("semver regex"))
        .is_match(s)
}

pub(crate) fn semver_for_helm(v: &Version) -> String {
    if semver::Version::parse(&v.pep440).is_ok() {
        return v.pep440.clone();
    }
    let mut s = format!("{}.{}.{}", v.major, v.minor, v.patch);
    if !v.prerelease.is_empty() {
        s.push('-');
        s.push_str(&v.prerelease);
    }
    if let Some(i) = v.pep440.find(".post") {
        let post: String = v.pep440[i + 5..].chars().take_while(|c| c.is_ascii_digit()).collect();
        s.push_str(&format!("+post{post}"));
    }
    s
}

/// What a release of one tag does: the answer of `wfgen plan TAG`.
#[derive(Debug, Clone, Serialize)]
pub struct TagPlan {
    pub tag: String,
    pub valid: bool,
    pub error: Option<String>,
    pub version: Option<Version>,
    /// Where the version stands among the repository's releases.
    pub standing: Option<version::Standing>,
    pub github_release: bool,
    pub latest: bool,
    /// Title of the GitHub release.
    pub release_title: Option<String>,
    /// Name of the checksums file attached to the GitHub release.
    pub checksums_file: Option<String>,
    /// Image name -> full `image:tag` references pushed.
    pub docker_tags: BTreeMap<String, Vec<String>>,
    /// The charts pushed (none for a promotion tag).
    pub helm: Vec<HelmRelease>,
    /// The distributions uploaded to PyPI (none for a promotion tag).
    pub pypi: Vec<PypiUpload>,
    /// Exactly the outputs that the tag script of release.yml writes to
    /// $GITHUB_OUTPUT for this tag (what the agreement test compares).
    pub outputs: BTreeMap<String, String>,
}

impl TagPlan {
    /// A tag the release rejects: its one error line, and the outputs that
    /// the tag script writes before it stops (`tag`, `valid=false`).
    fn rejected(tag: &str, error: String) -> TagPlan {
        TagPlan {
            tag: tag.to_string(),
            valid: false,
            error: Some(error),
            version: None,
            standing: None,
            pypi: Vec::new(),
            github_release: false,
            latest: false,
            release_title: None,
            checksums_file: None,
            docker_tags: BTreeMap::new(),
            helm: Vec::new(),
            outputs: BTreeMap::from([
                ("tag".to_string(), tag.to_string()),
                ("valid".to_string(), "false".to_string()),
            ]),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct HelmRelease {
    pub chart: String,
    /// The OCI registry, `oci://host/path`.
    pub registry: String,
    /// The secret holding the registry user name; None: GITHUB_TOKEN
    /// (ghcr.io).
    pub username_secret: Option<String>,
    pub version: String,
    pub app_version: String,
}

/// A distribution uploaded to PyPI or TestPyPI.
#[derive(Debug, Clone, Serialize)]
pub struct PypiUpload {
    pub name: String,
    /// pypi | testpypi
    pub repository: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(yaml: &str) -> Plan {
        let (spec, _) = crate::parse_spec("wfgen.yaml", yaml).unwrap_or_else(|e| panic!("{e}"));
        Plan::new(&spec)
    }

    const PROXY: &str = "wfgen: 1
project: { name: llm-proxy, repository: sofatutor/llm-proxy }
versioning: { stable-suffix: -stable }
docker:
  - image: ghcr.io/sofatutor/llm-proxy
    platforms: [linux/amd64, linux/arm64]
    tags: ['{version}', '{major}.{minor}', 'sha-{sha7}', latest]
helm:
  - chart: deploy/helm/llm-proxy
    registry: oci://ghcr.io/sofatutor/charts
";

    #[test]
    fn release_candidate_never_gets_latest() {
        let p = plan(PROXY);
        let t = p.evaluate("v1.4.0-rc.2", "abcdef0123456789", &[]);
        assert!(t.valid);
        assert_eq!(
            t.docker_tags["ghcr.io/sofatutor/llm-proxy"],
            [
                "ghcr.io/sofatutor/llm-proxy:1.4.0-rc.2",
                "ghcr.io/sofatutor/llm-proxy:sha-abcdef0"
            ]
        );
        assert!(!t.github_release && !t.latest);
        let t = p.evaluate("v1.4.0", "abcdef0123456789", &[]);
        assert_eq!(t.docker_tags["ghcr.io/sofatutor/llm-proxy"].len(), 4);
        assert!(
            !t.github_release,
            "stable-suffix: only promotion tags create the release"
        );
        let t = p.evaluate("v1.4.0-stable", "abcdef0123456789", &[]);
        assert!(t.github_release && t.latest && t.docker_tags.is_empty());
        assert!(t.helm.is_empty(), "a promotion pushes no chart");
        assert_eq!(t.outputs["helm-app-version-0"], "1.4.0");
    }

    #[test]
    fn a_backport_moves_no_latest() {
        let mut p = plan(PROXY);
        p.release.github_release = GithubRelease::Always;
        let tags: Vec<String> = ["v1.5.0", "v1.4.8", "v2.0.0-rc.1", "v9.9.9-stable", "x1"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let t = p.evaluate("v1.4.9", "abcdef0123456789", &tags);
        assert!(!t.latest, "1.5.0 is higher: a backport never takes latest");
        assert_eq!(
            t.docker_tags["ghcr.io/sofatutor/llm-proxy"],
            [
                "ghcr.io/sofatutor/llm-proxy:1.4.9",
                "ghcr.io/sofatutor/llm-proxy:1.4",
                "ghcr.io/sofatutor/llm-proxy:sha-abcdef0"
            ]
        );
        let t = p.evaluate("v1.5.1", "abcdef0123456789", &tags);
        assert!(t.latest, "pre-releases and promotion tags do not count");
        assert_eq!(t.docker_tags["ghcr.io/sofatutor/llm-proxy"].len(), 4);
    }

    #[test]
    fn output_names_cover_every_output() {
        let p = plan(PROXY);
        let names = p.output_names();
        for tag in ["v1.0.0", "v1.0.0-rc.1", "v1.0.0-stable"] {
            for k in p.evaluate(tag, "abcdef0", &[]).outputs.keys() {
                assert!(names.contains(k), "{k}");
            }
        }
    }

    #[test]
    fn invalid_tag_outputs() {
        let t = plan(PROXY).evaluate("v1.4", "x", &[]);
        assert!(!t.valid);
        assert_eq!(t.outputs.len(), 2);
    }

    #[test]
    fn helm_versions_are_semver() {
        let v = Version {
            version: "1.2.0rc1".into(),
            pep440: "1.2.0rc1".into(),
            major: 1,
            minor: 2,
            patch: 0,
            prerelease: "rc1".into(),
            is_prerelease: true,
            post: 0,
            promotion: false,
        };
        assert_eq!(semver_for_helm(&v), "1.2.0-rc1");
        let v = Version {
            version: "1.2.0.post2".into(),
            pep440: "1.2.0.post2".into(),
            major: 1,
            minor: 2,
            patch: 0,
            prerelease: "".into(),
            is_prerelease: false,
            post: 2,
            promotion: false,
        };
        assert_eq!(semver_for_helm(&v), "1.2.0+post2");
    }
}
