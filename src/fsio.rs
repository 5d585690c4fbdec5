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
/// replaced, never written through. A replaced file keeps its permission
/// bits; a new file gets `0o666` masked by the process umask, as `open(2)`
/// would give it.
pub fn write_atomic(root: &Path, path: &Path, text: &str) -> Result<(), String> {
    write_atomic_bytes(root, path, text.as_bytes())
}

/// [`write_atomic`] for bytes.
pub fn write_atomic_bytes(root: &Path, path: &Path, bytes: &[u8]) -> Result<(), String> {
    let dir = path
        .parent()
        .ok_or_else(|| format!("{} has no directory", path.display()))?;
    // Check before creating directories: a symlinked `.github` that leads
    // out of the repository must not get a `workflows` directory made in it.
    check_inside(root, dir)?;
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    check_inside(root, dir)?;
    // The mode of the file being replaced (not of a symlink's target: the
    // link itself is replaced), else what a new file would get.
    let old = std::fs::symlink_metadata(path)
        .ok()
        .filter(|m| m.file_type().is_file())
        .map(|m| m.permissions());
    let mut tmp = tempfile::Builder::new()
        .prefix(".wfgen-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| format!("cannot create a temp file in {}: {e}", dir.display()))?;
    tmp.write_all(bytes)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let perms = match old {
        Some(p) => p,
        None => new_file_permissions(tmp.as_file())?,
    };
    tmp.as_file()
        .set_permissions(perms)
        .map_err(|e| format!("cannot set the mode of {}: {e}", path.display()))?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| format!("cannot sync {}: {e}", path.display()))?;
    tmp.persist(path)
        .map_err(|e| format!("cannot replace {}: {}", path.display(), e.error))?;
    Ok(())
}

/// Writes `bytes` to the file `path` names, atomically, following a symlink
/// at `path` when its target stays inside `root` (the target is replaced,
/// the link stays a link). A link that leads out of the repository is
/// refused and nothing is written.
pub fn write_through(root: &Path, path: &Path, bytes: &[u8]) -> Result<(), String> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return write_atomic_bytes(root, path, bytes);
    }
    let target = path
        .canonicalize()
        .map_err(|e| format!("cannot resolve the symlink {}: {e}", path.display()))?;
    check_inside(root, &target)?;
    write_atomic_bytes(root, &target, bytes)
}

/// The permissions of a new file: `0o666` masked by the umask (unix).
#[cfg(unix)]
fn new_file_permissions(_file: &std::fs::File) -> Result<std::fs::Permissions, String> {
    use std::os::unix::fs::PermissionsExt;
    Ok(std::fs::Permissions::from_mode(0o666 & !umask()))
}

#[cfg(not(unix))]
fn new_file_permissions(file: &std::fs::File) -> Result<std::fs::Permissions, String> {
    file.metadata()
        .map(|m| m.permissions())
        .map_err(|e| format!("cannot read a temp file's mode: {e}"))
}

/// The process umask, read without changing it: the `Umask:` line of
/// /proc/self/status (Linux 4.7+); elsewhere the common default `0o022`.
/// (`umask(2)` can only be read by setting it, which races with other
/// threads creating files, and needs unsafe code or another crate.)
#[cfg(unix)]
pub fn umask() -> u32 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| parse_umask(&s))
        .unwrap_or(0o022)
}

#[cfg(unix)]
fn parse_umask(status: &str) -> Option<u32> {
    let line = status.lines().find_map(|l| l.strip_prefix("Umask:"))?;
    u32::from_str_radix(line.trim(), 8).ok().filter(|m| *m <= 0o777)
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

    #[cfg(unix)]
    fn mode(p: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).unwrap().permissions().mode() & 0o7777
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_mode_and_a_new_one_follows_the_umask() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let spec = root.path().join("wfgen.yaml");
        for m in [0o644, 0o640, 0o755, 0o600] {
            std::fs::write(&spec, "old\n").unwrap();
            std::fs::set_permissions(&spec, std::fs::Permissions::from_mode(m)).unwrap();
            write_atomic(root.path(), &spec, "new\n").unwrap();
            assert_eq!(std::fs::read_to_string(&spec).unwrap(), "new\n");
            assert_eq!(mode(&spec), m, "mode {m:o} not kept");
        }
        let fresh = root.path().join("fresh.yml");
        write_atomic(root.path(), &fresh, "x\n").unwrap();
        assert_eq!(mode(&fresh), 0o666 & !umask());
    }

    #[cfg(unix)]
    #[test]
    fn the_umask_is_read_from_proc_status() {
        assert_eq!(parse_umask("Name:\tx\nUmask:\t0027\nState:\tR\n"), Some(0o027));
        assert_eq!(parse_umask("Name:\tx\n"), None);
        assert_eq!(parse_umask("Umask:\tzz\n"), None);
    }

    #[cfg(unix)]
    #[test]
    fn write_through_follows_a_link_inside_the_root_and_refuses_one_out() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("conf")).unwrap();
        let real = root.path().join("conf/wfgen.yaml");
        std::fs::write(&real, "old\n").unwrap();
        let link = root.path().join("wfgen.yaml");
        std::os::unix::fs::symlink("conf/wfgen.yaml", &link).unwrap();
        write_through(root.path(), &link, b"new\n").unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new\n");

        let outside = tempfile::tempdir().unwrap();
        let far = outside.path().join("wfgen.yaml");
        std::fs::write(&far, "old\n").unwrap();
        let link2 = root.path().join("other.yaml");
        std::os::unix::fs::symlink(&far, &link2).unwrap();
        let err = write_through(root.path(), &link2, b"new\n").unwrap_err();
        assert!(err.contains("outside the repository"), "{err}");
        assert_eq!(std::fs::read_to_string(&far).unwrap(), "old\n");
        assert!(std::fs::symlink_metadata(&link2).unwrap().file_type().is_symlink());
    }
}
