//! `wfgen tag`: the checks before a release tag is created, and creating and
//! pushing it, through the repository's own `git`.
//!
//! Before: the work tree has no changes to tracked files; HEAD is on a branch
//! the spec releases from (any branch with `--from`, for a backport line) and
//! equal to its upstream (after a fetch of it, when the tag is pushed); the tag
//! exists neither here nor, when pushed, on the remote. Then an annotated tag
//! on HEAD (for `promote`, on the commit of the pre-release it promotes), and
//! with `--push` a push of that one tag, nothing else.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A git work tree.
pub struct Repo {
    pub root: PathBuf,
}

impl Repo {
    pub fn new(root: &Path) -> Repo {
        Repo {
            root: root.to_path_buf(),
        }
    }

    /// Runs git; Ok(stdout, trimmed) on success, Err(its stderr) otherwise.
    pub fn git(&self, args: &[&str]) -> Result<String, String> {
        let out = Command::new("git")
            .arg("-C")
            .arg(&self.root)
            .args(args)
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).trim_end().to_string())
        } else {
            let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
            Err(if err.is_empty() {
                format!("git {} failed", args.join(" "))
            } else {
                err
            })
        }
    }

    /// Every tag of the repository.
    pub fn tags(&self) -> Vec<String> {
        self.git(&["tag", "--list"])
            .map(|s| s.lines().map(str::to_string).collect())
            .unwrap_or_default()
    }

    /// The commit `rev` names.
    pub fn commit(&self, rev: &str) -> Result<String, String> {
        self.git(&["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")])
            .map_err(|_| format!("`{rev}` names no commit"))
    }

    /// The branch the remote's HEAD points at (`main`), if the clone knows it.
    pub fn default_branch(&self, remote: &str) -> Option<String> {
        let r = self
            .git(&["symbolic-ref", "--quiet", &format!("refs/remotes/{remote}/HEAD")])
            .ok()?;
        r.strip_prefix(&format!("refs/remotes/{remote}/")).map(String::from)
    }
}

/// Where HEAD stands, once the checks passed.
#[derive(Debug, Clone)]
pub struct Head {
    pub branch: String,
    pub commit: String,
}

/// The checks before tagging. `branches`: the branches the spec releases
/// from (any, when empty); `fetch`: bring the upstream up to date first.
pub fn preflight(repo: &Repo, branches: &[String], fetch: bool) -> Result<Head, Vec<String>> {
    let mut problems = Vec::new();
    if repo.git(&["rev-parse", "--is-inside-work-tree"]).as_deref() != Ok("true") {
        return Err(vec![format!("{} is not a git work tree", repo.root.display())]);
    }
    match repo.git(&["status", "--porcelain", "--untracked-files=no"]) {
        Ok(s) if s.is_empty() => {}
        Ok(s) => {
            let files: Vec<&str> = s.lines().take(5).map(|l| l.get(3..).unwrap_or(l)).collect();
            problems.push(format!(
                "the work tree has uncommitted changes ({}{}); commit or stash them first",
                files.join(", "),
                if s.lines().count() > 5 { ", ..." } else { "" }
            ));
        }
        Err(e) => problems.push(e),
    }
    let commit = match repo.commit("HEAD") {
        Ok(c) => c,
        Err(_) => return Err(vec!["the repository has no commit yet".into()]),
    };
    let branch = match repo.git(&["symbolic-ref", "--quiet", "--short", "HEAD"]) {
        Ok(b) => b,
        Err(_) => {
            problems.push("HEAD is detached; check out the branch to release from".into());
            return Err(problems);
        }
    };
    if !branches.is_empty() && !branches.iter().any(|b| b == &branch) {
        problems.push(format!(
            "HEAD is on `{branch}`, but releases are cut from {}; check it out (or name a backport's base with --from)",
            branches
                .iter()
                .map(|b| format!("`{b}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        ));
    }
    match repo.git(&["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}"]) {
        Err(_) => problems.push(format!(
            "`{branch}` has no upstream; push it first (git push -u origin {branch})"
        )),
        Ok(upstream) => {
            if fetch
                && let Some((remote, b)) = upstream.split_once('/')
                && let Err(e) = repo.git(&["fetch", "--quiet", remote, b])
            {
                problems.push(format!("cannot fetch {upstream}: {e}"));
            }
            match repo.commit("@{upstream}") {
                Ok(up) if up == commit => {}
                Ok(_) => {
                    let counts = repo
                        .git(&["rev-list", "--left-right", "--count", "HEAD...@{upstream}"])
                        .unwrap_or_default();
                    let (ahead, behind) = counts.split_once('\t').unwrap_or(("?", "?"));
                    problems.push(format!(
                        "`{branch}` is not equal to {upstream} ({ahead} ahead, {behind} behind); pull or push first"
                    ));
                }
                Err(e) => problems.push(e),
            }
        }
    }
    if problems.is_empty() {
        Ok(Head { branch, commit })
    } else {
        Err(problems)
    }
}

/// Creates the annotated tag `tag` on `commit`.
pub fn create(repo: &Repo, tag: &str, commit: &str, message: &str) -> Result<(), String> {
    repo.git(&["tag", "--annotate", "--message", message, "--", tag, commit])
        .map(|_| ())
}

/// Whether `remote` has the tag already.
pub fn remote_has(repo: &Repo, remote: &str, tag: &str) -> Result<bool, String> {
    repo.git(&["ls-remote", "--tags", remote, &format!("refs/tags/{tag}")])
        .map(|s| !s.is_empty())
}

/// Pushes exactly the one tag.
pub fn push(repo: &Repo, remote: &str, tag: &str) -> Result<(), String> {
    repo.git(&["push", "--quiet", remote, &format!("refs/tags/{tag}:refs/tags/{tag}")])
        .map(|_| ())
}
