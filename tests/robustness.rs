//! Robustness of the binary on hostile inputs: no abort, no hang, positions
//! that stay right. Timing is measured by `scripts/bench-inputs`, not here.

mod common;

use common::{TempRepo, wfgen};
use std::time::Duration;

const RELEASE: &str = ".github/workflows/release.yml";

fn run(repo: &TempRepo, args: &[&str]) -> (Option<i32>, String, String) {
    let out = wfgen()
        .current_dir(repo.path())
        .args(args)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn generated(fixture: &str) -> TempRepo {
    let repo = TempRepo::with_fixture(fixture);
    assert_eq!(run(&repo, &["generate"]).0, Some(0));
    repo
}

/// 1-based line of the first occurrence of `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text[..text.find(needle).unwrap()].matches('\n').count() + 1
}

#[test]
fn a_workflow_nested_too_deep_is_a_located_finding_not_a_crash() {
    let repo = generated("llm-proxy");
    for (text, at) in [
        (format!("{}x\n", "- ".repeat(254)), "1:129"),
        (format!("x: {}{}\n", "[".repeat(50_000), "]".repeat(50_000)), "1:67"),
    ] {
        std::fs::write(repo.join(RELEASE), text).unwrap();
        let (code, out, err) = run(&repo, &["check", "--format", "oneline"]);
        assert_eq!(code, Some(3), "{out}{err}");
        assert!(out.contains(&format!("{RELEASE}:{at}: ")), "{out}");
        assert!(
            out.contains("nested more than 64 levels") && out.contains("[invalid-workflow]"),
            "{out}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn non_utf8_and_alias_bomb_workflows_are_located() {
    let repo = generated("llm-proxy");
    std::fs::write(repo.join(RELEASE), b"name: x\non:\n  push: {}\njobs:\n  a: b\xff\n").unwrap();
    let (code, out, _) = run(&repo, &["check", "--format", "oneline"]);
    assert_eq!(code, Some(3));
    assert!(
        out.contains(&format!("{RELEASE}:5:7: ")) && out.contains("not UTF-8"),
        "{out}"
    );

    let mut bomb = String::from("a0: &a0 [x,x,x,x,x,x,x,x,x]\n");
    for i in 1..10 {
        bomb.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            vec![format!("*a{}", i - 1); 9].join(",")
        ));
    }
    std::fs::write(repo.join(RELEASE), bomb).unwrap();
    let (code, out, _) = run(&repo, &["check", "--format", "oneline"]);
    assert_eq!(code, Some(3));
    assert!(out.contains(&format!("{RELEASE}:2:10: ")), "{out}");
}

