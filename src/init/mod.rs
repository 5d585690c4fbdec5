//! init: a starter spec from what the repository holds (`wfgen init`). The
//! stage detects, one module per ecosystem, then proposes ([`Found`]) and
//! serialises the spec as commented YAML; the command line (cli/init.rs)
//! only writes or prints it. What it reads: the cargo
//! workspace and its binaries, pyproject.toml packages, go.mod and
//! .goreleaser.yaml builds, Dockerfiles (named and grouped by what the
//! existing workflows build), Helm charts, the version scheme of the git
//! tags, Makefile or justfile gates. Every guessed value carries a comment
//! saying where it came from. The result is validated before it is written;
//! an existing spec is never overwritten without --force.

mod cargo;
mod detect;
mod docker;
mod gates;
mod golang;
mod python;
mod repo;
mod serialize;
mod toolchains;
mod versioning;
mod workflows;
mod yaml;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use self::repo::Repo;
use self::yaml::{Doc, flow, scalar};
use crate::spec::Scheme;

/// Rust targets of a binary when the repository does not say.
const DEFAULT_RUST_TARGETS: &[&str] = &[
    "x86_64-unknown-linux-gnu",
    "aarch64-unknown-linux-gnu",
    "aarch64-apple-darwin",
    "x86_64-pc-windows-msvc",
];
/// Go targets of a binary when the repository does not say.
const DEFAULT_GO_TARGETS: &[&str] = &["linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64"];

static IDENT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[A-Za-z0-9][A-Za-z0-9._-]*$").expect("regex"));
static REL_PATH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z0-9_.@+-][A-Za-z0-9_./@+-]*$").expect("regex"));
static PY_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$").expect("regex"));
static OCI: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^oci://[a-z0-9.-]+(:[0-9]+)?(/[a-z0-9._-]+)+$").expect("regex"));

struct Bin {
    name: String,
    kind: &'static str,
    package: String,
    /// A Rust binary's Cargo.toml.
    manifest: Option<String>,
    features: Vec<String>,
    targets: Vec<String>,
    targets_why: String,
    why: String,
}

struct Chart {
    path: String,
    registry: String,
    registry_why: String,
}

/// Everything init found, ready to be written.
struct Found {
    name: String,
    name_why: String,
    repository: Option<(String, String)>,
    versioning: versioning::Guess,
    version_files: Vec<(String, String)>,
    /// Where the version of each published package comes from, a line each.
    version_sources: Vec<String>,
    gates: Vec<gates::Gate>,
    gates_note: Option<String>,
    bins: Vec<Bin>,
    bins_notes: Vec<String>,
    python: Vec<python::Package>,
    python_notes: Vec<String>,
    docker: Vec<docker::Image>,
    docker_notes: Vec<String>,
    helm: Vec<Chart>,
    /// Registry host -> (username secret, password secret, why).
    registries: BTreeMap<String, (String, String, String)>,
    /// `release:` keys set to true, with why.
    release: Vec<(&'static str, String)>,
    /// `toolchains:` the repository pins for its developers.
    toolchains: Vec<toolchains::Tool>,
    notes: Vec<String>,
}

/// A project name wfgen accepts (letters, digits, `.`, `_`, `-`).
fn slug(s: &str) -> String {
    let out: String = s
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    out.trim_start_matches(['-', '.', '_']).to_string()
}

/// The starter spec for the repository at `root`.
pub fn starter_spec(root: &Path) -> String {
    serialize::render(&detect::scan(root))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starter_spec_from_a_mixed_repository() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        std::fs::write(
            r.join("Cargo.toml"),
            "[package]\nname = \"demo-server\"\nversion = \"0.1.0\"\n",
        )
        .unwrap();
        std::fs::create_dir_all(r.join("src")).unwrap();
        std::fs::write(r.join("src/main.rs"), "fn main() {}\n").unwrap();
        std::fs::write(
            r.join("pyproject.toml"),
            "[build-system]\nrequires = [\"maturin>=1\"]\n[project]\nname = \"demo\"\n",
        )
        .unwrap();
        std::fs::write(r.join("Dockerfile"), "FROM scratch\n").unwrap();
        std::fs::create_dir_all(r.join("deploy/chart")).unwrap();
        std::fs::write(r.join("deploy/chart/Chart.yaml"), "name: demo\n").unwrap();
        let text = starter_spec(r);
        let (spec, _) = crate::parse_spec("wfgen.yaml", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(spec.project.name, "demo-server");
        assert_eq!(spec.binaries[0].name, "demo-server");
        assert_eq!(spec.python[0].build, crate::spec::PythonBuild::Maturin);
        assert_eq!(spec.docker[0].image, "ghcr.io/owner/demo-server");
        assert_eq!(spec.helm[0].chart, "deploy/chart");
    }

    #[test]
    fn empty_repository_still_gives_a_valid_spec() {
        let d = tempfile::tempdir().unwrap();
        let text = starter_spec(d.path());
        crate::parse_spec("wfgen.yaml", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    }
}
