//! The release manifest: the one typed answer for a tag. Everything a
//! release of the tag builds and publishes (each file with its kind, name,
//! version, target, artifact, workflow and job; the images with their tags
//! and platforms; the charts with version and appVersion; the PyPI uploads;
//! the GitHub release), made here once from the plan and a [`TagPlan`].
//! `wfgen plan --format json` serialises it and nothing else
//! (schema/manifest.schema.json); the plain output prints it.
//!
//! Pure data: what it needs of the repository (the changelog's text) is
//! handed in as [`RepoFacts`].

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;

use super::{Plan, TagPlan};
use crate::jobids;

/// The format of the manifest; a change that removes or renames a key
/// raises it.
pub const FORMAT: u32 = 1;

/// What the manifest needs of the repository, read by the caller.
#[derive(Debug, Clone, Default)]
pub struct RepoFacts {
    /// The commit the tag names, if known.
    pub sha: Option<String>,
    /// The text of the changelog of `release.notes: changelog:PATH`, when
    /// the working tree has it.
    pub changelog: Option<String>,
    /// The number of tags read (for the plain output).
    pub tags_read: usize,
}

/// What a release of one tag builds and publishes.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(title = "wfgen release manifest, format 1")]
pub struct Manifest {
    /// The format of this document.
    pub format: u32,
    pub project: String,
    pub tag: String,
    /// The release accepts the tag (and its changelog section exists).
    pub valid: bool,
    /// Why the release rejects the tag.
    pub error: Option<String>,
    /// The commit of the tag, when known.
    pub sha: Option<String>,
    /// release | prerelease | promotion (none for a rejected tag).
    pub kind: Option<ReleaseKind>,
    /// The version, in the tag's spelling.
    pub version: Option<String>,
    /// The version in PEP 440 normal form (the version of every Python file).
    pub pep440: Option<String>,
    pub major: Option<u64>,
    pub minor: Option<u64>,
    pub patch: Option<u64>,
    /// The version is a pre-release.
    pub prerelease: Option<bool>,
    /// The pre-release part (`rc.1`), empty for a release.
    pub prerelease_id: Option<String>,
    /// The tag promotes its plain tag's release and builds nothing.
    pub promotion: Option<bool>,
    /// The GitHub release is marked latest.
    pub latest: bool,
    /// Where the version stands among the repository's releases.
    pub standing: Option<Standing>,
    /// The GitHub release, when the tag makes one.
    pub github_release: Option<GithubRelease>,
    /// Every file the run builds, in the order of the workflows.
    pub files: Vec<File>,
    /// Every image variant pushed, with its tags.
    pub images: Vec<Image>,
    /// Every chart pushed.
    pub charts: Vec<Chart>,
    /// Every PyPI (or TestPyPI) upload.
    pub pypi: Vec<PypiUpload>,
    /// The spec's own jobs (`jobs:`) that the run of the tag has, in the
    /// order of the spec: each as its `when` says, a verify job not for a
    /// promotion (which builds nothing to verify).
    pub jobs: Vec<SpecJob>,
    /// The job that opens every file and chart the run built and checks it
    /// against this manifest before anything is published (none when the
    /// run builds nothing: a promotion, a rejected tag, images only).
    pub identity_check: Option<IdentityCheck>,
    /// The pinned version of each tool that the tag's run installs.
    pub toolchains: BTreeMap<String, String>,
    /// Exactly the outputs that release.yml's tag script writes for the tag.
    pub outputs: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReleaseKind {
    Release,
    Prerelease,
    Promotion,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Standing {
    /// No release version of the repository is higher.
    pub newest: bool,
    /// No release version of the same major is higher.
    pub newest_in_major: bool,
    /// No release version of the same major.minor is higher.
    pub newest_in_minor: bool,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GithubRelease {
    /// The release's tag: a promotion releases its plain tag.
    pub tag: String,
    pub title: String,
    pub draft: bool,
    pub prerelease: bool,
    pub latest: bool,
    pub notes: Notes,
    /// The checksums file, when the release has files and checksums.
    pub checksums_file: Option<String>,
    /// The files of `release.assets` (globs of the tagged commit, or files
    /// that `release.setup` makes).
    pub assets: Vec<String>,
    /// The built files attached (wheels as globs: see [`File`]); for a
    /// promotion, those of its plain tag's run.
    pub files: Vec<File>,
    /// Each attached file gets a cosign bundle `<file>.sigstore.json`.
    pub signed: bool,
    pub workflow: String,
    pub job: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Notes {
    /// generated | none | file | changelog
    pub source: NotesSource,
    /// The notes file or the changelog.
    pub path: Option<String>,
    /// The changelog's section of the version, read from the working tree.
    pub text: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum NotesSource {
    Generated,
    None,
    File,
    Changelog,
}

/// One file the run builds.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct File {
    pub kind: FileKind,
    /// The file name; where `glob` is true, a glob whose `*` the build
    /// decides (a wheel's Python, ABI and platform tags).
    pub name: String,
    pub glob: bool,
    /// The version in the file name (PEP 440 normal form for Python files).
    pub version: String,
    /// The binary, Python distribution or chart it belongs to.
    pub package: String,
    /// The Rust or Go target, or the wheel platform (`linux-x86_64`, `any`).
    pub target: Option<String>,
    /// The Actions artifact that carries it.
    pub artifact: String,
    pub workflow: String,
    pub job: String,
    /// Attached to the GitHub release.
    pub released: bool,
    /// How the file is made: a binary's archive or executable, a wheel, an
    /// sdist (none for checksums and SBOMs, written beside them).
    pub build: Option<Build>,
}

/// How a file of [`File`] is built.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Build {
    /// The command that builds it, without its target: `cargo build`,
    /// `cargo zigbuild`, `go build`, `maturin build` and `maturin sdist`
    /// (through PyO3/maturin-action), or a pure package's build command
    /// (`uv build --no-sources --sdist --wheel --out-dir dist`).
    pub command: String,
    /// The entry of `toolchains` whose pinned tool does the build.
    pub toolchain: String,
    /// The directory it runs in, relative to the repository root.
    pub directory: String,
    /// A binary: the Cargo package (`-p`) or the Go main package it builds.
    pub package: Option<String>,
    /// A binary: the executable's file name, in the archive (or the file
    /// itself with `archive: none`).
    pub executable: Option<String>,
    /// A binary leg built in a job container: its image.
    pub container: Option<String>,
    /// A Rust leg with a glibc floor (`2.17`): cargo builds
    /// `--target <target>.<glibc>`.
    pub glibc: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    /// A binary's tar.gz or zip archive.
    Archive,
    /// A binary released as is (`archive: none`).
    Executable,
    /// `<file>.sha256` beside a binary's release file.
    Checksum,
    /// An SPDX SBOM of a binary's release file.
    Sbom,
    Wheel,
    Sdist,
}

/// One variant of an image, as pushed.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Image {
    /// The image of the spec (`docker[].image`).
    pub image: String,
    pub variant: String,
    /// Every `name:tag` reference pushed.
    pub tags: Vec<String>,
    pub platforms: Vec<String>,
    /// One tag per platform (`{arch}` tags), no multi-arch index.
    pub per_arch: bool,
    pub workflow: String,
    /// The jobs that build (by digest) and tag the variant.
    pub build_job: String,
    pub publish_job: String,
    /// The artifact of each platform's build, in the order of `platforms`:
    /// one file named by the digest, holding the image's
    /// `org.opencontainers.image.version` label as the registry has it.
    pub digest_artifacts: Vec<String>,
    /// The `org.opencontainers.image.version` label every build must have
    /// (the identity check reads it back).
    pub version_label: String,
    /// The Dockerfile, relative to the repository root.
    pub dockerfile: String,
    /// The build context, relative to the repository root.
    pub context: String,
    /// The build arguments of every platform's build, as the tag's run
    /// gives them.
    pub build_args: BTreeMap<String, String>,
    /// The release's binaries that the builds take into their context, one
    /// entry per platform and binary (none for an image built from source
    /// alone).
    pub binaries: Vec<ImageBinary>,
}

/// A binary of the release in an image build's context.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ImageBinary {
    /// The Docker platform of the build.
    pub platform: String,
    /// The binary (`binaries[].name`).
    pub package: String,
    /// The leg it comes from: its target, and the release file (a name of
    /// `files`) the executable is taken out of.
    pub target: String,
    pub file: String,
    /// Where the executable is in the build context (its build argument
    /// names this path).
    pub path: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Chart {
    /// The chart's directory.
    pub chart: String,
    pub version: String,
    #[serde(rename = "appVersion")]
    pub app_version: String,
    /// `oci://host/path`
    pub registry: String,
    /// The secret holding the registry user name; none: GITHUB_TOKEN.
    pub username_secret: Option<String>,
    pub artifact: String,
    pub workflow: String,
    pub build_job: String,
    pub publish_job: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct IdentityCheck {
    pub workflow: String,
    pub job: String,
    /// What it checks, e.g. `6 binary files, 6 checksum files, 30 wheels, 2 sdists`.
    pub checks: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PypiUpload {
    /// The distribution's name as the spec gives it.
    pub name: String,
    /// pypi | testpypi
    pub repository: String,
    /// The version uploaded: the tag's, in PEP 440 normal form.
    pub version: String,
    /// The names (or globs) of its files: see [`File`].
    pub files: Vec<String>,
    /// The secret holding the API token of the upload; none: trusted
    /// publishing.
    pub token_secret: Option<String>,
    pub workflow: String,
    pub job: String,
}

/// One of the spec's own jobs (`jobs:`) in the run of a tag.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SpecJob {
    pub id: String,
    /// verify | after-release
    pub stage: crate::spec::CustomStage,
    pub workflow: String,
}

/// The manifest of `tag` under `plan`: `t` is `plan.evaluate(tag, ..)`.
pub fn manifest(plan: &Plan, mut t: TagPlan, facts: &RepoFacts) -> Manifest {
    // release.notes: changelog:PATH: the section of this version, which the
    // release job reads at the tag; a missing section rejects the tag.
    let mut notes_text = None;
    if let (Some(path), Some(v), true, Some(text)) = (
        plan.release.notes.strip_prefix("changelog:"),
        t.version.as_ref(),
        t.github_release,
        facts.changelog.as_deref(),
    ) {
        match super::changelog::section(text, &v.version) {
            Some(s) => notes_text = Some(s),
            None => {
                t.valid = false;
                t.error = Some(super::changelog::missing(path, &v.version));
            }
        }
    }
    let v = t.version.clone();
    let kind = v.as_ref().map(|v| {
        if v.promotion {
            ReleaseKind::Promotion
        } else if v.is_prerelease {
            ReleaseKind::Prerelease
        } else {
            ReleaseKind::Release
        }
    });
    // A promotion builds nothing: its release has the files of its plain tag.
    let built = match &v {
        Some(v) if t.valid => files(plan, v),
        _ => Vec::new(),
    };
    let files_now: Vec<File> = if v.as_ref().is_some_and(|v| v.promotion) {
        Vec::new()
    } else {
        built.clone()
    };
    let github_release = match &v {
        Some(v) if t.github_release => Some(github_release(plan, &t, v, &built, notes_text)),
        _ => None,
    };
    let images = images(plan, &t);
    // A rejected tag (a changelog without its section) publishes nothing.
    let charts: Vec<Chart> = t
        .helm
        .iter()
        .filter(|_| t.valid)
        .zip(plan.helm.iter().flat_map(|h| &h.charts))
        .map(|(r, c)| Chart {
            chart: r.chart.clone(),
            version: r.version.clone(),
            app_version: r.app_version.clone(),
            registry: r.registry.clone(),
            username_secret: r.username_secret.clone(),
            artifact: c.artifact.clone(),
            workflow: "helm-publish.yml".into(),
            build_job: c.job.clone(),
            publish_job: c.push_job.clone(),
        })
        .collect();
    let pypi = t
        .pypi
        .iter()
        .filter(|_| t.valid)
        .map(|u| {
            let pk = plan.python.iter().flat_map(|w| &w.packages).find(|p| p.name == u.name);
            PypiUpload {
                name: u.name.clone(),
                repository: u.repository.clone(),
                version: v.as_ref().map(python_version).unwrap_or_default(),
                files: files_now
                    .iter()
                    .filter(|f| matches!(f.kind, FileKind::Wheel | FileKind::Sdist) && f.package == u.name)
                    .map(|f| f.name.clone())
                    .collect(),
                token_secret: pk.and_then(|p| p.token_secret.clone()),
                workflow: "release.yml".into(),
                job: pk.map(|p| p.publish_job.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let identity_check = super::identity::plan(plan)
        .filter(|_| !files_now.is_empty() || !charts.is_empty())
        .map(|c| IdentityCheck {
            workflow: "release.yml".into(),
            job: jobids::VERIFY_IDENTITY.into(),
            checks: c.summary,
        });
    Manifest {
        format: FORMAT,
        project: plan.project.clone(),
        tag: t.tag.clone(),
        valid: t.valid,
        error: t.error.clone(),
        sha: facts.sha.clone(),
        kind,
        version: v.as_ref().map(|v| v.version.clone()),
        pep440: v.as_ref().map(python_version),
        major: v.as_ref().map(|v| v.major),
        minor: v.as_ref().map(|v| v.minor),
        patch: v.as_ref().map(|v| v.patch),
        prerelease: v.as_ref().map(|v| v.is_prerelease),
        prerelease_id: v.as_ref().map(|v| v.prerelease.clone()),
        promotion: v.as_ref().map(|v| v.promotion),
        latest: t.latest,
        standing: t.standing.map(|s| Standing {
            newest: s.newest,
            newest_in_major: s.newest_in_major,
            newest_in_minor: s.newest_in_minor,
        }),
        github_release,
        files: files_now,
        images,
        charts,
        pypi,
        jobs: spec_jobs(plan, &t),
        identity_check,
        toolchains: used_toolchains(plan, v.as_ref().is_some_and(|v| v.promotion))
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        outputs: t.outputs,
    }
}

/// The spec's jobs that the run of the tag has: none for a rejected tag;
/// each as its `when` says (release.yml's `if:` on `is-prerelease`); a
/// verify job not for a promotion, whose skipped builds it needs.
fn spec_jobs(plan: &Plan, t: &TagPlan) -> Vec<SpecJob> {
    use crate::spec::{CustomStage, When};
    let Some(v) = t.version.as_ref().filter(|_| t.valid) else {
        return Vec::new();
    };
    plan.jobs
        .iter()
        .filter(|j| match j.when {
            When::Always => true,
            When::Release => !v.is_prerelease,
            When::Prerelease => v.is_prerelease,
        })
        .filter(|j| !(j.stage == CustomStage::Verify && v.promotion))
        .map(|j| SpecJob {
            id: j.id.clone(),
            stage: j.stage,
            workflow: "release.yml".into(),
        })
        .collect()
}

/// The GitHub release has files (and so a checksums file and signatures):
/// binaries, Python distributions or `release.assets`.
fn release_has_files(plan: &Plan) -> bool {
    plan.build.is_some() || !plan.python.is_empty() || !plan.release.assets.is_empty()
}

/// The pinned tools that a run of the tag installs, in the order `wfgen
/// plan` prints them: those of the jobs the run has. A promotion builds
/// nothing: at most cosign, for the GitHub release's signatures.
pub fn used_toolchains(plan: &Plan, promotion: bool) -> Vec<(&'static str, String)> {
    let r = &plan.release;
    let release_signs = r.github_release != crate::spec::GithubRelease::Never && r.sign && release_has_files(plan);
    let named = |t: &str| plan.toolchains.named.iter().any(|n| n == t);
    let packages = || plan.python.iter().flat_map(|w| &w.packages);
    let maturin = packages().any(|p| p.build == "maturin");
    let pure = |builder: &str| packages().any(|p| p.build == "pure" && p.builder == builder);
    let zigbuild = plan
        .build
        .as_ref()
        .is_some_and(|b| b.entries.iter().any(|e| e.build == "zigbuild"));
    let docker = plan.docker.as_ref();
    let used = |tool: &str| -> bool {
        if promotion {
            return tool == "cosign" && release_signs;
        }
        match tool {
            "rust" => plan.build.as_ref().is_some_and(|b| b.has_rust) || maturin || named("rust"),
            "go" => plan.build.as_ref().is_some_and(|b| b.has_go) || named("go"),
            // cargo-zigbuild and Zig come from PyPI.
            "python" => !plan.python.is_empty() || named("python") || zigbuild,
            "node" => true,
            "helm" => plan.helm.is_some(),
            "maturin" => maturin,
            "cosign" => release_signs || docker.is_some_and(|d| d.sign),
            "cargo-zigbuild" | "ziglang" => zigbuild,
            "build" | "uv" | "poetry" => pure(tool),
            "binfmt" => docker.is_some_and(|d| d.images.iter().flat_map(|i| &i.variants).any(|v| v.qemu)),
            "buildkit" => docker.is_some(),
            _ => true,
        }
    };
    plan.toolchains
        .pairs()
        .into_iter()
        .filter(|(tool, _)| used(tool))
        .collect()
}

fn github_release(
    plan: &Plan,
    t: &TagPlan,
    v: &super::Version,
    built: &[File],
    notes_text: Option<String>,
) -> GithubRelease {
    let r = &plan.release;
    let has_files = release_has_files(plan);
    let (source, path) = match r.notes.as_str() {
        "generated" => (NotesSource::Generated, None),
        "none" => (NotesSource::None, None),
        n => match n.strip_prefix("changelog:") {
            Some(p) => (NotesSource::Changelog, Some(p.to_string())),
            None => (NotesSource::File, Some(n.to_string())),
        },
    };
    GithubRelease {
        tag: if v.promotion {
            format!("{}{}", plan.grammar.prefix, v.version)
        } else {
            t.tag.clone()
        },
        title: t.release_title.clone().unwrap_or_else(|| t.tag.clone()),
        draft: t.valid && r.draft,
        prerelease: v.is_prerelease,
        latest: t.latest,
        notes: Notes {
            source,
            path,
            text: notes_text,
        },
        checksums_file: (r.checksums && has_files).then(|| t.checksums_file.clone()).flatten(),
        assets: r.assets.clone(),
        files: built.iter().filter(|f| f.released).cloned().collect(),
        signed: r.sign && has_files,
        workflow: "release.yml".into(),
        job: jobids::GITHUB_RELEASE.into(),
    }
}

/// Every file that a run of a (non-promotion) tag of version `v` builds.
fn files(plan: &Plan, v: &super::Version) -> Vec<File> {
    files_of(plan, &v.version, &python_version(v))
}

/// Every file that a run of a (non-promotion) tag builds, whose version is
/// `version` in the tag's spelling and `python` in PEP 440 normal form (the
/// version of the Python files). The file set does not depend on the
/// version: the identity check of release.yml gets it with placeholders.
pub(crate) fn files_of(plan: &Plan, version: &str, python: &str) -> Vec<File> {
    let mut out = Vec::new();
    if let Some(b) = &plan.build {
        for job in &b.jobs {
            for e in &job.entries {
                let asset = super::assetnames::with_version(&e.asset, version);
                let file = |kind, name: String, build| File {
                    kind,
                    name,
                    glob: false,
                    version: version.to_string(),
                    package: e.binary.clone(),
                    target: Some(e.target.clone()).filter(|t| !t.is_empty()),
                    artifact: e.artifact.clone(),
                    workflow: "build-assets.yml".into(),
                    job: job.id.clone(),
                    released: true,
                    build,
                };
                let kind = if e.archive == "none" {
                    FileKind::Executable
                } else {
                    FileKind::Archive
                };
                out.push(file(kind, asset.clone(), Some(binary_build(e))));
                out.push(file(FileKind::Checksum, format!("{asset}.sha256"), None));
                if b.sbom {
                    out.push(file(
                        FileKind::Sbom,
                        super::assetnames::with_version(&e.sbom_file, version),
                        None,
                    ));
                }
            }
        }
    }
    for w in &plan.python {
        for p in &w.packages {
            let file = |kind, name: String, target: &str, artifact: &str, job: &str| File {
                kind,
                glob: kind == FileKind::Wheel,
                name,
                version: python.to_string(),
                package: p.name.clone(),
                target: Some(target.to_string()),
                artifact: artifact.to_string(),
                workflow: w.file.clone(),
                job: job.to_string(),
                released: true,
                build: Some(python_build(p, kind)),
            };
            let stem = format!("{}-{python}", p.slug);
            if p.build == "maturin" {
                for wh in &p.wheels {
                    for abi in wheel_abis(p) {
                        out.push(file(
                            FileKind::Wheel,
                            format!("{stem}-{abi}-{}.whl", platform_tag(&wh.platform)),
                            &wh.platform,
                            &wh.artifact,
                            &p.wheel_job,
                        ));
                    }
                }
                if p.sdist {
                    out.push(file(
                        FileKind::Sdist,
                        format!("{stem}.tar.gz"),
                        "source",
                        &p.sdist_artifact,
                        &p.sdist_job,
                    ));
                }
            } else {
                out.push(file(
                    FileKind::Wheel,
                    format!("{stem}-*-none-any.whl"),
                    "any",
                    &p.pure_wheel_artifact,
                    &p.pure_job,
                ));
                if p.sdist {
                    out.push(file(
                        FileKind::Sdist,
                        format!("{stem}.tar.gz"),
                        "source",
                        &p.sdist_artifact,
                        &p.pure_job,
                    ));
                }
            }
        }
    }
    out
}

/// How a binary leg is built.
fn binary_build(e: &super::build::BuildEntry) -> Build {
    let rust = e.kind == crate::spec::BinaryKind::Rust;
    let some = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
    Build {
        command: if rust {
            format!("cargo {}", e.cargo)
        } else {
            "go build".into()
        },
        toolchain: match (rust, e.cargo.as_str()) {
            (true, "zigbuild") => "cargo-zigbuild",
            (true, _) => "rust",
            (false, _) => "go",
        }
        .into(),
        directory: ".".into(),
        package: Some(e.package.clone()),
        executable: Some(e.exe.clone()),
        container: some(&e.container),
        glibc: some(&e.glibc),
    }
}

/// How a Python package's wheel or sdist is built: by maturin (its
/// action), or by the pure package's builder.
fn python_build(p: &super::python::PyPackage, kind: FileKind) -> Build {
    let (command, toolchain) = match (p.build.as_str(), kind) {
        ("maturin", FileKind::Sdist) => ("maturin sdist".to_string(), "maturin".to_string()),
        ("maturin", _) => ("maturin build".to_string(), "maturin".to_string()),
        _ => (p.pure_build.clone(), p.builder.clone()),
    };
    Build {
        command,
        toolchain,
        directory: p.path.clone(),
        package: None,
        executable: None,
        container: None,
        glibc: None,
    }
}

/// The version of the Python files of `v`: its PEP 440 normal form, which
/// the build backends write (maturin turns Cargo's `1.3.0-rc.1` into
/// `1.3.0rc1`).
pub fn python_version(v: &super::Version) -> String {
    super::version::pep440_normal(&v.version).unwrap_or_else(|| v.pep440.clone())
}

/// The Python and ABI tags of a maturin package's wheels, one a wheel per
/// platform: `cp310-cp310` per interpreter, `cp3*-abi3` for abi3, and
/// `py3-none` for bindings that serve every Python (bin, cffi, uniffi).
fn wheel_abis(p: &super::python::PyPackage) -> Vec<String> {
    if p.abi3 {
        return vec!["cp3*-abi3".into()];
    }
    let pythons: Vec<String> = p
        .interpreters
        .split_whitespace()
        .filter_map(|i| i.strip_prefix("python"))
        .map(|v| {
            let cp = format!("cp{}", v.replace('.', ""));
            format!("{cp}-{cp}")
        })
        .collect();
    if pythons.is_empty() {
        vec!["py3-none".into()]
    } else {
        pythons
    }
}

/// The glob of a wheel's platform tag for a platform of the spec.
fn platform_tag(platform: &str) -> String {
    let (family, arch) = platform.split_once('-').unwrap_or((platform, ""));
    match family {
        // manylinux_2_17_x86_64.manylinux2014_x86_64, or linux_x86_64 off
        // a manylinux container.
        "linux" => format!("*linux*_{arch}"),
        "musllinux" => format!("musllinux_*_{arch}"),
        "macos" => format!("macosx_*_{}", if arch == "aarch64" { "arm64" } else { arch }),
        "windows" => match arch {
            "x64" => "win_amd64".into(),
            "x86" => "win32".into(),
            a => format!("win_{a}"),
        },
        _ => "*".into(),
    }
}

fn images(plan: &Plan, t: &TagPlan) -> Vec<Image> {
    let (Some(d), Some(v)) = (&plan.docker, &t.version) else {
        return Vec::new();
    };
    if v.promotion || !t.valid {
        return Vec::new();
    }
    let mut out = Vec::new();
    for im in &d.images {
        for var in &im.variants {
            let outputs: Vec<&str> = if im.per_arch {
                var.platforms.iter().map(|p| p.tags_output.as_str()).collect()
            } else {
                vec![var.tags_output.as_str()]
            };
            let tags = outputs
                .iter()
                .filter_map(|o| t.outputs.get(*o))
                .flat_map(|s| s.split_whitespace().map(String::from))
                .collect();
            let build_args = t
                .outputs
                .get(&var.build_args_output)
                .into_iter()
                .flat_map(|s| s.lines())
                .filter_map(|l| l.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            // `exe=asset` words: the executable of the release file `asset`.
            let binaries = var
                .platforms
                .iter()
                .flat_map(|p| p.binaries.split_whitespace().map(move |w| (p, w)))
                .filter_map(|(p, word)| {
                    let (exe, asset) = word.split_once('=')?;
                    let e = plan.build.as_ref()?.entries.iter().find(|e| e.asset == asset)?;
                    Some(ImageBinary {
                        platform: p.platform.clone(),
                        package: e.binary.clone(),
                        target: e.target.clone(),
                        file: super::assetnames::with_version(asset, &v.version),
                        path: format!("{}/{exe}", super::imagebins::CONTEXT_DIR),
                    })
                })
                .collect();
            out.push(Image {
                image: im.image.clone(),
                variant: var.name.clone(),
                tags,
                platforms: var.platforms.iter().map(|p| p.platform.clone()).collect(),
                per_arch: im.per_arch,
                workflow: "docker.yml".into(),
                build_job: var.build_job.clone(),
                publish_job: var.merge_job.clone(),
                digest_artifacts: var.platforms.iter().map(|p| p.digest_artifact.clone()).collect(),
                version_label: v.version.clone(),
                dockerfile: var.dockerfile.clone(),
                context: im.context.clone(),
                build_args,
                binaries,
            });
        }
    }
    out
}

/// The JSON Schema of the manifest (schema/manifest.schema.json).
pub fn schema_json() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Manifest)).expect("schema serializes")
}
