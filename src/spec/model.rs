//! The serde model of `wfgen.yaml`, spec format 1.
//!
//! Every struct denies unknown keys in its JSON Schema; the loader reports
//! unknown keys itself (all of them, with a did-you-mean), so serde never has to.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A wfgen release spec.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[schemars(title = "wfgen release spec, format 1")]
pub struct Spec {
    /// Format version of the spec. Must be 1.
    pub wfgen: u32,
    pub project: Project,
    #[serde(default)]
    pub versioning: Versioning,
    #[serde(default)]
    pub triggers: Triggers,
    /// Pinned versions of the tools the jobs install (never `latest`).
    #[serde(default)]
    pub toolchains: Toolchains,
    /// Steps of every binary, wheel and gate job, after the checkout and the
    /// toolchains (not of docker or helm jobs: Dockerfiles and charts build
    /// themselves).
    #[serde(default)]
    pub setup: Vec<Step>,
    /// Environment of every binary, wheel and gate job. Values may hold
    /// `{tag}`, `{version}`, `{sha}` and `{date}`.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// Quality gates, run before anything is published.
    #[serde(default)]
    pub gates: Vec<Gate>,
    /// Binaries built for each target (build-assets.yml).
    #[serde(default)]
    pub binaries: Vec<Binary>,
    /// Python distributions, one workflow per distinct `workflow` value.
    #[serde(default)]
    pub python: Vec<PythonPackage>,
    /// Container images (docker.yml).
    #[serde(default)]
    pub docker: Vec<DockerImage>,
    /// Credentials per registry host, for the images and charts pushed
    /// there: host -> the names of the secrets holding the user name and
    /// the password or token. ghcr.io needs none (GITHUB_TOKEN).
    #[serde(default)]
    pub registries: BTreeMap<String, Login>,
    /// Helm charts pushed to an OCI registry (helm-publish.yml).
    #[serde(default)]
    pub helm: Vec<HelmChart>,
    #[serde(default)]
    pub release: Release,
    /// Your own jobs, wired into release.yml at a stage (a smoke test, a
    /// deploy, a Homebrew tap); wfgen never writes their files.
    #[serde(default)]
    pub jobs: Vec<CustomJob>,
    /// Overrides of the runner table: target or platform -> runner label.
    #[serde(default)]
    pub runners: BTreeMap<String, String>,
    /// Overrides of the built-in action pins: `owner/repo[/path]` -> pin.
    #[serde(default)]
    pub pins: BTreeMap<String, Pin>,
    /// How the generated files are written.
    #[serde(default)]
    pub output: Output,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Output {
    /// How release.yml calls the other workflows: `self` writes `$/` calls
    /// (github.com); `relative` writes `./` calls (GitHub Enterprise Server,
    /// and actionlint releases without `$/`).
    #[serde(default)]
    pub local_calls: LocalCalls,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LocalCalls {
    #[default]
    #[serde(rename = "self")]
    SelfRepository,
    Relative,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Project {
    /// Name of the project. No generated file uses it: binaries, packages,
    /// images and charts are named by their own keys.
    pub name: String,
    /// GitHub repository as `owner/name`. No generated file uses it: the
    /// workflows read the repository from GitHub when they run.
    #[serde(default)]
    pub repository: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema, Default)]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    #[default]
    Semver,
    Pep440,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Versioning {
    #[serde(default)]
    pub scheme: Scheme,
    /// Prefix of release tags; "" allows bare `1.2.0` tags.
    #[serde(default = "default_tag_prefix")]
    pub tag_prefix: String,
    /// Accepted pre-release labels. pep440 maps alpha/a, beta/b, rc and dev.
    #[serde(default = "default_prereleases")]
    pub prereleases: Vec<String>,
    /// Suffix of promotion tags, e.g. `-stable` for `v1.2.3-stable`.
    #[serde(default)]
    pub stable_suffix: Option<String>,
    /// Files whose version must equal the tag's version.
    #[serde(default)]
    pub version_files: Vec<String>,
    /// pep440: which spellings of a version a tag may use.
    #[serde(default)]
    pub pep440_spelling: Pep440Spelling,
    /// Whether a tag may carry SemVer `+BUILD` metadata (`v1.3.0+b1`).
    #[serde(default)]
    pub build_metadata: BuildMetadata,
    /// How `wfgen next pre` spells a new pre-release where the repository
    /// has no pre-release tag to copy the spelling of: what follows
    /// MAJOR.MINOR.PATCH (under semver, what follows its `-`), with `{label}`
    /// and `{n}`, e.g. `{label}{n}` for `v1.3.0-rc1` [semver: `{label}.{n}`
    /// (`v1.3.0-rc.1`); pep440: the normal form (`1.3.0rc1`, `1.3.0.dev1`)].
    #[serde(default)]
    pub prerelease_format: Option<String>,
}

/// Whether release tags may carry SemVer build metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum BuildMetadata {
    /// A tag with `+BUILD` is not a release tag: PyPI refuses local
    /// versions, and a Docker tag cannot hold `+`.
    #[default]
    Refuse,
    /// `+BUILD` is accepted (semver, with no PyPI upload); it becomes `_` in
    /// Docker tags.
    Allow,
}

/// The spellings of a PEP 440 version that tags may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Pep440Spelling {
    /// Every spelling PEP 440 normalises (`1.2.0.rc1`, `1.2.0-rc1`,
    /// `1.2.0rc1`, `1.2.0-alpha.2`, `1.2.0-1`, `1.2.0.dev`); `{version}`
    /// keeps the tag's spelling and `{pep440}` is the normal form.
    #[default]
    Any,
    /// Only the normal form (`1.2.0rc1`, `1.2.0.post1`, `1.2.0.dev1`).
    Canonical,
}

