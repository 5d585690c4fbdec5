//! The command line, end to end with the real binary: validate, located spec
//! errors, generate (created/updated/unchanged/removed, --dry-run, --force,
//! stale files, spec discovery, symlinks), plan, schema, completions, usage.

mod common;

use std::path::Path;

use common::{TempRepo, wfgen};

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs wfgen in `dir` with `args`; returns the output.
fn run_in(dir: &Path, args: &[&str]) -> std::process::Output {
    wfgen().current_dir(dir).args(args).output().expect("wfgen runs")
}

fn expect_code(out: &std::process::Output, code: i32, what: &str) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "{what}: expected exit {code}\n--- stdout:\n{}\n--- stderr:\n{}",
        stdout(out),
        stderr(out)
    );
}

/// What `generate` should write for the spec in `repo` (in memory).
fn expected_files(spec: &Path) -> Vec<wfgen::render::Rendered> {
    wfgen::generate(&wfgen::load_spec(spec).expect("spec loads"))
}

// ---- validate ------------------------------------------------------------------

#[test]
fn validate_every_fixture() {
    for fixture in common::fixtures() {
        let spec = common::fixture_spec(&fixture);
        let out = wfgen().arg("--spec").arg(&spec).arg("validate").output().unwrap();
        expect_code(&out, 0, &format!("validate fixtures/{fixture}/wfgen.yaml"));
        assert!(stdout(&out).contains("valid"), "{}", stdout(&out));
    }
}

#[test]
fn validate_accepts_a_byte_order_mark() {
    let repo = TempRepo::new();
    let spec = std::fs::read_to_string(common::fixture_spec("llm-proxy")).unwrap();
    repo.write("wfgen.yaml", &format!("\u{feff}{spec}"));
    let out = run_in(repo.path(), &["validate"]);
    expect_code(&out, 0, "validate a spec saved with a UTF-8 BOM");
}

/// An invalid spec: `validate` exits 3 with a located report on stderr
/// (snapshotted), and `generate` exits 3 and writes nothing.
fn invalid_spec(name: &str, spec: &str) -> String {
    let repo = TempRepo::new();
    repo.write("wfgen.yaml", spec);
    let out = run_in(repo.path(), &["--color", "never", "validate"]);
    expect_code(&out, 3, &format!("validate ({name})"));
    assert_eq!(stdout(&out), "", "validate ({name}) prints the report on stderr only");
    let report = stderr(&out);
    assert!(
        report.contains("wfgen.yaml:") && !report.contains('\u{1b}'),
        "({name}) the report is located and has no colour:\n{report}"
    );
    insta::with_settings!({
        snapshot_path => "snapshots",
        omit_expression => true,
        description => format!("wfgen --color never validate, with wfgen.yaml:\n{spec}"),
    }, {
        insta::assert_snapshot!(name, report);
    });

    let out = run_in(repo.path(), &["--color", "never", "generate"]);
    expect_code(&out, 3, &format!("generate ({name})"));
    assert_eq!(
        repo.files(),
        ["wfgen.yaml"],
        "generate with an invalid spec wrote something"
    );
    report
}

#[test]
fn error_unknown_key() {
    let report = invalid_spec(
        "error_unknown_key",
        "wfgen: 1\nproject:\n  name: demo\n  repositroy: acme/demo\n",
    );
    assert!(report.contains("wfgen.yaml:4:3"), "{report}");
    assert!(report.contains("did you mean `repository`"), "{report}");
}

#[test]
fn error_wrong_type() {
    let report = invalid_spec(
        "error_wrong_type",
        "wfgen: 1\nproject:\n  name: demo\ntriggers:\n  tags: \"yes please\"\n",
    );
    assert!(report.contains("wfgen.yaml:5:9"), "{report}");
    assert!(report.contains("true or false"), "{report}");
}

#[test]
fn error_unknown_target() {
    let report = invalid_spec(
        "error_unknown_target",
        "wfgen: 1\nproject:\n  name: demo\nbinaries:\n  - name: demo\n    kind: rust\n    targets: [x86_64-unknown-linux-gnu, aarch64-apple-darwn]\n",
    );
    assert!(report.contains("wfgen.yaml:7:41"), "{report}");
    assert!(
        report.contains("aarch64-apple-darwin"),
        "the help names the known targets:\n{report}"
    );
}

#[test]
fn error_retired_runner() {
    let report = invalid_spec(
        "error_retired_runner",
        "wfgen: 1\nproject:\n  name: demo\nrunners:\n  x86_64-unknown-linux-gnu: ubuntu-20.04\n",
    );
    assert!(report.contains("wfgen.yaml:5:29"), "{report}");
    assert!(report.contains("retired"), "{report}");
}

#[test]
fn error_unknown_placeholder() {
    let report = invalid_spec(
        "error_unknown_placeholder",
        "wfgen: 1\nproject:\n  name: demo\ndocker:\n  - image: ghcr.io/acme/demo\n    platforms: [linux/amd64]\n    tags: [\"{version}\", \"{versoin}-slim\"]\n",
    );
    assert!(report.contains("wfgen.yaml:7:26"), "{report}");
    assert!(report.contains("did you mean `{version}`"), "{report}");
}

#[test]
fn error_target_legs() {
    let report = invalid_spec(
        "error_target_legs",
        "wfgen: 1\nproject:\n  name: demo\nbinaries:\n  - name: srv\n    kind: rust\n    targets:\n      - x86_64-unknown-linux-gnu\n      - { target: x86_64-unknown-linux-gnu, container: \"rockylinux:9\" }\n      - { target: aarch64-apple-darwin, container: \"rockylinux:9\" }\n      - { target: x86_64-unknown-linux-musl, glibc: \"2.17\" }\n",
    );
    assert!(report.contains("3 problems in wfgen.yaml"), "{report}");
    assert!(report.contains("wfgen.yaml:9:19"), "{report}");
    assert!(report.contains("wfgen.yaml:10:41"), "{report}");
    assert!(report.contains("wfgen.yaml:11:46"), "{report}");
}

