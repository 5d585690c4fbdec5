//! `wfgen init`: a starter spec from what the repository holds: the cargo
//! workspace and its binaries, pyproject.toml packages, go.mod and
//! .goreleaser.yaml builds, Dockerfiles (named and grouped by what the
//! existing workflows build), Helm charts, the version scheme of the git
//! tags, Makefile or justfile gates. Every guessed value carries a comment
//! saying where it came from. The result is validated before it is written;
//! an existing spec is never overwritten without --force.

mod cargo;
mod docker;
mod gates;
mod golang;
mod python;
mod repo;
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
use super::exit;
use crate::fsio;
use crate::spec::Scheme;

/// Rust targets of a binary when the repository does not say.
const RUST_TARGETS: &[&str] = &[
    "x86_64-unknown-linux-gnu",
    "aarch64-unknown-linux-gnu",
    "aarch64-apple-darwin",
    "x86_64-pc-windows-msvc",
];
/// Go targets of a binary when the repository does not say.
const GO_TARGETS: &[&str] = &["linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64"];

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

fn scan(root: &Path) -> Found {
    let repo = Repo::scan(root);
    let mut notes = Vec::new();
    if repo.truncated {
        notes.push("the repository is large: init read the first 50000 entries of the tree only".to_string());
    }
    let remote = repo.git(&["remote", "get-url", "origin"]);
    let remote_repo = remote.as_deref().and_then(repo::github_repo);
    let cargo = cargo::scan(&repo);
    let go = golang::scan(&repo);
    let py = python::scan(&repo);

    // The GitHub repository and the project name.
    let repository: Option<(String, String)> = remote_repo
        .clone()
        .map(|r| (r, "from the git remote origin".to_string()))
        .or_else(|| {
            cargo
                .as_ref()
                .and_then(|c| c.repository.clone())
                .map(|(r, w)| (r, format!("from {w}")))
        })
        .or_else(|| {
            go.as_ref()
                .and_then(|g| g.repository.clone())
                .map(|(r, w)| (r, format!("from {w}")))
        });
    let root_py = py.packages.iter().find(|p| p.path == ".");
    let dir_name = std::path::absolute(root)
        .ok()
        .and_then(|p| p.file_name().map(|f| f.to_string_lossy().into_owned()));
    let candidates: Vec<(Option<String>, String)> = vec![
        (
            cargo.as_ref().and_then(|c| c.name.clone()).map(|n| n.0),
            cargo
                .as_ref()
                .and_then(|c| c.name.clone())
                .map(|n| format!("from {}", n.1))
                .unwrap_or_default(),
        ),
        (
            root_py.map(|p| p.name.clone()),
            root_py.map(|p| format!("from {}", p.why)).unwrap_or_default(),
        ),
        (
            go.as_ref().and_then(|g| g.name.clone()).map(|n| n.0),
            go.as_ref()
                .and_then(|g| g.name.clone())
                .map(|n| format!("from {}", n.1))
                .unwrap_or_default(),
        ),
        (
            remote_repo
                .as_ref()
                .and_then(|r| r.split('/').nth(1))
                .map(str::to_string),
            "from the git remote origin".into(),
        ),
        (
            (py.packages.len() == 1).then(|| py.packages[0].name.clone()),
            py.packages
                .first()
                .map(|p| format!("from {}", p.why))
                .unwrap_or_default(),
        ),
        (dir_name, "from the name of the repository's directory".into()),
    ];
    let (name, name_why) = candidates
        .into_iter()
        .find_map(|(n, w)| n.map(|n| slug(&n)).filter(|n| IDENT.is_match(n)).map(|n| (n, w)))
        .unwrap_or_else(|| ("project".into(), "no name found: rename it".into()));
    let owner = repository
        .as_ref()
        .and_then(|(r, _)| r.split('/').next())
        .map(docker::component)
        .filter(|o| !o.is_empty());

    // Binaries.
    let mut bins: Vec<Bin> = Vec::new();
    let mut bins_notes: Vec<String> = Vec::new();
    if let Some(c) = &cargo {
        let (targets, targets_why) = match &c.targets {
            Some((t, w)) => (t.clone(), format!("from {w}")),
            None => (
                RUST_TARGETS.iter().map(|s| s.to_string()).collect(),
                "the default: Linux x86_64 and arm64, macOS arm64, Windows x64".to_string(),
            ),
        };
        for b in &c.bins {
            bins.push(Bin {
                name: b.name.clone(),
                kind: "rust",
                package: b.package.clone(),
                manifest: Some(b.manifest.clone()),
                features: b.features.clone(),
                targets: targets.clone(),
                targets_why: targets_why.clone(),
                why: format!("from {}", b.why),
            });
        }
        bins_notes.extend(c.notes.clone());
    }
    if let Some(g) = &go {
        for b in &g.bins {
            let (targets, targets_why) = match &b.targets {
                Some((t, w)) => (t.clone(), format!("from {w}")),
                None => (
                    GO_TARGETS.iter().map(|s| s.to_string()).collect(),
                    "the default: Linux and macOS, amd64 and arm64".to_string(),
                ),
            };
            bins.push(Bin {
                name: b.name.clone(),
                kind: "go",
                package: b.package.clone(),
                manifest: None,
                features: Vec::new(),
                targets,
                targets_why,
                why: format!("from {}", b.why),
            });
        }
        bins_notes.extend(g.notes.clone());
    }
    let mut names = BTreeSet::new();
    bins.retain(|b| {
        let ok = IDENT.is_match(&b.name) && !b.package.contains(char::is_whitespace) && !b.package.is_empty();
        if !ok {
            bins_notes.push(format!(
                "binary `{}` ({}): a name wfgen cannot use, not added",
                b.name, b.why
            ));
        } else if !names.insert(b.name.clone()) {
            bins_notes.push(format!("a second binary named `{}` ({}): not added", b.name, b.why));
            return false;
        }
        ok
    });
    if bins.len() > 1 {
        bins_notes.insert(
            0,
            "every binary the repository builds: remove the ones you do not release".into(),
        );
    }

    // Python packages.
    let mut python_notes = py.notes.clone();
    let mut packages: Vec<python::Package> = Vec::new();
    let mut py_names = BTreeSet::new();
    for p in py.packages {
        if !PY_NAME.is_match(&p.name) || !REL_PATH.is_match(&p.path) || p.path.split('/').any(|s| s == "..") {
            python_notes.push(format!("{}: a name or path wfgen cannot use, not added", p.why));
        } else if !py_names.insert(p.name.to_ascii_lowercase().replace(['_', '.'], "-")) {
            python_notes.push(format!("{}: a second package of that name, not added", p.why));
        } else {
            packages.push(p);
        }
    }
    let python_only = bins.is_empty() && cargo.is_none() && go.is_none() && !packages.is_empty();

    // Versioning.
    let tags: Option<Vec<String>> = repo.git(&["tag", "--list"]).map(|t| {
        t.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    });
    let versioning = versioning::guess(tags.as_deref(), python_only);

    // Gates.
    let mut gates = gates::scan(&repo);
    let mut gates_note = None;
    if !gates.iter().any(|g| g.name == "test") {
        if cargo.as_ref().is_some_and(|c| !c.bins.is_empty()) {
            let locked = if cargo.as_ref().is_some_and(|c| c.has_lock) {
                " --locked"
            } else {
                ""
            };
            gates.push(gates::Gate {
                name: "test".into(),
                run: format!("cargo test --workspace{locked}"),
                why: "no Makefile or justfile test target: the tests of the cargo workspace".into(),
            });
        } else if go.is_some() {
            gates.push(gates::Gate {
                name: "test".into(),
                run: "go test ./...".into(),
                why: "no Makefile or justfile test target: the tests of the Go module".into(),
            });
        } else if gates.is_empty() {
            gates_note = Some(
                "no lint or test target in a Makefile or justfile: add the checks a release must pass, e.g. - { name: test, run: make test }".into(),
            );
        }
    }

    // Images.
    let evidence = workflows::scan(&repo, repository.as_ref().map(|(r, _)| r.as_str()));
    let project_component = docker::component(&name);
    let project_component = if project_component.is_empty() {
        "app".to_string()
    } else {
        project_component
    };
    let (mut images, skipped) = docker::scan(&docker::Inputs {
        repo: &repo,
        evidence: &evidence,
        project: &project_component,
        owner: owner.as_deref(),
        python: &packages,
    });
    let mut docker_notes = skipped;
    images.retain(|i| {
        let paths_ok = REL_PATH.is_match(&i.dockerfile.replace("{variant}", "x"))
            && i.variants
                .iter()
                .all(|v| v.dockerfile.as_ref().is_none_or(|d| REL_PATH.is_match(d)))
            && REL_PATH.is_match(&i.context);
        if !paths_ok {
            docker_notes.push(format!(
                "{}: a Dockerfile path wfgen cannot use, not added",
                i.dockerfile
            ));
        }
        paths_ok
    });
    if let Some(g) = &go
        && !g.ko_images.is_empty()
    {
        docker_notes.push(format!(
            "images built by ko from .goreleaser.yaml ({}) have no Dockerfile: not added (wfgen builds images from Dockerfiles)",
            g.ko_images.join(", ")
        ));
    }

    // Charts.
    let chart_dirs: Vec<String> = repo
        .files
        .iter()
        .filter(|f| f.rsplit('/').next() == Some("Chart.yaml"))
        .map(|f| repo::dir_of(f))
        .collect();
    let (registry, registry_why) = match evidence.helm_registries.iter().find(|(r, _)| OCI.is_match(r)) {
        Some((r, src)) => (r.clone(), format!("pushed to in {src}")),
        None => match &owner {
            Some(o) => (
                format!("oci://ghcr.io/{o}/charts"),
                "the default: ghcr.io of the repository's owner".to_string(),
            ),
            None => (
                "oci://ghcr.io/owner/charts".into(),
                "replace `owner`: no GitHub remote found".into(),
            ),
        },
    };
    let helm: Vec<Chart> = chart_dirs
        .iter()
        .filter(|d| {
            // Not a subchart of another chart in the list.
            !chart_dirs
                .iter()
                .any(|o| o != *d && (o == "." || d.starts_with(&format!("{o}/"))))
        })
        .filter(|d| REL_PATH.is_match(d))
        .map(|d| Chart {
            path: d.clone(),
            registry: registry.clone(),
            registry_why: registry_why.clone(),
        })
        .collect();

    // Credentials of every registry host pushed to, but ghcr.io (GITHUB_TOKEN).
    let hosts: BTreeSet<String> = images
        .iter()
        .flat_map(|i| std::iter::once(&i.image).chain(i.mirrors.iter().map(|(m, _)| m)))
        .map(|n| crate::spec::validate::registry_host(n))
        .chain(helm.iter().map(|c| crate::plan::helm::registry_host(&c.registry)))
        .filter(|h| h != crate::plan::registries::GHCR)
        .collect();
    let registries: BTreeMap<String, (String, String, String)> = hosts
        .into_iter()
        .map(|h| {
            // The login of the workflows that push there, else any.
            let pushing: BTreeSet<&String> = images
                .iter()
                .filter(|i| {
                    std::iter::once(&i.image)
                        .chain(i.mirrors.iter().map(|(m, _)| m))
                        .any(|n| crate::spec::validate::registry_host(n) == h)
                })
                .flat_map(|i| i.workflows.iter())
                .collect();
            let candidates: Vec<&(String, String, String, String)> =
                evidence.logins.iter().filter(|l| l.0 == h).collect();
            let found = candidates
                .iter()
                .find(|l| pushing.iter().any(|w| l.3.starts_with(w.as_str())))
                .or(candidates.first());
            let login = match found {
                Some((_, u, p, src)) => (u.clone(), p.clone(), format!("the secrets {src} logs in with")),
                None => {
                    let (u, p) = crate::plan::registries::secret_names(&h);
                    (
                        u,
                        p,
                        "secrets for you to create: a user name and an access token".into(),
                    )
                }
            };
            (h, login)
        })
        .collect();

    let (version_files, version_sources) = version_sources(&repo.root, cargo.is_some(), &bins, &packages, &helm);

    let toolchains = toolchains::scan(
        &repo,
        &toolchains::Uses {
            rust: bins.iter().any(|b| b.kind == "rust"),
            go: bins.iter().any(|b| b.kind == "go"),
            python: !packages.is_empty(),
            helm: !helm.is_empty(),
        },
    );
    Found {
        name,
        name_why,
        repository,
        versioning,
        version_files,
        version_sources,
        gates,
        gates_note,
        bins,
        bins_notes,
        python: packages,
        python_notes,
        docker: images,
        docker_notes,
        helm,
        registries,
        release: go.map(|g| g.release).unwrap_or_default(),
        toolchains,
        notes,
    }
}