impl Default for Versioning {
    fn default() -> Self {
        Versioning {
            scheme: Scheme::Semver,
            tag_prefix: default_tag_prefix(),
            prereleases: default_prereleases(),
            stable_suffix: None,
            version_files: Vec::new(),
            pep440_spelling: Pep440Spelling::Any,
            build_metadata: BuildMetadata::Refuse,
            prerelease_format: None,
        }
    }
}

fn default_tag_prefix() -> String {
    "v".into()
}
fn default_prereleases() -> Vec<String> {
    vec!["rc".into(), "alpha".into(), "beta".into()]
}
fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Triggers {
    /// Run on pushed tags that look like versions.
    #[serde(default = "yes")]
    pub tags: bool,
    /// workflow_dispatch with a `tag` input, to re-run a release of an existing tag.
    #[serde(default = "yes")]
    pub dispatch: bool,
    /// What pull requests run: `none`; `plan`: pull-request.yml runs the
    /// release's tag script on a tag made from the pull request's number,
    /// read-only and without secrets, so a spec whose tag grammar the release
    /// would refuse fails before it is merged; `build`: also the gates, the
    /// images (built, not pushed) and the charts (linted and packaged, not
    /// pushed), still read-only and without secrets.
    #[serde(default)]
    pub pull_request: PullRequest,
    /// cut.yml: cut a release from the Actions tab. A `workflow_dispatch`
    /// with a bump (patch, minor, major, pre, promote) or a version: it
    /// chooses the tag as `wfgen next` does, checks the version files,
    /// creates and pushes the tag, and starts release.yml on it.
    #[serde(default)]
    pub cut: Option<Cut>,
}

impl Default for Triggers {
    fn default() -> Self {
        Triggers {
            tags: true,
            dispatch: true,
            pull_request: PullRequest::None,
            cut: None,
        }
    }
}

/// `triggers.cut`: how releases are cut from the Actions tab.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Cut {
    /// The branch releases are cut from: cut.yml tags only a run on it, and
    /// `wfgen tag` only a HEAD on it.
    #[serde(default = "main_branch")]
    pub branch: String,
}

fn main_branch() -> String {
    "main".into()
}