#[test]
fn error_asset_names() {
    let report = invalid_spec(
        "error_asset_names",
        "wfgen: 1\nproject:\n  name: demo\nbinaries:\n  - name: aicr\n    kind: go\n    asset: \"{name}_{version}_{os}\"\n    targets: [linux/amd64, linux/arm64]\n  - name: aicrd\n    kind: go\n    asset: \"{name}_{versoin}_{os}_{arch}\"\n    targets: [linux/amd64]\n",
    );
    assert!(report.contains("2 problems in wfgen.yaml"), "{report}");
    assert!(report.contains("did you mean `{version}`"), "{report}");
    assert!(report.contains("aicr_{version}_linux.tar.gz"), "{report}");
}

#[test]
fn error_python_build_keys() {
    let report = invalid_spec(
        "error_python_build_keys",
        "wfgen: 1\nproject:\n  name: demo\npython:\n  - name: demo\n    build: pure\n    manylinux: \"2_28\"\n  - name: demo-native\n    builder: poetry\n    maturin-args: [--compatibility, pypi, --out, wheels]\n",
    );
    assert!(report.contains("wfgen.yaml:7:5"), "{report}");
    assert!(report.contains("wfgen.yaml:9:5"), "{report}");
    assert!(report.contains("wfgen.yaml:10:43"), "{report}");
    assert!(report.contains("3 problems in wfgen.yaml"), "{report}");
}

#[test]
fn error_reports_every_problem() {
    let report = invalid_spec(
        "error_several",
        "wfgen: 1\nproject:\n  nam: demo\nrelease:\n  draft: maybe\n  github-release: sometimes\n",
    );
    assert!(report.contains("4 problems in wfgen.yaml"), "{report}");
}

// ---- generate --------------------------------------------------------------------

#[test]
fn generate_writes_then_unchanged() {
    let repo = TempRepo::with_fixture("llm-proxy");
    let expected = expected_files(&repo.join("wfgen.yaml"));
    assert!(expected.len() >= 2);

    let out = run_in(repo.path(), &["generate"]);
    expect_code(&out, 0, "first generate");
    let text = stdout(&out);
    for f in &expected {
        assert!(text.contains(&format!("created {}", f.path)), "{text}");
        assert_eq!(
            repo.read(&f.path),
            f.text,
            "{} on disk differs from the rendering",
            f.path
        );
    }
    assert!(
        text.contains(&format!(
            "{} created, 0 updated, 0 unchanged, 0 removed",
            expected.len()
        )),
        "{text}"
    );
    let mut want: Vec<String> = expected.iter().map(|f| f.path.clone()).collect();
    want.push("wfgen.yaml".into());
    want.sort();
    assert_eq!(
        repo.files(),
        want,
        "generate wrote exactly the rendered files (no temp files left)"
    );

    let out = run_in(repo.path(), &["generate"]);
    expect_code(&out, 0, "second generate");
    let text = stdout(&out);
    for f in &expected {
        assert!(text.contains(&format!("unchanged {}", f.path)), "{text}");
    }
    assert!(
        text.contains(&format!(
            "0 created, 0 updated, {} unchanged, 0 removed",
            expected.len()
        )),
        "{text}"
    );
}

