//! The judges: every fixture's generated workflows must pass actionlint (with
//! shellcheck on every `run:`), zizmor and the GitHub workflow JSON Schema
//! with zero findings. One test per (fixture, judge). Also the composite
//! action (action.yml) before the judges that accept it.
//!
//! The judges come from WFGEN_JUDGES_BIN (set by scripts/test), else PATH; a
//! missing judge fails the test with a pointer to scripts/test.

mod common;

use common::{TempRepo, judge, judge_cmd, run_judge, wfgen};

/// Generates a fixture's workflows into a fresh git repository with the real
/// binary: `wfgen --spec <tmp>/wfgen.yaml generate`.
fn generated(fixture: &str) -> TempRepo {
    let repo = TempRepo::with_fixture_repo(fixture);
    let spec = repo.join("wfgen.yaml");
    let out = wfgen()
        .current_dir(repo.path())
        .arg("--spec")
        .arg(&spec)
        .arg("generate")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "wfgen generate failed for fixture {fixture}:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        repo.workflows().iter().any(|f| f == ".github/workflows/release.yml"),
        "fixture {fixture}: no release.yml generated; files: {:?}",
        repo.files()
    );
    repo
}

fn actionlint(fixture: &str) {
    let repo = generated(fixture);
    common::assert_actionlint_clean(repo.path(), &format!("the workflows of fixture {fixture}"));
}

fn zizmor(fixture: &str) {
    let repo = generated(fixture);
    common::assert_zizmor_clean(repo.path(), &format!("the workflows of fixture {fixture}"));
}

fn check_jsonschema(fixture: &str) {
    let repo = generated(fixture);
    common::assert_workflow_schema_clean(
        repo.path(),
        &repo.workflows(),
        &format!("the workflows of fixture {fixture}"),
    );
}

macro_rules! judge_fixtures {
    ($($module:ident => $fixture:literal),* $(,)?) => {
        $(
            mod $module {
                #[test]
                fn actionlint() {
                    super::actionlint($fixture)
                }
                #[test]
                fn zizmor() {
                    super::zizmor($fixture)
                }
                #[test]
                fn check_jsonschema() {
                    super::check_jsonschema($fixture)
                }
            }
        )*
        const JUDGED: &[&str] = &[$($fixture),*];
    };
}

judge_fixtures! {
    aicr => "aicr",
    airflow => "airflow",
    cluster_tool => "cluster-tool",
    llm_proxy => "llm-proxy",
    mlserver => "mlserver",
    model_server => "model-server",
    opsml => "opsml",
    opsml_server => "opsml-server",
    vector => "vector",
}

#[test]
fn every_fixture_is_judged() {
    assert_eq!(
        common::fixtures(),
        JUDGED,
        "add each fixture under fixtures/ to judge_fixtures! in tests/judges.rs"
    );
}