/// The version files to propose, (path, why), and a line per published
/// package saying where its version comes from, as
/// `crate::spec::versionsource` reads it (the reading `wfgen validate`
/// warns from): the root Cargo.toml's version when it has one, each Rust
/// binary's and each Python package's source file; a tag-derived or unknown
/// source, a Go binary or a chart says why nothing is checked.
fn version_sources(
    root: &Path,
    cargo: bool,
    bins: &[Bin],
    packages: &[python::Package],
    helm: &[Chart],
) -> (Vec<(String, String)>, Vec<String>) {
    use crate::spec::versionsource::{Source, cargo_package_source, package_source};
    let mut files: Vec<(String, String)> = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    // A file source: proposed when the release can read it, else said why not.
    let mut propose = |source: &Source| -> Option<String> {
        let Source::File {
            path, entry, version, ..
        } = source
        else {
            return None;
        };
        if !crate::spec::names::version_file_supported(path) {
            return Some(format!(
                "not in version-files: the release reads the version of {} files only",
                crate::spec::names::VERSION_FILE_NAMES.join(", ")
            ));
        }
        if !REL_PATH.is_match(path) {
            return Some("not in version-files: a path wfgen cannot use".into());
        }
        if !files.iter().any(|(f, _)| f == path) {
            let entry = entry.replace('`', "");
            let why = match version {
                Some(v) => format!("{entry} {v}"),
                None => entry,
            };
            files.push((path.clone(), why));
        }
        None
    };
    if cargo {
        let source = cargo_package_source(root, "Cargo.toml");
        if matches!(source, Source::File { .. }) {
            propose(&source);
        }
    }
    // Rust binaries, grouped by source (a workspace shares one).
    let mut rust: Vec<(Source, Vec<&str>)> = Vec::new();
    for b in bins {
        let Some(m) = &b.manifest else { continue };
        let source = cargo_package_source(root, m);
        match rust.iter_mut().find(|(s, _)| *s == source) {
            Some((_, names)) => names.push(&b.name),
            None => rust.push((source, vec![&b.name])),
        }
    }
    for (source, names) in &rust {
        let what = if names.len() == 1 { "binary" } else { "binaries" };
        let mut line = format!("rust {what} {}: {}", names.join(", "), source.describe());
        if let Some(not) = propose(source) {
            line.push_str(&format!("; {not}"));
        } else if let Source::Unknown { .. } = source {
            line.push_str("; nothing checked");
        }
        lines.push(line);
    }
    let go: Vec<&str> = bins
        .iter()
        .filter(|b| b.kind == "go")
        .map(|b| b.name.as_str())
        .collect();
    if !go.is_empty() {
        let what = if go.len() == 1 { "binary" } else { "binaries" };
        lines.push(format!(
            "go {what} {}: no version file to check; `ldflags` can give a binary the tag's version, e.g. -X main.version={{version}}",
            go.join(", ")
        ));
    }
    for p in packages {
        let source = package_source(root, &p.path, p.build == python::Build::Maturin);
        let mut line = format!("python {}: {}", p.name, source.describe());
        match &source {
            Source::File { .. } => {
                if let Some(not) = propose(&source) {
                    line.push_str(&format!("; {not}"));
                }
            }
            Source::Tag { .. } => line.push_str(": the wheel gets the tag's version, nothing to check"),
            Source::Unknown { .. } => line.push_str("; nothing checked"),
        }
        lines.push(line);
    }
    for c in helm {
        lines.push(format!(
            "chart {}: packaged with the tag's version by `helm package --version`, so {} need not match",
            c.path,
            repo::join(&c.path, "Chart.yaml")
        ));
    }
    (files, lines)
}