#[test]
fn generate_updates_a_changed_file() {
    let repo = TempRepo::with_fixture("llm-proxy");
    repo.generate();
    let release = repo.read(".github/workflows/release.yml");
    repo.write(".github/workflows/release.yml", &format!("{release}# an edit\n"));
    let out = run_in(repo.path(), &["generate"]);
    expect_code(&out, 0, "generate after an edit");
    assert!(
        stdout(&out).contains("updated .github/workflows/release.yml"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("1 updated"), "{}", stdout(&out));
    assert_eq!(repo.read(".github/workflows/release.yml"), release);
}

#[test]
fn generate_dry_run_writes_nothing() {
    let repo = TempRepo::with_fixture_repo("opsml");
    let before = repo.files();
    let out = run_in(repo.path(), &["generate", "--dry-run"]);
    expect_code(&out, 0, "generate --dry-run");
    let text = stdout(&out);
    assert!(
        text.contains("would be created .github/workflows/release.yml"),
        "{text}"
    );
    assert!(text.contains("dry run:"), "{text}");
    assert_eq!(repo.files(), before, "--dry-run wrote files");

    repo.generate();
    let release = repo.read(".github/workflows/release.yml");
    repo.write(".github/workflows/release.yml", &format!("{release}# an edit\n"));
    let out = run_in(repo.path(), &["generate", "--dry-run"]);
    expect_code(&out, 0, "generate --dry-run after an edit");
    assert!(
        stdout(&out).contains("would be updated .github/workflows/release.yml"),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        repo.read(".github/workflows/release.yml"),
        format!("{release}# an edit\n")
    );
}

#[test]
fn generate_refuses_a_file_without_header_unless_forced() {
    let repo = TempRepo::with_fixture("llm-proxy");
    let mine = "name: release\non: push\njobs: {}\n";
    repo.write(".github/workflows/release.yml", mine);

    let out = run_in(repo.path(), &["--color", "never", "generate"]);
    expect_code(&out, 3, "generate over a hand-written release.yml");
    let err = stderr(&out);
    assert!(
        err.contains(".github/workflows/release.yml") && err.contains("--force"),
        "{err}"
    );
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(repo.read(".github/workflows/release.yml"), mine);
    assert_eq!(
        repo.files(),
        [".github/workflows/release.yml", "wfgen.yaml"],
        "a refusal writes nothing at all"
    );

    let out = run_in(repo.path(), &["generate", "--force"]);
    expect_code(&out, 0, "generate --force");
    assert!(
        stdout(&out).contains("updated .github/workflows/release.yml"),
        "{}",
        stdout(&out)
    );
    assert!(wfgen::render::has_header(&repo.read(".github/workflows/release.yml")));
}

#[test]
fn generate_removes_stale_files_only_its_own() {
    let repo = TempRepo::with_fixture("llm-proxy");
    repo.generate();
    let header = wfgen::render::header("wfgen.yaml", "0000");
    let other_spec = wfgen::render::header("services/api/wfgen.yaml", "0000");
    let gone_spec = wfgen::render::header(".github/wfgen.yaml", "0000");
    repo.write("services/api/wfgen.yaml", "wfgen: 1\nproject: { name: api }\n");
    repo.write(".github/workflows/old.yml", &format!("{header}name: old\n"));
    repo.write(".github/workflows/other.yml", &format!("{other_spec}name: other\n"));
    repo.write(".github/workflows/moved.yml", &format!("{gone_spec}name: moved\n"));
    repo.write(".github/workflows/ci.yml", "name: ci\non: push\n");

    let out = run_in(repo.path(), &["generate"]);
    expect_code(&out, 0, "generate with a stale file");
    let text = stdout(&out);
    assert!(text.contains("removed .github/workflows/old.yml"), "{text}");
    // A file of a spec that is gone (it moved) is a leftover too.
    assert!(text.contains("removed .github/workflows/moved.yml"), "{text}");
    assert!(text.contains("2 removed"), "{text}");
    assert!(!text.contains("ci.yml") && !text.contains("other.yml"), "{text}");
    assert!(!repo.join(".github/workflows/old.yml").exists());
    assert!(
        repo.join(".github/workflows/other.yml").exists(),
        "another spec's file was removed"
    );
    assert_eq!(repo.read(".github/workflows/ci.yml"), "name: ci\non: push\n");
}

#[test]
fn spec_discovery_prefers_wfgen_yaml_at_the_root() {
    let repo = TempRepo::with_fixture("llm-proxy");
    repo.write(
        ".github/wfgen.yaml",
        &std::fs::read_to_string(common::fixture_spec("opsml")).unwrap(),
    );
    let out = run_in(repo.path(), &["generate"]);
    expect_code(&out, 0, "generate with both specs");
    assert!(
        repo.join(".github/workflows/helm-publish.yml").exists(),
        "wfgen.yaml (llm-proxy) was not used"
    );
    assert!(!repo.join(".github/workflows/build-assets.yml").exists());
    let h = wfgen::render::parse_header(&repo.read(".github/workflows/release.yml")).unwrap();
    assert_eq!(h.spec, "wfgen.yaml");
}

#[test]
fn spec_discovery_in_dot_github() {
    let repo = TempRepo::new();
    repo.write(
        ".github/wfgen.yaml",
        &std::fs::read_to_string(common::fixture_spec("llm-proxy")).unwrap(),
    );
    let out = run_in(repo.path(), &["generate"]);
    expect_code(&out, 0, "generate with .github/wfgen.yaml");
    // The root is the parent of .github, not .github itself.
    assert!(
        repo.join(".github/workflows/release.yml").exists(),
        "{:?}",
        repo.files()
    );
    assert!(!repo.join(".github/.github").exists(), "{:?}", repo.files());
    let h = wfgen::render::parse_header(&repo.read(".github/workflows/release.yml")).unwrap();
    assert_eq!(h.spec, ".github/wfgen.yaml");

    // --spec from elsewhere gives the same root and the same bytes.
    let elsewhere = tempfile::tempdir().unwrap();
    let out = wfgen()
        .current_dir(elsewhere.path())
        .arg("--spec")
        .arg(repo.join(".github/wfgen.yaml"))
        .arg("generate")
        .output()
        .unwrap();
    expect_code(&out, 0, "generate --spec .github/wfgen.yaml from another directory");
    assert!(stdout(&out).contains("0 created, 0 updated"), "{}", stdout(&out));
    assert_eq!(
        std::fs::read_dir(elsewhere.path()).unwrap().count(),
        0,
        "wrote into the cwd"
    );
}

#[test]
fn spec_discovery_finds_nothing() {
    let repo = TempRepo::new();
    let out = run_in(repo.path(), &["validate"]);
    expect_code(&out, 3, "validate without a spec");
    let err = stderr(&out);
    assert!(err.contains("wfgen.yaml") && err.contains("--spec"), "{err}");
}

#[cfg(unix)]
#[test]
fn generate_does_not_follow_a_symlinked_workflow_out_of_the_repository() {
    let repo = TempRepo::with_fixture("llm-proxy");
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("release.yml");
    let planted = format!("{}name: planted\n", wfgen::render::header("wfgen.yaml", "0000"));
    std::fs::write(&target, &planted).unwrap();
    std::fs::create_dir_all(repo.join(".github/workflows")).unwrap();
    std::os::unix::fs::symlink(&target, repo.join(".github/workflows/release.yml")).unwrap();

    let out = run_in(repo.path(), &["--color", "never", "generate"]);
    expect_code(&out, 3, "generate over a symlink out of the repository");
    assert!(stderr(&out).contains("release.yml"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        planted,
        "wrote through the symlink"
    );
    assert!(
        !repo.join(".github/workflows/docker.yml").exists(),
        "a refusal writes nothing"
    );

    // --force replaces the link with a regular file; the target stays untouched.
    let out = run_in(repo.path(), &["generate", "--force"]);
    expect_code(&out, 0, "generate --force over the symlink");
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        planted,
        "wrote through the symlink"
    );
    let meta = std::fs::symlink_metadata(repo.join(".github/workflows/release.yml")).unwrap();
    assert!(meta.file_type().is_file(), "release.yml is still a symlink");
}

#[cfg(unix)]
#[test]
fn generate_does_not_write_into_a_symlinked_workflow_dir_outside() {
    let repo = TempRepo::with_fixture("llm-proxy");
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(repo.join(".github")).unwrap();
    std::os::unix::fs::symlink(outside.path(), repo.join(".github/workflows")).unwrap();
    let out = run_in(repo.path(), &["--color", "never", "generate", "--force"]);
    expect_code(&out, 3, "generate into a workflow dir that leads outside");
    assert!(stderr(&out).contains("outside"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_dir(outside.path()).unwrap().count(),
        0,
        "wrote outside the repository"
    );

    // A symlinked .github: not even the workflows directory is made outside.
    let repo = TempRepo::with_fixture("llm-proxy");
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), repo.join(".github")).unwrap();
    let out = run_in(repo.path(), &["--color", "never", "generate"]);
    expect_code(&out, 3, "generate through a symlinked .github");
    assert_eq!(
        std::fs::read_dir(outside.path()).unwrap().count(),
        0,
        "created something outside the repository"
    );
}

