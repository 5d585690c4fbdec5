//! The tag script of release.yml (bash) and `Plan::evaluate` (Rust) must agree
//! on every tag: same acceptance, same `$GITHUB_OUTPUT`, same error line.
//!
//! For each fixture spec, the workflows are generated in memory, the script is
//! taken out of release.yml (job `plan`, step `id: plan`) and run under bash
//! for hundreds of tags built as cross products (prefixes x versions x
//! pre-release spellings x build metadata, promotion tags, junk). A sample of
//! the tags also goes through the real CLI, `wfgen plan TAG --format json`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use wfgen::plan::{Grammar, Plan};

const SHA: &str = "0123456789abcdef0123456789abcdef01234567";
const ERROR_PREFIX: &str = "::error title=Invalid release tag::";

struct Fixture {
    name: String,
    spec_path: PathBuf,
    plan: Plan,
    script: String,
}

/// Specs beyond the four fixtures, for the paths they leave out: PEP 440
/// with a prefix, a promotion suffix, Helm post-releases, every Docker tag
/// rule, mirrors, quoting in build arguments, `+` suffixes, per-arch tags,
/// no pre-release labels.
const EXTRA_SPECS: &[(&str, &str)] = &[
    (
        "extra-pep440-promotion",
        r#"wfgen: 1
project: { name: combo, repository: acme/combo }
versioning:
  scheme: pep440
  tag-prefix: release/
  prereleases: [rc, dev]
  stable-suffix: -final
docker:
  - image: docker.io/acme/combo
    platforms: [linux/amd64, linux/arm64]
    build-args: { V: "{version}", N: "{pep440}", SHA: "sha-{sha7}", Q: "it's {major}" }
    tags: ["{version}", "{major}", "{major}.{minor}", "{prerelease}", "sha-{sha7}", latest]
    mirrors: [ghcr.io/acme/combo]
    login: { username-secret: DH_USER, password-secret: DH_TOKEN }
helm:
  - chart: charts/combo
    registry: oci://ghcr.io/acme/charts
    app-version: "{version}-{sha7}"
release:
  github-release: always
  latest: never
"#,
    ),
    (
        "extra-bare-per-arch",
        r#"wfgen: 1
project: { name: bare, repository: acme/bare }
versioning:
  tag-prefix: ""
  prereleases: [alpha, beta, preview]
  stable-suffix: +stable
docker:
  - image: ghcr.io/acme/bare
    platforms: [linux/amd64, linux/arm64, linux/arm/v7]
    per-arch: true
    tags: ["{version}-{arch}", "{major}-{arch}", "{prerelease}-{arch}", "{arch}"]
    build-args: { NOTE: 'a"b$c`d\e f''' }
helm:
  - chart: charts/bare
    registry: oci://ghcr.io/acme/charts
    app-version: "{major}.{minor}"
release:
  github-release: never
"#,
    ),
    (
        "extra-pep440-canonical",
        "wfgen: 1\nproject: { name: canon }\nversioning: { scheme: pep440, tag-prefix: '', prereleases: [rc, dev], pep440-spelling: canonical }\ndocker:\n  - { image: ghcr.io/acme/canon, tags: [\"{version}\", \"{pep440}\"] }\n",
    ),
    (
        "extra-pep440-strict",
        "wfgen: 1\nproject: { name: strict }\nversioning: { scheme: pep440, prereleases: [alpha, beta] }\n",
    ),
    (
        "extra-no-labels",
        "wfgen: 1\nproject: { name: nolabels }\nversioning: { prereleases: [], build-metadata: allow }\ntriggers: { dispatch: false }\n",
    ),
];