fn render(f: &Found) -> String {
    let mut d = Doc::default();
    d.comment(
        0,
        "Starter release spec written by `wfgen init` from what this repository holds.",
    );
    d.comment(
        0,
        "Each value it guessed says where it came from: review them, then run `wfgen generate`.",
    );
    d.comment(0, "Every key: `wfgen schema`.");
    for n in &f.notes {
        d.comment(0, n);
    }
    d.line(0, "wfgen: 1", None);
    d.line(0, "project:", None);
    d.kv(2, "name", &scalar(&f.name), Some(&f.name_why));
    if let Some((r, why)) = &f.repository {
        d.kv(2, "repository", &scalar(r), Some(why));
    }

    let v = &f.versioning;
    d.line(0, "versioning:", None);
    let scheme = match v.scheme {
        Scheme::Semver => "semver",
        Scheme::Pep440 => "pep440",
    };
    d.kv(2, "scheme", scheme, Some(&v.scheme_why));
    d.kv(2, "tag-prefix", &scalar(&v.prefix), Some(&v.prefix_why));
    d.kv(2, "prereleases", &flow(&v.prereleases), Some(&v.prereleases_why));
    if let Some((s, why)) = &v.stable_suffix {
        d.kv(2, "stable-suffix", &scalar(s), Some(why));
    }
    if !f.version_files.is_empty() {
        d.line(
            2,
            "version-files:",
            Some("each must hold the tag's version; the release checks it"),
        );
        for (file, why) in &f.version_files {
            d.line(4, &format!("- {}", scalar(file)), Some(why));
        }
    }
    if !f.version_sources.is_empty() {
        d.comment(2, "where the version of each published package comes from:");
        for l in &f.version_sources {
            d.comment(2, &format!("- {l}"));
        }
    }
    for n in &v.notes {
        d.comment(2, n);
    }

    if !f.toolchains.is_empty() {
        d.line(
            0,
            "toolchains:",
            Some("the versions the repository pins for its developers"),
        );
        for t in &f.toolchains {
            d.kv(2, t.key, &scalar(&t.value), Some(&t.why));
        }
    }

    if f.gates.is_empty() {
        if let Some(n) = &f.gates_note {
            d.comment(0, &format!("gates: {n}"));
        }
    } else {
        d.line(0, "gates:", None);
        for g in &f.gates {
            d.line(2, &format!("- name: {}", scalar(&g.name)), Some(&g.why));
            d.kv(4, "run", &scalar(&g.run), None);
        }
    }

    if !f.bins.is_empty() || !f.bins_notes.is_empty() {
        if f.bins.is_empty() {
            d.comment(0, "binaries:");
        } else {
            d.line(0, "binaries:", None);
        }
        for n in &f.bins_notes {
            d.comment(2, n);
        }
        for b in &f.bins {
            d.line(2, &format!("- name: {}", scalar(&b.name)), Some(&b.why));
            d.kv(4, "kind", b.kind, None);
            d.kv(4, "package", &scalar(&b.package), None);
            if !b.features.is_empty() {
                d.kv(4, "features", &flow(&b.features), Some("the bin's required-features"));
            }
            d.kv(4, "targets", &flow(&b.targets), Some(&b.targets_why));
        }
    }

    if !f.python.is_empty() || !f.python_notes.is_empty() {
        if f.python.is_empty() {
            d.comment(0, "python:");
        } else {
            d.line(0, "python:", None);
        }
        for n in &f.python_notes {
            d.comment(2, n);
        }
        let pure = f.python.iter().filter(|p| p.build == python::Build::Pure).count();
        for p in &f.python {
            d.line(
                2,
                &format!("- name: {}", scalar(&p.name)),
                Some(&format!("from {}", p.why)),
            );
            if p.build == python::Build::Pure && pure > 1 {
                d.kv(
                    4,
                    "workflow",
                    "release-python",
                    Some("the pure packages build in one workflow"),
                );
            }
            d.kv(4, "path", &scalar(&p.path), None);
            match p.build {
                python::Build::Maturin => {
                    d.kv(4, "build", "maturin", None);
                    if p.abi3 {
                        let why = format!(
                            "from {}: one wheel per platform",
                            p.abi3_why.as_deref().unwrap_or("pyo3")
                        );
                        d.kv(4, "abi3", "true", Some(&why));
                    } else if !p.python.is_empty() {
                        d.kv(4, "python", &flow(&p.python), p.python_why.as_deref());
                    }
                }
                python::Build::Pure => {
                    d.kv(4, "build", "pure", None);
                    if let Some((builder, why)) = &p.builder {
                        d.kv(4, "builder", builder, Some(why));
                    }
                }
            }
        }
    }

    if !f.docker.is_empty() || !f.docker_notes.is_empty() {
        if f.docker.is_empty() {
            d.comment(0, "docker:");
        } else {
            d.line(0, "docker:", None);
        }
        for n in &f.docker_notes {
            d.comment(2, n);
        }
        for i in &f.docker {
            render_image(&mut d, i);
        }
    }

    if !f.registries.is_empty() {
        d.line(0, "registries:", None);
        for (host, (u, p, why)) in &f.registries {
            d.kv(
                2,
                &scalar(host),
                &format!("{{ username-secret: {}, password-secret: {} }}", scalar(u), scalar(p)),
                Some(why),
            );
        }
    }

    if !f.helm.is_empty() {
        d.line(0, "helm:", None);
        for c in &f.helm {
            let why = format!("from {}", repo::join(&c.path, "Chart.yaml"));
            d.line(2, &format!("- chart: {}", scalar(&c.path)), Some(&why));
            d.kv(4, "registry", &scalar(&c.registry), Some(&c.registry_why));
        }
    }

    d.line(
        0,
        "release:",
        Some("github-release, checksums and provenance as wfgen does by default"),
    );
    d.kv(2, "github-release", "stable", None);
    let set = |k: &str| f.release.iter().find(|(key, _)| *key == k).map(|(_, w)| w.as_str());
    if let Some(why) = set("draft") {
        d.kv(2, "draft", "true", Some(why));
    }
    d.kv(2, "checksums", "true", None);
    if let Some(why) = set("sign") {
        d.kv(2, "sign", "true", Some(why));
    }
    if let Some(why) = set("sbom") {
        d.kv(2, "sbom", "true", Some(why));
    }
    d.kv(2, "provenance", "true", None);
    d.finish()
}

