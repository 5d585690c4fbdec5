//! The docker.yml plan: per (image, variant, platform) a build on a native
//! runner, pushed by digest; per (image, variant) a manifest with the tags of
//! the tag script (or, per-arch, one set of tags per platform, no manifest).
//!
//! Everything docker.yml prints is decided here: job ids, runners, QEMU,
//! logins, permissions, the `if:` that skips a variant without tags, the
//! buildx `outputs` value, attestation subject names; and the job graph
//! ([`workflow`]): builds by digest in the build stage, scans in the verify
//! stage, manifests and tags in the publish stage.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::graph::{Graph, Job, Stage};
use super::runners;
use crate::jobids;
use crate::spec::registry::image_host;
use crate::spec::{DockerImage, Spec};

/// Runner of the jobs that only run scripts (plan, manifest).
pub const SCRIPT_RUNNER: &str = runners::SCRIPTS;
/// `timeout-minutes` of the plan job.
pub const PLAN_TIMEOUT: u32 = 10;
/// `timeout-minutes` of a build on a native runner.
pub const BUILD_TIMEOUT: u32 = 60;
/// `timeout-minutes` of a build when one of its platforms runs under QEMU.
pub const QEMU_BUILD_TIMEOUT: u32 = 180;
/// `timeout-minutes` of a manifest job.
pub const MERGE_TIMEOUT: u32 = 30;

#[derive(Debug, Clone, Serialize)]
pub struct DockerPlan {
    pub images: Vec<ImagePlan>,
    pub sign: bool,
    pub provenance: bool,
    /// The publish jobs sign or attest (or both) each digest they tag.
    pub attests: bool,
    pub sbom: bool,
    /// Every login secret name, for `on.workflow_call.secrets` (the caller
    /// passes each by name).
    pub secrets: Vec<String>,
    /// Whether any image pushes to ghcr.io (needs `packages: write`).
    pub ghcr: bool,
    /// Outputs of docker.yml's `plan` job that come from the tag script, in
    /// job order (the job also exposes `sha`, the commit it checked out).
    pub plan_outputs: Vec<String>,
    /// What a job that calls docker.yml must grant (the called jobs can only
    /// narrow it): the union of every job's permissions, by name.
    pub caller_permissions: Vec<Permission>,
    /// The `provenance` input of docker/build-push-action: `mode=max` or `false`.
    pub buildx_provenance: String,
    /// The `sbom` input of docker/build-push-action.
    pub buildx_sbom: bool,
    /// Whether an image is built from the release's binaries: release.yml
    /// then builds the images after build-assets.yml.
    pub uses_binaries: bool,
    /// Where a build finds the binaries, relative to its context.
    pub binaries_dir: String,
    /// Some binary's release file name holds `{version}`, which the build
    /// jobs expand with the tag's version.
    pub versioned_binaries: bool,
    /// The `digests` job: every build's digest, as the workflow's `images`
    /// output (`name@sha256:... platform` lines), for the verify stage.
    pub digests: DigestsPlan,
    pub runner: String,
    pub plan_timeout: u32,
    pub merge_timeout: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImagePlan {
    pub index: usize,
    /// The image and its mirrors: every name that gets the tags.
    pub names: Vec<String>,
    /// Attestation subject of each name, in the order of `names`: the fully
    /// qualified name (`index.docker.io/...` for Docker Hub).
    pub subjects: Vec<String>,
    pub image: String,
    pub context: String,
    pub per_arch: bool,
    /// Registries to log in to: ghcr.io with GITHUB_TOKEN, others with the spec's secrets.
    pub logins: Vec<LoginPlan>,
    /// Whether a name is on ghcr.io (the jobs that push need `packages: write`).
    pub ghcr: bool,
    /// Manifest mode: the `outputs` input of docker/build-push-action, which
    /// pushes to every name by digest, without tags.
    pub push_by_digest: String,
    /// Permissions of the build jobs, by name.
    pub build_permissions: Vec<Permission>,
    /// Permissions of the manifest jobs (manifest mode), by name.
    pub merge_permissions: Vec<Permission>,
    /// The vulnerability scan of each build, if the spec asks for one.
    pub scan: Option<ScanPlan>,
    pub variants: Vec<VariantPlan>,
}

/// The scan jobs of an image: each platform's build, by digest, before any
/// tag exists.
#[derive(Debug, Clone, Serialize)]
pub struct ScanPlan {
    /// `severity-cutoff` of anchore/scan-action.
    pub fail_on: String,
    pub permissions: Vec<Permission>,
    pub timeout: u32,
}

/// The `digests` job of the build stage.
#[derive(Debug, Clone, Serialize)]
pub struct DigestsPlan {
    /// Job ids of every build job, for its `needs`.
    pub needs: Vec<String>,
    /// download-artifact `pattern` of every digest artifact.
    pub pattern: String,
    /// `artifact name platform` lines: which image and platform each digest
    /// artifact is of (the image's first name).
    pub table: String,
    /// `if:` of the job: the build stage, after the builds that ran, when at
    /// least one did (a pre-release may build no image: nothing to list).
    pub condition: String,
}

/// `timeout-minutes` of a scan job.
pub const SCAN_TIMEOUT: u32 = 30;

pub use super::Permission;

pub use super::registries::LoginPlan;

#[derive(Debug, Clone, Serialize)]
pub struct VariantPlan {
    /// The variant name, "" for an image without variants.
    pub name: String,
    /// Unique key of (image, variant), for job ids, artifacts and outputs.
    pub key: String,
    /// What the job names show: the image, and the variant in brackets.
    pub title: String,
    /// Job id of the platform builds.
    pub build_job: String,
    /// Job id of the scan of the platform builds (`scan-*`), when scanned.
    pub scan_job: String,
    /// Job id of the publish job: the manifest (`manifest-*`), or per-arch
    /// the tags of each platform's digest (`tags-*`).
    pub merge_job: String,
    pub dockerfile: String,
    /// Build arguments: name -> value template (placeholders expanded by the tag script).
    pub build_args: BTreeMap<String, String>,
    /// The Dockerfile stage, "" for the last.
    pub target: String,
    /// Labels (and annotations): name -> value template, expanded by the
    /// tag script.
    pub labels: BTreeMap<String, String>,
    /// Tag-script output with the label lines (`name=value`), newline-separated.
    pub labels_output: String,
    /// Whether the builds take binaries of the release (then each platform
    /// lists its artifacts).
    pub has_binaries: bool,
    /// Tag templates, before the pre-release rules.
    pub tags: Vec<String>,
    pub platforms: Vec<PlatformPlan>,
    /// Whether one of the platforms runs under QEMU.
    pub qemu: bool,
    /// Tag-script output with the full refs of this variant (manifest mode).
    pub tags_output: String,
    /// Tag-script output with the build-args lines (`NAME=value`), newline-separated.
    pub build_args_output: String,
    /// Whether the release pushes tags for the variant (a promotion tag, or
    /// a pre-release whose tags all need a release, pushes none).
    pub run_if: String,
    /// `if:` of the build jobs: the build stage (`stage` input `build` or
    /// `all`), when the variant has tags.
    pub build_if: String,
    /// `if:` of the publish job: the publish stage (`publish`: the builds of
    /// an earlier call of this run; `all`: the builds of this call, which
    /// must have succeeded), when the variant has tags.
    pub publish_if: String,
    pub build_timeout: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlatformPlan {
    pub platform: String,
    /// amd64, arm64, arm-v7, ...: the `{arch}` value and a slug.
    pub arch: String,
    pub runner: String,
    /// The binfmt emulator that docker/setup-qemu-action installs (`arm`,
    /// `ppc64le`, ...), "" for a platform that builds natively.
    pub qemu: String,
    /// Artifact holding the digest of this build (manifest mode).
    pub digest_artifact: String,
    /// Tag-script output with this platform's full refs (per-arch mode).
    pub tags_output: String,
    /// download-artifact `pattern` of the release binaries this build takes
    /// ("" for none).
    pub binaries_pattern: String,
    /// The binaries, `exe=asset` words: the archive `asset` of the artifact
    /// holds the executable `exe`, which goes to `.wfgen/bin/exe`.
    pub binaries: String,
}

/// What docker.yml.j2 sees: the plan and the job graph.
#[derive(Debug, Clone, Serialize)]
pub struct DockerWorkflow<'a> {
    #[serde(flatten)]
    pub plan: &'a DockerPlan,
    pub jobs: Graph<DockerBody>,
}

/// The part of a docker.yml job that differs by kind; the template lays out
/// each kind's steps. `image` and `variant` index the plan's images and
/// their variants.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum DockerBody {
    /// The tag script: the tags, build arguments and labels as outputs.
    Plan,
    /// Every build's digest, as the workflow's `images` output.
    Digests,
    /// The platform builds of a variant, pushed by digest.
    Build { image: usize, variant: usize },
    /// The scan of each platform build, by digest.
    Scan { image: usize, variant: usize },
    /// The manifest and its tags, or per-arch the tags of each platform.
    Publish { image: usize, variant: usize },
}

