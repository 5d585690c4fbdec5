//! `wfgen check` and `wfgen pins` as a user runs them: the real binary in a
//! scratch repository, with the environment scrubbed (NO_COLOR, CI,
//! GITHUB_*, colour variables), its output snapshotted in each format
//! (insta, tests/snapshots/), and the SARIF validated against the SARIF
//! 2.1.0 schema in tests/data with check-jsonschema.
//!
//! The drift cases edit the generated files where their position does not
//! depend on the templates (the lines after the header, files of their own),
//! so that the snapshots only change when the check's output does, or when a
//! template changes its first line.

use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;

const SPEC: &str = "\
# A small project: one binary, one chart.
wfgen: 1
project:
  name: demo
  repository: acme/demo
gates:
  - { name: test, run: make test }
binaries:
  - name: demo
    kind: rust
    package: demo
    targets: [x86_64-unknown-linux-gnu]
helm:
  - chart: deploy/chart
    registry: oci://ghcr.io/acme/charts
";

struct Repo {
    dir: tempfile::TempDir,
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// Everything the user sees, for a snapshot.
    fn shown(&self) -> String {
        let v = env!("CARGO_PKG_VERSION");
        format!(
            "exit code: {}\n----- stdout -----\n{}----- stderr -----\n{}",
            self.code,
            self.stdout.replace(v, "[VERSION]"),
            self.stderr
        )
    }
}

impl Repo {
    fn new(spec: &str) -> Repo {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("wfgen.yaml"), spec).unwrap();
        let repo = Repo { dir };
        let r = repo.wfgen(&["generate"]);
        assert_eq!(r.code, 0, "generate failed: {}", r.stderr);
        repo
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.path(rel), text).unwrap();
    }

    fn edit(&self, rel: &str, f: impl FnOnce(&str) -> String) {
        let t = self.read(rel);
        self.write(rel, &f(&t));
    }

    fn wfgen(&self, args: &[&str]) -> Run {
        let mut cmd = cargo_bin_cmd!("wfgen");
        cmd.current_dir(self.dir.path()).args(args);
        for (k, _) in std::env::vars_os() {
            let k = k.to_string_lossy().into_owned();
            if k.starts_with("GITHUB_") || k.starts_with("RUNNER_") {
                cmd.env_remove(&k);
            }
        }
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
}

const RELEASE: &str = ".github/workflows/release.yml";
const BUILD: &str = ".github/workflows/build-assets.yml";
const HELM: &str = ".github/workflows/helm-publish.yml";

/// Inserts `line` after the two header lines.
fn after_header(text: &str, line: &str) -> String {
    let mut parts = text.splitn(3, '\n');
    let (a, b, rest) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap_or(""));
    format!("{a}\n{b}\n{line}\n{rest}")
}

/// The drift case of the format snapshots: an added key (content-drift), a
/// deleted workflow (missing-workflow, with a label in the spec), a left
/// over generated file (stale-workflow), an added comment (format-drift),
/// and a workflow that wfgen did not write (never reported).
fn drifted() -> Repo {
    drifted_but(&[])
}

/// [`drifted`], keeping the workflows `keep` as generated.
fn drifted_but(keep: &[&str]) -> Repo {
    let repo = Repo::new(SPEC);
    repo.edit(RELEASE, |t| after_header(t, "wfgen-extra: true"));
    if !keep.contains(&BUILD) {
        std::fs::remove_file(repo.path(BUILD)).unwrap();
    }
    repo.edit(HELM, |t| after_header(t, "# edited by hand"));
    let stale = format!(
        "{}name: old\non: push\n",
        wfgen::render::header("wfgen.yaml", &"0".repeat(64))
    );
    repo.write(".github/workflows/old.yml", &stale);
    repo.write(".github/workflows/ci.yml", "name: ci\non: [push\n");
    repo
}

#[test]
fn a_fresh_tree_checks_clean() {
    let repo = Repo::new(SPEC);
    let r = repo.wfgen(&["check"]);
    insta::assert_snapshot!("clean_plain", r.shown());
    let r = repo.wfgen(&["check", "--format", "oneline"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""));
    let r = repo.wfgen(&["check", "--format", "sarif"]);
    assert_eq!(r.code, 0);
    validate_sarif(&r.stdout);
}