/// What release work runs on pull requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PullRequest {
    /// Nothing: no workflow runs on pull requests.
    #[default]
    None,
    /// Check the tag grammar with the release's own tag script.
    Plan,
    /// `plan`, then the gates and the builds of the release, publishing
    /// nothing: images built without a push, charts linted and packaged.
    Build,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Gate {
    /// Job id of the gate (letters, digits, `-`, `_`).
    pub name: String,
    /// Shell command run by the gate (bash), after the toolchains, the
    /// top-level `setup` and the gate's own `setup`. Or give `uses`.
    #[serde(default)]
    pub run: Option<String>,
    /// A reusable workflow of this repository as the gate,
    /// `./.github/workflows/<file>.yml`, called with the inputs tag,
    /// version, prerelease and sha.
    #[serde(default)]
    pub uses: Option<String>,
    /// More steps of this gate, after the top-level `setup`.
    #[serde(default)]
    pub setup: Vec<Step>,
    /// More environment of this gate (over the top-level `env`).
    #[serde(default)]
    pub env: BTreeMap<String, String>,
}

/// One of your own jobs in release.yml.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct CustomJob {
    /// Job id in release.yml (letters, digits, `-`, `_`).
    pub id: String,
    /// verify: after every build, before anything is published (a failure
    /// stops the release); after-release: after publishing.
    pub stage: CustomStage,
    /// The job's steps, run after a checkout of the tag; values come in as
    /// environment variables (RELEASE_TAG, RELEASE_VERSION, RELEASE_PRERELEASE,
    /// RELEASE_SHA). Or give `uses`.
    #[serde(default)]
    pub steps: Vec<Step>,
    /// A reusable workflow of this repository, `./.github/workflows/<file>.yml`,
    /// called with the inputs tag, version, prerelease and sha.
    #[serde(default)]
    pub uses: Option<String>,
    /// Runner label of a `steps` job.
    #[serde(default = "default_custom_runner")]
    pub runs_on: String,
    /// The job's permissions [contents: read].
    #[serde(default = "default_custom_permissions")]
    pub permissions: BTreeMap<String, PermissionLevel>,
    /// Secrets passed by name: env of a `steps` job, `secrets:` of a call.
    #[serde(default)]
    pub secrets: Vec<String>,
    /// GitHub environment of a `steps` job (its protection rules apply).
    #[serde(default)]
    pub environment: Option<String>,
    /// Which releases run the job.
    #[serde(default)]
    pub when: When,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CustomStage {
    Verify,
    AfterRelease,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema, Default)]
#[serde(rename_all = "lowercase")]
pub enum When {
    /// Every release.
    #[default]
    Always,
    /// Releases, not pre-releases.
    Release,
    /// Pre-releases only.
    Prerelease,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PermissionLevel {
    Read,
    Write,
    None,
}

/// A step: `run` a command, or `uses` an action.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Step {
    /// Step name [the command, or the action].
    #[serde(default)]
    pub name: Option<String>,
    /// A shell command.
    #[serde(default)]
    pub run: Option<String>,
    /// The shell of a `run` step [bash].
    #[serde(default)]
    pub shell: Option<StepShell>,
    /// Run the step only on runners of these systems [all].
    #[serde(default)]
    pub os: Vec<StepOs>,
    /// An action: `owner/repo[/path]`, pinned through `pins:` or the built-in
    /// pins, or a local action `./path`.
    #[serde(default)]
    pub uses: Option<String>,
    /// Inputs of the action.
    #[serde(default)]
    pub with: BTreeMap<String, String>,
    /// Secrets exposed to this step only, as environment variables of their
    /// own names.
    #[serde(default)]
    pub secrets: Vec<String>,
}

/// The system of a runner, for a step's `os` filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum StepOs {
    Linux,
    Macos,
    Windows,
}

/// The shell of a `run` step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum StepShell {
    Bash,
    Sh,
    Pwsh,
    Python,
    Cmd,
}

/// Pinned versions of the tools the jobs install.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Toolchains {
    /// Rust: `stable`, a version (`1.86.0`), or `file` (rust-toolchain.toml) [stable].
    #[serde(default)]
    pub rust: Option<String>,
    /// Go: `go.mod` (its `go`/`toolchain` line), or a version [go.mod].
    #[serde(default)]
    pub go: Option<String>,
    /// Python of the builds, pure wheels, sdists and gates [3.12].
    #[serde(default)]
    pub python: Option<String>,
    /// Node.js, set up only when given.
    #[serde(default)]
    pub node: Option<String>,
    /// Helm [the built-in version, shown by `wfgen plan`].
    #[serde(default)]
    pub helm: Option<String>,
    /// maturin [the built-in version].
    #[serde(default)]
    pub maturin: Option<String>,
    /// cosign [the built-in version].
    #[serde(default)]
    pub cosign: Option<String>,
}

