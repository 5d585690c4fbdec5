//! Helpers shared by the integration tests: fixtures, scratch repositories,
//! the wfgen binary with a scrubbed environment, and the judges.
#![allow(dead_code)]

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root (where Cargo.toml is).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Names of the fixtures: every `fixtures/<name>/wfgen.yaml`, sorted.
pub fn fixtures() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo_root().join("fixtures"))
        .expect("fixtures/ is readable")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("wfgen.yaml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Path of a fixture's spec.
/// The files of a fixture besides its spec (`/`-separated paths, text),
/// sorted: the repository's own files that the spec refers to.
pub fn fixture_files(name: &str) -> Vec<(String, String)> {
    let dir = fixture_spec(name).parent().unwrap().to_path_buf();
    let mut out: Vec<(String, String)> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .map(|e| e.expect("fixture dir entry"))
        .filter(|e| e.file_type().is_file() && e.file_name() != "wfgen.yaml")
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(&dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect();
    out.sort();
    out
}

pub fn fixture_spec(name: &str) -> PathBuf {
    repo_root().join("fixtures").join(name).join("wfgen.yaml")
}

/// Path of the wfgen binary cargo built for the tests.
pub fn wfgen_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_wfgen"))
}

/// Environment variables a test must not inherit: CI detection and GitHub
/// Actions context change output formats of wfgen and of the judges.
pub fn scrubbed_vars() -> Vec<String> {
    let mut vars: Vec<String> = std::env::vars_os()
        .filter_map(|(k, _)| k.into_string().ok())
        .filter(|k| k.starts_with("GITHUB_") || k.starts_with("RUNNER_"))
        .collect();
    vars.extend(["CI", "CLICOLOR_FORCE", "FORCE_COLOR", "TERM"].map(String::from));
    // Set when the tests run inside a git hook; they would redirect git.
    vars.extend(["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY"].map(String::from));
    vars
}

/// The wfgen binary, with NO_COLOR=1 and CI/GitHub variables removed.
pub fn wfgen() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("wfgen").expect("the wfgen binary is built");
    for k in scrubbed_vars() {
        cmd.env_remove(k);
    }
    cmd.env("NO_COLOR", "1");
    cmd
}

/// A scratch directory that is a git repository (`git init`).
pub struct TempRepo {
    pub dir: tempfile::TempDir,
}

impl TempRepo {
    pub fn new() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("wfgen-test-")
            .tempdir()
            .expect("temp dir");
        let repo = TempRepo { dir };
        repo.git(&["init", "-q"]);
        repo.git(&["config", "user.email", "wfgen-tests@example.invalid"]);
        repo.git(&["config", "user.name", "wfgen tests"]);
        repo.git(&["config", "commit.gpgsign", "false"]);
        repo
    }

    /// A repository holding a copy of a fixture's spec at `wfgen.yaml`.
    pub fn with_fixture(name: &str) -> Self {
        let repo = Self::new();
        repo.write("wfgen.yaml", &std::fs::read_to_string(fixture_spec(name)).unwrap());
        repo
    }

    /// [`Self::with_fixture`] with the fixture's own files too (its workflows
    /// that wfgen does not write, such as a reusable workflow its `jobs:`
    /// call): the repository the judges see.
    /// A spec that takes its release notes from a changelog finds one (wfgen
    /// refuses a spec whose changelog is not in the repository).
    pub fn with_fixture_repo(name: &str) -> Self {
        let repo = Self::with_fixture(name);
        for (rel, text) in fixture_files(name) {
            repo.write(&rel, &text);
        }
        let spec: yaml_serde::Value = yaml_serde::from_str(&repo.read("wfgen.yaml")).unwrap();
        if let Some(path) = spec["release"]["notes"]
            .as_str()
            .and_then(|n| n.strip_prefix("changelog:"))
        {
            repo.write(path, "# Changelog\n\n## [Unreleased]\n");
        }
        repo
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn join(&self, rel: &str) -> PathBuf {
        self.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.join(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
    }

    /// Runs git in the repository; panics (with its output) when it fails.
    pub fn git(&self, args: &[&str]) -> String {
        let out = Command::new("git")
            .arg("-C")
            .arg(self.path())
            .args(args)
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE")
            .env_remove("GIT_OBJECT_DIRECTORY")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?} failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Every file under the repository except .git, relative, sorted.
    pub fn files(&self) -> Vec<String> {
        let mut out: Vec<String> = walkdir::WalkDir::new(self.path())
            .into_iter()
            .filter_entry(|e| e.file_name() != ".git")
            .filter_map(|e| e.ok())
            .filter(|e| !e.file_type().is_dir())
            .map(|e| {
                e.path()
                    .strip_prefix(self.path())
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        out.sort();
        out
    }

    /// Generates the workflows of ./wfgen.yaml with the real binary.
    pub fn generate(&self) {
        wfgen()
            .current_dir(self.path())
            .args(["--spec", "wfgen.yaml", "generate"])
            .assert()
            .success();
    }

    /// The generated workflow files, relative paths, sorted.
    pub fn workflows(&self) -> Vec<String> {
        self.files()
            .into_iter()
            .filter(|f| f.starts_with(".github/workflows/"))
            .collect()
    }
}

// ---- the judges ----------------------------------------------------------------

const HOW_TO_GET_JUDGES: &str = "run the tests through `scripts/test`, which installs the pinned judges into \
     .venv-judges/ and exports WFGEN_JUDGES_BIN; or set WFGEN_JUDGES_BIN to a directory holding actionlint, \
     shellcheck, zizmor, check-jsonschema and pre-commit";

fn exe_name(name: &str) -> String {
    if cfg!(windows) {
        format!("{name}.exe")
    } else {
        name.to_string()
    }
}

/// Where a judge is: `$WFGEN_JUDGES_BIN/<name>`, else the first `<name>` on
/// PATH. A missing judge fails the test (never skips it).
pub fn judge(name: &str) -> PathBuf {
    let exe = exe_name(name);
    if let Some(dir) = std::env::var_os("WFGEN_JUDGES_BIN").filter(|d| !d.is_empty()) {
        let p = PathBuf::from(&dir).join(&exe);
        if p.is_file() {
            return p;
        }
        panic!(
            "judge `{name}` is not in WFGEN_JUDGES_BIN={}\n{HOW_TO_GET_JUDGES}",
            PathBuf::from(dir).display()
        );
    }
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let p = dir.join(&exe);
            if p.is_file() {
                return p;
            }
        }
    }
    panic!("judge `{name}` is not installed (not in WFGEN_JUDGES_BIN, not on PATH)\n{HOW_TO_GET_JUDGES}");
}

/// PATH with the judges' directory (and the wfgen binary's) first, so that
/// judges find each other (actionlint finds shellcheck) and hooks find wfgen.
pub fn judges_path() -> OsString {
    let mut dirs: Vec<PathBuf> = vec![
        judge("shellcheck").parent().unwrap().to_path_buf(),
        wfgen_bin().parent().unwrap().to_path_buf(),
    ];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).expect("PATH joins")
}