#[test]
fn drift_in_every_format() {
    let repo = drifted();
    for format in ["plain", "oneline", "json", "sarif", "github"] {
        let r = repo.wfgen(&["check", "--format", format]);
        assert_eq!(r.code, 1, "{format}: {}", r.shown());
        insta::assert_snapshot!(format!("drift_{format}"), r.shown());
    }
}

#[test]
fn oneline_is_exactly_one_finding_a_line() {
    let repo = drifted();
    let r = repo.wfgen(&["check", "--format", "oneline"]);
    let re = regex::Regex::new(r"^\.github/workflows/[a-z.-]+:\d+:\d+: .+ \[[a-z-]+\]$").unwrap();
    assert_eq!(r.stdout.lines().count(), 4, "{}", r.stdout);
    for line in r.stdout.lines() {
        assert!(re.is_match(line), "not `path:line:col: message [rule-id]`: {line}");
    }
    assert!(r.stdout.contains(".github/workflows/release.yml:3:1: "));
    assert!(
        !r.stdout.contains("ci.yml"),
        "a file wfgen did not write is never reported"
    );
}

#[test]
fn json_is_versioned_with_positions_and_offsets() {
    let repo = drifted();
    let r = repo.wfgen(&["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    assert_eq!(v["version"], 1);
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "content-drift")
        .expect("content drift");
    assert_eq!(f["location"]["start"]["line"], 3);
    assert_eq!(f["location"]["start"]["column"], 1);
    let text = repo.read(RELEASE);
    let off = f["location"]["start"]["offset"].as_u64().unwrap() as usize;
    let end = f["location"]["end"]["offset"].as_u64().unwrap() as usize;
    assert_eq!(&text[off..end], "wfgen-extra");
    let missing = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "missing-workflow")
        .unwrap();
    assert_eq!(missing["spec_label"]["file"], "wfgen.yaml");
    assert_eq!(missing["spec_label"]["location"]["start"]["line"], 8);
}