fn default_custom_runner() -> String {
    "ubuntu-24.04".into()
}

fn default_custom_permissions() -> BTreeMap<String, PermissionLevel> {
    BTreeMap::from([("contents".to_string(), PermissionLevel::Read)])
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum BinaryKind {
    Rust,
    Go,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema, Default)]
pub enum ArchiveFormat {
    #[default]
    #[serde(rename = "auto")]
    Auto,
    #[serde(rename = "tar.gz")]
    TarGz,
    #[serde(rename = "zip")]
    Zip,
    #[serde(rename = "none")]
    None,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Binary {
    /// Name of the binary (and of its archives).
    pub name: String,
    pub kind: BinaryKind,
    /// Cargo package, or Go main package path (`./cmd/x`). Defaults to the name
    /// (Rust) or `.` (Go).
    #[serde(default)]
    pub package: Option<String>,
    /// Cargo features.
    #[serde(default)]
    pub features: Vec<String>,
    /// Rust target triples, or Go `goos/goarch` pairs; a target with the
    /// settings of its leg (`container`, `glibc`, `suffix`) as a mapping.
    pub targets: Vec<Target>,
    #[serde(default)]
    pub archive: ArchiveFormat,
    /// More files in the archive, beside the executable: files and globs
    /// of the repository (at the archive's root), or `{ from, to }`
    /// directories.
    #[serde(default)]
    pub include: Vec<Include>,
    /// Rust: the executable cargo builds (`--bin`) [the name].
    #[serde(default)]
    pub bin: Option<String>,
    /// Rust: the cargo profile [release].
    #[serde(default)]
    pub profile: Option<String>,
    /// Rust: more cargo arguments [`[--locked]`].
    #[serde(default)]
    pub cargo_args: Option<Vec<String>>,
    /// Go: the linker flags; `{version}` (the tag without its prefix),
    /// `{sha}` (the commit) and `{date}` (the commit date, RFC 3339) are
    /// expanded [`-s -w`].
    #[serde(default)]
    pub ldflags: Option<String>,
    /// Go: more `go build` flags [`[-trimpath]`].
    #[serde(default)]
    pub flags: Option<Vec<String>>,
    /// Go: build tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Environment of this binary's build jobs (over the top-level `env`),
    /// e.g. `GOFLAGS: -mod=vendor`; `{tag}`, `{version}`, `{sha}` and
    /// `{date}` are expanded.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// More steps of this binary's build jobs, after the top-level `setup`.
    #[serde(default)]
    pub setup: Vec<Step>,
    /// Base name of the released archive (or bare executable): placeholders
    /// `{name}`, `{version}`, `{target}`, `{os}`, `{arch}` and `{suffix}`
    /// [`{name}-{target}{suffix}`].
    #[serde(default)]
    pub asset: Option<String>,
}

/// The default of `binaries[].asset`.
pub const DEFAULT_ASSET: &str = "{name}-{target}{suffix}";

/// A target of a binary: its name, or a mapping with the settings of its leg.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Target {
    /// A Rust target triple, or a Go `goos/goarch` pair.
    Name(String),
    /// A target with the settings of its leg.
    Leg(TargetLeg),
}

/// One leg of a binary's build: a target and how it is built.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct TargetLeg {
    /// The Rust target triple, or the Go `goos/goarch` pair.
    pub target: String,
    /// Rust, Linux targets: the container image the leg is built in
    /// (e.g. `rockylinux:9`).
    #[serde(default)]
    pub container: Option<String>,
    /// Rust, Linux gnu targets: the oldest glibc the executable runs on,
    /// built with cargo-zigbuild (e.g. `2.17`).
    #[serde(default)]
    pub glibc: Option<String>,
    /// Added to the asset and artifact names (`{suffix}`), e.g. `-rocky`:
    /// two legs of one target need distinct suffixes.
    #[serde(default)]
    pub suffix: Option<String>,
}

