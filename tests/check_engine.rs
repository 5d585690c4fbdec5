//! The compare engine on hand-made cases: second labels into the spec,
//! the fatal findings, header rules, pins, and the `pins sync` round trip.
//!
//! Most cases add tests/data/rich-workflow.yml to the render as if a
//! template had produced it, its `uses:` lines pinned from the spec's pins
//! the way the templates pin them, so that they do not depend on how far
//! the templates have grown.

use std::path::Path;

use wfgen::check::{self, Options, Outcome, Rule, Severity, sync};
use wfgen::fsio::OnDisk;
use wfgen::render::Rendered;
use wfgen::spec::LoadedSpec;

const RICH: &str = ".github/workflows/rich-sample.yml";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn spec_from(text: &str) -> LoadedSpec {
    wfgen::spec_from_text(Path::new("wfgen.yaml"), "wfgen.yaml", Path::new("."), text.into()).expect("test spec loads")
}

fn opsml_text() -> String {
    std::fs::read_to_string(root().join("fixtures/opsml/wfgen.yaml")).unwrap()
}

/// The rich sample as the templates would render it for `spec`: the
/// header, and every pinned `uses:` from the spec's resolved pins.
fn rich(spec: &LoadedSpec) -> Rendered {
    let pins = wfgen::plan::pins::resolve(&spec.spec);
    let body = std::fs::read_to_string(root().join("tests/data/rich-workflow.yml")).unwrap();
    let re = regex::Regex::new(r"uses: ([A-Za-z0-9_.\-/]+)@[0-9a-f]{40} # \S+").unwrap();
    let body = re.replace_all(&body, |c: &regex::Captures| {
        format!("uses: {}", pins.get(&c[1]).uses_line())
    });
    Rendered {
        path: RICH.into(),
        text: format!("{}{body}", wfgen::render::header(&spec.name, &spec.sha256())),
    }
}

fn render_all(spec: &LoadedSpec) -> Vec<Rendered> {
    let mut r = wfgen::generate(spec);
    r.push(rich(spec));
    r
}

fn disk_of(rendered: &[Rendered]) -> Vec<OnDisk> {
    rendered
        .iter()
        .map(|r| OnDisk {
            path: r.path.clone(),
            text: Ok(r.text.clone()),
            is_symlink: false,
        })
        .collect()
}

fn set(disk: &mut [OnDisk], path: &str, f: impl FnOnce(&str) -> String) {
    let d = disk.iter_mut().find(|d| d.path == path).expect("file on disk");
    let new = f(d.text.as_ref().unwrap());
    d.text = Ok(new);
}

fn check(spec: &LoadedSpec, rendered: &[Rendered], disk: &[OnDisk]) -> Outcome {
    check::compare(spec, rendered, disk, Options::default())
}

fn line_of(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in text"));
    wfgen::ypath::line_col(text, at)
}

#[test]
fn a_changed_value_that_the_spec_sets_gets_a_second_label_in_the_spec() {
    let spec = spec_from(&opsml_text());
    let rendered = render_all(&spec);
    let mut disk = disk_of(&rendered);
    set(&mut disk, RICH, |t| t.replace("run: make test }", "run: make tests }"));
    let o = check(&spec, &rendered, &disk);
    assert_eq!(o.findings.len(), 1, "{:#?}", o.findings);
    let f = &o.findings[0];
    assert_eq!(f.rule, Rule::ContentDrift);
    assert_eq!(f.expected.as_deref(), Some("make test"));
    assert_eq!(f.found.as_deref(), Some("make tests"));
    assert_eq!(
        f.ypath.as_ref().unwrap().to_string(),
        "jobs.gates.strategy.matrix.gate[1].run"
    );
    let l = f.spec_label.as_ref().expect("a label in wfgen.yaml");
    assert_eq!(l.file, "wfgen.yaml");
    assert_eq!(l.ypath.to_string(), "gates[1].run");
    assert_eq!((l.span.line, l.span.col), line_of(&spec.text, "make test"));
    assert_eq!(&spec.text[l.span.start..l.span.end], "make test");
}

