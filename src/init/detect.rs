//! What the repository holds, put together from the detection of each
//! ecosystem (cargo, go, pyproject, Dockerfiles, charts, workflows, tags,
//! gates) into the proposed spec, [`Found`].

use super::*;
use crate::spec::registry::{chart_host, image_host};

pub(super) fn scan(root: &Path) -> Found {
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
    let (name, name_why) = project_name(root, cargo.as_ref(), go.as_ref(), &py, remote_repo.as_deref());
    let owner = repository
        .as_ref()
        .and_then(|(r, _)| r.split('/').next())
        .map(docker::component)
        .filter(|o| !o.is_empty());

    let (bins, bins_notes) = binaries(cargo.as_ref(), go.as_ref());
    let (packages, python_notes) = python_packages(py);
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

    let (gates, gates_note) = gates(&repo, cargo.as_ref(), go.is_some());

    // Images.
    let evidence = workflows::scan(&repo, repository.as_ref().map(|(r, _)| r.as_str()));
    let (images, docker_notes) = images(&repo, &evidence, &name, owner.as_deref(), &packages, go.as_ref());
    let helm = charts(&repo, &evidence, owner.as_deref());
    let registries = registries(&images, &helm, &evidence);

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

/// The project's name, and why: the cargo package's, the root Python
/// package's, the Go module's, the GitHub repository's, the one Python
/// package's, the directory's.
fn project_name(
    root: &Path,
    cargo: Option<&cargo::Cargo>,
    go: Option<&golang::Go>,
    py: &python::Python,
    remote_repo: Option<&str>,
) -> (String, String) {
    let root_py = py.packages.iter().find(|p| p.path == ".");
    let dir_name = std::path::absolute(root)
        .ok()
        .and_then(|p| p.file_name().map(|f| f.to_string_lossy().into_owned()));
    let candidates: Vec<(Option<String>, String)> = vec![
        (
            cargo.and_then(|c| c.name.clone()).map(|n| n.0),
            cargo
                .and_then(|c| c.name.clone())
                .map(|n| format!("from {}", n.1))
                .unwrap_or_default(),
        ),
        (
            root_py.map(|p| p.name.clone()),
            root_py.map(|p| format!("from {}", p.why)).unwrap_or_default(),
        ),
        (
            go.and_then(|g| g.name.clone()).map(|n| n.0),
            go.and_then(|g| g.name.clone())
                .map(|n| format!("from {}", n.1))
                .unwrap_or_default(),
        ),
        (
            remote_repo.and_then(|r| r.split('/').nth(1)).map(str::to_string),
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
    candidates
        .into_iter()
        .find_map(|(n, w)| n.map(|n| slug(&n)).filter(|n| IDENT.is_match(n)).map(|n| (n, w)))
        .unwrap_or_else(|| ("project".into(), "no name found: rename it".into()))
}

/// The binaries of the cargo workspace and the Go module, with notes on
/// those not added.
fn binaries(cargo: Option<&cargo::Cargo>, go: Option<&golang::Go>) -> (Vec<Bin>, Vec<String>) {
    let mut bins: Vec<Bin> = Vec::new();
    let mut bins_notes: Vec<String> = Vec::new();
    if let Some(c) = cargo {
        let (targets, targets_why) = match &c.targets {
            Some((t, w)) => (t.clone(), format!("from {w}")),
            None => (
                DEFAULT_RUST_TARGETS.iter().map(|s| s.to_string()).collect(),
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
    if let Some(g) = go {
        for b in &g.bins {
            let (targets, targets_why) = match &b.targets {
                Some((t, w)) => (t.clone(), format!("from {w}")),
                None => (
                    DEFAULT_GO_TARGETS.iter().map(|s| s.to_string()).collect(),
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
    (bins, bins_notes)
}

/// The Python packages wfgen can use, with notes on the others.
fn python_packages(py: python::Python) -> (Vec<python::Package>, Vec<String>) {
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
    (packages, python_notes)
}

/// The gates of the Makefile or justfile, and a test gate of the cargo
/// workspace or the Go module (`go`) when they have none; or a note.
fn gates(repo: &Repo, cargo: Option<&cargo::Cargo>, go: bool) -> (Vec<gates::Gate>, Option<String>) {
    let mut gates = gates::scan(repo);
    let mut gates_note = None;
    if !gates.iter().any(|g| g.name == "test") {
        if cargo.is_some_and(|c| !c.bins.is_empty()) {
            let locked = if cargo.is_some_and(|c| c.has_lock) {
                " --locked"
            } else {
                ""
            };
            gates.push(gates::Gate {
                name: "test".into(),
                run: format!("cargo test --workspace{locked}"),
                why: "no Makefile or justfile test target: the tests of the cargo workspace".into(),
            });
        } else if go {
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
    (gates, gates_note)
}

/// The images of the Dockerfiles, as the workflows build them, with notes
/// on those not added.
fn images(
    repo: &Repo,
    evidence: &workflows::Evidence,
    name: &str,
    owner: Option<&str>,
    packages: &[python::Package],
    go: Option<&golang::Go>,
) -> (Vec<docker::Image>, Vec<String>) {
    let project_component = docker::component(name);
    let project_component = if project_component.is_empty() {
        "app".to_string()
    } else {
        project_component
    };
    let (mut images, skipped) = docker::scan(&docker::Inputs {
        repo,
        evidence,
        project: &project_component,
        owner,
        python: packages,
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
    if let Some(g) = go
        && !g.ko_images.is_empty()
    {
        docker_notes.push(format!(
            "images built by ko from .goreleaser.yaml ({}) have no Dockerfile: not added (wfgen builds images from Dockerfiles)",
            g.ko_images.join(", ")
        ));
    }
    (images, docker_notes)
}

/// The charts (not their subcharts), pushed where the workflows push
/// charts, else to ghcr.io of the repository's owner.
fn charts(repo: &Repo, evidence: &workflows::Evidence, owner: Option<&str>) -> Vec<Chart> {
    let chart_dirs: Vec<String> = repo
        .files
        .iter()
        .filter(|f| f.rsplit('/').next() == Some("Chart.yaml"))
        .map(|f| repo::dir_of(f))
        .collect();
    let (registry, registry_why) = match evidence.helm_registries.iter().find(|(r, _)| OCI.is_match(r)) {
        Some((r, src)) => (r.clone(), format!("pushed to in {src}")),
        None => match owner {
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
    chart_dirs
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
        .collect()
}

/// Credentials of every registry host pushed to, but ghcr.io
/// (GITHUB_TOKEN): the secrets the workflows log in with, else names to
/// create.
fn registries(
    images: &[docker::Image],
    helm: &[Chart],
    evidence: &workflows::Evidence,
) -> BTreeMap<String, (String, String, String)> {
    let hosts: BTreeSet<String> = images
        .iter()
        .flat_map(|i| std::iter::once(&i.image).chain(i.mirrors.iter().map(|(m, _)| m)))
        .map(|n| image_host(n))
        .chain(helm.iter().map(|c| chart_host(&c.registry)))
        .filter(|h| h != crate::plan::registries::GHCR)
        .collect();
    hosts
        .into_iter()
        .map(|h| {
            // The login of the workflows that push there, else any.
            let pushing: BTreeSet<&String> = images
                .iter()
                .filter(|i| {
                    std::iter::once(&i.image)
                        .chain(i.mirrors.iter().map(|(m, _)| m))
                        .any(|n| image_host(n) == h)
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
        .collect()
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
