//! The spec's paths against the work tree it sits in: whether a path or a
//! glob (as the build job's bash expands it) names anything, and whether git
//! ignores a path (a build output).

use std::path::Path;
use std::process::{Command, Stdio};

/// One segment of a glob (`*`, `?`, `[...]`, `[!...]`) as a regex over one
/// name of a directory, as bash matches it (`*` and `?` match no `/`; that
/// they match no leading `.` either is left to the caller). `None` for an
/// unclosed `[`.
pub fn segment_glob(seg: &str) -> Option<regex::Regex> {
    let chars: Vec<char> = seg.chars().collect();
    let mut re = String::from("^");
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '*' => re.push_str("[^/]*"),
            '?' => re.push_str("[^/]"),
            '[' => {
                let mut j = i + 1;
                let mut class = String::new();
                if matches!(chars.get(j), Some('!' | '^')) {
                    class.push('^');
                    j += 1;
                }
                // A `]` right after `[` or `[!` is a member, not the end.
                let start = j;
                while j < chars.len() && (chars[j] != ']' || j == start) {
                    if matches!(chars[j], '\\' | '[' | ']' | '&' | '~') {
                        class.push('\\');
                    }
                    class.push(chars[j]);
                    j += 1;
                }
                if j >= chars.len() {
                    return None;
                }
                re.push('[');
                re.push_str(&class);
                re.push(']');
                i = j;
            }
            c => re.push_str(&regex::escape(&c.to_string())),
        }
        i += 1;
    }
    re.push('$');
    regex::Regex::new(&re).ok()
}

/// Whether `pattern` (a path or a glob, relative to `root`) names at least
/// one file, or, with `dir`, one directory.
pub fn names_something(root: &Path, pattern: &str, dir: bool) -> bool {
    let segs: Vec<&str> = pattern.split('/').filter(|s| !s.is_empty() && *s != ".").collect();
    let mut at = vec![root.to_path_buf()];
    for (k, seg) in segs.iter().enumerate() {
        let last = k + 1 == segs.len();
        let mut next = vec![];
        for d in &at {
            if seg.contains(['*', '?', '[']) {
                let Some(re) = segment_glob(seg) else {
                    return false;
                };
                let Ok(entries) = std::fs::read_dir(d) else { continue };
                for e in entries.flatten() {
                    let name = e.file_name().to_string_lossy().into_owned();
                    if (seg.starts_with('.') || !name.starts_with('.')) && re.is_match(&name) {
                        next.push(d.join(name));
                    }
                }
            } else {
                next.push(d.join(seg));
            }
        }
        next.retain(|p| {
            if last {
                if dir { p.is_dir() } else { p.exists() }
            } else {
                p.is_dir()
            }
        });
        at = next;
    }
    !segs.is_empty() && !at.is_empty()
}

/// Whether git ignores `path` (relative to the work tree `root`), as a file
/// or as a directory; `None` when git cannot tell (no git).
pub fn git_ignores(root: &Path, path: &str) -> Option<bool> {
    let path = path.trim_end_matches('/');
    let status = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["check-ignore", "--", path, &format!("{path}/")])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .ok()?;
    match status.code() {
        Some(0) => Some(true),
        Some(1) => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_match_as_bash_globs_do() {
        let m = |g: &str, name: &str| segment_glob(g).unwrap().is_match(name);
        assert!(m("LICENSE*", "LICENSE") && m("LICENSE*", "LICENSE-MIT"));
        assert!(!m("LICENSE*", "COPYING") && !m("LICENSE*", "a/LICENSE"));
        assert!(m("?.md", "a.md") && !m("?.md", "ab.md"));
        assert!(m("[ab].txt", "a.txt") && !m("[ab].txt", "c.txt"));
        assert!(m("[!ab].txt", "c.txt") && !m("[!ab].txt", "a.txt"));
        assert!(m("[]x].txt", "].txt"), "a leading `]` is a member");
        assert!(m("a+b(c).md", "a+b(c).md") && !m("a.md", "aXmd"));
        assert!(segment_glob("[ab.txt").is_none(), "an unclosed class");
    }

    #[test]
    fn patterns_name_files_and_directories_of_the_tree() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("ui/build")).unwrap();
        std::fs::write(root.join("ui/build/index.html"), "").unwrap();
        std::fs::write(root.join("LICENSE-MIT"), "").unwrap();
        std::fs::write(root.join(".hidden.md"), "").unwrap();
        assert!(names_something(root, "LICENSE*", false));
        assert!(names_something(root, "ui/*/index.html", false));
        assert!(names_something(root, "ui/build", true));
        assert!(!names_something(root, "LICENSE-MIT", true), "a file is no directory");
        assert!(!names_something(root, "README*", false));
        assert!(!names_something(root, "*.md", false), "`*` skips dot files");
        assert!(names_something(root, ".*.md", false));
        assert!(!names_something(root, "LICENSE-MIT/x", false));
    }

    #[test]
    fn git_tells_ignored_paths_file_or_directory() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let git = |args: &[&str]| {
            std::process::Command::new("git")
                .arg("-C")
                .arg(root)
                .args(args)
                .output()
                .unwrap()
        };
        if !git(&["init", "-q"]).status.success() {
            return;
        }
        std::fs::write(root.join(".gitignore"), "build/\n/dist\n*.tgz\n").unwrap();
        assert_eq!(git_ignores(root, "ui/build"), Some(true), "a directory pattern");
        assert_eq!(git_ignores(root, "dist"), Some(true));
        assert_eq!(git_ignores(root, "notes-*.tgz"), Some(true));
        assert_eq!(git_ignores(root, "README.md"), Some(false));
        let outside = tempfile::tempdir().unwrap();
        assert_eq!(
            git_ignores(outside.path(), "README.md"),
            None,
            "no repository: git cannot tell"
        );
    }
}