#[test]
fn a_script_line_from_a_multi_line_spec_string_points_at_that_line() {
    let text = "wfgen: 1\nproject: { name: demo }\ngates:\n  - name: test\n    run: |\n      make build\n      make test-all\n";
    let spec = spec_from(text);
    let wf = format!(
        "{}name: x\non: push\njobs:\n  t:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: |\n          make build\n          make test-all\n",
        wfgen::render::header(&spec.name, &spec.sha256())
    );
    let rendered = vec![Rendered {
        path: ".github/workflows/x.yml".into(),
        text: wf.clone(),
    }];
    let mut disk = disk_of(&rendered);
    set(&mut disk, ".github/workflows/x.yml", |t| {
        t.replace("make test-all", "make test")
    });
    let o = check(&spec, &rendered, &disk);
    assert_eq!(o.findings.len(), 1, "{:#?}", o.findings);
    let f = &o.findings[0];
    assert_eq!((f.span.line, f.span.col), (11, 11));
    let l = f.spec_label.as_ref().expect("label");
    assert_eq!((l.span.line, l.span.col), (7, 7));
    assert_eq!(&text[l.span.start..l.span.end], "make test-all");
}

#[test]
fn a_dependabot_bump_is_one_pin_drift_with_the_spec_pin_as_label() {
    let text = format!(
        "{}pins:\n  actions/checkout: {{ version: v7.0.0, sha: \"1111111111111111111111111111111111111111\" }}\n",
        opsml_text()
    );
    let spec = spec_from(&text);
    let rendered = render_all(&spec);
    let mut disk = disk_of(&rendered);
    let bumped = "2222222222222222222222222222222222222222";
    // Dependabot bumps one occurrence.
    set(&mut disk, RICH, |t| {
        t.replacen(
            "actions/checkout@1111111111111111111111111111111111111111 # v7.0.0",
            &format!("actions/checkout@{bumped} # v7.0.2"),
            1,
        )
    });
    let o = check(&spec, &rendered, &disk);
    assert_eq!(o.findings.len(), 1, "{:#?}", o.findings);
    let f = &o.findings[0];
    assert_eq!(f.rule, Rule::PinDrift);
    assert!(
        f.message.contains("(v7.0.2) on disk") && f.message.contains("wfgen.yaml pins"),
        "{}",
        f.message
    );
    assert!(f.help.contains("wfgen pins sync"));
    let disk_text = disk[disk.len() - 1].text.as_ref().unwrap();
    assert_eq!(
        (f.span.line, f.span.col),
        line_of(disk_text, &format!("actions/checkout@{bumped}"))
    );
    let l = f.spec_label.as_ref().expect("the spec's pin");
    assert_eq!(l.ypath.to_string(), "pins.actions/checkout");
    assert_eq!(l.span.line, line_of(&text, "  actions/checkout:").0);
}

#[test]
fn refs_that_are_not_full_shas_are_content_drift_and_comment_only_changes_are_format() {
    let spec = spec_from(&opsml_text());
    let rendered = render_all(&spec);
    let mut disk = disk_of(&rendered);
    set(&mut disk, RICH, |t| {
        t.replace(
            "Swatinem/rust-cache@6323deb102c322ba6fcbdcafc7e3dddab59af2b6",
            "Swatinem/rust-cache@v2",
        )
    });
    let o = check(&spec, &rendered, &disk);
    assert_eq!(o.findings.len(), 1);
    assert_eq!(o.findings[0].rule, Rule::ContentDrift);
    assert!(o.findings[0].help.contains("not a full commit SHA"));

    let mut disk = disk_of(&rendered);
    set(&mut disk, RICH, |t| t.replace("# v2.9.2", "# v2.9.3"));
    let o = check(&spec, &rendered, &disk);
    assert_eq!(o.findings.len(), 1);
    assert_eq!(o.findings[0].rule, Rule::FormatDrift);
    assert_eq!(o.exit_code(), 0);
}