/// The four fixtures of fixtures/ and the extra specs (written into `tmp`).
fn fixtures(tmp: &Path) -> Vec<Fixture> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut specs: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .expect("fixtures/")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.join("wfgen.yaml").is_file())
        .map(|p| {
            // The spec alone, in a directory of its own: `wfgen plan` also
            // reads the changelog of the working tree (a fixture's own
            // CHANGELOG.md has sections for a few versions only), which
            // `Plan::evaluate` does not.
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let d = tmp.join(format!("fixture-{name}"));
            std::fs::create_dir_all(&d).unwrap();
            std::fs::copy(p.join("wfgen.yaml"), d.join("wfgen.yaml")).unwrap();
            (name, d.join("wfgen.yaml"))
        })
        .collect();
    specs.sort();
    assert!(specs.len() >= 4, "the four fixtures");
    for (name, text) in EXTRA_SPECS {
        let d = tmp.join(name);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("wfgen.yaml"), text).unwrap();
        specs.push((name.to_string(), d.join("wfgen.yaml")));
    }
    specs
        .into_iter()
        .map(|(name, spec_path)| {
            let loaded = wfgen::load_spec(&spec_path).unwrap_or_else(|e| panic!("{}: {e:?}", spec_path.display()));
            let files = wfgen::generate(&loaded);
            let release = files
                .iter()
                .find(|f| f.path == ".github/workflows/release.yml")
                .expect("release.yml is always generated");
            Fixture {
                name,
                plan: Plan::new(&loaded.spec),
                script: plan_step_script(&release.text),
                spec_path,
            }
        })
        .collect()
}

/// The `run` of the step `id: plan` of job `plan`.
fn plan_step_script(release_yml: &str) -> String {
    let doc: yaml_serde::Value = yaml_serde::from_str(release_yml).expect("release.yml is YAML");
    let steps = doc["jobs"]["plan"]["steps"].as_sequence().expect("jobs.plan.steps");
    let step = steps
        .iter()
        .find(|s| s["id"].as_str() == Some("plan"))
        .expect("a step with id: plan");
    step["run"].as_str().expect("run is a string").to_string()
}

