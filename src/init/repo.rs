//! What init reads of the repository: one bounded walk for the files it
//! looks at, size-capped text reads that never fail loudly, and git.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Directory names the walk does not enter: dependencies, build output,
/// virtualenvs, and test, example and documentation trees (their manifests
/// are fixtures, not things the project releases).
const SKIP_DIRS: &[&str] = &[
    "node_modules",
    "target",
    "vendor",
    "venv",
    "__pycache__",
    "site-packages",
    "dist",
    "build",
    "_build",
    "tests",
    "test",
    "testdata",
    "test-data",
    "test_data",
    "fixtures",
    "examples",
    "example",
    "samples",
    "benchmarks",
    "benchmark",
    "benches",
    "docs",
    "doc",
    "third_party",
    "third-party",
    "external",
];
const MAX_DEPTH: usize = 6;
const MAX_ENTRIES: usize = 50_000;
const MAX_FILE_BYTES: u64 = 1 << 20;

/// The repository as init sees it.
pub struct Repo {
    pub root: PathBuf,
    /// Files of interest (manifests, Dockerfiles, charts), `/`-separated
    /// paths from the root, sorted.
    pub files: Vec<String>,
    /// The walk stopped early (a very large tree).
    pub truncated: bool,
}

/// Whether a file name is a Dockerfile: `Dockerfile`, `Containerfile`,
/// `Dockerfile.<x>`, `<x>.Dockerfile` (not templates or ignore files).
pub fn is_dockerfile(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let df = lower == "dockerfile"
        || lower == "containerfile"
        || lower.starts_with("dockerfile.")
        || lower.ends_with(".dockerfile");
    let not = [
        ".dockerignore",
        ".j2",
        ".jinja",
        ".jinja2",
        ".tmpl",
        ".tpl",
        ".template",
        ".in",
        ".orig",
        ".bak",
        ".md",
        ".txt",
        ".swp",
    ];
    df && !not.iter().any(|s| lower.ends_with(s))
}

fn interesting(name: &str) -> bool {
    matches!(name, "Cargo.toml" | "pyproject.toml" | "Chart.yaml" | "go.mod") || is_dockerfile(name)
}

impl Repo {
    pub fn scan(root: &Path) -> Repo {
        let mut files = Vec::new();
        let mut truncated = false;
        let walk = walkdir::WalkDir::new(root)
            .max_depth(MAX_DEPTH)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                if e.depth() == 0 || !e.file_type().is_dir() {
                    return true;
                }
                let name = e.file_name().to_string_lossy();
                !(name.starts_with('.') || SKIP_DIRS.contains(&name.as_ref()) || e.path().join("pyvenv.cfg").exists())
            });
        for (n, entry) in walk.enumerate() {
            if n >= MAX_ENTRIES {
                truncated = true;
                break;
            }
            let Ok(e) = entry else { continue };
            if !e.file_type().is_file() || !interesting(&e.file_name().to_string_lossy()) {
                continue;
            }
            if let Ok(rel) = e.path().strip_prefix(root) {
                files.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
        files.sort();
        Repo {
            root: root.to_path_buf(),
            files,
            truncated,
        }
    }

    /// The text of a file (a `/` path from the root): `None` when it is
    /// missing, not a regular file, over 1 MiB, not UTF-8, or a symlink out
    /// of the repository.
    pub fn read(&self, rel: &str) -> Option<String> {
        let p = self.root.join(rel);
        let meta = std::fs::symlink_metadata(&p).ok()?;
        if meta.file_type().is_symlink() {
            let real = std::fs::canonicalize(&p).ok()?;
            let root = std::fs::canonicalize(&self.root).ok()?;
            if !real.starts_with(root) {
                return None;
            }
        }
        let meta = std::fs::metadata(&p).ok()?;
        if !meta.is_file() || meta.len() > MAX_FILE_BYTES {
            return None;
        }
        String::from_utf8(std::fs::read(&p).ok()?).ok()
    }

    pub fn is_file(&self, rel: &str) -> bool {
        self.root.join(rel).is_file()
    }

    /// Names of the entries of a directory, sorted (empty when unreadable).
    pub fn list(&self, rel: &str) -> Vec<(String, bool)> {
        let dir = if rel.is_empty() || rel == "." {
            self.root.clone()
        } else {
            self.root.join(rel)
        };
        let mut out: Vec<(String, bool)> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .take(MAX_ENTRIES)
            .map(|e| {
                let is_dir = e.file_type().map(|t| t.is_dir()).unwrap_or(false);
                (e.file_name().to_string_lossy().into_owned(), is_dir)
            })
            .collect();
        out.sort();
        out
    }

    /// Runs git in the repository; its stdout when it succeeds.
    pub fn git(&self, args: &[&str]) -> Option<String> {
        let out = Command::new("git")
            .arg("-C")
            .arg(&self.root)
            .args(args)
            .env("GIT_TERMINAL_PROMPT", "0")
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

/// `parent/child` joined as a `/` path from the root (`.` is the root).
pub fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() || dir == "." {
        name.to_string()
    } else {
        format!("{}/{name}", dir.trim_end_matches('/'))
    }
}

/// The directory of a `/` path (`.` for a file at the root).
pub fn dir_of(rel: &str) -> String {
    match rel.rsplit_once('/') {
        Some((d, _)) => d.to_string(),
        None => ".".to_string(),
    }
}

/// `owner/name` of a GitHub URL (https, ssh or scp-like), if it is one.
pub fn github_repo(url: &str) -> Option<String> {
    let re = regex::Regex::new(r"github\.com[:/]+([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\.git)?/?$").ok()?;
    let c = re.captures(url.trim())?;
    Some(format!("{}/{}", &c[1], &c[2]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerfile_names() {
        for n in [
            "Dockerfile",
            "Containerfile",
            "Dockerfile.alpine",
            "agent.Dockerfile",
            "dockerfile",
        ] {
            assert!(is_dockerfile(n), "{n}");
        }
        for n in [
            "Dockerfile.dockerignore",
            "Dockerfile.j2",
            "Dockerfile.template",
            "Dockerfiles",
            "README.md",
        ] {
            assert!(!is_dockerfile(n), "{n}");
        }
    }

    #[test]
    fn github_urls() {
        for u in [
            "https://github.com/demml/opsml",
            "https://github.com/demml/opsml.git",
            "git@github.com:demml/opsml.git",
            "ssh://git@github.com/demml/opsml.git\n",
            "https://github.com/demml/opsml/",
        ] {
            assert_eq!(github_repo(u).as_deref(), Some("demml/opsml"), "{u}");
        }
        assert_eq!(github_repo("https://gitlab.com/a/b"), None);
    }
}
