//! The Python workflows' plan: one workflow per distinct `workflow` name,
//! each building wheels (and an sdist) for its packages.

use serde::Serialize;

use super::runners;
use crate::spec::{Publish, PythonBuild, Spec};

/// Wheel platforms built when a maturin package lists none.
pub const DEFAULT_PLATFORMS: &[&str] = &[
    "linux-x86_64",
    "linux-aarch64",
    "macos-x86_64",
    "macos-aarch64",
    "windows-x64",
];
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
    pub packages: Vec<PyPackage>,
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
    /// Glob of every artifact of this package, for the publish job.
    pub artifact_pattern: String,
    /// pypi | testpypi | none
    pub publish: String,
    pub repository_url: Option<String>,
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

pub fn plan(spec: &Spec) -> Vec<PythonWorkflow> {
    let mut workflows: Vec<PythonWorkflow> = Vec::new();
    for p in &spec.python {
        let name = p.workflow.clone().unwrap_or_else(|| format!("release-{}", p.name));
        let slug = p.name.replace(['-', '.'], "_").to_ascii_lowercase();
        let is_maturin = p.build == PythonBuild::Maturin;
        let platforms: Vec<String> = if !is_maturin {
            Vec::new()
        } else if p.platforms.is_empty() {
            DEFAULT_PLATFORMS.iter().map(|s| s.to_string()).collect()
        } else {
            p.platforms.clone()
        };
        let wheels = platforms
            .iter()
            .map(|pl| {
                let runner = runners::pick(&spec.runners, pl, runners::python(pl));
                let (target, manylinux) = maturin_target(pl);
                Wheel {
                    platform: pl.clone(),
                    os: runners::os_of(&runner).to_string(),
                    runner,
                    target: target.into(),
                    manylinux: manylinux.into(),
                    artifact: format!("wheels-{}-{pl}", p.name),
                }
            })
            .collect();
        let pythons: Vec<String> = if !is_maturin || p.abi3 {
            Vec::new()
        } else if p.python.is_empty() {
            DEFAULT_PYTHONS.iter().map(|s| s.to_string()).collect()
        } else {
            p.python.clone()
        };
        let pkg = PyPackage {
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
            build_python: pythons.last().cloned().unwrap_or_else(|| "3.12".into()),
            sdist: p.sdist,
            sdist_artifact: format!("sdist-{}", p.name),
            artifact_pattern: format!("*-{}*", p.name),
            publish: match p.publish {
                Publish::Pypi => "pypi",
                Publish::Testpypi => "testpypi",
                Publish::None => "none",
            }
            .into(),
            repository_url: (p.publish == Publish::Testpypi).then(|| "https://test.pypi.org/legacy/".into()),
            environment: p.environment.clone(),
            publish_job: format!("publish-{}", p.name.replace('.', "-").to_ascii_lowercase()),
            slug,
        };
        match workflows.iter_mut().find(|w| w.name == name) {
            Some(w) => w.packages.push(pkg),
            None => workflows.push(PythonWorkflow {
                file: format!("{name}.yml"),
                job: name.clone(),
                name,
                packages: vec![pkg],
            }),
        }
    }
    workflows
}
