//! Cutting a release from the command line: `wfgen next` on the real tag
//! lists of the projects the fixtures model (stray tags included), `wfgen
//! tag` against a real remote (its checks, the annotated tag, the push of
//! that one tag), `wfgen bump` on every version-file format, and `wfgen plan
//! --cut`.

mod common;

use common::{TempRepo, fixture_spec, repo_root, wfgen};

/// The tags of a real repository (tests/data/tags/NAME.txt, `git tag` of its
/// default branch's clone), stray tags and all.
fn real_tags(name: &str) -> std::path::PathBuf {
    repo_root().join("tests/data/tags").join(format!("{name}.txt"))
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = wfgen().args(args).output().expect("wfgen runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every bump of `wfgen next` on MLServer's, AICR's and LLM Proxy's own tags,
/// under their fixtures' grammars: one line each, the answer or the refusal.
#[test]
fn next_on_real_tag_lists() {
    let mut table = String::new();
    for (fixture, tags) in [("mlserver", "mlserver"), ("aicr", "aicr"), ("llm-proxy", "llm-proxy")] {
        let spec = fixture_spec(fixture);
        let tags = real_tags(tags);
        for kind in ["patch", "minor", "major", "pre", "promote"] {
            let (code, out, err) = run(&[
                "--spec",
                spec.to_str().unwrap(),
                "next",
                kind,
                "--tags",
                tags.to_str().unwrap(),
            ]);
            table.push_str(&format!(
                "{fixture} {kind}: exit {code}: {}{}\n",
                out.trim(),
                err.trim()
            ));
        }
    }
    insta::assert_snapshot!(table);
}

/// Tags that do not parse under the grammar are ignored, whatever they
/// look like; pre-releases count up in the repository's own spelling; a
/// result that exists is refused with exit 1.
#[test]
fn next_ignores_stray_tags_and_refuses_existing_results() {
    let repo = TempRepo::with_fixture_repo("aicr");
    repo.write(
        "tags.txt",
        "v1.2.3\nv1.10.0-rc.4\nnightly\nv2\nlatest\nv1.99\nv1.50.0-preview.1\nv01.2.3\nrelease-2.0.0\nv1.9.9\nv3.0.0+build\n",
    );
    let ask = |args: &[&str]| {
        let out = wfgen()
            .current_dir(repo.path())
            .args(["next"])
            .args(args)
            .args(["--tags", "tags.txt"])
            .output()
            .expect("wfgen runs");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).trim().to_string(),
            String::from_utf8_lossy(&out.stderr).trim().to_string(),
        )
    };
    assert_eq!(ask(&["patch"]), (Some(0), "v1.9.10".to_string(), String::new()));
    assert_eq!(ask(&["minor"]).1, "v1.10.0");
    assert_eq!(ask(&["pre"]).1, "v1.10.0-rc.5");
    assert_eq!(ask(&["promote"]).1, "v1.10.0");
    assert_eq!(ask(&["patch", "--from", "v1.2.3"]).1, "v1.2.4");
    let (code, out, err) = ask(&["patch", "--from", "v1.9.8"]);
    assert_eq!((code, out.as_str()), (Some(1), ""));
    assert_eq!(
        err,
        "error: the next tag `v1.9.9` exists already; name another with --from, or choose another bump"
    );
    let (code, _, err) = ask(&["pre", "--label", "beta"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("versioning.prereleases allows rc"), "{err}");
    let (code, _, err) = ask(&["patch", "--from", "nightly"]);
    assert_eq!(code, Some(1));
    assert!(
        err.starts_with("error: --from nightly: tag 'nightly' is not a release tag"),
        "{err}"
    );
}

/// A work tree with a bare remote: `origin/main` is its upstream and the
/// remote's HEAD.
fn with_remote(fixture: &str) -> (TempRepo, tempfile::TempDir) {
    let remote = tempfile::tempdir().expect("tempdir");
    let repo = TempRepo::with_fixture_repo(fixture);
    let git = |dir: &std::path::Path, args: &[&str]| {
        let ok = std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .expect("git runs")
            .status
            .success();
        assert!(ok, "git {args:?}");
    };
    git(remote.path(), &["init", "-q", "--bare"]);
    repo.git(&["checkout", "-q", "-b", "main"]);
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "first"]);
    repo.git(&["remote", "add", "origin", remote.path().to_str().unwrap()]);
    repo.git(&["push", "-q", "-u", "origin", "main"]);
    repo.git(&["remote", "set-head", "origin", "main"]);
    (repo, remote)
}