// ---- plan ------------------------------------------------------------------------

const SHA: &str = "abcdef1234567890abcdef1234567890abcdef12";

fn plan_json(fixture: &str, tag: &str, code: i32) -> serde_json::Value {
    plan_json_among(fixture, tag, &[], code)
}

/// `wfgen plan TAG --format json` in a repository whose tags are `repo_tags`
/// (`--tags FILE`: the answer does not depend on this repository's own tags).
fn plan_json_among(fixture: &str, tag: &str, repo_tags: &[&str], code: i32) -> serde_json::Value {
    let tags = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(tags.path(), repo_tags.join("\n")).unwrap();
    let out = wfgen()
        .arg("--spec")
        .arg(common::fixture_spec(fixture))
        .args(["plan", tag, "--format", "json", "--sha", SHA, "--tags"])
        .arg(tags.path())
        .output()
        .unwrap();
    expect_code(&out, code, &format!("plan {tag} ({fixture})"));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("plan --format json is not JSON ({e}):\n{}", stdout(&out)));
    for key in [
        "tag",
        "valid",
        "version",
        "prerelease",
        "promotion",
        "github_release",
        "latest",
        "images",
        "files",
        "charts",
        "pypi",
    ] {
        assert!(json.get(key).is_some(), "plan JSON has no `{key}`:\n{json:#}");
    }
    assert_eq!(json["tag"], tag);
    json
}

fn docker_refs(json: &serde_json::Value, image: &str) -> Vec<String> {
    let refs: Vec<String> = json["images"]
        .as_array()
        .unwrap_or_else(|| panic!("no images:\n{json:#}"))
        .iter()
        .flat_map(|im| im["tags"].as_array().cloned().unwrap_or_default())
        .map(|v| v.as_str().unwrap().to_string())
        .filter(|r| r.rsplit_once(':').is_some_and(|(name, _)| name == image))
        .collect();
    assert!(!refs.is_empty(), "no tags of {image}:\n{json:#}");
    refs
}

#[test]
fn plan_release_tag() {
    let json = plan_json("cluster-tool", "v1.4.2", 0);
    assert_eq!(json["valid"], true);
    assert_eq!(json["version"], "1.4.2");
    assert_eq!(json["prerelease"], false);
    assert_eq!(json["promotion"], false);
    assert!(json["github_release"].is_object(), "{json:#}");
    assert_eq!(json["latest"], true);
    let refs = docker_refs(&json, "ghcr.io/acme/kubetool");
    for r in [
        "ghcr.io/acme/kubetool:1.4.2",
        "ghcr.io/acme/kubetool:1.4",
        "ghcr.io/acme/kubetool:latest",
    ] {
        assert!(refs.contains(&r.to_string()), "{r} missing from {refs:?}");
    }
}