fn render_image(d: &mut Doc, i: &docker::Image) {
    d.line(2, &format!("- image: {}", scalar(&i.image)), Some(&i.image_why));
    if i.context != "." {
        d.kv(4, "context", &scalar(&i.context), None);
    }
    let df_why = (!i.dockerfile_why.is_empty()).then_some(i.dockerfile_why.as_str());
    d.kv(4, "dockerfile", &scalar(&i.dockerfile), df_why);
    if let Some(t) = &i.target {
        d.kv(
            4,
            "target",
            &scalar(t),
            Some("the Dockerfile stage the workflows build"),
        );
    }
    if !i.build_args.is_empty() {
        d.line(4, "build-args:", Some(&i.build_args_why));
        for (k, v) in &i.build_args {
            d.kv(6, &scalar(k), &scalar(v), None);
        }
    }
    d.kv(4, "platforms", &flow(&i.platforms), Some(&i.platforms_why));
    if i.per_arch {
        d.kv(
            4,
            "per-arch",
            "true",
            Some("the workflows push a tag per architecture, no multi-arch manifest"),
        );
    }
    d.kv(4, "tags", &flow(&i.tags), Some(&i.tags_why));
    if !i.variants.is_empty() {
        if i.variants_list {
            let names: Vec<&str> = i.variants.iter().map(|v| v.name.as_str()).collect();
            d.kv(4, "variants", &flow(&names), Some(&i.variants_why));
        } else {
            d.line(4, "variants:", Some(&i.variants_why));
            for v in &i.variants {
                let why = (!v.why.is_empty()).then_some(v.why.as_str());
                if v.dockerfile.is_none() && v.build_args.is_empty() && v.tags.is_none() && v.platforms.is_none() {
                    d.kv(6, &scalar(&v.name), "{}", why);
                    continue;
                }
                d.line(6, &format!("{}:", scalar(&v.name)), why);
                if let Some(df) = &v.dockerfile {
                    d.kv(8, "dockerfile", &scalar(df), None);
                }
                if !v.build_args.is_empty() {
                    d.line(8, "build-args:", None);
                    for (k, val) in &v.build_args {
                        d.kv(10, &scalar(k), &scalar(val), None);
                    }
                }
                if let Some(t) = &v.tags {
                    d.kv(8, "tags", &flow(t), None);
                }
                if let Some(p) = &v.platforms {
                    d.kv(
                        8,
                        "platforms",
                        &flow(p),
                        Some("the platforms the workflows build this variant for"),
                    );
                }
            }
        }
    }
    if !i.mirrors.is_empty() {
        d.line(4, "mirrors:", None);
        for (m, why) in &i.mirrors {
            d.line(6, &format!("- {}", scalar(m)), Some(why));
        }
    }
    for n in &i.notes {
        d.comment(4, n);
    }
}