fn tag_cmd(repo: &TempRepo, args: &[&str]) -> (i32, String, String) {
    let out = wfgen()
        .current_dir(repo.path())
        .arg("tag")
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("wfgen runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// AICR's four Makefile targets, each one command: bump-rc, bump-patch,
/// bump-minor and bump-promote, with their checks.
#[test]
fn tag_checks_then_tags_and_pushes_only_the_tag() {
    let (repo, _remote) = with_remote("aicr");
    repo.git(&["tag", "v1.2.3"]);
    let head = repo.git(&["rev-parse", "HEAD"]).trim().to_string();

    // A change to a tracked file: nothing is tagged.
    repo.write("wfgen.yaml", &(repo.read("wfgen.yaml") + "# edited\n"));
    let (code, out, err) = tag_cmd(&repo, &["patch"]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(
        err.contains("error: the work tree has uncommitted changes (wfgen.yaml)"),
        "{err}"
    );
    assert!(err.contains("help: nothing was tagged"), "{err}");
    repo.git(&["checkout", "-q", "wfgen.yaml"]);

    // Another branch, with no upstream.
    repo.git(&["checkout", "-q", "-b", "topic"]);
    let (code, _, err) = tag_cmd(&repo, &["patch"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("HEAD is on `topic`, but releases are cut from `main`"),
        "{err}"
    );
    assert!(err.contains("`topic` has no upstream"), "{err}");
    repo.git(&["checkout", "-q", "main"]);

    // Ahead of the remote.
    repo.git(&["commit", "-q", "--allow-empty", "-m", "unpushed"]);
    let (code, _, err) = tag_cmd(&repo, &["patch"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("`main` is not equal to origin/main (1 ahead, 0 behind)"),
        "{err}"
    );
    repo.git(&["reset", "-q", "--hard", "HEAD~1"]);
    assert_eq!(repo.git(&["tag", "--list"]), "v1.2.3\n", "a refused run tags nothing");

    // bump-rc: tagged on HEAD, annotated, not pushed.
    let (code, out, err) = tag_cmd(&repo, &["pre"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!(
            "tagged v1.3.0-rc1 on {} (HEAD of main)\npush it to start the release: git push origin refs/tags/v1.3.0-rc1\n",
            &head[..12]
        )
    );
    assert_eq!(repo.git(&["cat-file", "-t", "v1.3.0-rc1"]).trim(), "tag");
    assert_eq!(
        repo.git(&["tag", "-l", "--format=%(contents:subject)", "v1.3.0-rc1"])
            .trim(),
        "Release v1.3.0-rc1"
    );
    assert_eq!(repo.git(&["ls-remote", "--tags", "origin"]), "");

    // A new commit, then bump-promote: the release tag names the rc's commit,
    // and only it is pushed.
    repo.git(&["commit", "-q", "--allow-empty", "-m", "after the rc"]);
    repo.git(&["push", "-q"]);
    let (code, out, err) = tag_cmd(&repo, &["promote", "--push"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("tagged v1.3.0 on ") && out.contains("(the commit of v1.3.0-rc1)"),
        "{out}"
    );
    assert!(
        out.ends_with("pushed v1.3.0 to origin: its push starts the release\n"),
        "{out}"
    );
    assert_eq!(repo.git(&["rev-parse", "v1.3.0^{commit}"]).trim(), head);
    let remote_tags = repo.git(&["ls-remote", "--tags", "origin"]);
    let names: Vec<&str> = remote_tags.lines().filter_map(|l| l.split('\t').nth(1)).collect();
    assert_eq!(names, ["refs/tags/v1.3.0", "refs/tags/v1.3.0^{}"]);

    // bump-patch from v1.3.0, and a tag the remote has already.
    let (code, out, _) = tag_cmd(&repo, &["patch", "--push"]);
    assert_eq!(code, 0);
    assert!(out.contains("tagged v1.3.1 on "), "{out}");
    repo.git(&["tag", "-d", "v1.3.1"]);
    let (code, _, err) = tag_cmd(&repo, &["patch", "--push"]);
    assert_eq!(code, 1);
    assert!(err.contains("origin has the tag `v1.3.1` already"), "{err}");
}

/// `wfgen bump` writes each format in place and nothing else; `--check`
/// exits 1 while a file differs and 0 once it does not.
#[test]
fn bump_writes_every_format_and_check_tells() {
    let repo = TempRepo::new();
    repo.write(
        "wfgen.yaml",
        "wfgen: 1\nproject: { name: demo, repository: acme/demo }\nversioning:\n  version-files: [Cargo.toml, py/pyproject.toml, web/package.json, charts/demo/Chart.yaml]\n\
         helm:\n  - { chart: charts/demo, registry: oci://ghcr.io/acme/charts, app-version: \"v{version}\" }\n",
    );
    repo.write(
        "Cargo.toml",
        "[workspace]\nmembers = [\"crates/*\"]\n\n[workspace.package]\nversion = \"1.2.3\" # the release\n",
    );
    repo.write(
        "crates/demo/Cargo.toml",
        "[package]\nname = \"demo\"\nversion.workspace = true\n",
    );
    repo.write(
        "Cargo.lock",
        "# generated\nversion = 4\n\n[[package]]\nname = \"demo\"\nversion = \"1.2.3\"\n",
    );
    repo.write(
        "py/pyproject.toml",
        "[project]\nname = \"demo\"\nversion = \"1.2.3\"  # keep\n",
    );
    repo.write(
        "web/package.json",
        "{\n    \"name\": \"demo\",\n    \"version\": \"1.2.3\"\n}\n",
    );
    repo.write(
        "charts/demo/Chart.yaml",
        "apiVersion: v2\nname: demo\nversion: 1.2.3\nappVersion: \"v1.2.3\" # the image\n",
    );
    let bump = |args: &[&str]| {
        let out = wfgen()
            .current_dir(repo.path())
            .arg("bump")
            .args(args)
            .output()
            .expect("wfgen runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let before = repo.read("Cargo.toml");
    let (code, out, err) = bump(&["1.3.0-rc.1", "--check"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(repo.read("Cargo.toml"), before, "--check writes nothing");
    insta::assert_snapshot!("bump_check", format!("exit {code}\n{out}{err}"));
    let (code, out, err) = bump(&["v1.3.0-rc.1"]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("bump_write", out);
    let mut files = String::new();
    for f in [
        "Cargo.toml",
        "crates/demo/Cargo.toml",
        "Cargo.lock",
        "py/pyproject.toml",
        "web/package.json",
        "charts/demo/Chart.yaml",
    ] {
        files.push_str(&format!("--- {f}\n{}", repo.read(f)));
    }
    insta::assert_snapshot!("bump_files", files);
    let (code, _, err) = bump(&["1.3.0-rc.1", "--check"]);
    assert_eq!(code, 0, "{err}");
    // A version the grammar refuses, and a promotion, change nothing.
    for bad in ["1.3.0+b1", "1.3"] {
        let (code, _, err) = bump(&[bad]);
        assert_eq!(code, 1, "{bad}: {err}");
        assert!(err.contains("is not a release tag"), "{err}");
    }
}

/// `wfgen plan --cut`: the tag, the files, then the plan of that tag.
#[test]
fn plan_cut_shows_the_tag_the_files_and_the_plan() {
    let repo = TempRepo::with_fixture_repo("opsml");
    repo.write("Cargo.toml", "[package]\nname = \"opsml\"\nversion = \"2.4.0\"\n");
    repo.write(
        "py-opsml/pyproject.toml",
        "[project]\nname = \"opsml\"\ndynamic = [\"version\"]\n",
    );
    repo.write("tags.txt", "v2.3.0\nv2.4.0\nv2.5.0-rc.1\nv2.5.0-rc.2\n");
    let out = wfgen()
        .current_dir(repo.path())
        .args(["plan", "--cut", "promote", "--tags", "tags.txt"])
        .output()
        .expect("wfgen runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let head: String = text.lines().take(8).map(|l| format!("{l}\n")).collect();
    insta::assert_snapshot!(head);
    // --label and --from belong to --cut.
    let out = wfgen()
        .current_dir(repo.path())
        .args(["plan", "v2.5.0", "--from", "v2.4.0"])
        .output()
        .expect("wfgen runs");
    assert_eq!(out.status.code(), Some(2));
}

/// A promotion where the version files carry the version: the rc's commit
/// reads the rc's version, so the release is refused there; once the files
/// are bumped and committed, the release is tagged on that commit.
#[test]
fn promote_with_version_files_tags_the_bumped_commit() {
    let (repo, _remote) = {
        let remote = tempfile::tempdir().expect("tempdir");
        let repo = TempRepo::with_fixture_repo("opsml");
        repo.write("Cargo.toml", "[package]\nname = \"opsml\"\nversion = \"2.5.0-rc.1\"\n");
        repo.write(
            "py-opsml/pyproject.toml",
            "[project]\nname = \"opsml\"\nversion = \"2.5.0rc1\"\n",
        );
        std::process::Command::new("git")
            .arg("-C")
            .arg(remote.path())
            .args(["init", "-q", "--bare"])
            .status()
            .expect("git");
        repo.git(&["checkout", "-q", "-b", "main"]);
        repo.git(&["add", "-A"]);
        repo.git(&["commit", "-q", "-m", "rc"]);
        repo.git(&["remote", "add", "origin", remote.path().to_str().unwrap()]);
        repo.git(&["push", "-q", "-u", "origin", "main"]);
        repo.git(&["remote", "set-head", "origin", "main"]);
        (repo, remote)
    };
    repo.git(&["tag", "v2.5.0-rc.1"]);
    // The next pre-release on HEAD, whose files read rc.1: refused.
    let (code, _, err) = tag_cmd(&repo, &["pre"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error: the version files do not read 2.5.0-rc.2: HEAD reads another version"),
        "{err}"
    );
    assert!(
        err.contains("  Cargo.toml: [package] version reads 2.5.0-rc.1\n"),
        "{err}"
    );
    let (code, out, err) = tag_cmd(&repo, &["promote"]);
    assert_eq!((code, out.as_str()), (1, ""), "{err}");
    assert!(err.contains("error: the version files do not read 2.5.0"), "{err}");
    assert!(
        err.contains("help: run `wfgen bump 2.5.0`, commit and push that"),
        "{err}"
    );
    let bumped = wfgen()
        .current_dir(repo.path())
        .args(["bump", "2.5.0"])
        .output()
        .expect("wfgen runs");
    assert!(bumped.status.success());
    repo.git(&["commit", "-q", "-am", "Release 2.5.0"]);
    repo.git(&["push", "-q"]);
    let (code, out, err) = tag_cmd(&repo, &["promote"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("(HEAD of main)"), "{out}");
    assert_eq!(
        repo.git(&["rev-parse", "v2.5.0^{commit}"]),
        repo.git(&["rev-parse", "HEAD"])
    );
}

/// Tag lists to try a grammar on: the real ones, and lists made from the
/// grammar's own spellings (pre-releases in several spellings, promotions,
/// stray tags, another prefix), each a different subset.
fn tag_lists(spec: &wfgen::spec::Spec) -> Vec<Vec<String>> {
    let v = &spec.versioning;
    let p = &v.tag_prefix;
    let pep = v.scheme == wfgen::spec::Scheme::Pep440;
    let mut pool: Vec<String> = ["0.9.0", "1.2.3", "1.2.4", "1.3.0", "2.0.0", "1.10.0"]
        .iter()
        .map(|x| format!("{p}{x}"))
        .collect();
    for l in &v.prereleases {
        for spelled in if pep {
            vec![
                format!("1.3.0{l}1"),
                format!("1.3.0.{l}2"),
                format!("1.4.0-{l}.3"),
                format!("2.1.0{l}4"),
            ]
        } else {
            vec![
                format!("1.3.0-{l}.1"),
                format!("1.3.0-{l}2"),
                format!("1.4.0-{l}.3"),
                format!("2.1.0-{l}.16"),
            ]
        } {
            pool.push(format!("{p}{spelled}"));
        }
    }
    if let Some(s) = &v.stable_suffix {
        pool.push(format!("{p}1.2.3{s}"));
        pool.push(format!("{p}2.0.0{s}"));
    }
    pool.extend(["nightly", "latest", "v2", "release-1.0.0", "x1.2.3", "1.2", "v1.2.3.4"].map(String::from));
    let mut lists = vec![Vec::new(), pool.clone()];
    // Deterministic subsets: every k-th tag from an offset.
    for (k, off) in [(2, 0), (2, 1), (3, 0), (3, 2), (4, 1), (5, 3)] {
        lists.push(pool.iter().skip(off).step_by(k).cloned().collect());
    }
    for name in ["mlserver", "aicr", "llm-proxy"] {
        let text = std::fs::read_to_string(real_tags(name)).unwrap();
        lists.push(text.lines().map(String::from).collect());
    }
    lists
}

/// Runs cut.yml's tag script once per case, all cases in one Python
/// process: each case its env (`BUMP`, `VERSION_INPUT`, `TAGS_FILE` and the
/// grammar's), the script run as the step runs it, with a fresh namespace.
/// Ok(tag) or Err(the message of its `::error` line), per case.
fn cut_script(cases: &[Vec<(String, String)>]) -> Vec<Result<std::collections::BTreeMap<String, String>, String>> {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("cut.py");
    std::fs::write(&script, wfgen::plan::cutscript::script()).unwrap();
    let cases_file = dir.path().join("cases.json");
    let json: Vec<serde_json::Map<String, serde_json::Value>> = cases
        .iter()
        .map(|c| {
            c.iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                .collect()
        })
        .collect();
    std::fs::write(&cases_file, serde_json::to_string(&json).unwrap()).unwrap();
    let driver = r#"
import contextlib, io, json, os, sys
code = compile(open(sys.argv[1]).read(), "cut.py", "exec")
results = []
for env in json.load(open(sys.argv[2])):
    os.environ.clear()
    os.environ.update(env)
    buf = io.StringIO()
    status = 0
    with contextlib.redirect_stdout(buf):
        try:
            exec(code, {"__name__": "__main__"})
        except SystemExit as e:
            status = e.code or 0
    results.append([status, buf.getvalue()])
print(json.dumps(results))
"#;
    let out = std::process::Command::new("python3")
        .args(["-I", "-c", driver])
        .arg(&script)
        .arg(&cases_file)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: Vec<(i32, String)> = serde_json::from_slice(&out.stdout).unwrap();
    results
        .into_iter()
        .map(|(status, stdout)| {
            if status == 0 {
                assert!(stdout.starts_with("tag="), "{stdout}");
                Ok(stdout
                    .lines()
                    .filter_map(|l| l.split_once('='))
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect())
            } else {
                let line = stdout.lines().next().unwrap_or_default();
                assert!(line.starts_with("::error title="), "{stdout}");
                Err(line
                    .split_once("::")
                    .and_then(|(_, r)| r.split_once("::"))
                    .map(|(_, m)| m.to_string())
                    .unwrap_or_default())
            }
        })
        .collect()
}

/// What a case expects: the answer of `wfgen next` for a bump, or for a
/// typed version whether the release's grammar accepts it and no tag has it.
enum Expect {
    Next(String, Result<String, String>),
    Typed(String, Option<String>),
}

/// cut.yml chooses exactly the tag `wfgen next` names, for every fixture's
/// grammar, every bump and every tag list, and refuses what it refuses with
/// the same words; a version typed into the Actions tab is accepted exactly
/// when the release's grammar accepts it and no tag has it.
#[test]
fn the_cut_script_agrees_with_wfgen_next() {
    use wfgen::cut::next::{Bump, Request, next, order};
    let dir = tempfile::tempdir().unwrap();
    let mut compared = 0;
    for fixture in common::fixtures() {
        let loaded = wfgen::spec::load(&fixture_spec(&fixture)).unwrap();
        let plan = wfgen::plan::Plan::new(&loaded.spec);
        let g = &plan.grammar;
        let format = loaded.spec.versioning.prerelease_format.as_deref();
        let env: Vec<(String, String)> = wfgen::plan::cutscript::grammar_env(g, format)
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        let mut cases = Vec::new();
        let mut expect = Vec::new();
        for (i, tags) in tag_lists(&loaded.spec).into_iter().enumerate() {
            let tags_file = dir.path().join(format!("{fixture}-{i}.txt"));
            std::fs::write(&tags_file, tags.join("\n")).unwrap();
            let case = |bump: &str, typed: &str| {
                let mut c = env.clone();
                c.push(("BUMP".into(), bump.into()));
                c.push(("VERSION_INPUT".into(), typed.into()));
                c.push(("TAGS_FILE".into(), tags_file.to_string_lossy().into_owned()));
                c
            };
            for bump in [Bump::Patch, Bump::Minor, Bump::Major, Bump::Pre, Bump::Promote] {
                let req = Request {
                    bump: Some(bump),
                    ..Default::default()
                };
                cases.push(case(bump.name(), ""));
                expect.push(Expect::Next(
                    format!("{} among {tags:?}", bump.name()),
                    next(g, format, &tags, &req).map(|n| n.tag).map_err(|r| r.0),
                ));
            }
            // Typed versions: tags of the list (they exist), and new ones.
            let p = &loaded.spec.versioning.tag_prefix;
            for typed in tags.iter().take(6).cloned().chain(
                [
                    "9.9.9",
                    "9.9.9rc1",
                    "9.9.9-rc.1",
                    "v9.9.9",
                    "9.9",
                    "9.9.9+b1",
                    "9.9.9.dev2",
                ]
                .map(String::from),
            ) {
                let tag = if g.parse(&typed).is_ok() || p.is_empty() || typed.starts_with(p.as_str()) {
                    typed.clone()
                } else {
                    format!("{p}{typed}")
                };
                let exists = |v: &wfgen::plan::version::Version| {
                    tags.iter()
                        .any(|t| t == &tag || g.parse(t).is_ok_and(|k| !k.promotion && order(g, &k, v).is_eq()))
                };
                let accepted = g.parse(&tag).is_ok_and(|v| !v.promotion && !exists(&v));
                cases.push(case("", &typed));
                expect.push(Expect::Typed(
                    format!("typed `{typed}` among {tags:?}"),
                    accepted.then_some(tag),
                ));
            }
        }
        let got = cut_script(&cases);
        assert_eq!(got.len(), expect.len());
        for (out, want) in got.into_iter().zip(expect) {
            compared += 1;
            // The version's spellings that the version-file writer reads
            // are wfgen bump's.
            if let Ok(o) = &out
                && let Ok(v) = g.parse(&o["tag"])
                && !v.promotion
            {
                let t = wfgen::cut::bump::Target::of(&v);
                assert_eq!(o["semver"], t.semver, "{fixture}: {}", o["tag"]);
                assert_eq!(
                    o["pep440"],
                    t.pep440.clone().unwrap_or_default(),
                    "{fixture}: {}",
                    o["tag"]
                );
                assert_eq!(
                    (o["major"].as_str(), o["prerelease"].as_str()),
                    (v.major.to_string().as_str(), v.prerelease.as_str())
                );
            }
            let py = out.map(|o| o["tag"].clone());
            match want {
                Expect::Next(what, rust) => match (&rust, &py) {
                    (Ok(a), Ok(b)) => assert_eq!(a, b, "{fixture} {what}"),
                    (Err(a), Err(b)) if a.contains("grammar refuses") => {
                        assert!(b.contains("grammar refuses"), "{fixture}: {a} / {b}")
                    }
                    (Err(a), Err(b)) => assert_eq!(a, b, "{fixture} {what}"),
                    _ => panic!("{fixture} {what}: wfgen next says {rust:?}, cut.yml {py:?}"),
                },
                Expect::Typed(what, tag) => assert_eq!(py.ok(), tag, "{fixture}: {what}"),
            }
        }
    }
    println!("compared {compared} cuts");
    assert!(compared > 1000, "{compared}");
}

/// Repositories of version files in the shapes real projects have them:
/// (name, files, version-files, charts as `DIR<TAB>VERSION<TAB>APPVERSION`).
#[allow(clippy::type_complexity)]
fn bump_layouts() -> Vec<(
    &'static str,
    Vec<(&'static str, &'static str)>,
    Vec<&'static str>,
    &'static str,
)> {
    let lock = "# This file is automatically @generated by Cargo.\nversion = 4\n\n[[package]]\nname = \"demo\"\nversion = \"1.0.0\"\ndependencies = [\n \"serde\",\n]\n\n[[package]]\nname = \"demo-core\"\nversion = \"1.0.0\"\n\n[[package]]\nname = \"serde\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"00\"\n";
    vec![
        (
            "a package and its lock",
            vec![
                (
                    "Cargo.toml",
                    "[package]\nname = \"demo\"\nversion = \"1.0.0\"   # the release\nedition = \"2021\"\n\n[dependencies]\nserde = { version = \"1.0.0\" }\n",
                ),
                ("Cargo.lock", lock),
            ],
            vec!["Cargo.toml"],
            "",
        ),
        (
            "a workspace whose members inherit",
            vec![
                (
                    "Cargo.toml",
                    "[workspace]\nmembers = [\"crates/*\", \"tools/x\"]\nexclude = [\"crates/old\"]\n\n[workspace.package]\nversion = '1.0.0'\n",
                ),
                (
                    "crates/demo/Cargo.toml",
                    "[package]\nname = \"demo\"\nversion.workspace = true\n",
                ),
                (
                    "crates/demo-core/Cargo.toml",
                    "[package]\nname = \"demo-core\"\nversion = { workspace = true }\n",
                ),
                (
                    "crates/old/Cargo.toml",
                    "[package]\nname = \"serde\"\nversion.workspace = true\n",
                ),
                ("Cargo.lock", lock),
            ],
            vec!["crates/demo/Cargo.toml"],
            "",
        ),
        (
            "a member naming its workspace",
            vec![
                (
                    "rust/Cargo.toml",
                    "[workspace]\nmembers = [\"cli\"]\n[workspace.package]\nversion = \"1.0.0\"\n",
                ),
                (
                    "rust/cli/Cargo.toml",
                    "[package]\nname = \"demo\"\nworkspace = \"..\"\nversion.workspace = true\n",
                ),
            ],
            vec!["rust/cli/Cargo.toml"],
            "",
        ),
        (
            "Python: static, dynamic, Poetry, poetry-dynamic-versioning",
            vec![
                (
                    "pyproject.toml",
                    "[build-system]\nrequires = [\"hatchling\"]\n\n[project]\nname = \"demo\"\nversion = \"1.0.0\" # keep in step\ndependencies = [\"demo-core==1.0.0\"]\n",
                ),
                (
                    "py/pyproject.toml",
                    "[project]\nname = \"demo-rs\"\ndynamic = [\"version\"]\n",
                ),
                (
                    "runtimes/a/pyproject.toml",
                    "[tool.poetry]\nname = \"demo-a\"\nversion = '1.0.0'\n\n[tool.poetry.dependencies]\nversion = \"1.0.0\"\n",
                ),
                (
                    "runtimes/b/pyproject.toml",
                    "[tool.poetry]\nname = \"demo-b\"\nversion = \"0.0.0\"\n[tool.poetry-dynamic-versioning]\nenable = true\n",
                ),
            ],
            vec![
                "pyproject.toml",
                "py/pyproject.toml",
                "runtimes/a/pyproject.toml",
                "runtimes/b/pyproject.toml",
            ],
            "",
        ),
        (
            "package.json and charts",
            vec![
                (
                    "web/package.json",
                    "{\n  \"name\": \"demo\",\n  \"engines\": {\"version\": \"x\"},\n  \"scripts\": [\"version\"],\n  \"version\" : \"1.0.0\",\n  \"private\": true\n}\n",
                ),
                (
                    "charts/demo/Chart.yaml",
                    "apiVersion: v2\nname: demo\n# the chart\nversion: 1.0.0\nappVersion: \"v1.0.0\"  # the image\n",
                ),
                (
                    "charts/other/Chart.yaml",
                    "apiVersion: v2\nname: other\nversion: '1.0.0'\nappVersion: 1.0.0\n",
                ),
                (
                    "charts/fixed/Chart.yaml",
                    "apiVersion: v2\nname: fixed\nversion: 1.0.0\nappVersion: \"9.9\"\n",
                ),
            ],
            vec![
                "web/package.json",
                "charts/demo/Chart.yaml",
                "charts/other/Chart.yaml",
                "charts/fixed/Chart.yaml",
            ],
            "charts/demo\t{major}.{minor}.{patch}\tv{version}",
        ),
        (
            "files that cannot be bumped",
            vec![("Cargo.toml", "[package]\nname = \"demo\"\n"), ("VERSION", "1.0.0\n")],
            vec!["Cargo.toml", "VERSION", "gone/pyproject.toml"],
            "",
        ),
    ]
}

/// cut.yml's version-file writer writes exactly what `wfgen bump` writes,
/// byte for byte, and prints the same lines, for every layout and every
/// kind of version; where one refuses, so does the other, writing nothing.
#[test]
fn the_cut_version_writer_agrees_with_wfgen_bump() {
    let grammars = [
        (
            "{prereleases: [rc, beta]}",
            ["v2.0.0", "v2.0.0-rc.1", "v1.0.0", "v2.1.0-beta.3"],
        ),
        (
            "{scheme: pep440, tag-prefix: '', prereleases: [rc, dev]}",
            ["2.0.0", "2.0.0rc1", "2.0.0.post1", "2.0.0.dev3"],
        ),
    ];
    let mut compared = 0;
    for (yaml, tags) in grammars {
        let versioning: wfgen::spec::Versioning = yaml_serde::from_str(yaml).unwrap();
        let g = wfgen::plan::Grammar::new(&versioning, false);
        for tag in tags {
            let v = g.parse(tag).unwrap();
            for (name, files, version_files, charts) in bump_layouts() {
                let rust_dir = tempfile::tempdir().unwrap();
                let py_dir = tempfile::tempdir().unwrap();
                for dir in [rust_dir.path(), py_dir.path()] {
                    for (rel, text) in &files {
                        let p = dir.join(rel);
                        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                        std::fs::write(p, text).unwrap();
                    }
                }
                // wfgen bump, with the charts' templates expanded as the
                // release expands them.
                let mut target = wfgen::cut::bump::Target::of(&v);
                let sha = "0".repeat(40);
                let values = wfgen::plan::tags::Values {
                    version: &v,
                    sha: &sha,
                    variant: None,
                    arch: None,
                };
                for line in charts.lines() {
                    let parts: Vec<&str> = line.split('\t').collect();
                    let version = if parts[1].is_empty() {
                        target.semver.clone()
                    } else {
                        wfgen::plan::tags::expand(parts[1], &values)
                    };
                    target.charts.insert(
                        parts[0].to_string(),
                        (version, wfgen::plan::tags::expand(parts[2], &values)),
                    );
                }
                let files_list: Vec<String> = version_files.iter().map(|s| s.to_string()).collect();
                let rust = wfgen::cut::bump::bump(rust_dir.path(), &files_list, &target);
                let rust_lines = match &rust {
                    Ok(b) => {
                        wfgen::cut::bump::write(rust_dir.path(), b).unwrap();
                        Some(b.lines())
                    }
                    Err(_) => None,
                };
                let out = std::process::Command::new("python3")
                    .args(["-I", "-c", wfgen::plan::bumpscript::script()])
                    .current_dir(py_dir.path())
                    .env("VERSION_FILES", version_files.join("\n"))
                    .env("VERSION", &v.version)
                    .env("SEMVER", &target.semver)
                    .env("PEP440", target.pep440.clone().unwrap_or_default())
                    .env("MAJOR", v.major.to_string())
                    .env("MINOR", v.minor.to_string())
                    .env("PATCH", v.patch.to_string())
                    .env("PRERELEASE", &v.prerelease)
                    .env("SHA", &sha)
                    .env("CHARTS", charts)
                    .output()
                    .expect("python3 runs");
                let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
                assert!(
                    out.stderr.is_empty(),
                    "{name} {tag}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                match rust_lines {
                    Some(lines) => {
                        assert!(
                            out.status.success(),
                            "{name} {tag}: wfgen bump wrote, cut.yml refused:\n{stdout}"
                        );
                        assert_eq!(stdout.lines().collect::<Vec<_>>(), lines, "{name} {tag}");
                    }
                    None => {
                        assert!(
                            !out.status.success(),
                            "{name} {tag}: wfgen bump refused, cut.yml wrote:\n{stdout}"
                        );
                        assert!(stdout.lines().all(|l| l.starts_with("::error file=")), "{stdout}");
                    }
                }
                for (rel, _) in &files {
                    assert_eq!(
                        std::fs::read_to_string(py_dir.path().join(rel)).unwrap(),
                        std::fs::read_to_string(rust_dir.path().join(rel)).unwrap(),
                        "{name} {tag}: {rel}"
                    );
                }
                compared += 1;
            }
        }
    }
    assert_eq!(compared, 48);
}

/// `wfgen plan TAG` reads the version files: where they disagree with the
/// tag it warns, naming each value, and still plans (exit 0).
#[test]
fn plan_warns_where_the_version_files_disagree() {
    let repo = TempRepo::with_fixture_repo("opsml");
    repo.write("Cargo.toml", "[package]\nname = \"opsml\"\nversion = \"1.30.0-rc1\"\n");
    repo.write(
        "py-opsml/pyproject.toml",
        "[project]\nname = \"opsml\"\nversion = \"1.29.0\"\n",
    );
    repo.write("tags.txt", "v1.28.0\n");
    let out = wfgen()
        .current_dir(repo.path())
        .args(["plan", "v1.29.0", "--tags", "tags.txt"])
        .output()
        .expect("wfgen runs");
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err,
        "warning: Cargo.toml: [package] version reads 1.30.0-rc1, not 1.29.0\n  help: the release of v1.29.0 stops at its version check while these differ; `wfgen bump v1.29.0` writes the version into versioning.version-files\n"
    );
    repo.write("Cargo.toml", "[package]\nname = \"opsml\"\nversion = \"1.29.0\"\n");
    let out = wfgen()
        .current_dir(repo.path())
        .args(["plan", "v1.29.0", "--tags", "tags.txt"])
        .output()
        .expect("wfgen runs");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}