#[test]
fn a_workflow_that_is_not_yaml_is_fatal_at_its_error_and_the_others_are_still_checked() {
    let spec = spec_from(&opsml_text());
    let rendered = render_all(&spec);
    let mut disk = disk_of(&rendered);
    set(&mut disk, RICH, |t| {
        t.replace("    timeout-minutes: 10\n", "    timeout-minutes: [10\n")
    });
    set(&mut disk, ".github/workflows/release.yml", |t| {
        t.replace("name: release", "name: released")
    });
    let o = check(&spec, &rendered, &disk);
    assert_eq!(o.exit_code(), 3, "{:#?}", o.findings);
    let bad = o
        .findings
        .iter()
        .find(|f| f.rule == Rule::InvalidWorkflow)
        .expect("invalid-workflow");
    assert_eq!(bad.severity, Severity::Fatal);
    assert_eq!(bad.file, RICH);
    let line = line_of(disk[disk.len() - 1].text.as_ref().unwrap(), "timeout-minutes: [10").0;
    assert!(
        (line..=line + 1).contains(&bad.span.line),
        "the parse error is reported at line {} (the broken line is {line})",
        bad.span.line
    );
    assert!(
        o.findings
            .iter()
            .any(|f| f.rule == Rule::ContentDrift && f.file.ends_with("release.yml"))
    );

    let mut disk = disk_of(&rendered);
    disk[0].text = Err("cannot read it: permission denied".into());
    let o = check(&spec, &rendered, &disk);
    assert_eq!(o.findings.len(), 1);
    assert_eq!(o.findings[0].rule, Rule::UnreadableWorkflow);
    assert_eq!(o.exit_code(), 3);
}

#[test]
fn header_rules() {
    let spec = spec_from(&opsml_text());
    let rendered = wfgen::generate(&spec);
    let release = ".github/workflows/release.yml";

    // Another digest: spec-changed at the digest, no format drift.
    let mut disk = disk_of(&rendered);
    set(&mut disk, release, |t| t.replacen(&spec.sha256(), &"0".repeat(64), 1));
    let o = check(&spec, &rendered, &disk);
    assert_eq!(o.findings.len(), 1, "{:#?}", o.findings);
    assert_eq!(o.findings[0].rule, Rule::SpecChanged);
    assert_eq!(o.findings[0].span.line, 1);
    assert_eq!(o.exit_code(), 1);

    // No header: spec-changed (wfgen did not write it).
    let mut disk = disk_of(&rendered);
    set(&mut disk, release, |t| {
        t.lines().skip(2).map(|l| format!("{l}\n")).collect()
    });
    let o = check(&spec, &rendered, &disk);
    assert!(
        o.findings
            .iter()
            .any(|f| f.rule == Rule::SpecChanged && f.message.contains("no wfgen header"))
    );
    assert!(o.findings.iter().all(|f| f.rule != Rule::ContentDrift));

    // No header and an edit: the content drift says that only `--force`
    // replaces the file (generate refuses a file wfgen did not write).
    let mut disk = disk_of(&rendered);
    set(&mut disk, release, |t| {
        t.lines()
            .skip(2)
            .map(|l| format!("{l}\n"))
            .collect::<String>()
            .replacen("timeout-minutes: 10", "timeout-minutes: 11", 1)
    });
    let o = check(&spec, &rendered, &disk);
    let drift: Vec<_> = o.findings.iter().filter(|f| f.rule == Rule::ContentDrift).collect();
    assert!(!drift.is_empty(), "{:#?}", o.findings);
    for f in drift {
        assert!(f.help.contains("`wfgen generate --force`"), "{}", f.help);
        assert!(!f.help.contains("to undo this edit"), "{}", f.help);
    }
    // With the header, an edit is undone by a plain generate.
    let mut disk = disk_of(&rendered);
    set(&mut disk, release, |t| {
        t.replacen("timeout-minutes: 10", "timeout-minutes: 11", 1)
    });
    let o = check(&spec, &rendered, &disk);
    assert!(
        o.findings
            .iter()
            .any(|f| f.rule == Rule::ContentDrift && f.help.contains("run `wfgen generate` to undo this edit"))
    );

    // A generated file of a spec that is gone (moved), which this one does not produce.
    let mut disk = disk_of(&rendered);
    disk.push(OnDisk {
        path: ".github/workflows/other.yml".into(),
        text: Ok(format!(
            "{}name: other\n",
            wfgen::render::header(".github/wfgen.yaml", "ab")
        )),
        is_symlink: false,
    });
    let o = check(&spec, &rendered, &disk);
    assert_eq!(o.findings.len(), 1);
    assert_eq!(o.findings[0].rule, Rule::StaleWorkflow);
    assert!(
        o.findings[0].help.contains("no longer exists"),
        "{}",
        o.findings[0].help
    );

    // A generated file of another spec that exists is that spec's: not reported.
    let mut disk = disk_of(&rendered);
    disk.push(OnDisk {
        path: ".github/workflows/other.yml".into(),
        text: Ok(format!(
            "{}name: other\n",
            wfgen::render::header("fixtures/llm-proxy/wfgen.yaml", "ab")
        )),
        is_symlink: false,
    });
    let o = check(&spec, &rendered, &disk);
    assert!(o.findings.is_empty(), "{:#?}", o.findings);

    // An empty file where a workflow belongs.
    let mut disk = disk_of(&rendered);
    set(&mut disk, release, |_| String::new());
    let o = check(&spec, &rendered, &disk);
    assert!(o.findings.iter().any(|f| f.rule == Rule::ContentDrift));
}