/// The starter spec for the repository at `root`.
pub fn starter_spec(root: &Path) -> String {
    render(&scan(root))
}

pub fn run(dir: &Path, spec_path: Option<&Path>, force: bool, stdout: bool) -> i32 {
    let target = spec_path
        .map(Path::to_path_buf)
        .unwrap_or_else(|| dir.join("wfgen.yaml"));
    let (root, name) = crate::spec::load::root_of(&target);
    if !stdout && target.exists() && !force {
        eprintln!(
            "error: {} exists; wfgen init does not overwrite it (pass --force, or --stdout to print the starter spec)",
            target.display()
        );
        return exit::FATAL;
    }
    let text = starter_spec(&root);
    if let Err(p) = crate::spec::parse(&name, &text) {
        eprintln!("error: the starter spec wfgen init made is invalid (a bug in wfgen):\n{p}");
        return exit::FATAL;
    }
    if stdout {
        out!("{text}");
        return exit::OK;
    }
    if let Err(e) = fsio::write_atomic(&root, &target, &text) {
        eprintln!("error: {e}");
        return exit::FATAL;
    }
    outln!("wrote {name}: review it, then run `wfgen generate`");
    exit::OK
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
        let (spec, _) = crate::spec::parse("wfgen.yaml", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
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
        crate::spec::parse("wfgen.yaml", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    }
}
