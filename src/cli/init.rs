//! `wfgen init`: a starter spec from what the repository holds (Cargo.toml,
//! pyproject.toml, go.mod, Dockerfile*, Chart.yaml). The result is validated
//! before it is written; an existing spec is never overwritten without --force.

use std::path::Path;

use regex::Regex;

use super::exit;
use crate::fsio;

/// What init found in the repository.
#[derive(Debug, Default)]
struct Found {
    name: Option<String>,
    repository: Option<String>,
    rust_bins: Vec<String>,
    go_cmds: Vec<String>,
    python: Vec<(String, String, bool)>, // (name, path, maturin)
    dockerfiles: Vec<String>,
    charts: Vec<String>,
    version_files: Vec<String>,
}

fn toml_key(text: &str, section: &str, key: &str) -> Option<String> {
    let mut in_section = false;
    let key_re = Regex::new(&format!(r#"^\s*{}\s*=\s*"([^"]+)""#, regex::escape(key))).ok()?;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            in_section = t == format!("[{section}]");
            continue;
        }
        if in_section && let Some(c) = key_re.captures(line) {
            return Some(c[1].to_string());
        }
    }
    None
}

fn scan(root: &Path) -> Found {
    let mut f = Found::default();
    let read = |rel: &str| std::fs::read_to_string(root.join(rel)).ok();
    if let Some(cargo) = read("Cargo.toml")
        && let Some(n) = toml_key(&cargo, "package", "name")
    {
        f.name.get_or_insert(n.clone());
        f.rust_bins.push(n);
        f.version_files.push("Cargo.toml".into());
    }
    if let Some(gomod) = read("go.mod")
        && let Some(m) = gomod.lines().find_map(|l| l.strip_prefix("module "))
    {
        let last = m.trim().rsplit('/').next().unwrap_or("app").to_string();
        f.name.get_or_insert(last.clone());
        let mut cmds: Vec<String> = std::fs::read_dir(root.join("cmd"))
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        cmds.sort();
        if cmds.is_empty() {
            cmds.push(format!(".:{last}"));
        }
        f.go_cmds = cmds;
    }
    for rel in ["pyproject.toml", "python/pyproject.toml", "py/pyproject.toml"] {
        if let Some(py) = read(rel)
            && let Some(n) = toml_key(&py, "project", "name")
        {
            let dir = rel.trim_end_matches("pyproject.toml").trim_end_matches('/');
            let maturin = py.contains("maturin");
            f.name.get_or_insert(n.clone());
            f.python
                .push((n, if dir.is_empty() { ".".into() } else { dir.into() }, maturin));
        }
    }
    let mut dockerfiles: Vec<String> = std::fs::read_dir(root)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n == "Dockerfile" || n.starts_with("Dockerfile.") || n.ends_with(".Dockerfile"))
        .collect();
    dockerfiles.sort();
    f.dockerfiles = dockerfiles;
    let mut charts: Vec<String> = walkdir::WalkDir::new(root)
        .max_depth(4)
        .into_iter()
        .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.') || e.depth() == 0)
        .flatten()
        .filter(|e| e.file_name() == "Chart.yaml")
        .filter_map(|e| {
            let dir = e
                .path()
                .parent()?
                .strip_prefix(root)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            (!dir.is_empty()).then_some(dir)
        })
        .collect();
    charts.sort();
    f.charts = charts;
    f.repository = git_repository(root);
    f
}

/// `owner/name` of the `origin` remote on GitHub, if any.
fn git_repository(root: &Path) -> Option<String> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["remote", "get-url", "origin"])
        .output()
        .ok()?;
    let url = String::from_utf8(out.stdout).ok()?;
    let re = Regex::new(r"github\.com[:/]([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(\.git)?$").ok()?;
    let c = re.captures(url.trim())?;
    Some(format!("{}/{}", &c[1], &c[2]))
}