impl Target {
    /// The target triple or `goos/goarch` pair.
    pub fn name(&self) -> &str {
        match self {
            Target::Name(t) => t,
            Target::Leg(l) => &l.target,
        }
    }
    /// The leg's settings, if it has any.
    pub fn leg(&self) -> Option<&TargetLeg> {
        match self {
            Target::Name(_) => None,
            Target::Leg(l) => Some(l),
        }
    }
    pub fn container(&self) -> Option<&str> {
        self.leg().and_then(|l| l.container.as_deref())
    }
    pub fn glibc(&self) -> Option<&str> {
        self.leg().and_then(|l| l.glibc.as_deref())
    }
    /// The suffix of the leg, "" for none.
    pub fn suffix(&self) -> &str {
        self.leg().and_then(|l| l.suffix.as_deref()).unwrap_or("")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema, Default)]
#[serde(rename_all = "lowercase")]
pub enum PythonBuild {
    /// Platform wheels built with maturin.
    #[default]
    Maturin,
    /// One pure-Python wheel.
    Pure,
}

/// How a pure package's wheel and sdist are built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema, Default)]
#[serde(rename_all = "lowercase")]
pub enum PythonBuilder {
    /// `python -m build` (PyPA build, installed with pip).
    #[default]
    Build,
    /// `uv build` (uv, installed by astral-sh/setup-uv).
    Uv,
    /// `poetry build` (Poetry, installed with pip).
    Poetry,
}

impl PythonBuilder {
    pub fn word(self) -> &'static str {
        match self {
            PythonBuilder::Build => "build",
            PythonBuilder::Uv => "uv",
            PythonBuilder::Poetry => "poetry",
        }
    }
}

/// maturin's bindings (`--bindings`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Bindings {
    /// A PyO3 extension module: one wheel per Python version (or abi3).
    Pyo3,
    /// A cffi module: one `py3-none` wheel per platform.
    Cffi,
    /// A UniFFI module: one `py3-none` wheel per platform.
    Uniffi,
    /// A wheel that ships a Rust executable: one `py3-none` wheel per platform.
    Bin,
}

impl Bindings {
    pub fn word(self) -> &'static str {
        match self {
            Bindings::Pyo3 => "pyo3",
            Bindings::Cffi => "cffi",
            Bindings::Uniffi => "uniffi",
            Bindings::Bin => "bin",
        }
    }
    /// Whether the wheel serves every Python version (no `--interpreter`).
    pub fn any_python(self) -> bool {
        self != Bindings::Pyo3
    }
}

/// maturin-action's `manylinux`: the platform tag policy of the Linux wheels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum Manylinux {
    /// maturin-action's default: the manylinux2014 container, and the tag
    /// maturin finds the wheel compatible with.
    #[serde(rename = "auto")]
    Auto,
    /// manylinux2014 (glibc 2.17).
    #[serde(rename = "2014")]
    Manylinux2014,
    /// manylinux_2_17, the same as 2014.
    #[serde(rename = "2_17")]
    Manylinux2_17,
    /// manylinux_2_28 (glibc 2.28).
    #[serde(rename = "2_28")]
    Manylinux2_28,
    /// manylinux_2_34 (glibc 2.34).
    #[serde(rename = "2_34")]
    Manylinux2_34,
    /// musllinux_1_1 (musl 1.1), for the `musllinux-*` platforms.
    #[serde(rename = "musllinux_1_1")]
    Musllinux1_1,
    /// musllinux_1_2 (musl 1.2), for the `musllinux-*` platforms.
    #[serde(rename = "musllinux_1_2")]
    Musllinux1_2,
    /// No container: build on the runner, with the `linux_*` tag (which
    /// PyPI refuses).
    #[serde(rename = "off")]
    Off,
}

