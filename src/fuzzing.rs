//! The bodies of the fuzz targets (`fuzz/fuzz_targets/*.rs`), here so that
//! the test suite runs them too, over a corpus of seed inputs
//! (tests/fuzz_seeds.rs). Each body panics on a finding and returns quietly
//! on an input it has nothing to say about.

pub mod mutations;

use std::path::Path;

use crate::check::{self, Options, Severity, sync};
use crate::fsio::OnDisk;
use crate::plan::Plan;
use crate::render::Rendered;
use crate::spec::{self, LoadedSpec};

/// A fixture spec, loaded, with its plan and its rendered workflows.
pub struct Prepared {
    pub spec: LoadedSpec,
    pub plan: Plan,
    pub rendered: Vec<Rendered>,
}

impl Prepared {
    /// Panics when `text` is not a valid spec (fixtures are).
    pub fn new(text: &str) -> Prepared {
        let spec = load(text).expect("the fixture spec loads");
        let plan = Plan::new(&spec.spec);
        let rendered = crate::generate(&spec);
        Prepared { spec, plan, rendered }
    }
}

fn load(text: &str) -> Option<LoadedSpec> {
    crate::spec_from_text(Path::new("wfgen.yaml"), "wfgen.yaml", Path::new("."), text.to_string()).ok()
}

/// `spec_pipeline`: any bytes as wfgen.yaml through load, validate, plan,
/// render and a plan of a tag. Oracle: no panic.
pub fn spec_pipeline(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Some(spec) = load(text) else { return };
    let plan = Plan::new(&spec.spec);
    let _ = plan.evaluate("v1.2.3", "0123456789abcdef0123456789abcdef01234567", &[]);
    let _ = crate::generate(&spec);
}

/// The tags whose plans `exercise` evaluates: releases, pre-releases in
/// semver and PEP 440 spellings, promotions (`-stable`), build metadata,
/// tags without a prefix, and tags no grammar accepts.
pub const TAGS: &[&str] = &[
    "v1.2.3",
    "v0.1.0",
    "v1.2.3-rc.1",
    "v1.2.3-rc1",
    "v1.2.3-beta.2",
    "v1.2.3-alpha",
    "v2.0.0-dev.1",
    "v1.2.3-stable",
    "v1.2.3-rc.1-stable",
    "v1.2.3+b1",
    "v1.2.3-rc.1+b1",
    "1.2.3",
    "1.2.3rc1",
    "1.2.3.rc1",
    "1.2.3-rc1",
    "1.2.3a1",
    "1.2.3.dev2",
    "1.2.3.post1",
    "1.2.3-stable",
    "release/1.2.3",
    "",
    "v1.2",
    "v01.2.3",
    "v1.2.3-",
    "vx.y.z",
];

/// The repository's tags while `exercise` plans a tag (they decide where
/// `latest` and the moving tags go).
const REPOSITORY_TAGS: &[&str] = &["v1.2.2", "v1.3.0", "v1.2.3-rc.1", "1.2.2", "1.3.0rc1", "v1.2.2-stable"];

const SHA: &str = "0123456789abcdef0123456789abcdef01234567";

/// What a valid spec went through in `exercise`.
#[derive(Debug, Clone, Copy)]
pub struct Exercised {
    /// Workflows rendered.
    pub workflows: usize,
    /// Tags the plan accepted.
    pub releases: usize,
}

/// Tags in the spelling of `v`: its prefix, each pre-release label in the
/// semver and the PEP 440 way, its stable suffix, build metadata.
fn tags_of(v: &crate::spec::Versioning) -> Vec<String> {
    let p = &v.tag_prefix;
    let mut tags = vec![format!("{p}1.2.3"), format!("{p}1.2.3+b1"), format!("{p}0.0.0")];
    for l in &v.prereleases {
        tags.extend([
            format!("{p}1.2.3-{l}.1"),
            format!("{p}1.2.3{l}1"),
            format!("{p}1.2.3.{l}1"),
        ]);
    }
    if let Some(s) = &v.stable_suffix {
        tags.push(format!("{p}1.2.3{s}"));
        if let Some(l) = v.prereleases.first() {
            tags.push(format!("{p}1.2.3-{l}.1{s}"));
        }
    }
    tags
}