fn slug(s: &str) -> String {
    s.to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

fn render(f: &Found) -> String {
    let name = f.name.clone().unwrap_or_else(|| "my-project".into());
    let mut s = String::from(
        "# wfgen release spec: `wfgen generate` writes .github/workflows from it,\n# `wfgen check` keeps them true. Every key: `wfgen schema`.\nwfgen: 1\nproject:\n",
    );
    s.push_str(&format!("  name: {}\n", slug(&name)));
    if let Some(r) = &f.repository {
        s.push_str(&format!("  repository: {r}\n"));
    }
    s.push_str("versioning:\n  scheme: semver\n  tag-prefix: v\n  prereleases: [rc, alpha, beta]\n");
    if !f.version_files.is_empty() {
        s.push_str(&format!("  version-files: [{}]\n", f.version_files.join(", ")));
    }
    s.push_str("gates:\n  - { name: test, run: make test }   # replace with your test command\n");
    if !f.rust_bins.is_empty() || !f.go_cmds.is_empty() {
        s.push_str("binaries:\n");
        for b in &f.rust_bins {
            s.push_str(&format!(
                "  - name: {b}\n    kind: rust\n    targets: [x86_64-unknown-linux-gnu, aarch64-unknown-linux-gnu, aarch64-apple-darwin, x86_64-pc-windows-msvc]\n"
            ));
        }
        for c in &f.go_cmds {
            let (pkg, bin) = match c.split_once(':') {
                Some((p, b)) => (p.to_string(), b.to_string()),
                None => (format!("./cmd/{c}"), c.clone()),
            };
            s.push_str(&format!(
                "  - name: {}\n    kind: go\n    package: {pkg}\n    targets: [linux/amd64, linux/arm64, darwin/amd64, darwin/arm64]\n",
                slug(&bin)
            ));
        }
    }
    if !f.python.is_empty() {
        s.push_str("python:\n");
        for (n, path, maturin) in &f.python {
            s.push_str(&format!(
                "  - name: {n}\n    path: {path}\n    build: {}\n",
                if *maturin { "maturin" } else { "pure" }
            ));
        }
    }
    let owner = f
        .repository
        .as_deref()
        .and_then(|r| r.split('/').next())
        .unwrap_or("OWNER")
        .to_ascii_lowercase();
    if !f.dockerfiles.is_empty() {
        s.push_str("docker:\n");
        for (i, df) in f.dockerfiles.iter().enumerate() {
            let suffix = if i == 0 {
                String::new()
            } else {
                format!(
                    "-{}",
                    slug(df.trim_start_matches("Dockerfile.").trim_end_matches(".Dockerfile"))
                )
            };
            s.push_str(&format!(
                "  - image: ghcr.io/{owner}/{}{suffix}\n    dockerfile: {df}\n    platforms: [linux/amd64, linux/arm64]\n    tags: [\"{{version}}\", \"{{major}}.{{minor}}\", latest]\n",
                slug(&name)
            ));
        }
    }
    if !f.charts.is_empty() {
        s.push_str("helm:\n");
        for c in &f.charts {
            s.push_str(&format!("  - chart: {c}\n    registry: oci://ghcr.io/{owner}/charts\n"));
        }
    }
    s.push_str("release:\n  github-release: stable\n  checksums: true\n  provenance: true\n");
    s
}

pub fn run(dir: &Path, spec_path: Option<&Path>, force: bool, stdout: bool) -> i32 {
    let target = spec_path
        .map(Path::to_path_buf)
        .unwrap_or_else(|| dir.join("wfgen.yaml"));
    let (root, name) = crate::spec::load::root_of(&target);
    let text = render(&scan(&root));
    if let Err(p) = crate::spec::parse(&name, &text) {
        eprintln!("error: the starter spec wfgen init made is invalid (a bug in wfgen):\n{p}");
        return exit::FATAL;
    }
    if stdout {
        print!("{text}");
        return exit::OK;
    }
    if target.exists() && !force {
        eprintln!(
            "error: {} exists; wfgen init does not overwrite it (pass --force, or --stdout to print the starter spec)",
            target.display()
        );
        return exit::FATAL;
    }
    if let Err(e) = fsio::write_atomic(&root, &target, &text) {
        eprintln!("error: {e}");
        return exit::FATAL;
    }
    println!("wrote {name}: review it, then run `wfgen generate`");
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
        std::fs::write(
            r.join("pyproject.toml"),
            "[build-system]\nrequires = [\"maturin>=1\"]\n[project]\nname = \"demo\"\n",
        )
        .unwrap();
        std::fs::write(r.join("Dockerfile"), "FROM scratch\n").unwrap();
        std::fs::create_dir_all(r.join("deploy/chart")).unwrap();
        std::fs::write(r.join("deploy/chart/Chart.yaml"), "name: demo\n").unwrap();
        let text = render(&scan(r));
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
        let text = render(&scan(d.path()));
        crate::spec::parse("wfgen.yaml", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    }
}