/// Tags for a grammar: cross products of prefixes, versions, pre-release
/// spellings, build metadata and promotion suffixes, then junk.
fn tags(g: &Grammar) -> Vec<String> {
    let p = g.prefix.as_str();
    let mut out: Vec<String> = Vec::new();

    let good_cores = ["1.2.3", "0.1.0", "0.0.0", "10.20.30", "18446744073709551615.0.1"];
    let bad_cores = [
        "01.2.3",
        "1.02.3",
        "1.2.03",
        "00.0.0",
        "1.2",
        "1",
        "1.2.3.4",
        "",
        "1..3",
        ".1.2.3",
        "1.2.3.",
        "a.b.c",
        "1.2.x",
        "-1.2.3",
        "+1.2.3",
        "1.-2.3",
        "18446744073709551616.0.0",
        "1.99999999999999999999.0",
        "1.2.3_4",
        "１.２.３",
        "1.2.3\u{661}",
    ];
    // Pre-release labels: the accepted ones in every spelling, their other
    // scheme's spellings, other cases and unknown words in the usual ones.
    let mut accepted: Vec<String> = g.labels.iter().chain(g.pep440_labels.iter()).cloned().collect();
    accepted.sort();
    accepted.dedup();
    let others: Vec<String> = [
        "rc", "alpha", "beta", "a", "b", "c", "dev", "pre", "preview", "RC", "Alpha", "stable", "post", "rcx", "r",
    ]
    .iter()
    .map(|l| l.to_string())
    .filter(|l| !accepted.contains(l))
    .collect();
    let spellings = [
        "-{l}",
        "-{l}1",
        "-{l}.1",
        "-{l}.1.2",
        "-{l}2.3",
        "-{l}01",
        "-{l}.01",
        "-{l}.0",
        "-{l}.10",
        "-{l}.1a",
        "-{l}-1",
        "-{l}.",
        "-{l}..1",
        "-{l}_1",
        "-{l}.1-x.y",
        "{l}",
        "{l}1",
        "{l}0",
        "{l}01",
        "{l}10",
        ".{l}1",
        "{l}.1",
        "{l}1.dev2",
        "{l}1.post3",
        "{l}1.post3.dev4",
        "{l}1.dev",
        "{l}1.post",
    ];
    let usual = ["-{l}", "-{l}1", "-{l}.1", "{l}1", ".{l}1", "{l}1.dev2"];
    let pres: Vec<String> = accepted
        .iter()
        .flat_map(|l| spellings.iter().map(move |s| s.replace("{l}", l)))
        .chain(
            others
                .iter()
                .flat_map(|l| usual.iter().map(move |s| s.replace("{l}", l))),
        )
        .chain(
            [
                "",
                ".post1",
                ".post0",
                ".post01",
                ".post",
                "post1",
                ".post1.dev2",
                ".dev3",
                ".dev0",
                ".dev01",
                ".dev",
                "dev1",
                ".post1.post2",
                ".dev1.post1",
                "-1",
                "-0",
                "-01",
                "-",
                "-.",
                "-rc.1+b",
                "-x.7.z.92",
                "-0a",
            ]
            .iter()
            .map(|s| s.to_string()),
        )
        .collect();
    // Every pre-release spelling on one version, the common ones on all.
    for pre in &pres {
        out.push(format!("{p}1.2.3{pre}"));
    }
    for core in good_cores {
        for pre in [
            "",
            "-rc.1",
            "-rc1",
            "-beta.2",
            "-alpha",
            "rc1",
            "a1",
            "b2",
            ".dev1",
            ".post1",
            "rc1.post2.dev3",
            // PEP 440 spellings that normalise (model-server's real tags
            // are 1.7.0.rc1 and 1.7.2-rc1).
            ".rc1",
            "-RC1",
            "_rc1",
            ".rc.01",
            "-alpha.2",
            "c1",
            "pre1",
            "-preview",
            "rev1",
            "r2",
            "a",
            "-post.3",
            "-dev",
            ".RC1.POST2.DEV3",
            "rc1-1",
            "rc-",
            "..rc1",
        ] {
            out.push(format!("{p}{core}{pre}"));
        }
    }
    for core in bad_cores {
        for pre in ["", "-rc.1", "rc1"] {
            out.push(format!("{p}{core}{pre}"));
        }
    }
    // Accepted labels in their common spellings on every version.
    for core in good_cores {
        for l in &accepted {
            for s in ["-{l}", "-{l}.1", "-{l}1", "-{l}.1.2", "-{l}.0", "{l}1", "{l}0", ".{l}1"] {
                out.push(format!("{p}{core}{}", s.replace("{l}", l)));
            }
        }
    }
    // Build metadata.
    let builds = [
        "+build",
        "+build.5",
        "+001",
        "+exp.sha.5114f85",
        "+b..c",
        "+",
        "+ü",
        "+-",
        "+a+b",
        "+20240101.x-y",
    ];
    for core in good_cores {
        for pre in ["", "-rc.1", "rc1", ".post1"] {
            for b in builds {
                out.push(format!("{p}{core}{pre}{b}"));
            }
        }
    }
    // Long pre-releases and build metadata around the 128-character limit
    // of a Docker tag (which the release refuses to exceed), on the longest
    // core too.
    for core in ["1.2.3", "18446744073709551615.0.1"] {
        for n in [
            90, 100, 110, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127, 128, 129, 140, 300,
        ] {
            let x = "x".repeat(n);
            for l in &accepted {
                out.push(format!("{p}{core}-{l}.{x}"));
            }
            out.push(format!("{p}{core}-rc.1+{x}"));
            out.push(format!("{p}{core}+{x}"));
        }
    }
    // Promotion tags (and look-alikes for specs without a suffix).
    let suffix = g.stable_suffix.clone().unwrap_or_else(|| "-stable".to_string());
    for core in good_cores.iter().chain(bad_cores.iter().take(8)) {
        out.push(format!("{p}{core}{suffix}"));
    }
    for variant in [
        format!("1.2.3-rc.1{suffix}"),
        format!("1.2.3rc1{suffix}"),
        format!("1.2.3+b{suffix}"),
        format!("1.2.3{suffix}1"),
        format!("1.2.3{}", suffix.to_uppercase()),
        format!("1.2.3{suffix}{suffix}"),
        format!("1.2.3{suffix}+b"),
        format!("1.2.3{suffix} "),
        suffix.clone(),
        format!("1.2.3.post1{suffix}"),
        format!("0.0.0{suffix}"),
    ] {
        out.push(format!("{p}{variant}"));
    }
    out.push(format!("1.2.3{suffix}"));
    // Wrong or missing prefixes.
    let wrong = [
        "",
        "v",
        "V",
        "vv",
        "v.",
        "v-",
        "release/",
        "version",
        " v",
        "v ",
        "ｖ",
        "refs/tags/v",
        "x",
    ];
    for w in wrong {
        for rest in ["1.2.3", "1.2.3-rc.1", "1.2.3rc1", "0.1.0"] {
            if w != p {
                out.push(format!("{w}{rest}"));
            }
        }
    }
    // Junk: whitespace, unicode, shell and workflow-command syntax, very long.
    for j in [
        "",
        " ",
        "\t",
        "\n",
        "latest",
        "main",
        "HEAD",
        "*",
        "?",
        "1.2.3\n",
        "\n1.2.3",
        "1.2.3\r",
        "1.2.3\t",
        " 1.2.3",
        "1.2.3 ",
        "1.2.3\u{a0}",
        "1.2.3\u{200b}",
        "1.2.3-rç.1",
        "1.2.3-rc.1é",
        "🚀",
        "1.2.3🚀",
        "'",
        "\"",
        "$(id)",
        "`id`",
        "${HOME}",
        "$HOME",
        "%0A",
        "%25",
        "1.2.3%0A::warning::x",
        "::error::x",
        "1.2.3\n::error::injected",
        "1.2.3\r\nx",
        "a\\b",
        "${{ github.token }}",
        "1.2.3 && echo hi",
        "EOF",
        "1.2.3<<EOF",
        "name=value",
        "-rc.1",
        "rc1",
    ] {
        out.push(j.to_string());
        out.push(format!("{p}{j}"));
    }
    out.push(format!("{p}1.2.3-rc.{}", "1".repeat(3000)));
    out.push(format!("{p}1.2.3-rc{}", "9".repeat(3000)));
    out.push(format!("{p}1.2.3rc{}", "9".repeat(3000)));
    out.push(format!("{p}1.2.3+{}", "a".repeat(10000)));
    out.push(format!("{p}{}.0.0", "9".repeat(2000)));
    out.push(format!("{p}{}", "x".repeat(20000)));
    out.push(format!("{p}1.2.3-{}", "rc.".repeat(2000)));

    let mut seen = BTreeSet::new();
    out.retain(|t| seen.insert(t.clone()));
    out
}