/// The oracle of `spec_mutations`: a spec that loads (parse and validate
/// return Ok) generates every workflow, plans every tag of [`TAGS`] and of
/// its own tag spelling, and renders, without a panic; one that does not
/// load gets problems that each have a place and a help. `None` for a spec
/// that does not load.
pub fn exercise(text: &str) -> Option<Exercised> {
    let spec = match crate::spec_from_text(Path::new("wfgen.yaml"), "wfgen.yaml", Path::new("."), text.to_string()) {
        Ok(s) => s,
        Err(e) => {
            for p in &e.problems {
                assert!(
                    p.span.is_some() && p.help.is_some(),
                    "a problem without a place or a help: {} (place {:?}, help {:?})",
                    p.message,
                    p.span,
                    p.help
                );
            }
            return None;
        }
    };
    let rendered = crate::generate(&spec);
    let plan = Plan::new(&spec.spec);
    let _ = plan.output_names();
    let _ = plan.evaluate(TAGS[0], SHA, &[]);
    let repository: Vec<String> = REPOSITORY_TAGS.iter().map(|t| t.to_string()).collect();
    let own = tags_of(&spec.spec.versioning);
    let releases = TAGS
        .iter()
        .copied()
        .chain(own.iter().map(String::as_str))
        .filter(|t| {
            // The release manifest of each tag is built from its plan.
            let facts = crate::plan::manifest::RepoFacts::default();
            crate::plan::manifest::manifest(&plan, plan.evaluate(t, SHA, &repository), &facts).valid
        })
        .count();
    Some(Exercised {
        workflows: rendered.len(),
        releases,
    })
}

/// `spec_mutations`: a base spec changed by a chain of mutations the bytes
/// pick ([`mutations::Corpus::decode`]), through [`exercise`]. Oracle: no
/// panic. tests/fuzz_mutations.rs runs every single mutation and seeded
/// chains; `Corpus::decode(data).describe()` names what an input does.
pub fn spec_mutations(corpus: &mutations::Corpus, data: &[u8]) {
    let _ = exercise(&corpus.decode(data).text());
}

/// `check_workflow`: any text as one of `fixture`'s workflows on disk (the
/// first byte picks which), compared by check and reported in every format.
/// Oracle: no panic.
pub fn check_workflow(fixture: &Prepared, data: &[u8]) {
    if fixture.rendered.is_empty() {
        return;
    }
    let (pick, rest) = data.split_first().unwrap_or((&0, &[]));
    let idx = *pick as usize % fixture.rendered.len();
    let text = String::from_utf8_lossy(rest).into_owned();
    let on_disk: Vec<OnDisk> = fixture
        .rendered
        .iter()
        .enumerate()
        .map(|(i, r)| OnDisk {
            path: r.path.clone(),
            text: Ok(if i == idx { text.clone() } else { r.text.clone() }),
            is_symlink: false,
        })
        .collect();
    let outcome = check::compare(&fixture.spec, &fixture.rendered, &on_disk, Options { strict: true });
    let _ = outcome.exit_code();
    let _ = crate::report::plain::render(&outcome, false);
    let _ = crate::report::oneline::render(&outcome);
    let _ = crate::report::json::render(&outcome, true);
    let _ = crate::report::sarif::render(&outcome);
    let _ = crate::report::github::render(&outcome);
}

