//! The Python workflows' plan: one workflow per distinct `workflow` name,
//! each building wheels (and an sdist) for its packages, as a checked job
//! graph ([`workflow`]).

use serde::Serialize;

use super::Permission;
use super::build::exact_pattern;
use super::graph::{Graph, Job, Stage};
use super::runners;
use super::steps::{JobEnv, SetupStep};
use super::toolchains::Toolchains;
use crate::jobids;
use crate::spec::names::DEFAULT_PYTHON_PLATFORMS;
use crate::spec::{Manylinux, Publish, PythonBuild, PythonBuilder, PythonPackage, Spec, Step, StepOs};

/// CPython versions built when a maturin package lists none and is not abi3.
pub const DEFAULT_PYTHONS: &[&str] = &["3.10", "3.11", "3.12", "3.13"];

#[derive(Debug, Clone, Serialize)]
pub struct PythonWorkflow {
    /// File stem, e.g. `release-server`.
    pub name: String,
    /// `release-server.yml`
    pub file: String,
    /// Job id of the call in release.yml.
    pub job: String,
    /// `concurrency.group` prefix; the group is `<prefix>-<tag>`.
    pub concurrency: String,
    pub packages: Vec<PyPackage>,
    /// Permissions the calling job in release.yml must grant.
    pub caller_permissions: Vec<Permission>,
    /// Attest build provenance of every wheel and sdist (a job after the
    /// builds, like build-assets.yml's).
    pub provenance: bool,
    /// Permissions of the wheel, sdist and pure build jobs.
    pub build_permissions: Vec<Permission>,
    /// Permissions of the provenance job.
    pub provenance_permissions: Vec<Permission>,
    /// The build jobs, which the provenance job waits for.
    pub build_jobs: Vec<String>,
    /// download-artifact pattern of every package's artifacts.
    pub artifact_pattern: String,
    /// The files the provenance job attests, as globs under `dist/`: the
    /// wheels, and the sdists when a package builds one.
    pub provenance_subjects: Vec<String>,
    /// The spec's tag prefix, for the step that expands `env` values.
    pub tag_prefix: String,
}

/// What python.yml.j2 sees: one workflow's plan and its job graph.
#[derive(Debug, Clone, Serialize)]
pub struct WorkflowJobs<'a> {
    #[serde(flatten)]
    pub workflow: &'a PythonWorkflow,
    pub jobs: Graph<PythonBody>,
}

/// The part of a Python workflow's job that differs by kind; the template
/// lays out each kind's steps. `package` indexes the workflow's packages.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum PythonBody {
    /// The wheel matrix of a maturin package.
    Wheels { package: usize },
    /// The sdist of a maturin package.
    Sdist { package: usize },
    /// The wheel (and sdist) of a pure package.
    Pure { package: usize },
    /// The provenance attestation of every wheel and sdist.
    Provenance,
}

/// `timeout-minutes` of the provenance job.
pub const PROVENANCE_TIMEOUT: u32 = 10;

/// A Python workflow's jobs: per package its builds, then the provenance
/// job after every build. All of the build stage: release.yml calls the
/// workflow as one of its builds. A broken graph is a bug of wfgen's: it
/// panics.
pub fn workflow(w: &PythonWorkflow) -> WorkflowJobs<'_> {
    let job = |id: &str, name: String, runs_on: &str, timeout: u32, body: PythonBody| Job {
        id: id.to_string(),
        name,
        stage: Stage::Build,
        needs: Vec::new(),
        runs_on: Some(runs_on.to_string()),
        permissions: w.build_permissions.clone(),
        timeout: Some(timeout),
        condition: None,
        condition_why: None,
        body,
    };
    let mut jobs = Vec::new();
    for (package, p) in w.packages.iter().enumerate() {
        if p.build == "maturin" {
            jobs.push(job(
                &p.wheel_job,
                format!("wheels {} (${{{{ matrix.platform }}}})", p.name),
                "${{ matrix.runner }}",
                p.wheel_timeout,
                PythonBody::Wheels { package },
            ));
            if p.sdist {
                jobs.push(job(
                    &p.sdist_job,
                    format!("sdist {}", p.name),
                    &p.sdist_runner,
                    p.sdist_timeout,
                    PythonBody::Sdist { package },
                ));
            }
        } else {
            jobs.push(job(
                &p.pure_job,
                format!("build {}", p.name),
                &p.sdist_runner,
                p.sdist_timeout,
                PythonBody::Pure { package },
            ));
        }
    }
    if w.provenance {
        let mut j = job(
            jobids::PROVENANCE,
            jobids::PROVENANCE.into(),
            super::runners::SCRIPTS,
            PROVENANCE_TIMEOUT,
            PythonBody::Provenance,
        );
        j.needs = w.build_jobs.clone();
        j.permissions = w.provenance_permissions.clone();
        jobs.push(j);
    }
    let jobs = Graph { jobs };
    if let Err(e) = jobs.check_called() {
        panic!("{}'s job graph is broken (a bug of wfgen): {e}", w.file);
    }
    WorkflowJobs { workflow: w, jobs }
}