impl Manylinux {
    /// The value of maturin-action's `manylinux` input.
    pub fn word(self) -> &'static str {
        match self {
            Manylinux::Auto => "auto",
            Manylinux::Manylinux2014 => "2014",
            Manylinux::Manylinux2_17 => "2_17",
            Manylinux::Manylinux2_28 => "2_28",
            Manylinux::Manylinux2_34 => "2_34",
            Manylinux::Musllinux1_1 => "musllinux_1_1",
            Manylinux::Musllinux1_2 => "musllinux_1_2",
            Manylinux::Off => "off",
        }
    }
    pub fn is_musllinux(self) -> bool {
        matches!(self, Manylinux::Musllinux1_1 | Manylinux::Musllinux1_2)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema, Default)]
#[serde(rename_all = "lowercase")]
pub enum Publish {
    #[default]
    Pypi,
    Testpypi,
    None,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PythonPackage {
    /// Distribution name on PyPI.
    pub name: String,
    /// Workflow file name without `.yml` [release-<name>].
    #[serde(default)]
    pub workflow: Option<String>,
    /// Directory holding pyproject.toml.
    #[serde(default = "dot")]
    pub path: String,
    #[serde(default)]
    pub build: PythonBuild,
    /// `build: pure`: the tool that builds the wheel and the sdist, at the
    /// version pinned in the toolchains table [build].
    #[serde(default)]
    pub builder: Option<PythonBuilder>,
    /// maturin features.
    #[serde(default)]
    pub features: Vec<String>,
    /// Wheel platforms (maturin only).
    #[serde(default)]
    pub platforms: Vec<String>,
    /// CPython versions to build wheels for (maturin without abi3).
    #[serde(default)]
    pub python: Vec<String>,
    /// Build one abi3 wheel per platform instead of one per Python version.
    #[serde(default)]
    pub abi3: bool,
    /// maturin: the bindings of the wheel (`--bindings`) [what maturin reads
    /// from pyproject.toml and Cargo.toml].
    #[serde(default)]
    pub bindings: Option<Bindings>,
    /// maturin: the platform tag policy of the Linux wheels
    /// (maturin-action's `manylinux`): a manylinux version for the
    /// `linux-*` platforms, a musllinux version for the `musllinux-*` ones,
    /// or `off` [auto for `linux-*`, musllinux_1_2 for `musllinux-*`].
    #[serde(default)]
    pub manylinux: Option<Manylinux>,
    /// maturin: more arguments of `maturin build`, one argument per item
    /// (not `--out`, `--target`, `--interpreter`, `--release`, which wfgen
    /// passes).
    #[serde(default)]
    pub maturin_args: Vec<String>,
    /// maturin: a bash script run before maturin in the Linux builds, inside
    /// the manylinux or musllinux container (maturin-action's
    /// `before-script-linux`), e.g. to install a system package.
    #[serde(default)]
    pub before_script_linux: Option<String>,
    #[serde(default = "yes")]
    pub sdist: bool,
    #[serde(default)]
    pub publish: Publish,
    /// GitHub environment of the publish job.
    #[serde(default = "pypi_env")]
    pub environment: String,
    /// Upload with the API token in this secret instead of trusted
    /// publishing: the publish job then gets no `id-token` (and no PEP 740
    /// attestations, which need it).
    #[serde(default)]
    pub token_secret: Option<String>,
    /// More steps of this package's build jobs, after the top-level `setup`
    /// (not inside maturin's manylinux container: see `before-script-linux`).
    #[serde(default)]
    pub setup: Vec<Step>,
    /// More environment of this package's build jobs (over the top-level `env`).
    #[serde(default)]
    pub env: BTreeMap<String, String>,
}

impl PythonPackage {
    /// The workflow file stem: `workflow`, else `release-<name>` with `.`
    /// and `_` as `-` (a valid file name and job id).
    pub fn workflow_name(&self) -> String {
        self.workflow
            .clone()
            .unwrap_or_else(|| format!("release-{}", self.name.to_ascii_lowercase().replace(['.', '_'], "-")))
    }
}

fn dot() -> String {
    ".".into()
}
fn pypi_env() -> String {
    "pypi".into()
}
fn default_docker_platforms() -> Vec<String> {
    vec!["linux/amd64".into()]
}
fn default_docker_tags() -> Vec<String> {
    vec!["{version}".into()]
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct DockerImage {
    /// Image name; no registry host means docker.io.
    pub image: String,
    #[serde(default = "dot")]
    pub context: String,
    /// Dockerfile path from the repository root; may use `{variant}`
    /// [`<context>/Dockerfile`].
    #[serde(default)]
    pub dockerfile: Option<String>,
    /// Build arguments; values may use `{version}` and `{variant}`.
    #[serde(default)]
    pub build_args: BTreeMap<String, String>,
    /// The Dockerfile stage to build (`docker build --target`) [the last].
    #[serde(default)]
    pub target: Option<String>,
    /// Labels of the image, also written as OCI annotations of its manifest
    /// and index; values may use the version placeholders and `{variant}`.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default = "default_docker_platforms")]
    pub platforms: Vec<String>,
    /// Tag templates, e.g. `{version}`, `{major}.{minor}`, `sha-{sha7}`, `latest`.
    #[serde(default = "default_docker_tags")]
    pub tags: Vec<String>,
    #[serde(default)]
    pub variants: Variants,
    /// Push `{arch}` tags per platform instead of a multi-arch manifest.
    #[serde(default)]
    pub per_arch: bool,
    /// More image names that get the same tags.
    #[serde(default)]
    pub mirrors: Vec<String>,
    /// Images built from this release's binaries: the build of each
    /// platform gets the binary of its Linux target at `.wfgen/bin/<exe>` in
    /// the build context, and the named build argument holds that path.
    #[serde(default)]
    pub binaries: Vec<ImageBinary>,
    /// Scan each image by digest after it is built, before any tag exists;
    /// a finding at or above `fail-on` stops the release.
    #[serde(default)]
    pub scan: Option<Scan>,
    /// Login to the image's own registry host: a shorthand for its entry in
    /// `registries`; ghcr.io uses GITHUB_TOKEN and needs none.
    #[serde(default)]
    pub login: Option<Login>,
}

/// Image variants: a map of name -> settings, or a list of names.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Variants {
    Map(BTreeMap<String, Variant>),
    List(Vec<String>),
}

impl Default for Variants {
    fn default() -> Self {
        Variants::Map(BTreeMap::new())
    }
}

impl DockerImage {
    /// The Dockerfile, from the repository root: the spec's, else the
    /// context's `Dockerfile` (as `docker build` does).
    pub fn dockerfile_path(&self) -> String {
        match &self.dockerfile {
            Some(f) => f.clone(),
            None if self.context == "." || self.context.is_empty() => "Dockerfile".into(),
            None => format!("{}/Dockerfile", self.context.trim_end_matches('/')),
        }
    }
}

impl Variants {
    /// Variants in spec order (a map is in key order), with their settings.
    pub fn entries(&self) -> Vec<(String, Variant)> {
        match self {
            Variants::Map(m) => m.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            Variants::List(l) => l.iter().map(|k| (k.clone(), Variant::default())).collect(),
        }
    }
    pub fn is_empty(&self) -> bool {
        match self {
            Variants::Map(m) => m.is_empty(),
            Variants::List(l) => l.is_empty(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Variant {
    /// Dockerfile of this variant [the image's].
    #[serde(default)]
    pub dockerfile: Option<String>,
    /// Build arguments added to the image's.
    #[serde(default)]
    pub build_args: BTreeMap<String, String>,
    /// Tag templates of this variant [the image's].
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    /// Platforms of this variant [the image's].
    #[serde(default)]
    pub platforms: Option<Vec<String>>,
    /// The release binaries of this variant [the image's].
    #[serde(default)]
    pub binaries: Option<Vec<ImageBinary>>,
}

/// An `include` entry of a binary's archive.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Include {
    /// A file or a glob of the repository, placed at the archive's root.
    File(String),
    /// A directory of the repository, placed at `to` in the archive.
    Dir(IncludeDir),
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct IncludeDir {
    /// The directory, from the repository root.
    pub from: String,
    /// Its path in the archive.
    pub to: String,
}

/// A binary of the release in an image's build context.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ImageBinary {
    /// The `binaries[].name`.
    pub name: String,
    /// The build argument that holds the binary's path in the context.
    pub build_arg: String,
    /// Which Linux leg: `gnu` or `musl` [the only one the platform has].
    #[serde(default)]
    pub libc: Option<Libc>,
    /// Which leg by its `suffix` (e.g. `-rocky`) [the leg without one].
    #[serde(default)]
    pub suffix: Option<String>,
}

/// The C library of a Linux target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Libc {
    Gnu,
    Musl,
}

/// A vulnerability scan of an image (anchore/scan-action, grype).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Scan {
    /// The lowest severity that fails the release.
    pub fail_on: Severity,
}

/// A vulnerability severity, as grype grades them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Negligible,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// The `severity-cutoff` input of anchore/scan-action.
    pub fn word(self) -> &'static str {
        match self {
            Severity::Negligible => "negligible",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Login {
    /// Name of the secret holding the registry user name.
    pub username_secret: String,
    /// Name of the secret holding the registry password or token.
    pub password_secret: String,
}

fn app_version() -> String {
    "{version}".into()
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct HelmChart {
    /// Chart directory.
    pub chart: String,
    /// OCI registry, e.g. `oci://ghcr.io/owner/charts`; a host other than
    /// ghcr.io logs in with its entry in `registries`.
    pub registry: String,
    /// Chart version template; placeholders allowed. It must give SemVer 2,
    /// as Helm requires [the release version, as SemVer 2].
    #[serde(default)]
    pub version: Option<String>,
    /// appVersion, set together with the chart version.
    #[serde(default = "app_version")]
    pub app_version: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema, Default)]
#[serde(rename_all = "lowercase")]
pub enum GithubRelease {
    Always,
    #[default]
    Stable,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema, Default)]
#[serde(rename_all = "lowercase")]
pub enum Latest {
    #[default]
    Auto,
    Never,
}

fn title() -> String {
    "{tag}".into()
}

fn checksums_file() -> String {
    "SHA256SUMS".into()
}

fn generated() -> String {
    "generated".into()
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Release {
    #[serde(default)]
    pub github_release: GithubRelease,
    /// Leave the release as a draft for a person.
    #[serde(default)]
    pub draft: bool,
    /// Release title; placeholders `{tag}` and the version placeholders [`{tag}`].
    #[serde(default = "title")]
    pub title: String,
    /// `generated`, `none`, the path of a notes file, or `changelog:PATH`: the
    /// section of this version in a Keep a Changelog file.
    #[serde(default = "generated")]
    pub notes: String,
    #[serde(default)]
    pub latest: Latest,
    /// SHA256SUMS over every attached file.
    #[serde(default = "yes")]
    pub checksums: bool,
    /// Name of the checksums file; placeholders `{tag}` and the version
    /// placeholders [`SHA256SUMS`].
    #[serde(default = "checksums_file")]
    pub checksums_file: String,
    /// More files of the tagged commit attached to the release: paths in
    /// the repository, globs allowed; each must match a file.
    #[serde(default)]
    pub assets: Vec<String>,
    /// cosign keyless signatures of files and images.
    #[serde(default)]
    pub sign: bool,
    /// Build provenance attestations.
    #[serde(default = "yes")]
    pub provenance: bool,
    /// SPDX SBOM per binary and image.
    #[serde(default)]
    pub sbom: bool,
    #[serde(default)]
    pub notify: Option<Notify>,
    /// Steps that make the files of `assets` (e.g. `make notices`), run in a
    /// read-only job of their own before the GitHub release job.
    #[serde(default)]
    pub setup: Vec<Step>,
}

impl Default for Release {
    fn default() -> Self {
        Release {
            github_release: GithubRelease::Stable,
            draft: false,
            title: title(),
            notes: generated(),
            latest: Latest::Auto,
            checksums: true,
            checksums_file: checksums_file(),
            assets: Vec::new(),
            sign: false,
            provenance: true,
            sbom: false,
            notify: None,
            setup: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Notify {
    /// Name of the secret holding a Slack incoming-webhook URL.
    pub slack_webhook_secret: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Pin {
    /// Version named in the `# vX.Y.Z` comment.
    pub version: String,
    /// Full 40-hex commit SHA.
    pub sha: String,
}