/// docker.yml's jobs: `plan`, `digests`, then per (image, variant) its
/// builds, their scan and the publish job. A broken graph is a bug of
/// wfgen's: it panics.
pub fn workflow(d: &DockerPlan) -> DockerWorkflow<'_> {
    let job = |id: &str, name: String, stage: Stage, needs: Vec<String>, body: DockerBody| Job {
        id: id.to_string(),
        name,
        stage,
        needs,
        runs_on: Some(d.runner.clone()),
        permissions: Vec::new(),
        timeout: None,
        condition: None,
        condition_why: None,
        body,
    };
    let plan = jobids::PLAN.to_string();
    let mut plan_job = job(&plan, plan.clone(), Stage::Plan, Vec::new(), DockerBody::Plan);
    plan_job.timeout = Some(d.plan_timeout);
    plan_job.permissions = vec![Permission::read("contents", "check out the tag")];
    let mut digests = job(
        jobids::DIGESTS,
        jobids::DIGESTS.into(),
        Stage::Build,
        std::iter::once(plan.clone())
            .chain(d.digests.needs.iter().cloned())
            .collect(),
        DockerBody::Digests,
    );
    digests.timeout = Some(d.plan_timeout);
    digests.condition = Some(d.digests.condition.clone());
    digests.condition_why = Some("After the builds that ran (a variant without tags builds nothing).".into());
    let mut jobs = vec![plan_job, digests];
    for (i, im) in d.images.iter().enumerate() {
        for (k, v) in im.variants.iter().enumerate() {
            let (image, variant) = (i, k);
            let mut build = job(
                &v.build_job,
                format!("build {} (${{{{ matrix.platform }}}})", v.title),
                Stage::Build,
                vec![plan.clone()],
                DockerBody::Build { image, variant },
            );
            build.runs_on = Some("${{ matrix.runner }}".into());
            build.timeout = Some(v.build_timeout);
            build.permissions = im.build_permissions.clone();
            build.condition = Some(v.build_if.clone());
            jobs.push(build);
            let mut publish_needs = vec![plan.clone(), v.build_job.clone()];
            if let Some(sc) = &im.scan {
                let mut scan = job(
                    &v.scan_job,
                    format!("scan {} (${{{{ matrix.platform }}}})", v.title),
                    Stage::Verify,
                    vec![plan.clone(), v.build_job.clone()],
                    DockerBody::Scan { image, variant },
                );
                scan.timeout = Some(sc.timeout);
                scan.permissions = sc.permissions.clone();
                scan.condition = Some(v.build_if.clone());
                scan.condition_why = Some(format!(
                    "Before any tag exists: a finding at or above {} fails the\nbuild stage, and release.yml publishes nothing.",
                    sc.fail_on
                ));
                jobs.push(scan);
                publish_needs.push(v.scan_job.clone());
            }
            let mut publish = job(
                &v.merge_job,
                format!("{} {}", if im.per_arch { "tags" } else { "manifest" }, v.title),
                Stage::Publish,
                publish_needs,
                DockerBody::Publish { image, variant },
            );
            publish.timeout = Some(d.merge_timeout);
            publish.permissions = im.merge_permissions.clone();
            publish.condition = Some(v.publish_if.clone());
            jobs.push(publish);
        }
    }
    let jobs = Graph { jobs };
    if let Err(e) = jobs.check_called() {
        panic!("docker.yml's job graph is broken (a bug of wfgen): {e}");
    }
    DockerWorkflow { plan: d, jobs }
}