#[test]
fn strict_fails_on_format_drift_only() {
    let repo = Repo::new(SPEC);
    repo.edit(HELM, |t| after_header(t, "# edited by hand"));
    let r = repo.wfgen(&["check", "--format", "oneline"]);
    assert_eq!(r.code, 0, "a format-only edit passes a plain check: {}", r.shown());
    assert!(r.stdout.contains("[format-drift]"));
    let r = repo.wfgen(&["check", "--strict", "--format", "github"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout
            .starts_with("::error file=.github/workflows/helm-publish.yml,line=3,col=1,")
    );
}

#[test]
fn diff_shows_what_generate_would_write() {
    // The drifted repository but for the deleted workflow, whose diff would
    // be a whole template.
    let repo = drifted_but(&[BUILD]);
    let r = repo.wfgen(&["check", "--diff", "--format", "oneline"]);
    insta::assert_snapshot!("drift_diff", r.shown());
    // Coloured with --color always; not with auto when stdout is a pipe.
    let r = repo.wfgen(&["check", "--diff", "--format", "oneline", "--color", "always"]);
    assert!(
        r.stdout.contains("\x1b[1m+++ ") && r.stdout.contains("\x1b[31m-wfgen-extra"),
        "{}",
        r.stdout
    );
    assert!(!repo.wfgen(&["check", "--diff"]).stdout.contains('\x1b'));
    // Machine formats keep stdout parseable: the diff goes to stderr.
    let r = repo.wfgen(&["check", "--diff", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["diffs"].as_array().unwrap().len(), 3);
    let r = repo.wfgen(&["check", "--diff", "--format", "sarif"]);
    validate_sarif(&r.stdout);
    assert!(r.stderr.contains("+++ .github/workflows/release.yml (generated)"));
}

#[test]
fn spec_changed_and_not_yaml() {
    let repo = Repo::new(SPEC);
    repo.edit("wfgen.yaml", |t| format!("{t}# a comment makes another digest\n"));
    let r = repo.wfgen(&["check", "--format", "oneline"]);
    insta::assert_snapshot!("spec_changed_oneline", r.shown());

    let repo = Repo::new(SPEC);
    repo.edit(RELEASE, |t| after_header(t, "name: [release"));
    repo.edit(BUILD, |t| after_header(t, "wfgen-extra: true"));
    let r = repo.wfgen(&["check"]);
    assert_eq!(r.code, 3, "a workflow that is not YAML is fatal");
    insta::assert_snapshot!("not_yaml_plain", r.shown());
    let r = repo.wfgen(&["check", "--format", "oneline"]);
    assert!(r.stdout.contains("[invalid-workflow]") && r.stdout.contains("build-assets.yml:3:1"));
}

#[test]
fn usage_and_fatal_exit_codes() {
    let repo = Repo::new(SPEC);
    assert_eq!(repo.wfgen(&["check", "--format", "xml"]).code, 2);
    repo.write("wfgen.yaml", "wfgen: 1\nproject: { nam: demo }\n");
    let r = repo.wfgen(&["check"]);
    assert_eq!(r.code, 3, "{}", r.shown());
    assert!(r.stderr.contains("wfgen.yaml:2:"), "{}", r.stderr);
}

#[test]
fn pins_list_shows_where_pins_come_from() {
    let spec = format!(
        "{SPEC}pins:\n  actions/checkout: {{ version: v7.0.2, sha: 0123456789abcdef0123456789abcdef01234567 }}\n"
    );
    let repo = Repo::new(&spec);
    let r = repo.wfgen(&["pins", "list"]);
    assert_eq!(r.code, 0);
    let row = r
        .stdout
        .lines()
        .find(|l| l.starts_with("actions/checkout "))
        .expect("the spec's pin is listed");
    assert!(row.contains("v7.0.2") && row.contains("spec"), "{row}");
    let r = repo.wfgen(&["pins", "list", "--all", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let all = v.as_array().unwrap();
    assert!(all.len() >= 20);
    assert!(
        all.iter()
            .any(|p| p["action"] == "actions/upload-artifact" && p["source"] == "builtin")
    );
    assert!(
        all.iter()
            .any(|p| p["action"] == "actions/checkout" && p["source"] == "spec")
    );
}

/// The Dependabot round trip through the binary: bump an action in every
/// generated workflow, check (pin-drift), `pins sync`, check (clean).
/// Rewrites the header of `rel` as if wfgen `version` (None: 0.1, which
/// named none) had written it.
fn as_if_by(repo: &Repo, rel: &str, version: Option<&str>) {
    let by = match version {
        Some(v) => format!("# Generated by wfgen {v} from"),
        None => "# Generated by wfgen from".to_string(),
    };
    repo.edit(rel, |t| {
        t.replacen(
            &format!("# Generated by wfgen {} from", env!("CARGO_PKG_VERSION")),
            &by,
            1,
        )
    });
}

#[test]
fn generator_changed_is_one_finding_per_file() {
    // Files of an older wfgen, from this very spec: release.yml and
    // build-assets.yml render differently now (two values, one), the chart
    // workflow only in its header.
    let repo = Repo::new(SPEC);
    for f in [RELEASE, BUILD, HELM] {
        as_if_by(&repo, f, Some("0.0.9"));
    }
    repo.edit(RELEASE, |t| after_header(t, "wfgen-extra: true\nwfgen-other: 1"));
    repo.edit(BUILD, |t| {
        t.replacen("timeout-minutes:", "timeout-minutes: 7\n    wfgen-old-timeout:", 1)
    });
    let r = repo.wfgen(&["check", "--format", "oneline"]);
    insta::assert_snapshot!("generator_changed_oneline", r.shown());
    assert_eq!(r.code, 1, "{}", r.shown());
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "one finding per file, no content drift:\n{}", r.stdout);
    assert!(lines.iter().all(|l| l.ends_with("[generator-changed]")), "{}", r.stdout);
    assert!(
        r.shown()
            .contains("was generated by wfgen 0.0.9, this is wfgen [VERSION]: run `wfgen generate`"),
        "{}",
        r.stdout
    );
    // The finding points at the version in the header.
    assert!(r.stdout.contains(".github/workflows/release.yml:1:22:"), "{}", r.stdout);
    let r = repo.wfgen(&["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let sev: Vec<(&str, &str)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["file"].as_str().unwrap(), f["severity"].as_str().unwrap()))
        .collect();
    assert_eq!(
        sev,
        [(BUILD, "error"), (HELM, "warning"), (RELEASE, "error")],
        "the header-only file is a warning"
    );
    assert!(r.stdout.contains("renders 2 values differently"), "{}", r.stdout);
    // generate makes it clean.
    assert_eq!(repo.wfgen(&["generate"]).code, 0);
    assert_eq!(repo.wfgen(&["check", "--strict"]).code, 0);
}

#[test]
fn generator_changed_only_in_the_header_warns_and_strict_fails() {
    let repo = Repo::new(SPEC);
    for f in [RELEASE, BUILD, HELM] {
        // wfgen 0.1 wrote headers without a version.
        as_if_by(&repo, f, None);
    }
    let r = repo.wfgen(&["check", "--format", "oneline"]);
    assert_eq!(r.code, 0, "only the headers differ: warnings: {}", r.shown());
    assert_eq!(r.stdout.lines().count(), 3, "{}", r.stdout);
    assert!(
        r.stdout
            .contains("generated by an earlier wfgen (its header names no version)")
            && r.stdout.lines().all(|l| l.ends_with("[generator-changed]")),
        "{}",
        r.stdout
    );
    let r = repo.wfgen(&["check", "--strict", "--format", "github"]);
    assert_eq!(r.code, 1, "{}", r.shown());
    assert!(
        r.stdout
            .starts_with("::error file=.github/workflows/build-assets.yml,line=1,col=1,"),
        "{}",
        r.stdout
    );
}

#[test]
fn generator_changed_keeps_pin_drift_and_gives_way_to_spec_changes() {
    // A Dependabot bump in a file of an older wfgen stays pin-drift:
    // `wfgen generate` would undo it, `wfgen pins sync` adopts it.
    let repo = Repo::new(SPEC);
    as_if_by(&repo, RELEASE, Some("0.0.9"));
    let re = regex::Regex::new(r"uses: ([A-Za-z0-9_.\-/]+)@([0-9a-f]{40}) # (\S+)").unwrap();
    let text = repo.read(RELEASE);
    let c = re.captures(&text).expect("release.yml pins an action");
    let (action, sha, version) = (c[1].to_string(), c[2].to_string(), c[3].to_string());
    repo.edit(RELEASE, |t| {
        t.replace(
            &format!("{action}@{sha} # {version}"),
            &format!("{action}@{} # v99.0.0", "ab".repeat(20)),
        )
    });
    let r = repo.wfgen(&["check", "--format", "oneline"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("[generator-changed]") && r.stdout.contains("[pin-drift]"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("[content-drift]"), "{}", r.stdout);

    // When the spec changed too, the differences may be the spec's: the
    // usual findings, no generator-changed.
    let repo = Repo::new(SPEC);
    as_if_by(&repo, RELEASE, Some("0.0.9"));
    repo.edit("wfgen.yaml", |t| t.replace("run: make test", "run: make check"));
    let r = repo.wfgen(&["check", "--format", "oneline"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("[spec-changed]")
            && r.stdout.contains("[content-drift]")
            && !r.stdout.contains("[generator-changed]"),
        "{}",
        r.stdout
    );
}

#[test]
fn pins_sync_round_trips_a_dependabot_bump() {
    let repo = Repo::new(SPEC);
    let re = regex::Regex::new(r"uses: ([A-Za-z0-9_.\-/]+)@([0-9a-f]{40}) # (\S+)").unwrap();
    let files = [RELEASE, BUILD, HELM];
    let first = files.iter().find_map(|f| {
        re.captures(&repo.read(f))
            .map(|c| (c[1].to_string(), c[2].to_string(), c[3].to_string()))
    });
    let Some((action, old_sha, old_version)) = first else {
        // The templates render no `uses:` yet: show that sync has nothing
        // to adopt and leaves the spec alone. tests/check_engine.rs runs the
        // round trip on a workflow with pins meanwhile.
        eprintln!("NOTE: the generated workflows have no pinned `uses:` yet; checking the no-op sync only");
        let r = repo.wfgen(&["pins", "sync"]);
        assert_eq!(r.code, 0, "{}", r.shown());
        assert!(r.stdout.contains("no pins to adopt"));
        assert_eq!(repo.read("wfgen.yaml"), SPEC);
        return;
    };
    let new_sha = "abcdefabcdefabcdefabcdefabcdefabcdefabcd";
    for f in files {
        repo.edit(f, |t| {
            t.replace(
                &format!("{action}@{old_sha} # {old_version}"),
                &format!("{action}@{new_sha} # v99.0.0"),
            )
        });
    }
    let r = repo.wfgen(&["check", "--format", "oneline"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.lines().all(|l| l.ends_with("[pin-drift]")), "{}", r.stdout);
    let r = repo.wfgen(&["pins", "sync"]);
    assert_eq!(r.code, 0, "{}", r.shown());
    let spec = repo.read("wfgen.yaml");
    assert!(spec.starts_with(SPEC), "the spec keeps its text and comments:\n{spec}");
    assert!(spec.contains(&format!("{action}: {{ version: v99.0.0, sha: {new_sha} }}")));
    let r = repo.wfgen(&["check"]);
    assert_eq!(r.code, 0, "{}", r.shown());
}

// ------------------------------------------------------------------ SARIF ---

/// check-jsonschema from `$WFGEN_JUDGES_BIN`, else from PATH; the test
/// fails when there is none (it is part of what the suite proves).
fn check_jsonschema() -> PathBuf {
    if let Some(dir) = std::env::var_os("WFGEN_JUDGES_BIN") {
        let p = Path::new(&dir).join("check-jsonschema");
        assert!(
            p.is_file(),
            "WFGEN_JUDGES_BIN is set to {} but it holds no check-jsonschema",
            p.display()
        );
        return p;
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for d in std::env::split_paths(&path) {
        let p = d.join("check-jsonschema");
        if p.is_file() {
            return p;
        }
    }
    panic!(
        "check-jsonschema was not found: set WFGEN_JUDGES_BIN to the bin directory of a venv that has it \
         (pip install check-jsonschema), or put it on PATH. The SARIF output is validated with it."
    );
}

/// Runs check-jsonschema on a SARIF file. The schema as published has a
/// pattern (`toolComponent.language`: `...-[a-zA-Z]{2}]?$`) that is valid
/// only as a Python regex, not as an ECMAScript one, so the patterns are
/// read with `--regex-variant python`.
fn run_check_jsonschema(file: &Path) -> std::process::Output {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json");
    std::process::Command::new(check_jsonschema())
        .args(["--regex-variant", "python", "--schemafile"])
        .arg(&schema)
        .arg(file)
        .output()
        .expect("check-jsonschema runs")
}

fn validate_sarif(sarif: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("wfgen.sarif");
    std::fs::write(&file, sarif).unwrap();
    let out = run_check_jsonschema(&file);
    assert!(
        out.status.success(),
        "the SARIF output does not validate against SARIF 2.1.0:\n{}{}\n{sarif}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn sarif_validates_against_the_sarif_2_1_0_schema() {
    let repo = drifted();
    let r = repo.wfgen(&["check", "--format", "sarif"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert!(
        results
            .iter()
            .all(|r| r["ruleId"].as_str().unwrap().starts_with("wfgen/"))
    );
    assert!(
        results
            .iter()
            .any(|r| r["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "wfgen.yaml"),
        "a related location in the spec"
    );
    validate_sarif(&r.stdout);

    // A schema violation is caught (the validator is not a no-op).
    let mut bad = v.clone();
    bad["runs"][0]["results"][0]["level"] = "fatal".into();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.sarif");
    std::fs::write(&file, serde_json::to_string(&bad).unwrap()).unwrap();
    let out = run_check_jsonschema(&file);
    assert!(!out.status.success(), "an invalid level must fail validation");
}