#[derive(Debug, Clone, Serialize)]
pub struct PyPackage {
    pub name: String,
    /// Name with `-` and `.` as `_`, for job ids and artifact names.
    pub slug: String,
    pub path: String,
    /// maturin | pure
    pub build: String,
    /// maturin features, comma-separated.
    pub features: String,
    pub wheels: Vec<Wheel>,
    /// Interpreters for maturin `--interpreter`, space-separated ("" for abi3).
    pub interpreters: String,
    pub abi3: bool,
    /// Python used by pure builds and sdists.
    pub build_python: String,
    pub sdist: bool,
    pub sdist_artifact: String,
    /// Job ids in the workflow: the maturin wheel matrix, the maturin sdist,
    /// the pure build (wheel and sdist in one job).
    pub wheel_job: String,
    pub sdist_job: String,
    pub pure_job: String,
    /// Where the build writes its files, relative to the checkout (`<path>/dist`).
    pub dist_dir: String,
    /// maturin-action `args` of the wheel builds.
    pub wheel_args: String,
    /// Pure packages: `build`, `uv` or `poetry`.
    pub builder: String,
    /// The pinned version of the builder (PyPA build, uv or Poetry).
    pub builder_version: String,
    /// Pure packages: the command that builds the wheel (and the sdist)
    /// into `dist/` of the package's directory.
    pub pure_build: String,
    /// maturin-action `before-script-linux` (Linux legs only; the action
    /// ignores it elsewhere), without leading and trailing line breaks.
    pub before_script_linux: Option<String>,
    /// Whether the script is written as a YAML block (`|`): it has several
    /// lines and its first line does not start with a blank, which a block
    /// would lose; else it is one quoted scalar.
    pub before_script_block: bool,
    /// The top-level setup steps, then the package's own: every build job
    /// of the package runs them after the checkout and the toolchains.
    pub setup: Vec<SetupStep>,
    /// The same steps for the sdist and pure jobs, which run on Linux: a
    /// step kept to other systems (`os`) is left out, the others run
    /// without a condition.
    pub linux_setup: Vec<SetupStep>,
    /// The top-level env, then the package's own.
    pub env: JobEnv,
    /// Artifact of a pure package's wheel (`wheels-<name>-any`).
    pub pure_wheel_artifact: String,
    /// Every artifact name of this package.
    pub artifacts: Vec<String>,
    /// download-artifact pattern matching exactly `artifacts` (and no
    /// artifact of a package whose name merely starts with this one's).
    pub artifact_pattern: String,
    /// Runner of the sdist and pure jobs.
    pub sdist_runner: String,
    /// `timeout-minutes` of the wheel and sdist/pure jobs.
    pub wheel_timeout: u32,
    pub sdist_timeout: u32,
    /// pypi | testpypi | none
    pub publish: String,
    pub repository_url: Option<String>,
    /// The API token secret of the upload; None: trusted publishing.
    pub token_secret: Option<String>,
    pub environment: String,
    /// Job id of the publish job in release.yml.
    pub publish_job: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Wheel {
    pub platform: String,
    pub runner: String,
    /// linux | macos | windows
    pub os: String,
    /// maturin-action `target` input.
    pub target: String,
    /// maturin-action `manylinux` input ("" off Linux).
    pub manylinux: String,
    /// CPython versions that actions/setup-python installs before the
    /// build, one per line; "" on Linux, where maturin-action builds in a
    /// manylinux/musllinux container that has every interpreter (unless
    /// `manylinux: off` builds on the runner).
    pub setup_python: String,
    /// actions/setup-python `architecture` ("" for the runner's own).
    pub python_arch: String,
    pub artifact: String,
}

fn maturin_target(platform: &str) -> (&'static str, &'static str) {
    match platform {
        "linux-x86_64" => ("x86_64", "auto"),
        "linux-aarch64" => ("aarch64", "auto"),
        "musllinux-x86_64" => ("x86_64-unknown-linux-musl", "musllinux_1_2"),
        "musllinux-aarch64" => ("aarch64-unknown-linux-musl", "musllinux_1_2"),
        "macos-x86_64" => ("x86_64", ""),
        "macos-aarch64" => ("aarch64", ""),
        "windows-x64" => ("x64", ""),
        "windows-arm64" => ("aarch64", ""),
        _ => ("x86_64", ""),
    }
}

/// maturin-action's `manylinux` for a platform on a runner of `os`: the
/// package's value when it is of the platform's family (manylinux for
/// `linux-*`, musllinux for `musllinux-*`, or `off` for both), else the
/// platform's default; "" off Linux.
fn manylinux_of(platform: &str, os: &str, default: &'static str, spec: Option<Manylinux>) -> String {
    if os != "linux" {
        return String::new();
    }
    let musl = platform.starts_with("musllinux-");
    match spec {
        Some(Manylinux::Off) => "off".into(),
        Some(m) if m.is_musllinux() == musl => m.word().into(),
        _ => default.into(),
    }
}

/// The command that builds a pure package into `dist/` (its wheel, and its
/// sdist when `sdist`).
fn pure_build(builder: PythonBuilder, sdist: bool) -> String {
    match (builder, sdist) {
        (PythonBuilder::Build, true) => "python -m build --sdist --wheel --outdir dist",
        (PythonBuilder::Build, false) => "python -m build --wheel --outdir dist",
        // --no-sources: build as every other frontend does, without
        // `tool.uv.sources` (uv's advice for published packages).
        (PythonBuilder::Uv, true) => "uv build --no-sources --sdist --wheel --out-dir dist",
        (PythonBuilder::Uv, false) => "uv build --no-sources --wheel --out-dir dist",
        // Poetry writes to `dist/` of the project.
        (PythonBuilder::Poetry, true) => "poetry build",
        (PythonBuilder::Poetry, false) => "poetry build --format wheel",
    }
    .into()
}

/// The steps that run on a Linux runner, without their `os` filter.
fn on_linux(steps: &[Step]) -> Vec<Step> {
    steps
        .iter()
        .filter(|s| s.os.is_empty() || s.os.contains(&StepOs::Linux))
        .map(|s| Step {
            os: Vec::new(),
            ..s.clone()
        })
        .collect()
}

pub fn plan(spec: &Spec) -> Vec<PythonWorkflow> {
    let pins = super::pins::resolve(spec);
    let tools = Toolchains::new(spec);
    let mut workflows: Vec<PythonWorkflow> = Vec::new();
    for p in &spec.python {
        let name = p.workflow_name();
        let pkg = package(spec, p, &pins, &tools);
        match workflows.iter_mut().find(|w| w.name == name) {
            Some(w) => w.packages.push(pkg),
            None => workflows.push(PythonWorkflow {
                file: format!("{name}.yml"),
                job: name.clone(),
                concurrency: format!("{name}-python"),
                name,
                packages: vec![pkg],
                caller_permissions: Vec::new(),
                provenance: spec.release.provenance,
                build_permissions: vec![Permission::read("contents", "check out the tag")],
                provenance_permissions: if spec.release.provenance {
                    super::build::attest_permissions()
                } else {
                    Vec::new()
                },
                build_jobs: Vec::new(),
                artifact_pattern: String::new(),
                provenance_subjects: Vec::new(),
                tag_prefix: spec.versioning.tag_prefix.clone(),
            }),
        }
    }
    for w in &mut workflows {
        w.caller_permissions
            .push(Permission::read("contents", "check out the tag"));
        if w.provenance {
            w.caller_permissions
                .push(Permission::write("id-token", "provenance attestations"));
            w.caller_permissions
                .push(Permission::write("attestations", "store the attestations"));
        }
        w.build_jobs = w
            .packages
            .iter()
            .flat_map(|p| match p.build.as_str() {
                "maturin" if p.sdist => vec![p.wheel_job.clone(), p.sdist_job.clone()],
                "maturin" => vec![p.wheel_job.clone()],
                _ => vec![p.pure_job.clone()],
            })
            .collect();
        let artifacts: Vec<String> = w.packages.iter().flat_map(|p| p.artifacts.clone()).collect();
        w.artifact_pattern = exact_pattern(&artifacts);
        w.provenance_subjects = std::iter::once("dist/*.whl")
            .chain(w.packages.iter().any(|p| p.sdist).then_some("dist/*.tar.gz"))
            .map(String::from)
            .collect();
    }
    workflows
}

/// The plan of one Python package: its wheels, sdist and jobs.
fn package(spec: &Spec, p: &PythonPackage, pins: &super::pins::Pins, tools: &Toolchains) -> PyPackage {
    let slug = p.name.replace(['-', '.'], "_").to_ascii_lowercase();
    // Job ids: the PEP 503 normalized name (two names that normalize
    // alike are one PyPI project, so the ids are unique).
    let job_slug = p.name.replace(['_', '.'], "-").to_ascii_lowercase();
    let is_maturin = p.build == PythonBuild::Maturin;
    let platforms: Vec<String> = if !is_maturin {
        Vec::new()
    } else if p.platforms.is_empty() {
        DEFAULT_PYTHON_PLATFORMS.iter().map(|s| s.to_string()).collect()
    } else {
        p.platforms.clone()
    };
    let any_python = p.abi3 || p.bindings.is_some_and(|b| b.any_python());
    let pythons: Vec<String> = if !is_maturin || any_python {
        Vec::new()
    } else if p.python.is_empty() {
        DEFAULT_PYTHONS.iter().map(|s| s.to_string()).collect()
    } else {
        p.python.clone()
    };
    // The Python of pure builds, and of maturin builds on a runner
    // that need one interpreter (abi3, and the bindings that serve every
    // Python version).
    let build_python = tools.python.clone();
    let wheels = wheels(spec, p, &platforms, &pythons, &build_python);
    let dist_dir = match p.path.trim_end_matches('/') {
        "" | "." => "dist".to_string(),
        path => format!("{}/dist", path.trim_start_matches("./")),
    };
    let wheel_args = wheel_args(p, &pythons);
    let builder = p.builder.unwrap_or_default();
    let before_script = p
        .before_script_linux
        .as_deref()
        .filter(|_| is_maturin)
        .map(|s| s.trim_matches(['\n', '\r']).to_string());
    let pure_wheel_artifact = format!("wheels-{}-any", p.name);
    let sdist_artifact = format!("sdist-{}", p.name);
    let mut artifacts: Vec<String> = if is_maturin {
        wheels.iter().map(|w| w.artifact.clone()).collect()
    } else {
        vec![pure_wheel_artifact.clone()]
    };
    if p.sdist {
        artifacts.push(sdist_artifact.clone());
    }
    PyPackage {
        name: p.name.clone(),
        path: p.path.clone(),
        build: if is_maturin { "maturin" } else { "pure" }.into(),
        features: p.features.join(","),
        wheels,
        interpreters: pythons
            .iter()
            .map(|v| format!("python{v}"))
            .collect::<Vec<_>>()
            .join(" "),
        abi3: p.abi3,
        build_python,
        sdist: p.sdist,
        sdist_artifact,
        wheel_job: jobids::python_wheels(&job_slug),
        sdist_job: jobids::python_sdist(&job_slug),
        pure_job: jobids::python_pure(&job_slug),
        dist_dir,
        wheel_args,
        builder: builder.word().into(),
        builder_version: match builder {
            PythonBuilder::Build => tools.pypa_build.clone(),
            PythonBuilder::Uv => tools.uv.clone(),
            PythonBuilder::Poetry => tools.poetry.clone(),
        },
        pure_build: pure_build(builder, p.sdist),
        before_script_block: before_script
            .as_deref()
            .is_some_and(|s| s.contains('\n') && !s.starts_with([' ', '\t'])),
        before_script_linux: before_script,
        setup: super::steps::resolve(pins, &[&spec.setup, &p.setup]),
        linux_setup: super::steps::resolve(pins, &[&on_linux(&spec.setup), &on_linux(&p.setup)]),
        env: JobEnv::new(&[&spec.env, &p.env]),
        pure_wheel_artifact,
        artifact_pattern: exact_pattern(&artifacts),
        artifacts,
        sdist_runner: super::runners::SCRIPTS.into(),
        wheel_timeout: 90,
        sdist_timeout: 30,
        publish: match p.publish {
            Publish::Pypi => "pypi",
            Publish::Testpypi => "testpypi",
            Publish::None => "none",
        }
        .into(),
        repository_url: (p.publish == Publish::Testpypi).then(|| "https://test.pypi.org/legacy/".into()),
        environment: p.environment.clone(),
        token_secret: p.token_secret.clone(),
        publish_job: jobids::pypi_publish(&p.name),
        slug,
    }
}

/// The wheels of a maturin package, one per platform, and how each is
/// built (`pythons`: the CPython versions, none for one wheel that serves
/// every Python; `build_python`: the Python of a build on a runner).
fn wheels(spec: &Spec, p: &PythonPackage, platforms: &[String], pythons: &[String], build_python: &str) -> Vec<Wheel> {
    platforms
        .iter()
        .map(|pl| {
            let runner = runners::pick(&spec.runners, pl, runners::python(pl));
            let os = runners::os_of(&runner);
            let (target, default_manylinux) = maturin_target(pl);
            let manylinux = manylinux_of(pl, os, default_manylinux, p.manylinux);
            let setup_python = match os {
                // In a container, which has every CPython.
                "linux" if manylinux != "off" => String::new(),
                _ if pythons.is_empty() => build_python.to_string(),
                _ => pythons.join("\n"),
            };
            let python_arch = match pl.as_str() {
                "windows-x64" => "x64",
                "windows-arm64" => "arm64",
                _ => "",
            };
            Wheel {
                platform: pl.clone(),
                os: os.to_string(),
                runner,
                target: target.into(),
                manylinux,
                setup_python,
                python_arch: python_arch.into(),
                artifact: format!("wheels-{}-{pl}", p.name),
            }
        })
        .collect()
}

/// The arguments of `maturin build`.
fn wheel_args(p: &PythonPackage, pythons: &[String]) -> String {
    let mut wheel_args = "--release --out dist".to_string();
    if !pythons.is_empty() {
        wheel_args.push_str(" --interpreter ");
        wheel_args.push_str(
            &pythons
                .iter()
                .map(|v| format!("python{v}"))
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    if !p.features.is_empty() {
        wheel_args.push_str(" --features ");
        wheel_args.push_str(&p.features.join(","));
    }
    if let Some(b) = p.bindings {
        wheel_args.push_str(" --bindings ");
        wheel_args.push_str(b.word());
    }
    for a in &p.maturin_args {
        wheel_args.push(' ');
        wheel_args.push_str(a);
    }
    wheel_args
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_of(yaml: &str) -> Vec<PythonWorkflow> {
        let (spec, _) = crate::parse_spec("wfgen.yaml", yaml).unwrap_or_else(|e| panic!("{e}"));
        plan(&spec)
    }

    const OPSML: &str = "wfgen: 1
project: { name: opsml }
python:
  - name: opsml
    workflow: release-server
    path: py-opsml
    features: [server]
    platforms: [linux-x86_64, musllinux-aarch64, macos-aarch64, windows-x64, windows-arm64]
    python: ['3.11', '3.12']
  - name: opsml-client
    workflow: release-client
    path: ./py-opsml/
    abi3: true
    sdist: false
  - name: opsml-extra
    workflow: release-server
    build: pure
runners: { macos-aarch64: macos-15 }
";

    #[test]
    fn workflows_group_packages_by_name() {
        let w = plan_of(OPSML);
        let names: Vec<_> = w.iter().map(|w| (w.file.as_str(), w.packages.len())).collect();
        assert_eq!(names, [("release-server.yml", 2), ("release-client.yml", 1)]);
        assert_eq!(w[0].concurrency, "release-server-python");
        assert_eq!(w[0].packages[1].name, "opsml-extra");
        // The job graph: the builds, then provenance after all of them.
        let g = workflow(&w[0]);
        let ids: Vec<&str> = g.jobs.jobs.iter().map(|j| j.id.as_str()).collect();
        assert_eq!(ids, ["wheels-opsml", "sdist-opsml", "build-opsml-extra", "provenance"]);
        assert_eq!(
            g.jobs.get("provenance").unwrap().needs,
            ["wheels-opsml", "sdist-opsml", "build-opsml-extra"]
        );
        assert!(g.jobs.jobs.iter().all(|j| j.stage == Stage::Build));
        let default = plan_of("wfgen: 1\nproject: { name: x }\npython: [{ name: My.Pkg }]\n");
        // The default workflow name is also a job id: lowercase, no dots.
        assert_eq!(default[0].file, "release-my-pkg.yml");
        assert_eq!(default[0].job, "release-my-pkg");
        assert_eq!(default[0].packages[0].slug, "my_pkg");
        assert_eq!(default[0].packages[0].wheel_job, "wheels-my-pkg");
    }

    #[test]
    fn maturin_targets_and_runners() {
        let w = plan_of(OPSML);
        let p = &w[0].packages[0];
        let row = |pl: &str| {
            let w = p.wheels.iter().find(|w| w.platform == pl).expect(pl);
            (
                w.runner.as_str(),
                w.target.as_str(),
                w.manylinux.as_str(),
                w.python_arch.as_str(),
            )
        };
        assert_eq!(row("linux-x86_64"), ("ubuntu-22.04", "x86_64", "auto", ""));
        assert_eq!(
            row("musllinux-aarch64"),
            ("ubuntu-22.04-arm", "aarch64-unknown-linux-musl", "musllinux_1_2", "")
        );
        assert_eq!(row("macos-aarch64"), ("macos-15", "aarch64", "", ""));
        assert_eq!(row("windows-x64"), ("windows-2022", "x64", "", "x64"));
        assert_eq!(row("windows-arm64"), ("windows-11-arm", "aarch64", "", "arm64"));
        assert_eq!(p.wheels[0].artifact, "wheels-opsml-linux-x86_64");
        // Interpreters come from setup-python off Linux, from the container on Linux.
        assert_eq!(p.wheels[0].setup_python, "");
        assert_eq!(p.wheels[2].setup_python, "3.11\n3.12");
        assert_eq!(
            p.wheel_args,
            "--release --out dist --interpreter python3.11 python3.12 --features server"
        );
        assert_eq!(p.dist_dir, "py-opsml/dist");
    }

    #[test]
    fn abi3_builds_one_wheel_per_platform() {
        let w = plan_of(OPSML);
        let p = &w[1].packages[0];
        assert!(p.abi3);
        assert_eq!(p.wheel_args, "--release --out dist");
        assert_eq!(p.wheels.len(), DEFAULT_PYTHON_PLATFORMS.len());
        let mac = p.wheels.iter().find(|w| w.os == "macos").unwrap();
        assert_eq!(mac.setup_python, "3.12");
        assert_eq!(p.dist_dir, "py-opsml/dist");
        assert_eq!(p.artifacts.len(), DEFAULT_PYTHON_PLATFORMS.len(), "sdist: false");
    }

    #[test]
    fn artifact_patterns_do_not_match_longer_names() {
        let w = plan_of(
            "wfgen: 1
project: { name: mlserver }
python:
  - { name: mlserver, workflow: release-python, build: pure }
  - { name: mlserver-sklearn, workflow: release-python, path: runtimes/sklearn, build: pure, sdist: false }
",
        );
        let a = &w[0].packages[0];
        assert_eq!(a.artifacts, ["wheels-mlserver-any", "sdist-mlserver"]);
        assert_eq!(a.artifact_pattern, "{wheels-mlserver-any,sdist-mlserver}");
        assert_eq!(a.builder, "build");
        assert_eq!(a.pure_build, "python -m build --sdist --wheel --outdir dist");
        assert_eq!(a.dist_dir, "dist");
        let b = &w[0].packages[1];
        assert_eq!(b.artifact_pattern, "wheels-mlserver-sklearn-any");
        assert_eq!(b.pure_build, "python -m build --wheel --outdir dist");
        assert_eq!(b.dist_dir, "runtimes/sklearn/dist");
        assert!(b.wheels.is_empty());
    }

    #[test]
    fn manylinux_maturin_args_bindings_and_before_script() {
        let w = plan_of(
            "wfgen: 1
project: { name: opsml }
python:
  - name: opsml
    platforms: [linux-x86_64, musllinux-aarch64, macos-aarch64]
    python: ['3.12']
    manylinux: '2_28'
    maturin-args: [--locked, --compatibility, pypi]
    before-script-linux: dnf install -y protobuf-compiler
  - name: opsml-bin
    platforms: [linux-x86_64, musllinux-x86_64, windows-x64]
    bindings: bin
    manylinux: musllinux_1_1
  - name: opsml-host
    platforms: [linux-x86_64, musllinux-x86_64]
    python: ['3.11', '3.12']
    manylinux: 'off'
    publish: none
",
        );
        let ml = |p: &PyPackage| p.wheels.iter().map(|w| w.manylinux.clone()).collect::<Vec<_>>();
        let a = &w[0].packages[0];
        // The manylinux value for the linux-* legs; musllinux keeps its default.
        assert_eq!(ml(a), ["2_28", "musllinux_1_2", ""]);
        assert_eq!(
            a.wheel_args,
            "--release --out dist --interpreter python3.12 --locked --compatibility pypi"
        );
        assert_eq!(
            a.before_script_linux.as_deref(),
            Some("dnf install -y protobuf-compiler")
        );
        let b = &w[1].packages[0];
        // A musllinux value for the musllinux-* legs; bin wheels serve every Python.
        assert_eq!(ml(b), ["auto", "musllinux_1_1", ""]);
        assert_eq!(b.wheel_args, "--release --out dist --bindings bin");
        assert_eq!(b.interpreters, "");
        assert_eq!(b.wheels[2].setup_python, "3.12");
        // off: every Linux leg builds on the runner, which needs the interpreters.
        let c = &w[2].packages[0];
        assert_eq!(ml(c), ["off", "off"]);
        assert_eq!(c.wheels[0].setup_python, "3.11\n3.12");
    }

    #[test]
    fn builders_of_pure_packages_and_the_toolchains() {
        let w = plan_of(
            "wfgen: 1
project: { name: mlserver }
toolchains: { python: '3.10' }
setup: [{ run: make stamp }]
env: { A: '1' }
python:
  - { name: mlserver, workflow: py, build: pure, builder: poetry, env: { V: 'v{version}' }, setup: [{ run: make more }] }
  - { name: mlserver-sklearn, workflow: py, build: pure, builder: uv, sdist: false }
  - { name: mlserver-plain, workflow: py, build: pure }
",
        );
        let [a, b, c] = &w[0].packages[..] else {
            panic!("three packages")
        };
        assert_eq!((a.builder.as_str(), a.pure_build.as_str()), ("poetry", "poetry build"));
        assert_eq!(a.builder_version, super::super::toolchains::POETRY);
        assert_eq!(
            (b.builder.as_str(), b.pure_build.as_str()),
            ("uv", "uv build --no-sources --wheel --out-dir dist")
        );
        assert_eq!(b.builder_version, super::super::toolchains::UV);
        assert_eq!(c.builder, "build");
        assert_eq!(c.builder_version, super::super::toolchains::PYPA_BUILD);
        assert_eq!(a.build_python, "3.10", "the Python of toolchains");
        let runs: Vec<_> = a.setup.iter().map(|s| s.run.clone().unwrap()).collect();
        assert_eq!(
            runs,
            ["make stamp", "make more"],
            "the top-level setup, then the package's"
        );
        assert_eq!(a.env.plain.len(), 1);
        assert_eq!(a.env.templated, "V=v{version}");
        assert_eq!(b.setup.len(), 1);
        let w = plan_of(
            "wfgen: 1
project: { name: opsml }
python:
  - name: opsml
    setup:
      - { run: brew install protobuf, os: [macos] }
      - { run: make stubs, os: [linux, macos] }
      - { run: make all }
",
        );
        let p = &w[0].packages[0];
        let conds: Vec<_> = p.setup.iter().map(|s| s.cond.is_some()).collect();
        assert_eq!(conds, [true, true, false], "the wheel legs keep the os filters");
        let runs: Vec<_> = p
            .linux_setup
            .iter()
            .map(|s| (s.run.clone().unwrap(), s.cond.clone()))
            .collect();
        assert_eq!(
            runs,
            [("make stubs".to_string(), None), ("make all".to_string(), None)],
            "the sdist job runs on Linux"
        );
        assert_eq!(w[0].tag_prefix, "v");
    }
}
