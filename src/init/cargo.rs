//! Rust binaries of the cargo workspace at the repository root: the
//! `[[bin]]` targets and the implicit ones (`src/main.rs`, `src/bin/*.rs`,
//! `src/bin/*/main.rs`) of the root package and of every workspace member.

use std::collections::BTreeSet;

use toml::{Table, Value};

use super::repo::{self, Repo};
use crate::spec::names::KNOWN_RUST_TARGETS;

pub struct Bin {
    /// The executable cargo builds.
    pub name: String,
    pub package: String,
    /// The package's Cargo.toml, relative to the root.
    pub manifest: String,
    pub features: Vec<String>,
    pub why: String,
}

#[derive(Default)]
pub struct Cargo {
    pub bins: Vec<Bin>,
    /// (name, why) for the project name.
    pub name: Option<(String, String)>,
    /// (owner/name, why) from a GitHub `repository` URL.
    pub repository: Option<(String, String)>,
    /// (targets, why) from cargo-dist's configuration.
    pub targets: Option<(Vec<String>, String)>,
    pub has_lock: bool,
    pub notes: Vec<String>,
}

pub fn parse(repo: &Repo, rel: &str) -> Option<Table> {
    repo.read(rel)?.parse::<Table>().ok()
}

fn table<'a>(t: &'a Table, path: &[&str]) -> Option<&'a Table> {
    let mut cur = t;
    for k in path {
        cur = cur.get(*k)?.as_table()?;
    }
    Some(cur)
}

fn string<'a>(t: &'a Table, path: &[&str], key: &str) -> Option<&'a str> {
    table(t, path)?.get(key)?.as_str()
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

/// The directories a `members` entry names (globs expanded), `/` paths.
fn expand(repo: &Repo, pattern: &str) -> Vec<String> {
    let mut dirs = vec![String::from(".")];
    for seg in pattern
        .trim_start_matches("./")
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
    {
        if seg == ".." {
            return Vec::new();
        }
        let mut next = Vec::new();
        for d in &dirs {
            if seg.contains(['*', '?', '[']) {
                let Some(re) = crate::spec::tree::segment_glob(seg) else {
                    continue;
                };
                for (name, is_dir) in repo.list(d) {
                    if is_dir && !name.starts_with('.') && re.is_match(&name) {
                        next.push(repo::join(d, &name));
                    }
                }
            } else {
                next.push(repo::join(d, seg));
            }
        }
        dirs = next;
    }
    dirs.retain(|d| d != "." && repo.is_file(&repo::join(d, "Cargo.toml")));
    dirs
}

/// Whether a member is tooling, tests or examples rather than something released.
fn tooling(dir: &str, name: &str) -> bool {
    name == "xtask"
        || name.starts_with("xtask-")
        || dir
            .split('/')
            .any(|s| ["examples", "example", "tests", "benches", "fuzz", "xtask"].contains(&s))
}

fn bins_of(repo: &Repo, dir: &str, manifest: &Table, out: &mut Vec<Bin>) {
    let Some(pkg) = string(manifest, &["package"], "name") else {
        return;
    };
    let rel = repo::join(dir, "Cargo.toml");
    let mut names: BTreeSet<String> = BTreeSet::new();
    let mut paths: BTreeSet<String> = BTreeSet::new();
    for b in manifest
        .get("bin")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_table)
    {
        let Some(name) = b.get("name").and_then(Value::as_str) else {
            continue;
        };
        let path = b
            .get("path")
            .and_then(Value::as_str)
            .map(|p| p.trim_start_matches("./").to_string())
            .unwrap_or_else(|| {
                if name == pkg {
                    "src/main.rs".into()
                } else {
                    format!("src/bin/{name}.rs")
                }
            });
        names.insert(name.to_string());
        paths.insert(path.clone());
        let features = strings(b.get("required-features"));
        out.push(Bin {
            name: name.to_string(),
            package: pkg.to_string(),
            manifest: rel.clone(),
            features,
            why: format!("{rel} [[bin]] {name} ({path})"),
        });
    }
    let autobins = table(manifest, &["package"])
        .and_then(|p| p.get("autobins"))
        .and_then(Value::as_bool)
        .unwrap_or(true);
    if !autobins {
        return;
    }
    let mut implicit: Vec<(String, String)> = Vec::new();
    if repo.is_file(&repo::join(dir, "src/main.rs")) {
        implicit.push((pkg.to_string(), "src/main.rs".into()));
    }
    let bin_dir = repo::join(dir, "src/bin");
    for (name, is_dir) in repo.list(&bin_dir) {
        if is_dir {
            if repo.is_file(&repo::join(&bin_dir, &format!("{name}/main.rs"))) {
                implicit.push((name.clone(), format!("src/bin/{name}/main.rs")));
            }
        } else if let Some(stem) = name.strip_suffix(".rs") {
            implicit.push((stem.to_string(), format!("src/bin/{name}")));
        }
    }
    for (name, path) in implicit {
        if names.contains(&name) || paths.contains(&path) {
            continue;
        }
        out.push(Bin {
            name,
            package: pkg.to_string(),
            manifest: rel.clone(),
            features: Vec::new(),
            why: format!("{} (package {pkg} in {rel})", repo::join(dir, &path)),
        });
    }
}