struct Run {
    ok: bool,
    outputs: BTreeMap<String, String>,
    errors: Vec<String>,
}

fn run_script(script: &Path, dir: &Path, tag: &str, sha: &str, repo_tags: &[String]) -> Run {
    let out_file = dir.join("github_output");
    std::fs::write(&out_file, "").unwrap();
    let out = Command::new("bash")
        .arg(script)
        .env("TAG", tag)
        .env("SHA", sha)
        .env("TAGS", repo_tags.join("\n"))
        .env("GITHUB_OUTPUT", &out_file)
        .current_dir(dir)
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8(out.stdout).expect("utf-8 stdout");
    let text = std::fs::read_to_string(&out_file).expect("GITHUB_OUTPUT readable");
    assert!(
        out.status.code().is_some_and(|c| c == 0 || c == 1),
        "tag {tag:?}: exit {:?}, stderr {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "tag {tag:?}: stderr {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Run {
        ok: out.status.success(),
        outputs: parse_github_output(&text, tag),
        errors: stdout
            .lines()
            .filter(|l| l.starts_with("::"))
            .map(String::from)
            .collect(),
    }
}

/// Reads $GITHUB_OUTPUT as the runner does: `NAME=VALUE`, or `NAME<<DELIMITER`
/// followed by lines up to a line equal to DELIMITER. A name written twice
/// is a failure.
fn parse_github_output(text: &str, tag: &str) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    if text.is_empty() {
        return map;
    }
    let body = text
        .strip_suffix('\n')
        .unwrap_or_else(|| panic!("tag {tag:?}: output does not end with a newline"));
    let mut lines = body.split('\n');
    while let Some(line) = lines.next() {
        let eq = line.find('=');
        let heredoc = line.find("<<");
        let (name, value) = match (eq, heredoc) {
            (Some(e), h) if h.is_none_or(|h| e < h) => (line[..e].to_string(), line[e + 1..].to_string()),
            (_, Some(h)) => {
                let delimiter = &line[h + 2..];
                assert!(!delimiter.is_empty(), "tag {tag:?}: empty delimiter");
                let mut value_lines = Vec::new();
                loop {
                    let l = lines
                        .next()
                        .unwrap_or_else(|| panic!("tag {tag:?}: no closing delimiter {delimiter}"));
                    if l == delimiter {
                        break;
                    }
                    value_lines.push(l);
                }
                (line[..h].to_string(), value_lines.join("\n"))
            }
            _ => panic!("tag {tag:?}: invalid output line {line:?}"),
        };
        assert!(
            map.insert(name.clone(), value).is_none(),
            "tag {tag:?}: output {name} written twice"
        );
    }
    map
}

/// The message of a workflow command, unescaped (`%25`, `%0D`, `%0A`).
fn unescape_command(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let t = &rest[i..];
        let (c, n) = if t.starts_with("%25") {
            ('%', 3)
        } else if t.starts_with("%0D") {
            ('\r', 3)
        } else if t.starts_with("%0A") {
            ('\n', 3)
        } else {
            ('%', 1)
        };
        out.push(c);
        rest = &t[n..];
    }
    out.push_str(rest);
    out
}

