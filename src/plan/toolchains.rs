//! The pinned version of every tool the jobs install: the spec's
//! `toolchains:` over the built-in defaults. No job installs `latest` of
//! anything; `wfgen plan` prints this table.

use serde::Serialize;

use crate::spec::Spec;

/// Helm, installed by Azure/setup-helm.
pub const HELM: &str = "v3.17.3";
/// maturin, installed by PyO3/maturin-action (whose own default is `latest`).
pub const MATURIN: &str = "1.16.0";
/// cosign, installed by sigstore/cosign-installer (its v4 installs cosign 3).
pub const COSIGN: &str = "v3.0.5";
/// The Python of the builds, pure wheels, sdists and gates.
pub const PYTHON: &str = "3.12";
/// cargo-zigbuild and the Zig it drives, from PyPI, for the Linux targets
/// built with a glibc floor or cross-compiled.
pub const CARGO_ZIGBUILD: &str = "0.24.1";
pub const ZIGLANG: &str = "0.17.1";
/// The QEMU emulators docker/setup-qemu-action installs for platforms
/// without a native runner (its own default is the `latest` tag; later
/// images crashed arm64 builds in 2025, tonistiigi/binfmt#240).
pub const BINFMT: &str = "docker.io/tonistiigi/binfmt:qemu-v7.0.0-28";
/// The BuildKit image docker/setup-buildx-action starts (its own default
/// is the moving `buildx-stable-1` tag).
pub const BUILDKIT: &str = "moby/buildkit:v0.32.2";
/// PyPA build (pure wheels and sdists with `builder: build`).
pub const PYPA_BUILD: &str = "1.6.1";
/// uv (`builder: uv`), installed by astral-sh/setup-uv.
pub const UV: &str = "0.13.9";
/// poetry (`builder: poetry`), from PyPI.
pub const POETRY: &str = "2.5.1";

/// The resolved toolchains.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Toolchains {
    /// dtolnay/rust-toolchain's `toolchain`: `stable` or a version; empty
    /// when the repository's rust-toolchain.toml decides (`file`).
    pub rust: String,
    /// The repository's rust-toolchain.toml decides (rustup reads it).
    pub rust_from_file: bool,
    /// actions/setup-go's `go-version`, or empty for `go-version-file: go.mod`.
    pub go: String,
    pub python: String,
    /// Node.js, set up in the build and gate jobs only when given.
    pub node: Option<String>,
    pub helm: String,
    pub maturin: String,
    pub cosign: String,
    pub cargo_zigbuild: String,
    pub ziglang: String,
    pub pypa_build: String,
    pub uv: String,
    pub poetry: String,
    /// The binfmt image of docker/setup-qemu-action.
    pub binfmt: String,
    /// The BuildKit image of docker/setup-buildx-action.
    pub buildkit: String,
    /// The build toolchains (`rust`, `go`, `python`) the spec names: the
    /// gates and the release-assets job install them even when no build
    /// needs them (a Go repository whose release ships only images).
    pub named: Vec<String>,
}

impl Toolchains {
    pub fn new(spec: &Spec) -> Toolchains {
        let t = &spec.toolchains;
        let rust = t.rust.clone().unwrap_or_else(|| "stable".into());
        let rust_from_file = rust == "file";
        let go = t.go.clone().unwrap_or_else(|| "go.mod".into());
        Toolchains {
            rust: if rust_from_file { String::new() } else { rust },
            rust_from_file,
            go: if go == "go.mod" { String::new() } else { go },
            python: t.python.clone().unwrap_or_else(|| PYTHON.into()),
            node: t.node.clone(),
            helm: t.helm.clone().map(|v| v_prefixed(&v)).unwrap_or_else(|| HELM.into()),
            maturin: t
                .maturin
                .clone()
                .map(|v| v.trim_start_matches('v').to_string())
                .unwrap_or_else(|| MATURIN.into()),
            cosign: t
                .cosign
                .clone()
                .map(|v| v_prefixed(&v))
                .unwrap_or_else(|| COSIGN.into()),
            cargo_zigbuild: CARGO_ZIGBUILD.into(),
            ziglang: ZIGLANG.into(),
            pypa_build: PYPA_BUILD.into(),
            uv: UV.into(),
            poetry: POETRY.into(),
            binfmt: BINFMT.into(),
            buildkit: BUILDKIT.into(),
            named: [
                ("rust", t.rust.is_some()),
                ("go", t.go.is_some()),
                ("python", t.python.is_some()),
            ]
            .into_iter()
            .filter(|(_, set)| *set)
            .map(|(k, _)| k.to_string())
            .collect(),
        }
    }

    /// (tool, version, where it comes from) rows for `wfgen plan`.
    pub fn rows(&self) -> Vec<(String, serde_json::Value)> {
        self.pairs()
            .into_iter()
            .map(|(k, v)| (k.to_string(), serde_json::Value::String(v)))
            .collect()
    }

    /// (tool, version) pairs, in the order `wfgen plan` prints them.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut rows = vec![
            (
                "rust",
                if self.rust_from_file {
                    "rust-toolchain.toml".to_string()
                } else {
                    self.rust.clone()
                },
            ),
            (
                "go",
                if self.go.is_empty() {
                    "go.mod".to_string()
                } else {
                    self.go.clone()
                },
            ),
            ("python", self.python.clone()),
        ];
        if let Some(n) = &self.node {
            rows.push(("node", n.clone()));
        }
        rows.extend([
            ("helm", self.helm.clone()),
            ("maturin", self.maturin.clone()),
            ("cosign", self.cosign.clone()),
            ("cargo-zigbuild", self.cargo_zigbuild.clone()),
            ("ziglang", self.ziglang.clone()),
            ("build", self.pypa_build.clone()),
            ("uv", self.uv.clone()),
            ("poetry", self.poetry.clone()),
            ("binfmt", self.binfmt.clone()),
            ("buildkit", self.buildkit.clone()),
        ]);
        rows
    }
}

/// `3.17.3` -> `v3.17.3` (helm and cosign release tags).
fn v_prefixed(v: &str) -> String {
    if v.starts_with('v') {
        v.to_string()
    } else {
        format!("v{v}")
    }
}