/// `version_grammar`: any tag (first line of the input; the other lines are
/// the repository's tags) through `Plan::evaluate`. Oracle: every output
/// value is one line, and every Docker tag is a legal one.
pub fn version_grammar(fixture: &Prepared, data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut lines = text.split('\n');
    let tag = lines.next().unwrap_or("");
    let tags: Vec<String> = lines.map(str::to_string).collect();
    let p = fixture
        .plan
        .evaluate(tag, "0123456789abcdef0123456789abcdef01234567", &tags);
    if !p.valid {
        // A rejected tag: `tag` (as given; the tag script writes a value with
        // a line break as NAME<<DELIMITER, and a git ref cannot hold one) and
        // `valid=false`, nothing else.
        assert_eq!(p.outputs.get("valid").map(String::as_str), Some("false"), "{tag:?}");
        assert_eq!(p.outputs.len(), 2, "a rejected tag {tag:?} has outputs {:?}", p.outputs);
        return;
    }
    for (k, v) in &p.outputs {
        // The build arguments and labels of an image are one `KEY=value` a
        // line by design; each of them, like every other output, is one line.
        let one_line = if k.starts_with("docker-build-args-") || k.starts_with("docker-labels-") {
            !v.contains('\r') && !v.contains("\n\n") && !v.starts_with('\n')
        } else {
            !v.contains(['\n', '\r'])
        };
        assert!(one_line, "output {k} of tag {tag:?} is not one line: {v:?}");
    }
    let legal = regex::Regex::new(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$").expect("regex");
    for refs in p.docker_tags.values() {
        for r in refs {
            let t = r.rsplit(':').next().unwrap_or(r);
            // The plan refuses a release tag that would give a Docker tag
            // over 128 characters: every tag of an accepted release is legal.
            assert!(
                legal.is_match(t),
                "tag {tag:?} gives the illegal Docker tag {t:?} in {r:?}"
            );
        }
    }
}

/// `pins_sync_roundtrip`: a spec built from the input (the first byte
/// picks: the input alone, `base` then the input, or the input then `base`),
/// on-disk workflows with every pin bumped, through `pins sync`. Oracle:
/// sync refuses (nothing to write), or its result keeps every value outside
/// `pins:`, keeps every comment line, and checks clean.
pub fn pins_sync_roundtrip(base: &str, data: &[u8]) {
    let (mode, rest) = data.split_first().unwrap_or((&0, &[]));
    let Ok(input) = std::str::from_utf8(rest) else { return };
    let text = match mode % 3 {
        0 => input.to_string(),
        1 => format!("{base}{input}"),
        _ => format!("{input}{base}"),
    };
    let Some(spec) = load(&text) else { return };
    let rendered = crate::generate(&spec);
    let sha = &spec::load::sha256_hex(data)[..40];
    let bump = regex::Regex::new(r"(uses: [^@\s]+)@[0-9a-f]{40} # \S+").expect("regex");
    let on_disk: Vec<OnDisk> = rendered
        .iter()
        .map(|r| OnDisk {
            path: r.path.clone(),
            text: Ok(bump
                .replace_all(&r.text, format!("${{1}}@{sha} # v99.0.0").as_str())
                .into_owned()),
            is_symlink: false,
        })
        .collect();
    let plan = sync::plan(&spec, &rendered, &on_disk);
    if plan.adopt.is_empty() {
        return;
    }
    let new_text = match sync::edit(&spec, &plan.adopt) {
        Ok(t) => t,
        Err(e) => {
            assert!(e.contains("nothing was written"), "a refusal says so: {e}");
            return;
        }
    };
    // Every value outside `pins:` as it was.
    let values = |t: &str| {
        let v: yaml_serde::Value = yaml_serde::from_str(t).expect("parses");
        let mut v = match v {
            yaml_serde::Value::Tagged(t) => t.value,
            v => v,
        };
        if let Some(m) = v.as_mapping_mut() {
            m.remove("pins");
        }
        v
    };
    assert_eq!(
        values(&text),
        values(&new_text),
        "a value outside pins: changed:\n{new_text}"
    );
    // Every whole-line comment kept (lines as YAML breaks them: CRLF, LF or
    // a bare CR).
    let yaml_lines = |t: &str| -> Vec<String> {
        t.split("\r\n")
            .flat_map(|l| l.split(['\r', '\n']))
            .map(String::from)
            .collect()
    };
    let new_lines = yaml_lines(&new_text);
    for line in yaml_lines(&text).iter().filter(|l| l.trim_start().starts_with('#')) {
        assert!(
            new_lines.iter().any(|n| n == line),
            "the comment {line:?} was lost:\n{new_text}"
        );
    }
    // check is clean afterwards.
    let new = sync::reload(&spec, new_text, &plan.adopt).expect("the synced spec loads");
    let new_rendered = crate::generate(&new);
    let headers = sync::headers_to_update(&spec, &new, &new_rendered, &on_disk);
    let on_disk: Vec<OnDisk> = on_disk
        .into_iter()
        .map(|mut d| {
            if let Some((_, t)) = headers.iter().find(|(p, _)| *p == d.path) {
                d.text = Ok(t.clone());
            }
            d
        })
        .collect();
    let outcome = check::compare(&new, &new_rendered, &on_disk, Options::default());
    let errors: Vec<String> = outcome
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Warning)
        .map(|f| format!("{}:{} {:?}", f.file, f.span.line, f.rule))
        .collect();
    assert!(
        errors.is_empty(),
        "check after sync is not clean: {errors:?}\n{}",
        new.text
    );
}