fn check_tag(f: &Fixture, script: &Path, dir: &Path, tag: &str, sha: &str, repo_tags: &[String]) -> Result<(), String> {
    let want = f.plan.evaluate(tag, sha, repo_tags);
    let got = run_script(script, dir, tag, sha, repo_tags);
    let mut problems = Vec::new();
    if got.ok != want.valid {
        problems.push(format!("bash exit ok={}, Rust valid={}", got.ok, want.valid));
    }
    if got.outputs != want.outputs {
        problems.push(format!(
            "outputs differ\n  bash: {:?}\n  rust: {:?}",
            got.outputs, want.outputs
        ));
    }
    match &want.error {
        None if !got.errors.is_empty() => problems.push(format!("unexpected lines {:?}", got.errors)),
        None => {}
        Some(e) => {
            if got.errors.len() != 1 {
                problems.push(format!("want one ::error line, got {:?}", got.errors));
            } else if let Some(msg) = got.errors[0].strip_prefix(ERROR_PREFIX) {
                if unescape_command(msg) != *e {
                    problems.push(format!("error line {:?}, want {e:?}", got.errors[0]));
                }
            } else {
                problems.push(format!("error line {:?} lacks {ERROR_PREFIX}", got.errors[0]));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("[{}] tag {tag:?}: {}", f.name, problems.join("; ")))
    }
}

#[test]
fn bash_and_rust_agree_on_every_tag() {
    let tmp = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for f in fixtures(tmp.path()) {
        assert!(!f.script.contains("${{"), "[{}] the script holds an expression", f.name);
        let script = tmp.path().join(format!("{}.sh", f.name));
        std::fs::write(&script, &f.script).unwrap();
        let tags = tags(&f.plan.grammar);
        assert!(tags.len() >= 300, "[{}] only {} tags", f.name, tags.len());
        let (mut valid, mut pre, mut promo) = (0, 0, 0);
        for tag in &tags {
            let t = f.plan.evaluate(tag, SHA, &[]);
            if t.valid {
                valid += 1;
                let v = t.version.as_ref().unwrap();
                pre += usize::from(v.is_prerelease);
                promo += usize::from(v.promotion);
            }
            if let Err(e) = check_tag(&f, &script, tmp.path(), tag, SHA, &[]) {
                failures.push(e);
            }
        }
        eprintln!(
            "[{}] {} tags: {valid} accepted ({pre} pre-releases, {promo} promotions), {} rejected",
            f.name,
            tags.len(),
            tags.len() - valid
        );
        assert!(valid >= 30, "[{}] too few accepted tags", f.name);
        if !f.plan.grammar.labels.is_empty() {
            assert!(pre >= 10, "[{}] too few pre-releases", f.name);
        }
        if f.plan.grammar.stable_suffix.is_some() {
            assert!(promo >= 3, "[{}] too few promotion tags", f.name);
        }
    }
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Without SHA the script takes the commit of HEAD, as `git rev-parse HEAD`.
#[test]
fn empty_sha_is_head() {
    let tmp = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(["-c", "user.name=wfgen", "-c", "user.email=wfgen@example.com"])
            .args(args)
            .current_dir(tmp.path())
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    git(&["init", "-q"]);
    git(&["commit", "-q", "--allow-empty", "-m", "release"]);
    let head = git(&["rev-parse", "HEAD"]);
    for f in fixtures(tmp.path()) {
        let script = tmp.path().join(format!("{}.sh", f.name));
        std::fs::write(&script, &f.script).unwrap();
        let p = &f.plan.grammar.prefix;
        for tag in [format!("{p}1.2.3"), format!("{p}1.2.3-rc.1"), format!("{p}1.2.3rc1")] {
            let want = f.plan.evaluate(&tag, &head, &[]);
            let got = run_script(&script, tmp.path(), &tag, "", &[]);
            assert_eq!(got.ok, want.valid, "[{}] {tag}", f.name);
            assert_eq!(got.outputs, want.outputs, "[{}] {tag}", f.name);
        }
    }
}

/// `wfgen plan TAG --format json` answers as the script does.
#[test]
fn cli_plan_agrees() {
    let tmp = tempfile::tempdir().unwrap();
    for f in fixtures(tmp.path()) {
        let tags = tags(&f.plan.grammar);
        // Every 10th tag, and the first few (releases and pre-releases).
        let sample: Vec<&String> = tags
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 10 == 0 || *i < 5)
            .map(|(_, t)| t)
            .collect();
        assert!(sample.len() >= 30);
        let repo_tags = repository_tags(&f.plan.grammar);
        let tags_file = tmp.path().join(format!("{}.tags", f.name));
        std::fs::write(&tags_file, repo_tags.join("\n")).unwrap();
        for tag in sample {
            let want = f.plan.evaluate(tag, SHA, &repo_tags);
            let out = assert_cmd::Command::cargo_bin("wfgen")
                .unwrap()
                .arg("--spec")
                .arg(&f.spec_path)
                .args(["plan", "--sha", SHA, "--format", "json", "--tags"])
                .arg(&tags_file)
                .arg("--")
                .arg(tag)
                .output()
                .unwrap();
            let code = out.status.code();
            assert_eq!(
                code,
                Some(if want.valid { 0 } else { 1 }),
                "[{}] tag {tag:?}: exit {code:?}, stderr {}",
                f.name,
                String::from_utf8_lossy(&out.stderr)
            );
            let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
                panic!(
                    "[{}] tag {tag:?}: {e}: {}",
                    f.name,
                    String::from_utf8_lossy(&out.stdout)
                )
            });
            assert_eq!(json["valid"], serde_json::json!(want.valid), "[{}] {tag:?}", f.name);
            assert_eq!(json["tag"], serde_json::json!(tag), "[{}] {tag:?}", f.name);
            assert_eq!(
                json["outputs"],
                serde_json::to_value(&want.outputs).unwrap(),
                "[{}] {tag:?}",
                f.name
            );
            assert_eq!(json["error"], serde_json::json!(want.error), "[{}] {tag:?}", f.name);
        }
    }
}

