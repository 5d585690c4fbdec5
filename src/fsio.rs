//! Safe file access for the workflow directory: atomic writes (temp file +
//! rename), no following symlinks out of the repository, and the listing of
//! workflow files on disk.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::render::WORKFLOW_DIR;

/// A workflow file found on disk.
#[derive(Debug, Clone)]
pub struct OnDisk {
    /// Path relative to the repository root, `/`-separated.
    pub path: String,
    /// The file's text, or the reason it could not be read.
    pub text: Result<String, String>,
    pub is_symlink: bool,
}

/// Every `*.yml` / `*.yaml` file directly in .github/workflows, sorted.
pub fn workflow_files(root: &Path) -> Result<Vec<OnDisk>, String> {
    let dir = root.join(WORKFLOW_DIR);
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&dir)
        .min_depth(1)
        .max_depth(1)
        .sort_by_file_name()
    {
        let entry = entry.map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !(name.ends_with(".yml") || name.ends_with(".yaml")) {
            continue;
        }
        let is_symlink = entry.path_is_symlink();
        let path = entry.path().to_path_buf();
        let text = if entry.file_type().is_dir() {
            continue;
        } else {
            read_inside(root, &path)
        };
        out.push(OnDisk {
            path: format!("{WORKFLOW_DIR}/{name}"),
            text,
            is_symlink,
        });
    }
    Ok(out)
}

/// Reads a file, refusing one whose real path is outside `root`.
pub fn read_inside(root: &Path, path: &Path) -> Result<String, String> {
    check_inside(root, path)?;
    // Never open a FIFO or a device: reading one can block forever.
    let bytes = crate::limits::read_regular(path)?;
    crate::limits::utf8(bytes).map_err(|(lossy, at)| {
        let (l, c) = crate::ypath::line_col(&lossy, at);
        format!("{} is not UTF-8 text (line {l}, column {c})", path.display())
    })
}

/// Errs when the real path of `path` (following symlinks) leaves `root`.
pub fn check_inside(root: &Path, path: &Path) -> Result<(), String> {
    let real_root = root
        .canonicalize()
        .map_err(|e| format!("cannot resolve {}: {e}", root.display()))?;
    // A path that does not exist yet (a new file, a directory to create):
    // its nearest existing ancestor decides where it would land.
    let mut probe = path;
    let real = loop {
        match probe.canonicalize() {
            Ok(p) => break p,
            Err(_) => match probe.parent() {
                Some(p) if !p.as_os_str().is_empty() => probe = p,
                _ => return Ok(()),
            },
        }
    };
    if real.starts_with(&real_root) {
        Ok(())
    } else {
        Err(format!(
            "{} leads outside the repository (to {}); wfgen does not follow it",
            path.display(),
            real.display()
        ))
    }
}

/// Writes `text` to `path` atomically: a temp file in the same directory,
/// flushed and synced, then renamed over `path`. A symlink at `path` is
/// replaced, never written through.
pub fn write_atomic(root: &Path, path: &Path, text: &str) -> Result<(), String> {
    let dir = path
        .parent()
        .ok_or_else(|| format!("{} has no directory", path.display()))?;
    // Check before creating directories: a symlinked `.github` that leads
    // out of the repository must not get a `workflows` directory made in it.
    check_inside(root, dir)?;
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    check_inside(root, dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".wfgen-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| format!("cannot create a temp file in {}: {e}", dir.display()))?;
    tmp.write_all(text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| format!("cannot sync {}: {e}", path.display()))?;
    tmp.persist(path)
        .map_err(|e| format!("cannot replace {}: {}", path.display(), e.error))?;
    Ok(())
}

/// Removes a file (not following a symlink).
pub fn remove(path: &Path) -> Result<(), String> {
    std::fs::remove_file(path).map_err(|e| format!("cannot remove {}: {e}", path.display()))
}

/// `root` joined with a `/`-separated relative path.
pub fn join(root: &Path, rel: &str) -> PathBuf {
    rel.split('/').fold(root.to_path_buf(), |p, c| p.join(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn no_directory_is_created_through_a_symlink_out_of_the_root() {
        let root = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), root.path().join(".github")).unwrap();
        let target = join(root.path(), ".github/workflows/release.yml");
        let err = write_atomic(root.path(), &target, "x").unwrap_err();
        assert!(err.contains("outside"), "{err}");
        assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
    }

    #[test]
    fn new_paths_inside_the_root_are_fine() {
        let root = tempfile::tempdir().unwrap();
        let target = join(root.path(), ".github/workflows/release.yml");
        check_inside(root.path(), &target).unwrap();
        write_atomic(root.path(), &target, "x\n").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "x\n");
    }
}