#[test]
fn scripts_trailing_newline_and_aliases() {
    let spec = spec_from(&opsml_text());
    let rendered = render_all(&spec);
    let mut disk = disk_of(&rendered);
    set(&mut disk, RICH, |t| {
        t.replacen(
            "        run: |\n          set -euo pipefail\n          version=",
            "        run: |-\n          set -euo pipefail\n          version=",
            1,
        )
    });
    let o = check(&spec, &rendered, &disk);
    // `|-` strips the final newline of a script in the middle of the file:
    // the script is different.
    assert_eq!(o.findings.len(), 1, "{:#?}", o.findings);
    assert!(
        o.findings[0].message.contains("final newline"),
        "{}",
        o.findings[0].message
    );

    // An anchor and alias that expand to the same tree: format only.
    let mut disk = disk_of(&rendered);
    set(&mut disk, RICH, |t| {
        t.replacen(
            "    permissions:\n      contents: read\n    outputs:",
            "    permissions: &read\n      contents: read\n    outputs:",
            1,
        )
        .replacen(
            "    timeout-minutes: 30\n    permissions:\n      contents: read\n",
            "    timeout-minutes: 30\n    permissions: *read\n",
            1,
        )
    });
    let o = check(&spec, &rendered, &disk);
    assert_eq!(o.findings.len(), 1, "{:#?}", o.findings);
    assert_eq!(o.findings[0].rule, Rule::FormatDrift);
    let strict = check::compare(&spec, &rendered, &disk, Options { strict: true });
    assert_eq!(strict.findings[0].severity, Severity::Error);
    assert_eq!(strict.exit_code(), 1);
}