/// A repository's tags around 1.4.x: higher releases in other lines,
/// pre-releases and promotion tags (which do not count), foreign tags.
fn repository_tags(g: &wfgen::plan::Grammar) -> Vec<String> {
    let p = &g.prefix;
    let mut t: Vec<String> = [
        "1.4.8",
        "1.4.10",
        "1.5.0",
        "0.9.0",
        "2.0.0",
        "3.0.0-rc.1",
        "3.0.0rc1",
        "1.9.0.post2",
    ]
    .iter()
    .map(|v| format!("{p}{v}"))
    .collect();
    if let Some(s) = &g.stable_suffix {
        t.push(format!("{p}9.0.0{s}"));
    }
    t.extend(
        ["nightly", "v", "99.0.0-beta", "release-5"]
            .iter()
            .map(|s| s.to_string()),
    );
    t
}

/// `latest` and the moving tags: bash and Rust agree on where every accepted
/// tag stands among a repository's tags, and the backport rules hold.
#[test]
fn standing_among_the_repository_tags_agrees() {
    let tmp = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for f in fixtures(tmp.path()) {
        let script = tmp.path().join(format!("{}.sh", f.name));
        std::fs::write(&script, &f.script).unwrap();
        let repo_tags = repository_tags(&f.plan.grammar);
        let accepted: Vec<String> = tags(&f.plan.grammar)
            .into_iter()
            .filter(|t| f.plan.evaluate(t, SHA, &[]).valid)
            .collect();
        let mut moved = 0;
        for tag in &accepted {
            let t = f.plan.evaluate(tag, SHA, &repo_tags);
            moved += usize::from(t.standing.is_some_and(|s| s.newest));
            if let Err(e) = check_tag(&f, &script, tmp.path(), tag, SHA, &repo_tags) {
                failures.push(e);
            }
        }
        assert!(
            moved >= 1 && moved < accepted.len(),
            "[{}] {moved} of {} newest",
            f.name,
            accepted.len()
        );
        // A backport below 1.5.0 never takes latest.
        let p = &f.plan.grammar.prefix;
        let t = f.plan.evaluate(&format!("{p}1.4.9"), SHA, &repo_tags);
        if t.valid {
            assert!(!t.latest, "[{}] a backport took latest", f.name);
            let s = t.standing.unwrap();
            assert!(
                !s.newest && !s.newest_in_major && !s.newest_in_minor,
                "[{}] {s:?}",
                f.name
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