/// The release's title, checksums file, more files and notes from the
/// changelog: `wfgen plan` shows them, and a changelog without a section for
/// the version is a plan error naming the file and the version (exit 1), the
/// error the release job gives (the job's awk and `plan` read alike: unit
/// tests of `plan::changelog`).
#[test]
fn plan_release_title_checksums_assets_and_changelog() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(common::fixture_spec("cluster-tool"), dir.path().join("wfgen.yaml")).unwrap();
    std::fs::write(
        dir.path().join("CHANGELOG.md"),
        "# Changelog\n\n## [Unreleased]\n\n## [1.4.2] - 2026-01-02\n\n### Fixed\n- a fix\n\n## v1.4.1\n- older\n",
    )
    .unwrap();
    let tags = dir.path().join("tags.txt");
    std::fs::write(&tags, "").unwrap();
    let plan = |tag: &str, format: &str| {
        wfgen()
            .current_dir(dir.path())
            .args(["plan", tag, "--format", format, "--sha", SHA, "--tags"])
            .arg(&tags)
            .output()
            .unwrap()
    };
    let out = plan("v1.4.2", "json");
    expect_code(&out, 0, "plan v1.4.2");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let r = &json["github_release"];
    assert_eq!(r["title"], "kubetool 1.4.2");
    assert_eq!(r["checksums_file"], "kubetool_1.4.2_checksums.txt");
    assert_eq!(
        r["assets"],
        serde_json::json!(["LICENSE", "docs/*.md", "THIRD_PARTY_NOTICES.md"])
    );
    assert_eq!(r["notes"]["text"], "### Fixed\n- a fix\n");
    assert_eq!(json["outputs"]["release-title"], "kubetool 1.4.2");
    assert_eq!(json["outputs"]["checksums-file"], "kubetool_1.4.2_checksums.txt");
    let out = plan("v1.4.1", "json");
    expect_code(&out, 0, "plan v1.4.1");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["github_release"]["notes"]["text"], "- older\n");

    let want = "CHANGELOG.md has no section for version 1.5.0";
    let out = plan("v1.5.0", "json");
    expect_code(&out, 1, "plan v1.5.0");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["valid"], false);
    assert!(json["error"].as_str().unwrap().starts_with(want), "{json}");
    for nothing in ["files", "images", "charts", "pypi"] {
        assert_eq!(
            json[nothing],
            serde_json::json!([]),
            "a rejected tag publishes no {nothing}"
        );
    }
    let out = plan("v1.5.0", "plain");
    expect_code(&out, 1, "plan v1.5.0");
    assert!(stderr(&out).contains(want), "{}", stderr(&out));
    // A pre-release creates no GitHub release here: its notes are not needed.
    expect_code(&plan("v1.5.0-rc1", "json"), 0, "plan v1.5.0-rc1");
    // Without the changelog in the working tree, plan cannot tell.
    std::fs::remove_file(dir.path().join("CHANGELOG.md")).unwrap();
    expect_code(&plan("v1.5.0", "json"), 0, "plan v1.5.0 without a changelog");
}

#[test]
fn plan_backport_moves_no_latest() {
    // 1.5.0 is out: 1.4.9 takes its minor line's tag, not `latest` nor `1`.
    let json = plan_json_among("cluster-tool", "v1.4.9", &["v1.5.0", "v1.4.8", "v2.0.0-rc.1"], 0);
    assert!(json["github_release"].is_object(), "{json:#}");
    assert_eq!(json["latest"], false, "{json:#}");
    assert_eq!(
        json["standing"],
        serde_json::json!({"newest": false, "newest_in_major": false, "newest_in_minor": true})
    );
    let refs = docker_refs(&json, "ghcr.io/acme/kubetool");
    assert!(refs.contains(&"ghcr.io/acme/kubetool:1.4".to_string()), "{refs:?}");
    assert!(!refs.iter().any(|r| r.ends_with(":latest")), "{refs:?}");
}

#[test]
fn plan_tags_file_unreadable() {
    let out = wfgen()
        .arg("--spec")
        .arg(common::fixture_spec("cluster-tool"))
        .args(["plan", "v1.4.9", "--tags", "/nonexistent/tags.txt"])
        .output()
        .unwrap();
    expect_code(&out, 3, "plan --tags of a missing file");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot read the tags file /nonexistent/tags.txt"), "{err}");
    assert!(err.contains("help: --tags takes a file with one tag per line"), "{err}");
}

#[test]
fn plan_prerelease_tag() {
    let json = plan_json("cluster-tool", "v1.5.0-rc.1", 0);
    assert_eq!(json["valid"], true);
    assert_eq!(json["prerelease"], true);
    assert_eq!(json["latest"], false);
    assert!(
        json["github_release"].is_null(),
        "github-release: stable makes no release for an rc"
    );
    let refs = docker_refs(&json, "ghcr.io/acme/kubetool");
    assert!(
        refs.contains(&"ghcr.io/acme/kubetool:1.5.0-rc.1".to_string()),
        "{refs:?}"
    );
    assert!(
        !refs.iter().any(|r| r.ends_with(":latest") || r.ends_with(":1.5")),
        "latest and {{major}}.{{minor}} are never pushed for a pre-release: {refs:?}"
    );
}

#[test]
fn plan_promotion_tag() {
    let json = plan_json("llm-proxy", "v1.2.3-stable", 0);
    assert_eq!(json["valid"], true);
    assert_eq!(json["promotion"], true);
    assert_eq!(json["version"], "1.2.3");
    assert!(json["github_release"].is_object(), "{json:#}");

    let plain = plan_json("llm-proxy", "v1.2.3", 0);
    assert_eq!(plain["promotion"], false);
    assert!(
        plain["github_release"].is_null(),
        "with stable-suffix only promotion tags create the release"
    );
    let refs = docker_refs(&plain, "ghcr.io/sofatutor/llm-proxy");
    assert!(
        refs.contains(&"ghcr.io/sofatutor/llm-proxy:sha-abcdef1".to_string()),
        "{refs:?}"
    );
}

#[test]
fn plan_rejects_a_bad_tag() {
    for tag in ["v1.2", "release-1.2.3", "v1.2.3-nightly1"] {
        let json = plan_json("cluster-tool", tag, 1);
        assert_eq!(json["valid"], false, "{tag}");
    }
    let out = wfgen()
        .arg("--spec")
        .arg(common::fixture_spec("cluster-tool"))
        .args(["plan", "v1.2", "--sha", SHA])
        .output()
        .unwrap();
    expect_code(&out, 1, "plan v1.2 (plain)");
    assert!(
        stdout(&out).contains("v1.2"),
        "the error quotes the tag:\n{}",
        stdout(&out)
    );
}