/// The binfmt (QEMU) architecture of a Docker platform: `linux/arm/v7` -> `arm`.
pub fn qemu_arch(platform: &str) -> String {
    let rest = platform.trim_start_matches("linux/");
    rest.split('/').next().unwrap_or(rest).to_string()
}

/// `{arch}` value of a Docker platform: `linux/arm/v7` -> `arm-v7`.
pub fn arch_of(platform: &str) -> String {
    platform.trim_start_matches("linux/").replace('/', "-")
}

fn slug(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// The attestation subject of an image name: fully qualified, with
/// `index.docker.io` for Docker Hub (what actions/attest-build-provenance
/// asks for when it pushes the attestation to the registry).
pub fn subject_name(name: &str) -> String {
    let host = image_host(name);
    if host != "docker.io" {
        return name.to_string();
    }
    let path = name.strip_prefix("docker.io/").unwrap_or(name);
    if path.contains('/') {
        format!("index.docker.io/{path}")
    } else {
        format!("index.docker.io/library/{path}")
    }
}

/// The buildx image exporter that pushes to every name by digest only.
fn push_by_digest(names: &[String]) -> String {
    let joined = names.join(",");
    let name = if names.len() > 1 {
        // The exporter options are CSV: several names need quotes.
        format!("\"name={joined}\"")
    } else {
        format!("name={joined}")
    };
    format!("type=image,{name},push-by-digest=true,name-canonical=true,push=true")
}

/// The permissions whose condition holds, sorted by name.
fn permissions(entries: &[(&str, &str, bool, &str)]) -> Vec<Permission> {
    let mut out: Vec<Permission> = entries
        .iter()
        .filter(|(_, _, on, _)| *on)
        .map(|(name, access, _, why)| Permission {
            name: name.to_string(),
            access: if *access == "write" {
                super::Access::Write
            } else {
                super::Access::Read
            },
            why: why.to_string(),
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// Permissions of a job that pushes an image (and, when `attests`, signs and
/// attests it by digest).
fn push_permissions(
    ghcr: bool,
    attests: bool,
    sign: bool,
    provenance: bool,
) -> Vec<(&'static str, &'static str, bool, &'static str)> {
    vec![
        ("packages", "write", ghcr, "push to ghcr.io"),
        (
            "id-token",
            "write",
            attests && (sign || provenance),
            "OIDC token for keyless signing and attestations",
        ),
        (
            "attestations",
            "write",
            attests && provenance,
            "store the provenance attestation",
        ),
        (
            "artifact-metadata",
            "write",
            attests && provenance,
            "storage record of the attested image",
        ),
    ]
}

pub fn plan(spec: &Spec) -> Option<DockerPlan> {
    if spec.docker.is_empty() {
        return None;
    }
    let sign = spec.release.sign;
    let provenance = spec.release.provenance;
    // The release's binaries, which images may be built from: planned once.
    let build_entries = super::build::plan(spec).map(|b| b.entries).unwrap_or_default();
    let images: Vec<ImagePlan> = spec
        .docker
        .iter()
        .enumerate()
        .map(|(i, d)| image_plan(spec, i, d, &build_entries))
        .collect();
    let mut secrets: Vec<String> = images
        .iter()
        .flat_map(|im| &im.logins)
        .flat_map(|l| l.secrets().cloned())
        .collect();
    secrets.sort();
    secrets.dedup();
    let caller = super::graph::merge(images.iter().flat_map(|im| {
        im.build_permissions
            .iter()
            .chain(&im.merge_permissions)
            .chain(im.scan.iter().flat_map(|s| &s.permissions))
    }));
    Some(DockerPlan {
        binaries_dir: super::imagebins::CONTEXT_DIR.to_string(),
        digests: digests(&images),
        uses_binaries: images.iter().any(|im| im.variants.iter().any(|v| v.has_binaries)),
        versioned_binaries: images
            .iter()
            .flat_map(|im| &im.variants)
            .flat_map(|v| &v.platforms)
            .any(|p| p.binaries.contains("{version}")),
        caller_permissions: caller,
        ghcr: images.iter().any(|im| im.ghcr),
        plan_outputs: plan_outputs(&images),
        images,
        sign,
        provenance,
        attests: sign || provenance,
        sbom: spec.release.sbom,
        secrets,
        buildx_provenance: if provenance { "mode=max" } else { "false" }.to_string(),
        buildx_sbom: spec.release.sbom,
        runner: SCRIPT_RUNNER.to_string(),
        plan_timeout: PLAN_TIMEOUT,
        merge_timeout: MERGE_TIMEOUT,
    })
}

/// The plan of `docker[i]`: its names, logins, variants and permissions.
fn image_plan(spec: &Spec, i: usize, d: &DockerImage, build_entries: &[super::build::BuildEntry]) -> ImagePlan {
    let (sign, provenance) = (spec.release.sign, spec.release.provenance);
    let names: Vec<String> = std::iter::once(d.image.clone())
        .chain(d.mirrors.iter().cloned())
        .collect();
    let logins = image_logins(spec, d, &names);
    let ghcr = logins.iter().any(|l| l.registry == "ghcr.io");
    let variants_in: Vec<(String, crate::spec::Variant)> = if d.variants.is_empty() {
        vec![(String::new(), Default::default())]
    } else {
        d.variants.entries()
    };
    let mut keys = BTreeSet::new();
    let variants = variants_in
        .into_iter()
        .enumerate()
        .map(|(j, (name, v))| {
            let mut key = if name.is_empty() {
                format!("{i}")
            } else {
                format!("{i}-{}", slug(&name))
            };
            // `a.b` and `a-b` have the same slug: the later one gets its position.
            while keys.contains(&key) {
                key = format!("{key}-{j}");
            }
            keys.insert(key.clone());
            variant_plan(spec, d, key, name, &v, build_entries)
        })
        .collect();
    // Builds push by digest only; the publish jobs tag, sign and attest.
    let build_attests = false;
    ImagePlan {
        index: i,
        image: d.image.clone(),
        subjects: names.iter().map(|n| subject_name(n)).collect(),
        push_by_digest: push_by_digest(&names),
        names,
        context: d.context.clone(),
        per_arch: d.per_arch,
        logins,
        ghcr,
        build_permissions: permissions(
            &[
                vec![("contents", "read", true, "check out the tagged commit")],
                push_permissions(ghcr, build_attests, sign, provenance),
            ]
            .concat(),
        ),
        merge_permissions: permissions(&push_permissions(ghcr, true, sign, provenance)),
        scan: d.scan.as_ref().map(|sc| ScanPlan {
            fail_on: sc.fail_on.word().to_string(),
            permissions: permissions(&[
                (
                    "actions",
                    "read",
                    true,
                    "code scanning reads the run (private repositories)",
                ),
                (
                    "contents",
                    "read",
                    true,
                    "code scanning reads the commit (private repositories)",
                ),
                ("packages", "read", ghcr, "pull the image by digest from ghcr.io"),
                (
                    "security-events",
                    "write",
                    true,
                    "upload the scan report to code scanning",
                ),
            ]),
            timeout: SCAN_TIMEOUT,
        }),
        variants,
    }
}

/// Every name of an image gets the same digest: one login per host, with
/// the image's own `login` for its host and `registries` for the rest.
fn image_logins(spec: &Spec, d: &DockerImage, names: &[String]) -> Vec<super::registries::LoginPlan> {
    let mut hosts: Vec<String> = names.iter().map(|n| image_host(n)).collect();
    hosts.sort();
    hosts.dedup();
    let own_host = super::registries::login_host(d);
    hosts
        .into_iter()
        .filter_map(|h| {
            let own = d.login.as_ref().filter(|_| h == own_host);
            super::registries::login(spec, &h, own)
        })
        .collect()
}

/// The plan of the variant `name` (settings `v`) of the image `d`, its jobs
/// and outputs named with `key`.
fn variant_plan(
    spec: &Spec,
    d: &DockerImage,
    key: String,
    name: String,
    v: &crate::spec::Variant,
    build_entries: &[super::build::BuildEntry],
) -> VariantPlan {
    let dockerfile = v
        .dockerfile
        .clone()
        .unwrap_or_else(|| d.dockerfile_path())
        .replace("{variant}", &name);
    let mut build_args: BTreeMap<String, String> = d.build_args.clone();
    build_args.extend(v.build_args.clone());
    let image_binaries = v.binaries.as_ref().unwrap_or(&d.binaries);
    for ib in image_binaries {
        if let Some(e) = build_entries.iter().find(|e| e.binary == ib.name && e.os == "linux") {
            build_args.insert(
                ib.build_arg.clone(),
                format!("{}/{}", super::imagebins::CONTEXT_DIR, e.exe),
            );
        }
    }
    let build_args = build_args
        .into_iter()
        .map(|(k, val)| (k, val.replace("{variant}", &name)))
        .collect();
    let labels: BTreeMap<String, String> = d
        .labels
        .iter()
        .map(|(k, val)| (k.clone(), val.replace("{variant}", &name)))
        .collect();
    let platforms: Vec<PlatformPlan> = v
        .platforms
        .as_ref()
        .unwrap_or(&d.platforms)
        .iter()
        .map(|p| platform_plan(spec, p, &key, image_binaries, build_entries))
        .collect();
    let tags_output = format!("docker-tags-{key}");
    let run_if = if d.per_arch {
        platforms
            .iter()
            .map(|p| format!("needs.plan.outputs.{} != ''", p.tags_output))
            .collect::<Vec<_>>()
            .join(" || ")
    } else {
        format!("needs.plan.outputs.{tags_output} != ''")
    };
    let qemu = platforms.iter().any(|p| !p.qemu.is_empty());
    let build_job = jobids::docker_build(&key);
    let scan_job = jobids::docker_scan(&key);
    // With a scan, the publish job of `stage: all` (a dispatch)
    // also waits for it; release.yml's publish call waits for the
    // whole build call, scans included.
    let built = if d.scan.is_some() {
        format!("needs.{build_job}.result == 'success' && needs.{scan_job}.result == 'success'")
    } else {
        format!("needs.{build_job}.result == 'success'")
    };
    let wanted = if d.per_arch && platforms.len() > 1 {
        format!("({run_if})")
    } else {
        run_if.clone()
    };
    VariantPlan {
        build_if: format!("inputs.stage != 'publish' && {wanted}"),
        publish_if: format!(
            "${{{{ !cancelled() && needs.plan.result == 'success' && (inputs.stage == 'publish' || inputs.stage != 'build' && {built}) && {wanted} }}}}"
        ),
        tags: v
            .tags
            .clone()
            .unwrap_or_else(|| d.tags.clone())
            .into_iter()
            .map(|t| t.replace("{variant}", &name))
            .collect(),
        title: if name.is_empty() {
            d.image.clone()
        } else {
            format!("{} [{name}]", d.image)
        },
        merge_job: jobids::docker_publish(&key, d.per_arch),
        build_job,
        scan_job,
        tags_output,
        build_args_output: format!("docker-build-args-{key}"),
        labels_output: format!("docker-labels-{key}"),
        has_binaries: !image_binaries.is_empty(),
        labels,
        target: d.target.clone().unwrap_or_default(),
        run_if,
        build_timeout: if qemu { QEMU_BUILD_TIMEOUT } else { BUILD_TIMEOUT },
        qemu,
        name,
        key,
        dockerfile,
        build_args,
        platforms,
    }
}

/// The build of the platform `p` of a variant (named with `key`): its
/// runner, and the legs of the release binaries it takes.
fn platform_plan(
    spec: &Spec,
    p: &str,
    key: &str,
    image_binaries: &[crate::spec::ImageBinary],
    build_entries: &[super::build::BuildEntry],
) -> PlatformPlan {
    let (runner, qemu) = runners::docker(p);
    let arch = arch_of(p);
    // Validation refuses a platform without a leg.
    let legs: Vec<&super::build::BuildEntry> = image_binaries
        .iter()
        .filter_map(|ib| {
            let b = super::imagebins::binary(spec, ib)?;
            let (t, suffix) = super::imagebins::leg(b, ib, p).ok()?;
            build_entries
                .iter()
                .find(|e| e.binary == b.name && e.target == t && e.suffix == suffix)
        })
        .collect();
    let artifacts: Vec<String> = legs.iter().map(|e| e.artifact.clone()).collect();
    PlatformPlan {
        binaries_pattern: if artifacts.is_empty() {
            String::new()
        } else {
            super::build::exact_pattern(&artifacts)
        },
        binaries: legs
            .iter()
            .map(|e| format!("{}={}", e.exe, e.asset))
            .collect::<Vec<_>>()
            .join(" "),
        runner: runners::pick(&spec.runners, p, runner),
        qemu: if qemu { qemu_arch(p) } else { String::new() },
        digest_artifact: format!("digest-{key}-{arch}"),
        tags_output: format!("docker-tags-{key}-{arch}"),
        platform: p.to_string(),
        arch,
    }
}

/// The outputs of docker.yml's plan job: the version, and each variant's
/// tags (per platform with `per-arch`), build arguments and labels.
fn plan_outputs(images: &[ImagePlan]) -> Vec<String> {
    let mut plan_outputs = vec!["version".to_string()];
    for im in images {
        for v in &im.variants {
            if im.per_arch {
                plan_outputs.extend(v.platforms.iter().map(|p| p.tags_output.clone()));
            } else {
                plan_outputs.push(v.tags_output.clone());
            }
            if !v.build_args.is_empty() {
                plan_outputs.push(v.build_args_output.clone());
            }
            if !v.labels.is_empty() {
                plan_outputs.push(v.labels_output.clone());
            }
        }
    }
    plan_outputs
}

/// The digests of every platform build, gathered after the builds.
fn digests(images: &[ImagePlan]) -> DigestsPlan {
    let rows: Vec<(&str, &str, &str)> = images
        .iter()
        .flat_map(|im| {
            im.variants.iter().flat_map(move |v| {
                v.platforms
                    .iter()
                    .map(move |p| (p.digest_artifact.as_str(), im.image.as_str(), p.platform.as_str()))
            })
        })
        .collect();
    let artifacts: Vec<String> = rows.iter().map(|r| r.0.to_string()).collect();
    let builds: Vec<String> = images
        .iter()
        .flat_map(|im| {
            im.variants
                .iter()
                .map(|v| format!("needs.{}.result == 'success'", v.build_job))
        })
        .collect();
    DigestsPlan {
        condition: format!(
            "${{{{ !cancelled() && !failure() && inputs.stage != 'publish' && ({}) }}}}",
            builds.join(" || ")
        ),
        needs: images
            .iter()
            .flat_map(|im| im.variants.iter().map(|v| v.build_job.clone()))
            .collect(),
        pattern: super::build::exact_pattern(&artifacts),
        table: rows.iter().map(|(a, n, p)| format!("{a} {n} {p}\n")).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Plan;

    fn spec(yaml: &str) -> Spec {
        crate::parse_spec("wfgen.yaml", yaml)
            .unwrap_or_else(|e| panic!("{e}"))
            .0
    }

    fn docker(yaml: &str) -> DockerPlan {
        plan(&spec(yaml)).expect("a docker section")
    }

    const FIXTURES: &[(&str, &str)] = &[
        ("opsml", include_str!("../../fixtures/opsml/wfgen.yaml")),
        ("llm-proxy", include_str!("../../fixtures/llm-proxy/wfgen.yaml")),
        ("model-server", include_str!("../../fixtures/model-server/wfgen.yaml")),
        ("cluster-tool", include_str!("../../fixtures/cluster-tool/wfgen.yaml")),
    ];

    fn fixture(name: &str) -> DockerPlan {
        let (_, yaml) = FIXTURES.iter().find(|(n, _)| *n == name).unwrap();
        docker(yaml)
    }

    const HEAD: &str = "wfgen: 1\nproject: { name: x, repository: acme/x }\n";

    #[test]
    fn no_docker_section_no_plan() {
        assert!(plan(&spec(HEAD)).is_none());
    }

    #[test]
    fn keys_and_job_ids() {
        let d = fixture("cluster-tool");
        let keys: Vec<_> = d
            .images
            .iter()
            .flat_map(|im| &im.variants)
            .map(|v| v.key.as_str())
            .collect();
        assert_eq!(keys, ["0", "1"]);
        let v = &d.images[1].variants[0];
        assert_eq!((v.build_job.as_str(), v.merge_job.as_str()), ("build-1", "manifest-1"));
        assert_eq!(v.title, "ghcr.io/acme/kubetool-agent");
        assert_eq!(v.tags_output, "docker-tags-1");

        // A list keeps the spec's order; a map is sorted by name.
        let d = docker(&format!(
            "{HEAD}docker:\n  - image: ghcr.io/demml/opsml\n    variants: [ubuntu, alpine, scratch]\n    tags: ['{{variant}}-{{version}}']\n"
        ));
        let keys: Vec<_> = d.images[0].variants.iter().map(|v| v.key.as_str()).collect();
        assert_eq!(keys, ["0-ubuntu", "0-alpine", "0-scratch"]);
        assert_eq!(d.images[0].variants[1].title, "ghcr.io/demml/opsml [alpine]");
        let d = fixture("opsml");
        let keys: Vec<_> = d.images[0].variants.iter().map(|v| v.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "0-alpine",
                "0-debian",
                "0-distroless",
                "0-rocky",
                "0-scratch",
                "0-ubuntu"
            ]
        );
    }

    #[test]
    fn keys_stay_unique_when_slugs_collide() {
        let d = docker(&format!(
            "{HEAD}docker:\n  - image: ghcr.io/acme/x\n    variants: [a.b, a-b, a_b]\n    tags: ['{{version}}-{{variant}}']\n"
        ));
        let keys: Vec<_> = d.images[0].variants.iter().map(|v| v.key.as_str()).collect();
        assert_eq!(keys, ["0-a-b", "0-a-b-1", "0-a-b-2"]);
        let artifacts: BTreeSet<_> = d.images[0]
            .variants
            .iter()
            .map(|v| v.platforms[0].digest_artifact.as_str())
            .collect();
        assert_eq!(artifacts.len(), 3);
        let files: Vec<_> = d.images[0].variants.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(files, ["a.b", "a-b", "a_b"]);
    }

    #[test]
    fn runners_and_qemu() {
        let d = docker(&format!(
            "{HEAD}runners: {{ linux/arm64: ubuntu-22.04-arm }}\ndocker:\n  - image: ghcr.io/acme/x\n    platforms: [linux/amd64, linux/arm64, linux/arm/v7, linux/ppc64le]\n"
        ));
        let v = &d.images[0].variants[0];
        let got: Vec<_> = v
            .platforms
            .iter()
            .map(|p| (p.arch.as_str(), p.runner.as_str(), p.qemu.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("amd64", "ubuntu-24.04", ""),
                ("arm64", "ubuntu-22.04-arm", ""),
                ("arm-v7", "ubuntu-24.04", "arm"),
                ("ppc64le", "ubuntu-24.04", "ppc64le"),
            ]
        );
        assert!(v.qemu);
        assert_eq!(v.build_timeout, QEMU_BUILD_TIMEOUT);

        let v = &fixture("llm-proxy").images[0].variants[0];
        assert!(!v.qemu);
        assert_eq!(v.build_timeout, BUILD_TIMEOUT);
        assert_eq!(v.platforms[1].runner, "ubuntu-24.04-arm");
        assert_eq!(v.platforms[1].digest_artifact, "digest-0-arm64");
    }

    #[test]
    fn logins_and_secrets() {
        // ghcr.io: GITHUB_TOKEN, no secrets.
        let d = fixture("llm-proxy");
        assert_eq!(d.images[0].logins.len(), 1);
        assert_eq!(d.images[0].logins[0].registry, "ghcr.io");
        assert!(d.images[0].logins[0].password_secret.is_none());
        assert!(d.secrets.is_empty() && d.ghcr);

        // Docker Hub: the spec's secrets, no packages permission anywhere.
        let d = fixture("model-server");
        let l = &d.images[0].logins;
        assert_eq!(l.len(), 1);
        assert_eq!(l[0].registry, "docker.io");
        assert_eq!(l[0].username_secret.as_deref(), Some("DOCKERHUB_USERNAME"));
        assert_eq!(l[0].password_secret.as_deref(), Some("DOCKERHUB_TOKEN"));
        assert_eq!(d.secrets, ["DOCKERHUB_TOKEN", "DOCKERHUB_USERNAME"]);
        assert!(!d.ghcr);
        let im = &d.images[0];
        assert!(im.build_permissions.iter().all(|p| p.name != "packages"));
        assert!(im.merge_permissions.iter().all(|p| p.name != "packages"));

        // A ghcr.io image with a Docker Hub mirror logs in to both.
        let d = docker(&format!(
            "{HEAD}docker:\n  - image: ghcr.io/acme/x\n    mirrors: [acme/x]\n    login: {{ username-secret: HUB_USER, password-secret: HUB_TOKEN }}\n"
        ));
        let regs: Vec<_> = d.images[0].logins.iter().map(|l| l.registry.as_str()).collect();
        assert_eq!(regs, ["docker.io", "ghcr.io"]);
        assert_eq!(d.secrets, ["HUB_TOKEN", "HUB_USER"]);
        assert_eq!(d.images[0].names, ["ghcr.io/acme/x", "acme/x"]);
        assert_eq!(d.images[0].subjects, ["ghcr.io/acme/x", "index.docker.io/acme/x"]);
        assert_eq!(
            d.images[0].push_by_digest,
            "type=image,\"name=ghcr.io/acme/x,acme/x\",push-by-digest=true,name-canonical=true,push=true"
        );

        // Mirrors on two more hosts: each logs in with its `registries`
        // entry, and every name gets the same digest (one build).
        let d = fixture("cluster-tool");
        let im = &d.images[0];
        let logins: Vec<_> = im
            .logins
            .iter()
            .map(|l| {
                (
                    l.registry.as_str(),
                    l.username_secret.as_deref(),
                    l.password_secret.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            logins,
            [
                ("docker.io", Some("DOCKERHUB_USERNAME"), Some("DOCKERHUB_TOKEN")),
                ("ghcr.io", None, None),
                ("quay.io", Some("QUAY_USERNAME"), Some("QUAY_ROBOT_TOKEN")),
            ]
        );
        assert_eq!(
            im.push_by_digest,
            "type=image,\"name=ghcr.io/acme/kubetool,docker.io/acme/kubetool,quay.io/acme/kubetool\",push-by-digest=true,name-canonical=true,push=true"
        );
        assert_eq!(
            d.secrets,
            [
                "DOCKERHUB_TOKEN",
                "DOCKERHUB_USERNAME",
                "QUAY_ROBOT_TOKEN",
                "QUAY_USERNAME"
            ]
        );
        // The image's own `login` wins over `registries` for its own host.
        let d = docker(&format!(
            "{HEAD}docker:\n  - image: quay.io/acme/x\n    login: {{ username-secret: OWN_USER, password-secret: OWN_TOKEN }}\nregistries:\n  quay.io: {{ username-secret: Q_USER, password-secret: Q_TOKEN }}\n"
        ));
        assert_eq!(d.images[0].logins[0].username_secret.as_deref(), Some("OWN_USER"));
    }

    #[test]
    fn subjects_are_fully_qualified() {
        assert_eq!(subject_name("ghcr.io/a/b"), "ghcr.io/a/b");
        assert_eq!(subject_name("quay.io/a/b"), "quay.io/a/b");
        assert_eq!(subject_name("a/b"), "index.docker.io/a/b");
        assert_eq!(subject_name("docker.io/a/b"), "index.docker.io/a/b");
        assert_eq!(subject_name("nginx"), "index.docker.io/library/nginx");
        assert_eq!(subject_name("localhost:5000/a"), "localhost:5000/a");
    }

    #[test]
    fn push_by_digest_single_name() {
        assert_eq!(
            fixture("llm-proxy").images[0].push_by_digest,
            "type=image,name=ghcr.io/sofatutor/llm-proxy,push-by-digest=true,name-canonical=true,push=true"
        );
    }

    #[test]
    fn each_variant_reads_its_own_files() {
        // The slim image builds with the slim build-args, never the full image's.
        let d = fixture("model-server");
        let names: Vec<_> = d.images[0].variants.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["all", "huggingface", "sklearn", "slim", "xgboost"]);
        let slim = d.images[0].variants.iter().find(|v| v.name == "slim").unwrap();
        assert_eq!(slim.build_args["RUNTIMES"], "");
        assert_eq!(slim.build_args["MLSERVER_VERSION"], "{version}");
        assert_eq!(slim.build_args_output, "docker-build-args-0-slim");
        assert_eq!(slim.tags, ["{version}-slim", "slim"]);
        let all = d.images[0].variants.iter().find(|v| v.name == "all").unwrap();
        assert_eq!(all.build_args["RUNTIMES"], "all");

        // `{variant}` in the Dockerfile path: alpine builds docker/alpine/Dockerfile.
        let d = fixture("opsml");
        let files: Vec<_> = d.images[0].variants.iter().map(|v| v.dockerfile.as_str()).collect();
        assert_eq!(
            files,
            [
                "docker/official/alpine/Dockerfile",
                "docker/official/debian/Dockerfile",
                "docker/official/distroless/Dockerfile",
                "docker/official/rocky/Dockerfile",
                "docker/official/scratch/Dockerfile",
                "docker/official/ubuntu/Dockerfile",
            ]
        );
        assert_eq!(d.images[0].variants[0].tags, ["alpine-{arch}-{version}"]);
        // Per-variant platforms: only ubuntu is built for arm64; the labels
        // name the variant.
        let platforms = |v: &VariantPlan| v.platforms.iter().map(|p| p.platform.clone()).collect::<Vec<_>>();
        assert_eq!(platforms(&d.images[0].variants[0]), ["linux/amd64"]);
        assert_eq!(platforms(&d.images[0].variants[5]), ["linux/amd64", "linux/arm64"]);
        assert_eq!(
            d.images[0].variants[5].labels["org.opencontainers.image.title"],
            "opsml (ubuntu)"
        );
        assert_eq!(d.images[0].variants[5].labels_output, "docker-labels-0-ubuntu");
        assert!(d.plan_outputs.contains(&"docker-labels-0-ubuntu".to_string()));

        // Two images, two Dockerfiles.
        // Built from the release's binary: musl for alpine, gnu for ubuntu,
        // each platform its own architecture; the build argument holds the
        // path in the context.
        let alpine = &d.images[0].variants[0];
        assert!(alpine.has_binaries && d.uses_binaries);
        assert_eq!(alpine.build_args["OPSML_SERVER_BINARY"], ".wfgen/bin/opsml-server");
        assert_eq!(
            alpine.platforms[0].binaries,
            "opsml-server=opsml-server-x86_64-unknown-linux-musl.tar.gz"
        );
        let ubuntu = &d.images[0].variants[5];
        let pats: Vec<_> = ubuntu.platforms.iter().map(|p| p.binaries_pattern.as_str()).collect();
        assert_eq!(
            pats,
            [
                "bin-opsml-server-x86_64-unknown-linux-gnu",
                "bin-opsml-server-aarch64-unknown-linux-gnu"
            ]
        );

        let d = fixture("cluster-tool");
        assert_eq!(d.images[0].variants[0].dockerfile, "Dockerfile");
        assert_eq!(d.images[1].variants[0].dockerfile, "agent.Dockerfile");
    }

    #[test]
    fn per_arch_pushes_tags_per_platform() {
        let d = fixture("opsml");
        let im = &d.images[0];
        assert!(im.per_arch);
        let v = im.variants.iter().find(|v| v.name == "ubuntu").unwrap();
        let outs: Vec<_> = v.platforms.iter().map(|p| p.tags_output.as_str()).collect();
        assert_eq!(outs, ["docker-tags-0-ubuntu-amd64", "docker-tags-0-ubuntu-arm64"]);
        assert_eq!(
            v.run_if,
            "needs.plan.outputs.docker-tags-0-ubuntu-amd64 != '' || needs.plan.outputs.docker-tags-0-ubuntu-arm64 != ''"
        );
        // The plan job exposes the platform outputs, not a manifest one.
        assert!(d.plan_outputs.contains(&"docker-tags-0-ubuntu-arm64".to_string()));
        assert!(!d.plan_outputs.contains(&"docker-tags-0-ubuntu".to_string()));
        assert!(d.plan_outputs.contains(&"docker-build-args-0-ubuntu".to_string()));
        // The builds push by digest only; the tags job of the publish stage
        // tags, and attests, each platform's digest.
        let perms: Vec<_> = im
            .build_permissions
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    if p.access == crate::plan::Access::Write {
                        "write"
                    } else {
                        "read"
                    },
                )
            })
            .collect();
        assert_eq!(perms, [("contents", "read"), ("packages", "write")]);
        let names: Vec<_> = im.merge_permissions.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["artifact-metadata", "attestations", "id-token", "packages"]);
        assert_eq!(v.merge_job, "tags-0-ubuntu");
    }

    #[test]
    fn manifest_mode_attests_in_the_merge_job() {
        let d = fixture("cluster-tool");
        assert!(d.sign && d.provenance && d.sbom);
        assert_eq!(d.buildx_provenance, "mode=max");
        assert!(d.buildx_sbom);
        let im = &d.images[0];
        assert!(!im.per_arch);
        assert_eq!(im.variants[0].run_if, "needs.plan.outputs.docker-tags-0 != ''");
        let names = |ps: &[Permission]| ps.iter().map(|p| p.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&im.build_permissions), ["contents", "packages"]);
        assert_eq!(
            names(&im.merge_permissions),
            ["artifact-metadata", "attestations", "id-token", "packages"]
        );
        assert!(im.merge_permissions.iter().all(|p| !p.why.is_empty()));

        // Neither signing nor provenance: the merge job only pushes.
        let d = docker(&format!(
            "{HEAD}docker:\n  - image: ghcr.io/acme/x\nrelease: {{ provenance: false }}\n"
        ));
        assert_eq!(d.buildx_provenance, "false");
        assert_eq!(names(&d.images[0].merge_permissions), ["packages"]);
        // Signing without provenance needs the OIDC token only.
        let d = docker(&format!(
            "{HEAD}docker:\n  - image: ghcr.io/acme/x\nrelease: {{ provenance: false, sign: true }}\n"
        ));
        assert_eq!(names(&d.images[0].merge_permissions), ["id-token", "packages"]);
    }

    #[test]
    fn caller_grants_the_union() {
        let names = |d: &DockerPlan| {
            d.caller_permissions
                .iter()
                .map(|p| format!("{}: {}", p.name, p.access))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(&fixture("cluster-tool")),
            [
                "artifact-metadata: write",
                "attestations: write",
                "contents: read",
                "id-token: write",
                "packages: write"
            ]
        );
        // Docker Hub only: nothing to write on GitHub but the attestations.
        assert_eq!(
            names(&fixture("model-server")),
            [
                "artifact-metadata: write",
                "attestations: write",
                "contents: read",
                "id-token: write"
            ]
        );
        let d = docker(&format!(
            "{HEAD}docker:\n  - image: ghcr.io/acme/x\nrelease: {{ provenance: false }}\n"
        ));
        assert_eq!(names(&d), ["contents: read", "packages: write"]);
    }

    #[test]
    fn plan_outputs_are_tag_script_outputs() {
        for (name, yaml) in FIXTURES {
            let p = Plan::new(&spec(yaml));
            let d = p.docker.as_ref().unwrap();
            let all = p.output_names();
            for o in &d.plan_outputs {
                assert!(all.contains(o), "{name}: {o} is not a tag-script output");
            }
            // Every output a build or manifest job reads is exposed.
            for im in &d.images {
                for v in &im.variants {
                    if im.per_arch {
                        for pl in &v.platforms {
                            assert!(d.plan_outputs.contains(&pl.tags_output), "{name}");
                        }
                    } else {
                        assert!(d.plan_outputs.contains(&v.tags_output), "{name}");
                    }
                    assert_eq!(
                        d.plan_outputs.contains(&v.build_args_output),
                        !v.build_args.is_empty(),
                        "{name}"
                    );
                }
            }
            // A release fills them.
            let t = p.evaluate("v1.2.3", "0123456789abcdef", &[]);
            let t = if t.valid {
                t
            } else {
                p.evaluate("1.2.3", "0123456789abcdef", &[])
            };
            assert!(t.valid, "{name}");
            for o in &d.plan_outputs {
                assert!(!t.outputs[o].is_empty(), "{name}: {o} is empty for a release");
            }
        }
    }

    #[test]
    fn the_job_graph_publishes_each_variant_after_its_build_and_scan() {
        let d = fixture("llm-proxy");
        let wf = workflow(&d);
        let stages: Vec<(&str, Stage)> = wf.jobs.jobs.iter().map(|j| (j.id.as_str(), j.stage)).collect();
        assert_eq!(
            stages,
            [
                ("plan", Stage::Plan),
                ("digests", Stage::Build),
                ("build-0", Stage::Build),
                ("scan-0", Stage::Verify),
                ("manifest-0", Stage::Publish),
            ]
        );
        assert_eq!(wf.jobs.get("manifest-0").unwrap().needs, ["plan", "build-0", "scan-0"]);
        assert_eq!(wf.jobs.get("digests").unwrap().needs, ["plan", "build-0"]);
        let scan = wf.jobs.get("scan-0").unwrap();
        assert_eq!(
            scan.condition.as_deref(),
            Some(d.images[0].variants[0].build_if.as_str())
        );
        assert!(scan.condition_why.as_deref().unwrap().contains("at or above high"));
        // Per-arch: one tags job per variant, after its builds.
        let d = fixture("opsml");
        let wf = workflow(&d);
        assert_eq!(wf.jobs.get("tags-0-ubuntu").unwrap().needs, ["plan", "build-0-ubuntu"]);
        assert_eq!(wf.jobs.get("tags-0-ubuntu").unwrap().stage, Stage::Publish);
    }

    #[test]
    fn job_ids_artifacts_and_outputs_are_unique() {
        let stress = format!(
            "{HEAD}docker:\n  - image: ghcr.io/acme/x\n    variants: [a, a-amd64, a.b, a-b]\n    tags: ['{{version}}-{{variant}}']\n    platforms: [linux/amd64, linux/arm/v7]\n  - image: ghcr.io/acme/y\n    per-arch: true\n    variants: [a, a-amd64]\n    tags: ['{{variant}}-{{arch}}']\n    platforms: [linux/amd64, linux/arm/v7]\n"
        );
        for yaml in FIXTURES.iter().map(|(_, y)| *y).chain([stress.as_str()]) {
            let d = docker(yaml);
            // The job graph checks its ids (and panics on a duplicate).
            assert_eq!(workflow(&d).jobs.check_called(), Ok(()));
            let mut seen = BTreeSet::new();
            for o in &d.plan_outputs {
                assert!(seen.insert(o.clone()), "output {o} twice");
            }
            let mut jobs = BTreeSet::from(["plan".to_string()]);
            let mut artifacts = BTreeSet::new();
            for im in &d.images {
                for v in &im.variants {
                    assert!(jobs.insert(v.build_job.clone()), "job {}", v.build_job);
                    assert!(jobs.insert(v.merge_job.clone()), "job {}", v.merge_job);
                    for p in &v.platforms {
                        assert!(artifacts.insert(p.digest_artifact.clone()));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod dockerfile_default_tests {
    #[test]
    fn dockerfile_defaults_to_the_context() {
        let yaml = "wfgen: 1\nproject: { name: x }\ndocker:\n  - image: ghcr.io/a/b\n    context: services/api\n  - image: ghcr.io/a/c\n";
        let (spec, _) = crate::parse_spec("wfgen.yaml", yaml).unwrap();
        let d = super::plan(&spec).unwrap();
        assert_eq!(d.images[0].variants[0].dockerfile, "services/api/Dockerfile");
        assert_eq!(d.images[1].variants[0].dockerfile, "Dockerfile");
    }
}
