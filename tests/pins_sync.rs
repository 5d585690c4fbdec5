//! `wfgen pins sync` never changes what it does not own: the real binary in a
//! scratch repository, a Dependabot-style bump of the generated workflows,
//! then sync; what the user sees (the spec's bytes, the exit code, stderr)
//! and that `check` is clean afterwards, or that sync refused with exit 3
//! and wrote nothing.

use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;

/// The body of a spec (no `wfgen:`/`pins:`), block style.
const BODY: &str = "\
project:
  name: demo
  repository: acme/demo
binaries:
  - name: demo
    kind: rust
    package: demo
    targets: [x86_64-unknown-linux-gnu]
";

const NEW_SHA: &str = "abcdefabcdefabcdefabcdefabcdefabcdefabcd";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    /// A repository with `spec` at `wfgen.yaml` (bytes as given), generated.
    fn new(spec: &str) -> Repo {
        let repo = Repo::empty();
        std::fs::write(repo.path("wfgen.yaml"), spec).unwrap();
        repo.generate();
        repo
    }

    fn empty() -> Repo {
        Repo {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn generate(&self) {
        let r = self.wfgen(&["generate"]);
        assert_eq!(r.code, 0, "generate failed: {}", r.stderr);
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn bytes(&self, rel: &str) -> Vec<u8> {
        std::fs::read(self.path(rel)).unwrap()
    }

    fn wfgen(&self, args: &[&str]) -> Run {
        let mut cmd = cargo_bin_cmd!("wfgen");
        cmd.current_dir(self.dir.path()).args(args);
        for k in [
            "NO_COLOR",
            "CI",
            "CLICOLOR",
            "CLICOLOR_FORCE",
            "FORCE_COLOR",
            "TERM",
            "COLUMNS",
        ] {
            cmd.env_remove(k);
        }
        let out = cmd.output().expect("wfgen runs");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        }
    }

    /// Every workflow file on disk.
    fn workflows(&self) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(self.path(".github/workflows"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        v.sort();
        v
    }

    /// Bumps `action` in every workflow to NEW_SHA / v99.0.0, as Dependabot
    /// would. Panics when no workflow uses it.
    fn bump(&self, action: &str) {
        let re = regex::Regex::new(&format!(r"{}@[0-9a-f]{{40}} # \S+", regex::escape(action))).unwrap();
        let mut n = 0;
        for f in self.workflows() {
            let t = std::fs::read_to_string(&f).unwrap();
            n += re.find_iter(&t).count();
            let t = re.replace_all(&t, format!("{action}@{NEW_SHA} # v99.0.0").as_str());
            std::fs::write(&f, t.as_bytes()).unwrap();
        }
        assert!(n > 0, "no workflow uses {action}");
    }

    /// `pins sync` succeeds, and `check` is clean afterwards.
    fn sync_ok(&self) {
        let r = self.wfgen(&["pins", "sync"]);
        assert_eq!(r.code, 0, "sync failed:\n{}{}", r.stdout, r.stderr);
        let r = self.wfgen(&["check", "--format", "oneline"]);
        assert_eq!(r.code, 0, "check after sync:\n{}{}", r.stdout, r.stderr);
    }

    /// `pins sync` refuses with exit 3, a message and a help, writing nothing.
    fn sync_refused(&self, why: &str) -> Run {
        let spec = self.bytes("wfgen.yaml");
        let files: Vec<Vec<u8>> = self.workflows().iter().map(|f| std::fs::read(f).unwrap()).collect();
        let r = self.wfgen(&["pins", "sync"]);
        assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains("nothing was written"), "{}", r.stderr);
        assert!(r.stderr.contains("help:"), "{}", r.stderr);
        assert!(r.stderr.contains(why), "{}", r.stderr);
        assert_eq!(self.bytes("wfgen.yaml"), spec, "the spec was changed");
        let after: Vec<Vec<u8>> = self.workflows().iter().map(|f| std::fs::read(f).unwrap()).collect();
        assert_eq!(after, files, "a workflow was changed");
        r
    }
}

fn pin_line(action: &str) -> String {
    format!("{action}: {{ version: v99.0.0, sha: {NEW_SHA} }}")
}

const BLOCK: &str = "# Action pins adopted by `wfgen pins sync`.\npins:\n";

#[test]
fn a_block_scalar_at_the_end_without_a_final_newline_keeps_its_value() {
    for ind in ["|", "|+", ">"] {
        let spec = format!("wfgen: 1\n{BODY}gates:\n  - name: build\n    run: {ind}\n      make build");
        let repo = Repo::new(&spec);
        repo.bump("actions/checkout");
        repo.sync_ok();
        let after = String::from_utf8(repo.bytes("wfgen.yaml")).unwrap();
        assert_eq!(
            after,
            format!("{BLOCK}  {}\n{spec}", pin_line("actions/checkout")),
            "{ind}"
        );
    }
}

#[test]
fn an_anchored_pin_value_used_elsewhere_is_refused() {
    let spec = format!(
        "wfgen: 1\n{BODY}pins:\n  actions/checkout:\n    version: &v v7.0.1\n    sha: 3d3c42e5aac5ba805825da76410c181273ba90b1\ngates:\n  - name: v\n    run: *v\n"
    );
    let repo = Repo::new(&spec);
    repo.bump("actions/checkout");
    repo.sync_refused("the edit would also change `gates`");
}

#[test]
fn an_aliased_pin_takes_its_own_pin_and_leaves_the_anchored_one() {
    let old = "3d3c42e5aac5ba805825da76410c181273ba90b1";
    let spec = format!(
        "wfgen: 1\n{BODY}pins:\n  actions/upload-artifact: &up {{ version: v4.0.0, sha: {old} }}\n  actions/checkout: *up\n"
    );
    let repo = Repo::new(&spec);
    repo.bump("actions/checkout");
    repo.sync_ok();
    let after = String::from_utf8(repo.bytes("wfgen.yaml")).unwrap();
    assert_eq!(
        after,
        spec.replace("*up", &format!("{{ version: v99.0.0, sha: {NEW_SHA} }}"))
    );
}

#[test]
fn valid_spec_shapes_are_synced() {
    let flow = "{wfgen: 1, project: {name: demo, repository: acme/demo}, binaries: [{name: demo, kind: rust, package: demo, targets: [x86_64-unknown-linux-gnu]}]}\n";
    let markers = format!("---\nwfgen: 1\n{BODY}...\n");
    let tagged = format!(
        "wfgen: 1\n{BODY}pins: !!map\n  a/b: {{ version: v1, sha: 3d3c42e5aac5ba805825da76410c181273ba90b1 }}\n"
    );
    let flow_pins = format!(
        "wfgen: 1\n{BODY}pins: {{\n  a/b: {{ version: v1, sha: 3d3c42e5aac5ba805825da76410c181273ba90b1 }}, # the }} of a comment\n}}\n"
    );
    let line = pin_line("actions/checkout");
    let cases = [
        (
            flow.to_string(),
            flow.replace("]}]}", &format!("]}}], pins: {{ {line} }}}}")),
        ),
        (
            markers.clone(),
            markers.replace("...\n", &format!("{BLOCK}  {line}\n...\n")),
        ),
        (tagged.clone(), format!("{tagged}  {line}\n")),
        (
            flow_pins.clone(),
            flow_pins.replace("}, # the", &format!("}}, {line}, # the")),
        ),
    ];
    for (spec, want) in cases {
        let repo = Repo::new(&spec);
        repo.bump("actions/checkout");
        repo.sync_ok();
        assert_eq!(String::from_utf8(repo.bytes("wfgen.yaml")).unwrap(), want);
    }
}

#[test]
fn a_bom_and_crlf_lines_are_kept() {
    let crlf = format!("wfgen: 1\n{BODY}").replace('\n', "\r\n");
    let spec = format!("\u{feff}{crlf}");
    let repo = Repo::new(&spec);
    repo.bump("actions/checkout");
    repo.sync_ok();
    let want = format!(
        "{spec}{}  {}\r\n",
        BLOCK.replace('\n', "\r\n"),
        pin_line("actions/checkout")
    );
    assert_eq!(String::from_utf8(repo.bytes("wfgen.yaml")).unwrap(), want);
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o7777
}

#[cfg(unix)]
#[test]
fn modes_are_kept_by_sync_and_generate() {
    use std::os::unix::fs::PermissionsExt;
    let repo = Repo::new(&format!("wfgen: 1\n{BODY}"));
    let spec = repo.path("wfgen.yaml");
    std::fs::set_permissions(&spec, std::fs::Permissions::from_mode(0o644)).unwrap();
    let wf = repo.workflows()[0].clone();
    std::fs::set_permissions(&wf, std::fs::Permissions::from_mode(0o640)).unwrap();
    repo.bump("actions/checkout");
    repo.sync_ok();
    assert_eq!(mode(&spec), 0o644);
    assert_eq!(mode(&wf), 0o640, "{}", wf.display());
    // generate keeps a replaced file's mode too; a new file follows the umask.
    std::fs::write(&wf, "# hand edit\n").unwrap();
    let r = repo.wfgen(&["generate", "--force"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(mode(&wf), 0o640);
    std::fs::remove_file(&wf).unwrap();
    repo.generate();
    let umask = wfgen::fsio::umask();
    assert_eq!(mode(&wf), 0o666 & !umask);
}

#[cfg(unix)]
#[test]
fn a_symlinked_spec_is_written_through_inside_the_repository_only() {
    let repo = Repo::empty();
    std::fs::create_dir(repo.path("conf")).unwrap();
    let text = format!("wfgen: 1\n{BODY}");
    std::fs::write(repo.path("conf/wfgen.yaml"), &text).unwrap();
    std::os::unix::fs::symlink("conf/wfgen.yaml", repo.path("wfgen.yaml")).unwrap();
    repo.generate();
    repo.bump("actions/checkout");
    repo.sync_ok();
    assert!(
        std::fs::symlink_metadata(repo.path("wfgen.yaml"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let real = std::fs::read_to_string(repo.path("conf/wfgen.yaml")).unwrap();
    assert_eq!(real, format!("{text}{BLOCK}  {}\n", pin_line("actions/checkout")));

    // A link out of the repository: refused, the outside file untouched.
    let outside = tempfile::tempdir().unwrap();
    let far = outside.path().join("wfgen.yaml");
    std::fs::write(&far, &text).unwrap();
    let repo = Repo::empty();
    std::os::unix::fs::symlink(&far, repo.path("wfgen.yaml")).unwrap();
    repo.generate();
    repo.bump("actions/checkout");
    let r = repo.sync_refused_io();
    assert!(r.stderr.contains("outside the repository"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&far).unwrap(), text);
    assert!(
        std::fs::symlink_metadata(repo.path("wfgen.yaml"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

impl Repo {
    fn sync_refused_io(&self) -> Run {
        let r = self.wfgen(&["pins", "sync"]);
        assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
        r
    }
}