#[test]
fn plan_pep440_without_prefix() {
    let json = plan_json("model-server", "1.6.0rc2", 0);
    assert_eq!(json["valid"], true);
    assert_eq!(json["prerelease"], true);
    assert_eq!(json["latest"], false);
    let json = plan_json("model-server", "1.6.0", 0);
    assert_eq!(json["prerelease"], false);
    plan_json("model-server", "v1.6.0", 1);
}

// ---- schema, completions, usage -----------------------------------------------------

#[test]
fn schema_matches_the_committed_file() {
    let out = wfgen().arg("schema").output().unwrap();
    expect_code(&out, 0, "wfgen schema");
    let committed = std::fs::read_to_string(common::repo_root().join("schema/wfgen.schema.json"))
        .expect("schema/wfgen.schema.json is committed");
    assert!(
        stdout(&out) == committed,
        "schema/wfgen.schema.json is out of date; run: cargo run -q -- schema > schema/wfgen.schema.json"
    );
    let json: serde_json::Value = serde_json::from_str(&committed).expect("the schema is JSON");
    assert!(json["properties"]["wfgen"].is_object(), "{json:#}");
}

#[test]
fn schema_is_a_valid_json_schema() {
    let mut cmd = common::judge_cmd("check-jsonschema");
    cmd.current_dir(common::repo_root())
        .args(["--check-metaschema", "schema/wfgen.schema.json"]);
    let v = common::run_judge(cmd);
    assert!(
        v.success,
        "schema/wfgen.schema.json is not a valid JSON Schema:\n{}",
        v.output
    );
}

#[test]
fn schema_accepts_every_fixture() {
    let mut cmd = common::judge_cmd("check-jsonschema");
    cmd.current_dir(common::repo_root())
        .args(["--schemafile", "schema/wfgen.schema.json"]);
    for fixture in common::fixtures() {
        cmd.arg(format!("fixtures/{fixture}/wfgen.yaml"));
    }
    let v = common::run_judge(cmd);
    assert!(
        v.success,
        "a fixture does not match schema/wfgen.schema.json:\n{}",
        v.output
    );
}

#[test]
fn schema_rejects_an_unknown_key() {
    let repo = TempRepo::new();
    repo.write(
        "wfgen.yaml",
        "wfgen: 1\nproject:\n  name: demo\n  repositroy: acme/demo\n",
    );
    let mut cmd = common::judge_cmd("check-jsonschema");
    cmd.arg("--schemafile")
        .arg(common::repo_root().join("schema/wfgen.schema.json"))
        .arg(repo.join("wfgen.yaml"));
    let v = common::run_judge(cmd);
    assert!(
        !v.success && v.output.contains("repositroy"),
        "the schema should refuse an unknown key (editors rely on it):\n{}",
        v.output
    );
}

#[test]
fn completions_print_a_script() {
    for shell in ["bash", "zsh", "fish"] {
        let out = wfgen().args(["completions", shell]).output().unwrap();
        expect_code(&out, 0, &format!("completions {shell}"));
        assert!(stdout(&out).contains("wfgen"), "{shell}");
    }
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["frobnicate"][..],
        &["plan"],
        &["generate", "--bogus"],
        &["--color", "sometimes", "validate"],
    ] {
        let out = wfgen().args(args).output().unwrap();
        expect_code(&out, 2, &format!("wfgen {args:?}"));
    }
    let out = wfgen().arg("--help").output().unwrap();
    expect_code(&out, 0, "wfgen --help");
    let out = wfgen().arg("--version").output().unwrap();
    expect_code(&out, 0, "wfgen --version");
}

