//! The runner table: which runner builds each target or platform,
//! and how. `runners:` in the spec overrides the label.

use std::collections::BTreeMap;

use serde::Serialize;

/// Runner of the jobs that run scripts and actions only: the plan jobs,
/// manifests, pushes, provenance, sdists and pure Python builds.
pub const SCRIPTS: &str = "ubuntu-24.04";

/// How a Rust target is built on its runner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RustBuild {
    /// `cargo build --target` on a runner of the same OS and architecture.
    Native,
    /// Native, with musl-tools installed first.
    Musl,
    /// Cross-compiled with cargo-zigbuild on ubuntu-22.04.
    Zigbuild,
}

/// Default runner of a Rust target, and how it is built there.
pub fn rust(target: &str) -> (&'static str, RustBuild) {
    match target {
        "x86_64-unknown-linux-gnu" => ("ubuntu-22.04", RustBuild::Native),
        "x86_64-unknown-linux-musl" => ("ubuntu-22.04", RustBuild::Musl),
        "aarch64-unknown-linux-gnu" => ("ubuntu-22.04-arm", RustBuild::Native),
        "aarch64-unknown-linux-musl" => ("ubuntu-22.04-arm", RustBuild::Musl),
        "aarch64-apple-darwin" => ("macos-14", RustBuild::Native),
        "x86_64-apple-darwin" => ("macos-15-intel", RustBuild::Native),
        "x86_64-pc-windows-msvc" => ("windows-2022", RustBuild::Native),
        "aarch64-pc-windows-msvc" => ("windows-11-arm", RustBuild::Native),
        _ => ("ubuntu-22.04", RustBuild::Zigbuild),
    }
}

/// Default runner of a Go target: every target cross-compiles with CGO_ENABLED=0.
pub fn go(_target: &str) -> &'static str {
    "ubuntu-24.04"
}

/// Default runner of a Python wheel platform.
pub fn python(platform: &str) -> &'static str {
    match platform {
        "linux-x86_64" | "musllinux-x86_64" => "ubuntu-22.04",
        "linux-aarch64" | "musllinux-aarch64" => "ubuntu-22.04-arm",
        "macos-x86_64" => "macos-15-intel",
        "macos-aarch64" => "macos-14",
        "windows-x64" => "windows-2022",
        "windows-arm64" => "windows-11-arm",
        _ => "ubuntu-24.04",
    }
}

/// Default runner of a Docker platform, and whether it needs QEMU.
pub fn docker(platform: &str) -> (&'static str, bool) {
    match platform {
        "linux/amd64" => ("ubuntu-24.04", false),
        "linux/arm64" => ("ubuntu-24.04-arm", false),
        _ => ("ubuntu-24.04", true),
    }
}

/// The runner label for `key` (a target or platform): the spec's override, or `default`.
pub fn pick(overrides: &BTreeMap<String, String>, key: &str, default: &str) -> String {
    overrides.get(key).cloned().unwrap_or_else(|| default.to_string())
}

/// The OS family of a runner label (`linux`, `macos`, `windows`), for shells and file names.
pub fn os_of(runner: &str) -> &'static str {
    if runner.starts_with("macos") {
        "macos"
    } else if runner.starts_with("windows") {
        "windows"
    } else {
        "linux"
    }
}
