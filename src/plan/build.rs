//! The build-assets.yml plan: one matrix entry per (binary, target).

use serde::Serialize;

use super::runners::{self, RustBuild};
use crate::spec::{ArchiveFormat, BinaryKind, Spec};

#[derive(Debug, Clone, Serialize)]
pub struct BuildPlan {
    pub entries: Vec<BuildEntry>,
    pub has_rust: bool,
    pub has_go: bool,
    /// Rust targets that need `rustup target add`, per entry (see entry.target).
    pub provenance: bool,
    pub sbom: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct BuildEntry {
    pub binary: String,
    pub kind: BinaryKind,
    /// Cargo package, or Go main package path.
    pub package: String,
    /// Cargo features, comma-separated ("" for none).
    pub features: String,
    pub target: String,
    pub runner: String,
    /// linux | macos | windows (of the runner).
    pub os: String,
    /// native | musl | zigbuild (Rust) or go.
    pub build: String,
    /// Go only: GOOS and GOARCH.
    pub goos: String,
    pub goarch: String,
    /// File name of the built executable (`name` or `name.exe`).
    pub exe: String,
    /// Where the build leaves the executable, relative to the checkout.
    pub built_path: String,
    /// tar.gz | zip | none
    pub archive: String,
    /// Name of the released file: `name-target.tar.gz`, or the bare
    /// executable `name-target[.exe]` when archive is none.
    pub asset: String,
    /// Name of the upload-artifact artifact.
    pub artifact: String,
}

pub fn plan(spec: &Spec) -> Option<BuildPlan> {
    if spec.binaries.is_empty() {
        return None;
    }
    let mut entries = Vec::new();
    for b in &spec.binaries {
        for t in &b.targets {
            let windows = t.contains("windows");
            let exe = if windows {
                format!("{}.exe", b.name)
            } else {
                b.name.clone()
            };
            let (runner, build, goos, goarch, package, built_path) = match b.kind {
                BinaryKind::Rust => {
                    let (default, how) = runners::rust(t);
                    let build = match how {
                        RustBuild::Native => "native",
                        RustBuild::Musl => "musl",
                        RustBuild::Zigbuild => "zigbuild",
                    };
                    let package = b.package.clone().unwrap_or_else(|| b.name.clone());
                    (
                        runners::pick(&spec.runners, t, default),
                        build,
                        String::new(),
                        String::new(),
                        package,
                        format!("target/{t}/release/{exe}"),
                    )
                }
                BinaryKind::Go => {
                    let (os, arch) = t.split_once('/').unwrap_or((t, ""));
                    let package = b.package.clone().unwrap_or_else(|| ".".into());
                    (
                        runners::pick(&spec.runners, t, runners::go(t)),
                        "go",
                        os.to_string(),
                        arch.to_string(),
                        package,
                        format!("dist/{}/{exe}", t.replace('/', "-")),
                    )
                }
            };
            let tslug = t.replace('/', "-");
            let archive = match b.archive {
                ArchiveFormat::Auto if windows => "zip",
                ArchiveFormat::Auto => "tar.gz",
                ArchiveFormat::TarGz => "tar.gz",
                ArchiveFormat::Zip => "zip",
                ArchiveFormat::None => "none",
            };
            let asset = match archive {
                "none" if windows => format!("{}-{tslug}.exe", b.name),
                "none" => format!("{}-{tslug}", b.name),
                ext => format!("{}-{tslug}.{ext}", b.name),
            };
            entries.push(BuildEntry {
                binary: b.name.clone(),
                kind: b.kind,
                package,
                features: b.features.join(","),
                target: t.clone(),
                os: runners::os_of(&runner).to_string(),
                runner,
                build: build.to_string(),
                goos,
                goarch,
                exe,
                built_path,
                archive: archive.to_string(),
                asset,
                artifact: format!("bin-{}-{tslug}", b.name),
            });
        }
    }
    Some(BuildPlan {
        has_rust: entries.iter().any(|e| e.kind == BinaryKind::Rust),
        has_go: entries.iter().any(|e| e.kind == BinaryKind::Go),
        entries,
        provenance: spec.release.provenance,
        sbom: spec.release.sbom,
    })
}