/// `output.local-calls: relative` (GitHub Enterprise Server): release.yml calls
/// its workflows as `./.github/workflows/...`, which actionlint reads as any
/// release does and zizmor accepts through the line-level ignore wfgen writes.
#[test]
fn relative_local_calls_pass_the_judges() {
    let repo = TempRepo::with_fixture_repo("opsml");
    let spec = repo.read("wfgen.yaml") + "output:\n  local-calls: relative\n";
    repo.write("wfgen.yaml", &spec);
    let out = common::wfgen()
        .current_dir(repo.path())
        .args(["--spec", "wfgen.yaml", "generate"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let release = repo.read(".github/workflows/release.yml");
    assert!(!release.contains("uses: $/"), "no `$/` call is left");
    let calls = release.matches("uses: ./.github/workflows/").count();
    assert!(calls >= 4, "{calls} relative calls");
    assert_eq!(
        release.matches("# zizmor: ignore[self-repository]").count(),
        calls,
        "each relative call carries zizmor's ignore"
    );
    common::assert_actionlint_clean(repo.path(), "release.yml with relative calls");
    common::assert_zizmor_clean(repo.path(), "release.yml with relative calls");
}

/// A spec for every part of `triggers.pull-request: build`: gates with setup,
/// templated env and a reusable workflow of the repository (called `./`),
/// image variants with build arguments, labels, a Dockerfile stage, a QEMU
/// platform and a Docker Hub mirror (whose secrets the release reads and
/// pull-request.yml must not), a chart on a registry with credentials,
/// binaries (Rust legs on runners, in a container and with a glibc floor,
/// Go, versioned asset names, SBOMs), maturin and pure Python packages, an
/// image of the release's binaries, and a setup step that names a secret
/// (left out of the pull request's jobs).
const PULL_REQUEST_BUILD: &str = r#"wfgen: 1
project: { name: demo, repository: acme/demo }
triggers: { pull-request: build }
toolchains: { node: "22" }
setup:
  - { name: UI bundle, run: make ui }
  - { name: Private models, run: make models, secrets: [MODELS_TOKEN] }
env: { DEMO_VERSION: "{version}" }
binaries:
  - name: demo
    kind: rust
    package: demo
    asset: "demo-{version}-{target}{suffix}"
    targets:
      - x86_64-unknown-linux-gnu
      - { target: x86_64-unknown-linux-gnu, container: "rockylinux:9", suffix: -rocky }
      - { target: aarch64-unknown-linux-gnu, glibc: "2.28" }
      - aarch64-apple-darwin
      - x86_64-pc-windows-msvc
  - { name: democtl, kind: go, package: ./cmd/democtl, targets: [linux/amd64, darwin/arm64] }
python:
  - { name: demo-py, path: py, build: maturin, platforms: [linux-x86_64, macos-aarch64, windows-x64] }
  - { name: demo-pure, path: pure, build: pure, builder: poetry, workflow: release-pure }
release: { sbom: true, provenance: true }
gates:
  - { name: lint, run: make lint, env: { LINT_SHA: "{sha}" } }
  - { name: e2e, uses: ./.github/workflows/e2e.yml }
registries:
  docker.io: { username-secret: HUB_USER, password-secret: HUB_TOKEN }
  quay.io: { username-secret: QUAY_USER, password-secret: QUAY_TOKEN }
docker:
  - image: ghcr.io/acme/demo
    mirrors: [acme/demo]
    target: runtime
    build-args: { DEMO_VERSION: "{version}", FLAVOUR: "{variant}" }
    labels: { org.opencontainers.image.title: "demo ({variant})" }
    platforms: [linux/amd64, linux/arm64, linux/arm/v7]
    tags: ["{version}-{variant}"]
    variants:
      full: {}
      slim: { platforms: [linux/amd64] }
  - image: ghcr.io/acme/demo-server
    binaries: [{ name: demo, build-arg: DEMO_BINARY }]
    platforms: [linux/amd64, linux/arm64]
helm:
  - chart: deploy/demo
    registry: oci://quay.io/acme/charts
output: { local-calls: relative }
"#;

const E2E: &str = "name: e2e\non:\n  workflow_call:\n    inputs:\n      tag: { type: string, required: true }\n      version: { type: string, required: true }\n      prerelease: { type: string, required: true }\n      sha: { type: string, required: true }\npermissions: {}\njobs:\n  e2e:\n    runs-on: ubuntu-24.04\n    timeout-minutes: 5\n    permissions: {}\n    steps:\n      - run: echo e2e\n";

#[test]
fn pull_request_build_passes_the_judges() {
    let repo = TempRepo::new();
    repo.write("wfgen.yaml", PULL_REQUEST_BUILD);
    repo.write(".github/workflows/e2e.yml", E2E);
    let out = wfgen()
        .current_dir(repo.path())
        .args(["--spec", "wfgen.yaml", "generate"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let pr = repo.read(".github/workflows/pull-request.yml");
    for bad in [
        "secrets.",
        "id-token",
        ": write",
        "docker/login-action",
        "push: true",
        "helm push",
        "pull_request_target",
    ] {
        assert!(!pr.contains(bad), "pull-request.yml contains `{bad}`:\n{pr}");
    }
    // The release reads the registries' secrets; the pull request never.
    assert!(repo.read(".github/workflows/docker.yml").contains("secrets.HUB_TOKEN"));
    assert!(
        repo.read(".github/workflows/build-assets.yml")
            .contains("secrets.MODELS_TOKEN")
    );
    assert!(
        !pr.contains("make models"),
        "a setup step that names a secret runs on pull requests"
    );
    for job in [
        "bin-rust:",
        "bin-rust-container:",
        "bin-go:",
        "wheels-demo-py:",
        "sdist-demo-py:",
        "wheels-demo-pure:",
    ] {
        assert!(pr.contains(job), "pull-request.yml has no job {job}");
    }
    common::assert_actionlint_clean(repo.path(), "pull-request.yml in build mode");
    common::assert_zizmor_clean(repo.path(), "pull-request.yml in build mode");
    common::assert_workflow_schema_clean(
        repo.path(),
        &[".github/workflows/pull-request.yml".to_string()],
        "pull-request.yml in build mode",
    );
}

// ---- the judges judge: a planted mistake must be caught ------------------------

const BAD_WORKFLOW: &str = r#"name: bad
on:
  issues:
    types: [opened]
permissions: {}
jobs:
  bad:
    runs-on: ubuntu-24.04
    timeout-minutes: 5
    steps:
      - run: echo ${{ github.event.issue.title }}
      - run: echo $UNQUOTED_VAR
"#;

#[test]
fn actionlint_runs_shellcheck() {
    let repo = TempRepo::new();
    repo.write(".github/workflows/bad.yml", BAD_WORKFLOW);
    let mut cmd = judge_cmd("actionlint");
    cmd.current_dir(repo.path())
        .arg("-no-color")
        .arg(format!("-shellcheck={}", judge("shellcheck").display()));
    let v = run_judge(cmd);
    assert!(
        !v.success && v.output.contains("shellcheck reported issue") && v.output.contains("SC2086"),
        "actionlint with shellcheck should report SC2086 in a planted workflow:\n{}",
        v.output
    );
}

#[test]
fn zizmor_catches_template_injection() {
    let repo = TempRepo::new();
    repo.write(".github/workflows/bad.yml", BAD_WORKFLOW);
    let mut cmd = judge_cmd("zizmor");
    cmd.current_dir(repo.path())
        .args(["--offline", "--no-progress", "--color=never", ".github/workflows"]);
    let v = run_judge(cmd);
    assert!(
        v.code != Some(0) && v.output.contains("template-injection"),
        "zizmor should report template-injection in a planted workflow:\n{}",
        v.output
    );
}

// ---- the composite action --------------------------------------------------------

fn action_text() -> String {
    std::fs::read_to_string(common::repo_root().join("action.yml")).expect("action.yml at the repository root")
}

#[test]
fn action_zizmor() {
    let repo = TempRepo::new();
    repo.write("action.yml", &action_text());
    let mut cmd = judge_cmd("zizmor");
    cmd.current_dir(repo.path())
        .args(["--offline", "--no-progress", "--color=never", "action.yml"]);
    let v = run_judge(cmd);
    assert!(
        v.code == Some(0) && v.output.contains("No findings") && v.output.contains("action.yml"),
        "zizmor has findings in action.yml:\n{}",
        v.output
    );
}

#[test]
fn action_check_jsonschema() {
    let mut cmd = judge_cmd("check-jsonschema");
    cmd.current_dir(common::repo_root())
        .args(["--builtin-schema", "vendor.github-actions", "action.yml"]);
    let v = run_judge(cmd);
    assert!(
        v.success,
        "check-jsonschema (vendor.github-actions) rejects action.yml:\n{}",
        v.output
    );
}

/// actionlint does not lint action files, but it checks a workflow that uses
/// a local action against that action's inputs: every input we document is
/// accepted, and an unknown one is refused.
#[test]
fn action_inputs_through_actionlint() {
    let repo = TempRepo::new();
    repo.write("action.yml", &action_text());
    repo.write(
        ".github/workflows/wfgen.yml",
        r#"name: wfgen
on: [push]
permissions: {}
jobs:
  check:
    runs-on: ubuntu-24.04
    timeout-minutes: 10
    permissions:
      contents: read
      security-events: write
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
        with:
          persist-credentials: false
      - uses: ./
        with:
          version: 0.1.0
          args: --strict
          sarif: wfgen.sarif
          working-directory: .
"#,
    );
    let lint = || {
        let mut cmd = judge_cmd("actionlint");
        cmd.current_dir(repo.path())
            .arg("-no-color")
            .arg(format!("-shellcheck={}", judge("shellcheck").display()));
        run_judge(cmd)
    };
    let v = lint();
    assert!(
        v.success,
        "actionlint rejects a workflow using action.yml:\n{}",
        v.output
    );

    let wf = repo.read(".github/workflows/wfgen.yml");
    repo.write(
        ".github/workflows/wfgen.yml",
        &wf.replace("args: --strict", "argz: --strict"),
    );
    let v = lint();
    assert!(
        !v.success && v.output.contains("argz"),
        "actionlint should refuse an unknown input of action.yml (is it reading the action?):\n{}",
        v.output
    );
}

/// Every `run:` of the action passes shellcheck as bash and holds no `${{ }}`.
#[test]
fn action_run_scripts_pass_shellcheck() {
    let action: yaml_serde::Value = yaml_serde::from_str(&action_text()).expect("action.yml is YAML");
    let steps = action["runs"]["steps"].as_sequence().expect("runs.steps is a list");
    let dir = tempfile::tempdir().unwrap();
    let mut n = 0;
    for (i, step) in steps.iter().enumerate() {
        let Some(run) = step["run"].as_str() else { continue };
        assert!(
            !run.contains("${{"),
            "step {i} of action.yml has `${{{{ }}}}` in its run: script; pass values through env:"
        );
        assert_eq!(
            step["shell"].as_str(),
            Some("bash"),
            "step {i} of action.yml: shell must be bash"
        );
        let path = dir.path().join(format!("step{i}.sh"));
        std::fs::write(&path, format!("#!/usr/bin/env bash\n{run}")).unwrap();
        let mut cmd = judge_cmd("shellcheck");
        cmd.args(["--shell=bash", "--severity=style"]).arg(&path);
        let v = run_judge(cmd);
        assert!(
            v.success,
            "shellcheck has findings in step {i} of action.yml:\n{run}\n{}",
            v.output
        );
        n += 1;
    }
    assert!(n > 0, "action.yml has no run: steps");
}
