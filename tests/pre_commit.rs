//! .pre-commit-hooks.yaml, before the real pre-commit (from the judges'
//! venv): the manifest validates, its `files` pattern selects the spec and the
//! workflows, and `pre-commit try-repo <this repository> wfgen-check-system`
//! passes on a freshly generated tree and fails once a workflow is edited.
//!
//! The `language: rust` hook would `cargo install` this repository (minutes);
//! the system variant runs the same entry with the test build of wfgen on PATH.

mod common;

use common::{TempRepo, judge_cmd, run_judge};

const FILES_OF_INTEREST: &[&str] = &[
    "wfgen.yaml",
    ".github/wfgen.yaml",
    ".github/workflows/release.yml",
    ".github/workflows/docker.yml",
    ".github/workflows/ci.yaml",
];
const OTHER_FILES: &[&str] = &[
    "src/main.rs",
    "README.md",
    "docs/wfgen.yaml",
    ".github/dependabot.yml",
    "xwfgen.yaml",
];

fn manifest() -> Vec<yaml_serde::Value> {
    let text = std::fs::read_to_string(common::repo_root().join(".pre-commit-hooks.yaml"))
        .expect(".pre-commit-hooks.yaml at the repository root");
    yaml_serde::from_str(&text).expect(".pre-commit-hooks.yaml is a YAML list")
}

#[test]
fn manifest_validates_with_pre_commit() {
    let mut cmd = judge_cmd("pre-commit");
    cmd.current_dir(common::repo_root())
        .args(["validate-manifest", ".pre-commit-hooks.yaml"]);
    let v = run_judge(cmd);
    assert!(v.success, "pre-commit rejects .pre-commit-hooks.yaml:\n{}", v.output);
}

#[test]
fn manifest_declares_both_hooks() {
    let hooks = manifest();
    let ids: Vec<&str> = hooks.iter().filter_map(|h| h["id"].as_str()).collect();
    assert_eq!(ids, ["wfgen-check", "wfgen-check-system"]);
    for (hook, language) in hooks.iter().zip(["rust", "system"]) {
        let id = hook["id"].as_str().unwrap();
        assert_eq!(hook["language"].as_str(), Some(language), "{id}");
        assert_eq!(hook["entry"].as_str(), Some("wfgen check"), "{id}");
        assert_eq!(hook["pass_filenames"].as_bool(), Some(false), "{id}");
        let files = regex::Regex::new(hook["files"].as_str().expect("files pattern")).unwrap();
        for f in FILES_OF_INTEREST {
            assert!(files.is_match(f), "{id}: `files` should select {f}");
        }
        for f in OTHER_FILES {
            assert!(!files.is_match(f), "{id}: `files` should not select {f}");
        }
    }
}

/// `pre-commit try-repo <this repository> wfgen-check-system --all-files`.
fn try_repo(repo: &TempRepo, home: &std::path::Path) -> common::Verdict {
    let mut cmd = judge_cmd("pre-commit");
    cmd.current_dir(repo.path())
        .env("PRE_COMMIT_HOME", home)
        .env_remove("SKIP")
        .arg("try-repo")
        .arg(common::repo_root())
        .args(["wfgen-check-system", "--all-files", "--color=never"]);
    run_judge(cmd)
}

#[test]
fn try_repo_system_hook_passes_clean_and_fails_on_drift() {
    let repo = TempRepo::with_fixture("llm-proxy");
    repo.generate();
    repo.git(&["add", "-A"]);
    let home = tempfile::tempdir().unwrap();

    let v = try_repo(&repo, home.path());
    assert!(
        v.success && v.output.contains("wfgen check") && v.output.contains("Passed"),
        "the hook should pass on a freshly generated tree:\n{}",
        v.output
    );

    let release = repo.read(".github/workflows/release.yml");
    let edited = release.replacen("timeout-minutes:", "timeout-minutes: 999 #", 1);
    assert_ne!(edited, release, "release.yml has no timeout-minutes to edit");
    repo.write(".github/workflows/release.yml", &edited);
    repo.git(&["add", "-A"]);
    let v = try_repo(&repo, home.path());
    assert!(
        !v.success && v.output.contains("Failed") && v.output.contains("release.yml"),
        "the hook should fail after a workflow was edited:\n{}",
        v.output
    );
}