#[cfg(unix)]
#[test]
fn a_fifo_among_the_workflows_is_reported_not_read() {
    let repo = generated("llm-proxy");
    let fifo = repo.join(".github/workflows/pipe.yml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let (code, out, _) = run(&repo, &["check", "--format", "oneline"]);
    assert_eq!(code, Some(3), "{out}");
    assert!(
        out.contains(".github/workflows/pipe.yml:1:1: ")
            && out.contains("FIFO")
            && out.contains("[unreadable-workflow]"),
        "{out}"
    );
    let (code, _, err) = run(&repo, &["plan", "v1.2.3", "--tags", ".github/workflows/pipe.yml"]);
    assert_eq!(code, Some(3));
    assert!(err.contains("FIFO") && err.contains("help:"), "{err}");
    let (code, _, err) = run(&repo, &["pins", "sync"]);
    assert_eq!(code, Some(3));
    assert!(err.contains("FIFO") && err.contains("help:"), "{err}");

    // At a produced path: generate refuses (nothing written) instead of hanging.
    std::fs::remove_file(repo.join(RELEASE)).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(repo.join(RELEASE))
        .status()
        .unwrap();
    assert!(made.success());
    let (code, _, err) = run(&repo, &["generate"]);
    assert_eq!(code, Some(3));
    assert!(err.contains("FIFO") && err.contains("nothing was written"), "{err}");
}

#[test]
fn a_leading_bom_hides_neither_the_header_nor_positions() {
    let repo = generated("llm-proxy");
    let text = std::fs::read_to_string(repo.join(RELEASE)).unwrap();
    let edited = format!(
        "\u{feff}{}",
        text.replacen("runs-on: ubuntu-24.04", "runs-on: ubuntu-22.04", 1)
    );
    std::fs::write(repo.join(RELEASE), &edited).unwrap();
    let line = line_of(&edited, "ubuntu-22.04");
    let (code, out, _) = run(&repo, &["check", "--format", "oneline"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains(&format!("{RELEASE}:{line}:14: ")), "{out}");
    assert!(
        !out.contains("no wfgen header") && !out.contains("[spec-changed]"),
        "{out}"
    );
    // generate takes the file as its own (no --force needed).
    let (code, out, err) = run(&repo, &["generate"]);
    assert_eq!(code, Some(0), "{out}{err}");
}

#[test]
fn u_feff_in_a_value_keeps_every_position() {
    let repo = TempRepo::with_fixture("llm-proxy");
    let spec = std::fs::read_to_string(repo.join("wfgen.yaml")).unwrap();
    let spec = spec.replacen("run: make test }", "run: \"\\ufeffmake test\" }", 1);
    assert!(spec.contains("\\ufeff"));
    std::fs::write(repo.join("wfgen.yaml"), spec).unwrap();
    assert_eq!(run(&repo, &["generate"]).0, Some(0));
    let text = std::fs::read_to_string(repo.join(RELEASE)).unwrap();
    assert!(text.contains('\u{feff}'));
    let edited = text.replacen("runs-on: ubuntu-24.04", "runs-on: ubuntu-22.04", 1);
    std::fs::write(repo.join(RELEASE), &edited).unwrap();
    let line = line_of(&edited, "ubuntu-22.04");
    let (code, out, _) = run(&repo, &["check", "--format", "oneline"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains(&format!("{RELEASE}:{line}:14: ")), "{out}");
    assert!(!out.contains(":1:1: "), "{out}");
}

#[test]
fn plan_sha_takes_hex_digits_only() {
    let repo = TempRepo::with_fixture("llm-proxy");
    for bad in ["ab c", "abcdef1\n", "abcdef1 ", "xyz1234", "abc", &"a".repeat(41)] {
        let (code, _, err) = run(&repo, &["plan", "v1.2.3", "--sha", bad]);
        assert_eq!(code, Some(2), "{bad:?}: {err}");
        assert!(err.contains("7 to 40 hex digits") && err.contains("--help"), "{err}");
    }
    for good in ["abcdef1", "0123456789abcdef0123456789ABCDEF01234567"] {
        assert_eq!(run(&repo, &["plan", "v1.2.3", "--sha", good]).0, Some(0), "{good}");
    }
}

#[test]
fn plan_refuses_a_docker_tag_over_128_characters() {
    let repo = TempRepo::with_fixture("llm-proxy");
    let tag = format!("v1.0.0-rc.{}", "a".repeat(130));
    let (code, out, _) = run(&repo, &["plan", &tag]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains(&format!(
            "makes the Docker tag 'ghcr.io/sofatutor/llm-proxy:1.0.0-rc.{}'",
            "a".repeat(130)
        )) && out.contains("at most 128"),
        "{out}"
    );
    let ok = format!("v1.0.0-rc.{}", "a".repeat(100));
    assert_eq!(run(&repo, &["plan", &ok]).0, Some(0));
}

#[test]
fn thousands_of_differences_list_the_first_hundred_and_count_the_rest() {
    let repo = generated("llm-proxy");
    let text: String = (0..20_000).map(|i| format!("key{i}: value{i}\n")).collect();
    std::fs::write(repo.join(RELEASE), &text).unwrap();
    let (code, out, _) = run(&repo, &["check", "--format", "oneline"]);
    assert_eq!(code, Some(1), "{out}");
    let in_file: Vec<&str> = out.lines().filter(|l| l.starts_with(RELEASE)).collect();
    // 100 differences, the count of the rest, and the missing header.
    assert_eq!(in_file.len(), 102, "{}", in_file.join("\n"));
    assert!(out.contains("has no wfgen header"), "{out}");
    assert!(out.contains(&format!("{RELEASE}:3:1: `key2`: unexpected key")), "{out}");
    assert!(out.contains("more differences not listed (at most 100 are)"), "{out}");
}

#[test]
fn positions_past_column_65535_are_reported_without_a_panic() {
    // check, plain format: a 1 MB workflow of one line.
    let repo = generated("llm-proxy");
    std::fs::write(repo.join(RELEASE), format!("name: {}\n", "a".repeat(1_000_000))).unwrap();
    let (code, out, err) = run(&repo, &["check"]);
    assert_eq!(code, Some(3), "{out}{err}");
    assert!(!err.contains("panicked") && out.contains("1000007 bytes"), "{out}{err}");
    assert!(
        out.contains("(.github/workflows/release.yml, line 1, column 524289)"),
        "{out}"
    );

    // validate: an error at column 70,037 of the spec.
    let spec = format!(
        "wfgen: 1\nproject: {{name: demo, homepage: \"{}\", bad: 1}}\n",
        "a".repeat(70_000)
    );
    std::fs::write(repo.join("wfgen.yaml"), spec).unwrap();
    let (code, _, err) = run(&repo, &["validate"]);
    assert_eq!(code, Some(3), "{err}");
    assert!(
        !err.contains("panicked") && err.contains("wfgen.yaml:2:70037: unknown key `bad`"),
        "{err}"
    );
}

#[test]
fn positions_survive_lines_longer_than_32767_columns() {
    // The span index keeps indentation in 16 bits: a line indented past
    // 32,767 columns used to lose every position of the file (1:1 in check,
    // no line at all in validate). Such a line is refused at its place; a
    // long line that is not indented keeps every position after it.
    let repo = generated("llm-proxy");
    let wide = format!(
        "wfgen: 1\nproject:\n  name: demo\ngates:\n  - name: test\n    run: |\n      make test\n{}echo far\nbinaries:\n  - name: demo\n    kind: rust\n    targts: [x86_64-unknown-linux-gnu]\n",
        " ".repeat(40_000)
    );
    std::fs::write(repo.join("wfgen.yaml"), &wide).unwrap();
    let (code, _, err) = run(&repo, &["validate"]);
    assert_eq!(code, Some(3), "{err}");
    assert!(
        err.contains("wfgen.yaml:8:1: a line is indented by 40000 columns") && !err.contains("panicked"),
        "{err}"
    );
    assert!(err.len() < 2_000, "no snippet of a 40,000-column line:\n{err}");

    let long = format!(
        "wfgen: 1\nproject:\n  name: demo\ngates:\n  - {{ name: test, run: \"{}\" }}\nbinaries:\n  - name: demo\n    kind: rust\n    targts: [x86_64-unknown-linux-gnu]\n",
        "x".repeat(40_000)
    );
    std::fs::write(repo.join("wfgen.yaml"), &long).unwrap();
    let (code, _, err) = run(&repo, &["validate"]);
    assert_eq!(code, Some(3), "{err}");
    assert!(err.contains("wfgen.yaml:9:5: unknown key `targts`"), "{err}");

    // check: the same line in a workflow is one located finding.
    let repo = generated("llm-proxy");
    let text = std::fs::read_to_string(repo.join(RELEASE)).unwrap();
    let at = line_of(&text, "timeout-minutes:");
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    lines.insert(at, format!("{}# far", " ".repeat(40_000)));
    std::fs::write(repo.join(RELEASE), lines.join("\n") + "\n").unwrap();
    let (code, out, err) = run(&repo, &["check", "--format", "oneline"]);
    assert_eq!(code, Some(3), "{out}{err}");
    assert!(
        out.contains(&format!(
            ".github/workflows/release.yml:{}:1: `.github/workflows/release.yml` is not parsed: a line is indented by 40000 columns",
            at + 1
        )),
        "{out}"
    );
}

#[test]
fn a_reader_that_closes_the_pipe_early_ends_wfgen_quietly() {
    // `wfgen plan v1.0.0 | head -1`: the reader is gone before wfgen writes.
    // wfgen used to panic ("failed printing to stdout: Broken pipe"), exit 101.
    let repo = generated("llm-proxy");
    for args in [
        &["plan", "v1.4.0", "--format", "json"][..],
        &["plan", "v1.4.0"],
        &["schema"],
        &["pins", "list"],
        &["check", "--format", "json"],
        &["generate", "--dry-run"],
    ] {
        // A pipe whose read end is closed before the child starts.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = std::process::Command::new(common::wfgen_bin())
            .current_dir(repo.path())
            .args(args)
            .stdout(writer)
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "wfgen {args:?}: {err}");
        assert_eq!(out.status.code(), Some(0), "wfgen {args:?}: {err}");
    }
}