#[test]
fn pins_sync_round_trips_a_dependabot_bump() {
    // The spec has a comment and its own layout, which the sync must keep.
    let text = format!("{}\n# release pins, bumped by Dependabot\n", opsml_text());
    let spec = spec_from(&text);
    let rendered = render_all(&spec);
    let mut disk = disk_of(&rendered);
    let (new_checkout, new_upload) = (
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
    );
    // What Dependabot does: every occurrence of the action, SHA and comment,
    // in every workflow file.
    let old_checkout = "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1";
    let old_upload = "actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f # v7.0.0";
    let occurrences: usize = disk
        .iter()
        .map(|d| {
            let t = d.text.as_ref().unwrap();
            t.matches(old_checkout).count() + t.matches(old_upload).count()
        })
        .sum();
    assert!(occurrences >= 5, "the workflows use checkout and upload-artifact");
    let paths: Vec<String> = disk.iter().map(|d| d.path.clone()).collect();
    for path in &paths {
        set(&mut disk, path, |t| {
            t.replace(old_checkout, &format!("actions/checkout@{new_checkout} # v7.1.0"))
                .replace(old_upload, &format!("actions/upload-artifact@{new_upload} # v7.0.1"))
        });
    }
    // A tag ref is not adopted.
    set(&mut disk, RICH, |t| {
        t.replace(
            "Swatinem/rust-cache@6323deb102c322ba6fcbdcafc7e3dddab59af2b6 # v2.9.2",
            "Swatinem/rust-cache@v2 # v2.9.2",
        )
    });
    let before = check(&spec, &rendered, &disk);
    let pin_drift = before.findings.iter().filter(|f| f.rule == Rule::PinDrift).count();
    assert_eq!(
        pin_drift, occurrences,
        "one pin-drift finding per bumped uses: line\n{:#?}",
        before.findings
    );

    let plan = sync::plan(&spec, &rendered, &disk);
    let adopted: Vec<_> = plan
        .adopt
        .iter()
        .map(|a| (a.action.as_str(), a.version.as_str(), a.sha.as_str()))
        .collect();
    assert_eq!(
        adopted,
        vec![
            ("actions/checkout", "v7.1.0", new_checkout),
            ("actions/upload-artifact", "v7.0.1", new_upload)
        ]
    );
    assert!(
        plan.skipped.iter().any(|s| s.contains("Swatinem/rust-cache@v2")),
        "{:?}",
        plan.skipped
    );

    let new_text = sync::edit(&spec, &plan.adopt).unwrap();
    assert!(new_text.starts_with(&text), "the spec is only appended to:\n{new_text}");
    let new_spec = sync::reload(&spec, new_text, &plan.adopt).unwrap();

    // Headers of the files generated from the old spec now name the new
    // one, but not while a file has other drift (the tag-pinned action).
    let headers = sync::headers_to_update(&spec, &new_spec, &render_all(&new_spec), &disk);
    assert!(headers.iter().all(|(p, _)| p != RICH) && !headers.is_empty());
    set(&mut disk, RICH, |t| {
        t.replace(
            "Swatinem/rust-cache@v2 # v2.9.2",
            "Swatinem/rust-cache@6323deb102c322ba6fcbdcafc7e3dddab59af2b6 # v2.9.2",
        )
    });
    let headers = sync::headers_to_update(&spec, &new_spec, &render_all(&new_spec), &disk);
    assert!(headers.iter().any(|(p, _)| p == RICH));
    for (path, t) in headers {
        set(&mut disk, &path, |_| t);
    }
    let after = check(&new_spec, &render_all(&new_spec), &disk);
    assert!(after.findings.is_empty(), "{:#?}", after.findings);

    // Bumping again updates the pins in place.
    set(&mut disk, RICH, |t| {
        t.replace(
            &format!("actions/checkout@{new_checkout} # v7.1.0"),
            "actions/checkout@cccccccccccccccccccccccccccccccccccccccc # v7.2.0",
        )
    });
    let rendered = render_all(&new_spec);
    let plan = sync::plan(&new_spec, &rendered, &disk);
    assert_eq!(plan.adopt.len(), 1);
    let third = sync::edit(&new_spec, &plan.adopt).unwrap();
    assert_eq!(
        third,
        new_spec
            .text
            .replace(new_checkout, "cccccccccccccccccccccccccccccccccccccccc")
            .replace("version: v7.1.0", "version: v7.2.0")
    );
}