/// A judge as a command with a clean environment: judges' PATH, no CI or
/// GitHub variables (they switch output formats), no colour.
pub fn judge_cmd(name: &str) -> Command {
    let mut cmd = Command::new(judge(name));
    for k in scrubbed_vars() {
        cmd.env_remove(k);
    }
    for k in ["GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_CONFIG"] {
        cmd.env_remove(k);
    }
    cmd.env("PATH", judges_path()).env("NO_COLOR", "1");
    cmd
}

/// What a judge said.
pub struct Verdict {
    pub success: bool,
    pub code: Option<i32>,
    /// stdout and stderr, labelled.
    pub output: String,
}

/// Runs a judge and collects its exit status and whole output.
pub fn run_judge(mut cmd: Command) -> Verdict {
    let shown = format!("{cmd:?}");
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {shown}: {e}\n{HOW_TO_GET_JUDGES}"));
    Verdict {
        success: out.status.success(),
        code: out.status.code(),
        output: format!(
            "$ {shown}\n--- exit: {:?}\n--- stdout:\n{}\n--- stderr:\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

/// actionlint (with shellcheck on every `run:`) has no finding in the
/// workflows of the repository at `dir`. `what` names them in the failure.
#[allow(dead_code)]
pub fn assert_actionlint_clean(dir: &Path, what: &str) {
    let mut cmd = judge_cmd("actionlint");
    cmd.current_dir(dir)
        .arg("-no-color")
        .arg(format!("-shellcheck={}", judge("shellcheck").display()));
    let v = run_judge(cmd);
    assert!(
        v.success && !v.output.contains(".github/workflows/"),
        "actionlint has findings in {what}:\n{}",
        v.output
    );
}

/// zizmor (default persona, offline) has no finding in `dir`/.github/workflows.
#[allow(dead_code)]
pub fn assert_zizmor_clean(dir: &Path, what: &str) {
    let mut cmd = judge_cmd("zizmor");
    cmd.current_dir(dir)
        .args(["--offline", "--no-progress", "--color=never", ".github/workflows"]);
    let v = run_judge(cmd);
    assert!(
        v.code == Some(0) && v.output.contains("No findings"),
        "zizmor has findings in {what}:\n{}",
        v.output
    );
}

/// check-jsonschema accepts `files` (relative to `dir`) as GitHub workflows.
#[allow(dead_code)]
pub fn assert_workflow_schema_clean(dir: &Path, files: &[String], what: &str) {
    let mut cmd = judge_cmd("check-jsonschema");
    cmd.current_dir(dir)
        .args(["--builtin-schema", "vendor.github-workflows"])
        .args(files);
    let v = run_judge(cmd);
    assert!(
        v.success,
        "check-jsonschema (vendor.github-workflows) rejects {what}:\n{}",
        v.output
    );
}