pub fn scan(repo: &Repo) -> Option<Cargo> {
    let mut c = Cargo::default();
    let Some(root) = parse(repo, "Cargo.toml") else {
        // Cargo projects elsewhere: wfgen builds from the repository root.
        let nested: Vec<&String> = repo
            .files
            .iter()
            .filter(|f| f.ends_with("/Cargo.toml") && f.matches('/').count() == 1)
            .collect();
        if repo.is_file("Cargo.toml") {
            c.notes
                .push("Cargo.toml is not valid TOML (or not readable): no Rust binaries read".into());
            return Some(c);
        }
        let with_bins: Vec<&String> = nested
            .into_iter()
            .filter(|f| repo.is_file(&repo::join(&repo::dir_of(f), "src/main.rs")))
            .collect();
        if with_bins.is_empty() {
            return None;
        }
        c.notes.push(format!(
            "{} build binaries, but there is no Cargo.toml at the repository root, where the release runs cargo: not added",
            with_bins.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
        ));
        return Some(c);
    };
    c.has_lock = repo.is_file("Cargo.lock");

    if let Some(n) = string(&root, &["package"], "name") {
        c.name = Some((n.to_string(), "Cargo.toml [package] name".into()));
    }
    for (path, what) in [
        (&["package"][..], "Cargo.toml [package] repository"),
        (
            &["workspace", "package"][..],
            "Cargo.toml [workspace.package] repository",
        ),
    ] {
        if c.repository.is_none()
            && let Some(r) = string(&root, path, "repository").and_then(repo::github_repo)
        {
            if c.name.is_none() {
                let n = r.rsplit('/').next().unwrap_or_default().to_string();
                c.name = Some((n, what.to_string()));
            }
            c.repository = Some((r, what.to_string()));
        }
    }

    if root.contains_key("package") {
        bins_of(repo, ".", &root, &mut c.bins);
    }
    let members = strings(table(&root, &["workspace"]).and_then(|w| w.get("members")));
    let exclude: Vec<String> = strings(table(&root, &["workspace"]).and_then(|w| w.get("exclude")))
        .iter()
        .flat_map(|e| expand(repo, e))
        .collect();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for m in &members {
        for dir in expand(repo, m) {
            if exclude.contains(&dir) || !seen.insert(dir.clone()) {
                continue;
            }
            let rel = repo::join(&dir, "Cargo.toml");
            let Some(manifest) = parse(repo, &rel) else {
                c.notes
                    .push(format!("{rel} is not valid TOML (or not readable): skipped"));
                continue;
            };
            let name = string(&manifest, &["package"], "name").unwrap_or_default();
            if tooling(&dir, name) {
                continue;
            }
            bins_of(repo, &dir, &manifest, &mut c.bins);
        }
    }

    // cargo-dist's targets, when the project used it.
    let dist = parse(repo, "dist-workspace.toml")
        .and_then(|t| table(&t, &["dist"]).map(|d| (d.clone(), "dist-workspace.toml [dist] targets")))
        .or_else(|| {
            table(&root, &["workspace", "metadata", "dist"])
                .map(|d| (d.clone(), "Cargo.toml [workspace.metadata.dist] targets"))
        });
    if let Some((d, why)) = dist {
        let targets: Vec<String> = strings(d.get("targets"))
            .into_iter()
            .filter(|t| KNOWN_RUST_TARGETS.contains(&t.as_str()))
            .collect();
        if !targets.is_empty() {
            c.targets = Some((targets, why.to_string()));
        }
    }
    Some(c)
}