/// In a repository, the changelog (or notes file) of `release.notes` must
/// be a file of the repository: every release reads it. A spec outside a
/// repository is checked as a spec alone.
#[test]
fn the_changelog_must_be_in_the_repository() {
    let spec = "wfgen: 1\nproject:\n  name: demo\nrelease:\n  notes: changelog:CHANGELOG.md\n";
    let repo = TempRepo::new();
    repo.write("wfgen.yaml", spec);
    let out = wfgen().current_dir(repo.path()).arg("generate").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("wfgen.yaml:5:10:") && stderr.contains("the changelog `CHANGELOG.md` is not a file"),
        "{stderr}"
    );
    assert!(stderr.contains("help:"), "{stderr}");
    assert!(
        !repo.join(".github/workflows/release.yml").exists(),
        "nothing is written"
    );

    repo.write("CHANGELOG.md", "# Changelog\n");
    let out = wfgen().current_dir(repo.path()).arg("generate").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("wfgen.yaml"), spec).unwrap();
    let out = wfgen().current_dir(dir.path()).arg("validate").output().unwrap();
    assert!(
        out.status.success(),
        "outside a repository: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// In a repository, each `include` of a binary must name something there,
/// unless git ignores it: an ignored path is a build output that a `setup`
/// step makes (opsml's UI bundle), left to the build job.
#[test]
fn includes_must_name_files_of_the_repository_or_ignored_outputs() {
    let spec = "wfgen: 1
project:
  name: demo
binaries:
  - name: demo
    kind: rust
    targets: [x86_64-unknown-linux-gnu]
    include:
      - README.md
      - LICENSE*
      - { from: ui/build, to: ui }
      - docs/*.md
";
    let repo = TempRepo::new();
    repo.write("wfgen.yaml", spec);
    let out = wfgen().current_dir(repo.path()).arg("validate").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    for (at, what) in [
        (
            "wfgen.yaml:9:9:",
            "the file `README.md` of `include` names nothing in the repository",
        ),
        ("wfgen.yaml:10:9:", "the glob `LICENSE*` of `include`"),
        ("wfgen.yaml:11:17:", "the directory `ui/build` of `include`"),
        ("wfgen.yaml:12:9:", "the glob `docs/*.md` of `include`"),
    ] {
        assert!(stderr.contains(at) && stderr.contains(what), "{at} {what}:\n{stderr}");
    }
    assert!(stderr.contains("list it in .gitignore"), "{stderr}");
    let out = wfgen().current_dir(repo.path()).arg("generate").output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(!repo.join(".github/workflows").exists(), "nothing is written");

    // Committed files, and the UI bundle as an ignored build output.
    repo.write("README.md", "# demo\n");
    repo.write("LICENSE-MIT", "MIT\n");
    repo.write("docs/guide.md", "guide\n");
    repo.write(".gitignore", "/ui/build\n");
    let out = wfgen().current_dir(repo.path()).arg("generate").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // Outside a repository the spec is checked alone.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("wfgen.yaml"), spec).unwrap();
    let out = wfgen().current_dir(dir.path()).arg("validate").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

// ---- the release manifest ------------------------------------------------------------

#[test]
fn manifest_schema_matches_the_committed_file() {
    let out = wfgen().args(["schema", "--manifest"]).output().unwrap();
    expect_code(&out, 0, "wfgen schema --manifest");
    let committed = std::fs::read_to_string(common::repo_root().join("schema/manifest.schema.json"))
        .expect("schema/manifest.schema.json is committed");
    assert!(
        stdout(&out) == committed,
        "schema/manifest.schema.json is out of date; run: cargo run -q -- schema --manifest > schema/manifest.schema.json"
    );
}

/// The manifest of every fixture, for a release, a pre-release, a
/// promotion (where the grammar has one) and a rejected tag, matches its
/// schema (check-jsonschema, which also checks the schema itself).
#[test]
fn every_manifest_matches_its_schema() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    let no_tags = dir.path().join("tags.txt");
    std::fs::write(&no_tags, "").unwrap();
    for fixture in common::fixtures() {
        let spec = common::fixture_spec(&fixture);
        let text = std::fs::read_to_string(&spec).unwrap();
        let (parsed, _) = wfgen::parse_spec("wfgen.yaml", &text).unwrap();
        let p = wfgen::plan::Plan::new(&parsed);
        let prefix = p.grammar.prefix.clone();
        let mut tags = vec![
            format!("{prefix}1.4.2"),
            format!("{prefix}1.5.0rc1"),
            "nope".to_string(),
        ];
        if let Some(s) = &p.grammar.stable_suffix {
            tags.push(format!("{prefix}1.4.2{s}"));
        }
        for (i, tag) in tags.iter().enumerate() {
            let out = wfgen()
                .arg("--spec")
                .arg(&spec)
                .args(["plan", "--format", "json", "--sha", SHA, "--tags"])
                .arg(&no_tags)
                .args(["--", tag])
                .output()
                .unwrap();
            let path = dir.path().join(format!("{fixture}-{i}.json"));
            std::fs::write(&path, &out.stdout).unwrap();
            files.push(path);
        }
    }
    let mut cmd = common::judge_cmd("check-jsonschema");
    cmd.arg("--schemafile")
        .arg(common::repo_root().join("schema/manifest.schema.json"))
        .args(&files);
    let v = common::run_judge(cmd);
    assert!(
        v.success,
        "a manifest does not match schema/manifest.schema.json:\n{}",
        v.output
    );
}

/// What the manifest says a release builds: opsml's wheels per platform
/// and ABI, its sdist and its server archives, each with its job and
/// artifact; the PyPI upload names the same files at the PEP 440 version.
#[test]
fn manifest_names_every_file_of_the_release() {
    let json = plan_json("opsml", "v1.3.0-rc.1", 0);
    let files: Vec<String> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {} {} {} {}",
                f["kind"].as_str().unwrap(),
                f["name"].as_str().unwrap(),
                f["version"].as_str().unwrap(),
                f["workflow"].as_str().unwrap(),
                f["job"].as_str().unwrap()
            )
        })
        .collect();
    insta::assert_snapshot!(files.join("\n"));
    for p in json["pypi"].as_array().unwrap() {
        assert_eq!(p["version"], json["pep440"]);
        assert!(!p["files"].as_array().unwrap().is_empty(), "{p}");
    }
    // A promotion builds nothing.
    let json = plan_json("llm-proxy", "v1.2.3-stable", 0);
    assert_eq!(json["kind"], "promotion");
    assert_eq!(json["files"], serde_json::json!([]));
    assert_eq!(json["images"], serde_json::json!([]));
}

/// How the manifest says each file and image is built: a leg's command,
/// executable, job container and glibc floor; a pure package's build
/// command and directory; the release binaries each image build takes into
/// its context (the musl legs for vector's alpine variant), with the build
/// arguments naming them; the PyPI token; the spec's jobs that the tag runs.
#[test]
fn manifest_says_how_each_file_and_image_is_built() {
    let json = plan_json("opsml-server", "v1.3.0", 0);
    let legs: Vec<String> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "archive")
        .map(|f| {
            let b = &f["build"];
            format!(
                "{} {} {} {} {}",
                f["name"].as_str().unwrap(),
                b["command"].as_str().unwrap(),
                b["executable"].as_str().unwrap(),
                b["container"].as_str().unwrap_or("-"),
                b["glibc"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    for want in [
        "opsml-server-x86_64-unknown-linux-gnu-rocky.tar.gz cargo build opsml-server rockylinux:9 -",
        "opsml-server-aarch64-unknown-linux-gnu.tar.gz cargo zigbuild opsml-server - 2.28",
        "opsml-cli-x86_64-pc-windows-msvc.zip cargo build opsml.exe - -",
    ] {
        assert!(legs.contains(&want.to_string()), "{want} not in {legs:#?}");
    }
    assert!(
        json["files"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["kind"] == "checksum")
            .all(|f| f["build"].is_null())
    );

    let json = plan_json("airflow", "3.2.0", 0);
    let core = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["package"] == "apache-airflow-core" && f["kind"] == "sdist")
        .expect("the core's sdist");
    assert_eq!(
        core["build"],
        serde_json::json!({"command": "uv build --no-sources --sdist --wheel --out-dir dist",
            "toolchain": "uv", "directory": "airflow-core", "package": null, "executable": null, "container": null, "glibc": null})
    );
    assert!(
        json["pypi"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["token_secret"].is_null())
    );

    let json = plan_json("vector", "v0.58.0", 0);
    let alpine = json["images"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["variant"] == "alpine")
        .expect("the alpine variant");
    assert_eq!(alpine["dockerfile"], "distribution/docker/alpine/Dockerfile");
    assert_eq!(alpine["context"], ".");
    assert_eq!(
        alpine["build_args"],
        serde_json::json!({"VECTOR_BINARY": ".wfgen/bin/vector"})
    );
    let binaries: Vec<String> = alpine["binaries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            format!(
                "{} {} {} {}",
                b["platform"].as_str().unwrap(),
                b["target"].as_str().unwrap(),
                b["file"].as_str().unwrap(),
                b["path"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        binaries,
        [
            "linux/amd64 x86_64-unknown-linux-musl vector-0.58.0-x86_64-unknown-linux-musl.tar.gz .wfgen/bin/vector",
            "linux/arm64 aarch64-unknown-linux-musl vector-0.58.0-aarch64-unknown-linux-musl.tar.gz .wfgen/bin/vector",
        ]
    );

    // A Go leg builds its main package.
    let json = plan_json("cluster-tool", "v1.4.2", 0);
    let go: std::collections::BTreeSet<String> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "archive")
        .map(|f| format!("{} {}", f["build"]["command"], f["build"]["package"]))
        .collect();
    assert_eq!(
        go,
        std::collections::BTreeSet::from([
            "\"go build\" \"./cmd/agent\"".to_string(),
            "\"go build\" \"./cmd/kubetool\"".to_string()
        ])
    );

    // cluster-tool's Homebrew job runs for a release, not for an rc.
    let jobs = |tag: &str| plan_json("cluster-tool", tag, 0)["jobs"].clone();
    assert_eq!(
        jobs("v1.4.2"),
        serde_json::json!([{"id": "homebrew", "stage": "after-release", "workflow": "release.yml"}])
    );
    assert_eq!(jobs("v1.4.2-rc.1"), serde_json::json!([]));
    // llm-proxy's verify job does not run for a promotion, its after-release jobs do.
    let ids = |tag: &str| -> Vec<String> {
        plan_json("llm-proxy", tag, 0)["jobs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|j| j["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids("v1.2.3"), ["smoke", "deploy", "docs"]);
    assert_eq!(ids("v1.2.3-stable"), ["deploy", "docs"]);
}

/// `toolchains` lists what the tag's run installs: no Rust, Python or
/// maturin for a Go spec, and nothing but cosign (to sign the release's
/// files) for a promotion, which builds nothing.
#[test]
fn plan_lists_only_the_toolchains_the_run_uses() {
    let json = plan_json("cluster-tool", "v1.4.2", 0);
    let tools: Vec<&str> = json["toolchains"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert!(tools.contains(&"go") && tools.contains(&"helm"), "{tools:?}");
    for absent in ["rust", "maturin", "poetry", "uv", "cargo-zigbuild"] {
        assert!(!tools.contains(&absent), "{absent} in {tools:?}");
    }
    let json = plan_json("llm-proxy", "v1.2.3-stable", 0);
    let tools: Vec<&str> = json["toolchains"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert!(
        tools.iter().all(|t| *t == "cosign"),
        "a promotion builds nothing: {tools:?}"
    );
}

/// `wfgen validate` warns, naming the file, when a published package's
/// version comes from a file the release does not check against the tag;
/// listing it in versioning.version-files (or deriving the version from
/// the tag) ends the warning. A warning does not fail the command.
#[test]
fn validate_warns_of_an_unchecked_version_source() {
    let repo = TempRepo::new();
    let spec = "wfgen: 1\nproject: { name: demo, repository: acme/demo }\n{VERSIONING}python:\n  - name: demo-core\n    path: py\n    build: pure\n";
    repo.write("wfgen.yaml", &spec.replace("{VERSIONING}", ""));
    repo.write(
        "py/pyproject.toml",
        "[project]\nname = \"demo-core\"\nversion = \"1.2.3\"\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
    );
    let out = run_in(repo.path(), &["validate"]);
    expect_code(&out, 0, "validate with an unchecked version source");
    insta::assert_snapshot!(stderr(&out));
    repo.write(
        "wfgen.yaml",
        &spec.replace("{VERSIONING}", "versioning: { version-files: [py/pyproject.toml] }\n"),
    );
    let out = run_in(repo.path(), &["validate"]);
    expect_code(&out, 0, "validate with a checked version source");
    assert_eq!(stderr(&out), "", "a checked source: no warning");
    // setuptools-scm: the version is the tag's.
    repo.write("wfgen.yaml", &spec.replace("{VERSIONING}", ""));
    repo.write(
        "py/pyproject.toml",
        "[project]\nname = \"demo-core\"\ndynamic = [\"version\"]\n[build-system]\nrequires = [\"setuptools\", \"setuptools-scm\"]\nbuild-backend = \"setuptools.build_meta\"\n",
    );
    assert_eq!(stderr(&run_in(repo.path(), &["validate"])), "");
}
