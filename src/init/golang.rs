//! Go binaries: the builds of .goreleaser.yaml when there is one, else the
//! main packages under cmd/, else a main package at the root.

use yaml_serde::Value;

use super::repo::{self, Repo};
use crate::spec::names::KNOWN_GO_TARGETS;

pub struct Bin {
    pub name: String,
    pub package: String,
    /// (targets, why) when the repository says which.
    pub targets: Option<(Vec<String>, String)>,
    pub why: String,
}

#[derive(Default)]
pub struct Go {
    pub name: Option<(String, String)>,
    pub repository: Option<(String, String)>,
    pub bins: Vec<Bin>,
    pub notes: Vec<String>,
    /// Images that GoReleaser builds with ko (no Dockerfile).
    pub ko_images: Vec<String>,
    /// `release:` keys GoReleaser's configuration implies: (key, why).
    pub release: Vec<(&'static str, String)>,
}

/// Whether a directory holds a Go `package main`.
fn main_package(repo: &Repo, dir: &str) -> bool {
    repo.list(dir).iter().any(|(f, is_dir)| {
        !is_dir
            && f.ends_with(".go")
            && !f.ends_with("_test.go")
            && repo.read(&repo::join(dir, f)).is_some_and(|t| {
                t.lines()
                    .map(str::trim)
                    .find(|l| l.starts_with("package "))
                    .is_some_and(|l| l.split_whitespace().nth(1) == Some("main"))
            })
    })
}

fn strs(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_sequence)
        .map(|s| s.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

/// `./dir/main` as a Go package path (a `.go` file stands for its directory).
fn package_path(dir: &str, main: &str) -> String {
    let joined = repo::join(dir.trim_start_matches("./"), main.trim_start_matches("./"));
    let joined = if joined.ends_with(".go") {
        repo::dir_of(&joined)
    } else {
        joined
    };
    let joined = joined
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect::<Vec<_>>()
        .join("/");
    if joined.is_empty() {
        ".".into()
    } else {
        format!("./{joined}")
    }
}

fn goreleaser(repo: &Repo, g: &mut Go, module_name: &str) -> bool {
    let Some((file, text)) = [
        ".goreleaser.yaml",
        ".goreleaser.yml",
        "goreleaser.yaml",
        "goreleaser.yml",
    ]
    .iter()
    .find_map(|f| repo.read(f).map(|t| (f.to_string(), t))) else {
        return false;
    };
    let Ok(doc) = yaml_serde::from_str::<Value>(&text) else {
        g.notes
            .push(format!("{file} is not valid YAML: its builds were not read"));
        return false;
    };
    let project = doc
        .get("project_name")
        .and_then(Value::as_str)
        .filter(|p| !p.contains("{{"))
        .unwrap_or(module_name)
        .to_string();
    let builds = doc
        .get("builds")
        .and_then(Value::as_sequence)
        .cloned()
        .unwrap_or_default();
    for (i, b) in builds.iter().enumerate() {
        if b.get("skip").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        let id = b.get("id").and_then(Value::as_str);
        let name = b
            .get("binary")
            .and_then(Value::as_str)
            .filter(|n| !n.contains("{{"))
            .map(|n| n.rsplit('/').next().unwrap_or(n))
            .or(id)
            .unwrap_or(&project)
            .to_string();
        let dir = b.get("dir").and_then(Value::as_str).unwrap_or(".");
        let main = b.get("main").and_then(Value::as_str).unwrap_or(".");
        let mut goos = strs(b.get("goos"));
        if goos.is_empty() {
            goos = vec!["linux".into(), "darwin".into(), "windows".into()];
        }
        let mut goarch = strs(b.get("goarch"));
        if goarch.is_empty() {
            goarch = vec!["amd64".into(), "arm64".into(), "386".into()];
        }
        let ignore: Vec<(String, String)> = b
            .get("ignore")
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
            .map(|ig| {
                let s = |k: &str| ig.get(k).and_then(Value::as_str).unwrap_or("").to_string();
                (s("goos"), s("goarch"))
            })
            .collect();
        let targets: Vec<String> = goos
            .iter()
            .flat_map(|os| goarch.iter().map(move |a| (os.clone(), a.clone())))
            .filter(|(os, a)| {
                !ignore
                    .iter()
                    .any(|(io, ia)| (io.is_empty() || io == os) && (ia.is_empty() || ia == a))
            })
            .map(|(os, a)| format!("{os}/{a}"))
            .filter(|t| KNOWN_GO_TARGETS.contains(&t.as_str()))
            .collect();
        let what = format!(
            "{file} builds[{i}]{}",
            id.map(|i| format!(" ({i})")).unwrap_or_default()
        );
        g.bins.push(Bin {
            name,
            package: package_path(dir, main),
            targets: (!targets.is_empty()).then(|| (targets, format!("{what} goos x goarch"))),
            why: what,
        });
    }
    for k in doc.get("kos").and_then(Value::as_sequence).into_iter().flatten() {
        g.ko_images.extend(
            strs(k.get("repositories"))
                .into_iter()
                .chain(k.get("repository").and_then(Value::as_str).map(str::to_string))
                .filter(|r| !r.contains("{{")),
        );
    }
    let listed = |k: &str| doc.get(k).and_then(Value::as_sequence).is_some_and(|s| !s.is_empty());
    if listed("sboms") {
        g.release.push(("sbom", format!("from {file} sboms")));
    }
    if listed("signs") || listed("binary_signs") || listed("docker_signs") {
        g.release.push(("sign", format!("from {file} signs")));
    }
    if doc.get("release").and_then(|r| r.get("draft")).and_then(Value::as_bool) == Some(true) {
        g.release.push(("draft", format!("from {file} release.draft")));
    }
    !g.bins.is_empty()
}

pub fn scan(repo: &Repo) -> Option<Go> {
    let gomod = repo.read("go.mod")?;
    let mut g = Go::default();
    let module = gomod
        .lines()
        .find_map(|l| l.trim().strip_prefix("module "))
        .map(|m| m.trim().trim_matches('"').to_string())
        .unwrap_or_default();
    // The last element of the module path, without a /vN major version.
    let mut parts: Vec<&str> = module.split('/').filter(|s| !s.is_empty()).collect();
    if parts.len() > 1
        && parts
            .last()
            .is_some_and(|l| l.len() > 1 && l.starts_with('v') && l[1..].chars().all(|c| c.is_ascii_digit()))
    {
        parts.pop();
    }
    let last = parts.last().copied().unwrap_or("").to_string();
    if !last.is_empty() {
        g.name = Some((last.clone(), format!("go.mod module {module}")));
    }
    if let Some(r) = module.strip_prefix("github.com/") {
        let mut it = r.split('/');
        if let (Some(o), Some(n)) = (it.next(), it.next()) {
            g.repository = Some((format!("{o}/{n}"), format!("go.mod module {module}")));
        }
    }
    if goreleaser(repo, &mut g, &last) {
        return Some(g);
    }
    for (d, is_dir) in repo.list("cmd") {
        let dir = format!("cmd/{d}");
        if is_dir && main_package(repo, &dir) {
            g.bins.push(Bin {
                name: d.clone(),
                package: format!("./{dir}"),
                targets: None,
                why: format!("{dir}: package main"),
            });
        }
    }
    if g.bins.is_empty() && main_package(repo, ".") && !last.is_empty() {
        g.bins.push(Bin {
            name: last.clone(),
            package: ".".into(),
            targets: None,
            why: "package main at the root of the module".into(),
        });
    }
    Some(g)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_paths() {
        assert_eq!(package_path("cmd/aicr", "."), "./cmd/aicr");
        assert_eq!(package_path(".", "./cmd/x/main.go"), "./cmd/x");
        assert_eq!(package_path(".", "."), ".");
        assert_eq!(package_path(".", "main.go"), ".");
    }
}
