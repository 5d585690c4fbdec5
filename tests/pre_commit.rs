//! .pre-commit-hooks.yaml, before the real pre-commit (from the judges'
//! venv): the manifest validates, its `files` pattern selects the spec and the
//! workflows, and `pre-commit try-repo <this repository> wfgen-check-system`
//! passes on a freshly generated tree and fails once a workflow is edited.
//!
//! The wheel: maturin (from the judges' venv) builds the PyPI wheel of this
//! crate (dev profile, in the tests' own target directory, so only the final
//! link runs), pip installs it into a fresh virtualenv, and the README's
//! `repo: local` hook (`language: python`, `additional_dependencies:
//! ["wfgen-cli==X.Y.Z"]`) runs through `pre-commit try-repo` with pip resolving
//! `wfgen-cli==<Cargo.toml version>` from that wheel alone (no index, no cargo on
//! PATH): it passes on a generated tree and fails after a hand edit. The build
//! and install times are printed (`--nocapture` / nextest shows them).
//!
//! The `wfgen-check` hook of this repository is `language: python` too; there
//! pip builds wfgen from source with maturin (a release build, minutes), which
//! is not run here.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use common::{TempRepo, judge, judge_cmd, run_judge};

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

/// A hand edit of the generated release.yml (a timeout), staged: the drift
/// the hook must catch.
fn hand_edit_release(repo: &TempRepo) {
    let release = repo.read(".github/workflows/release.yml");
    let edited = release.replacen("timeout-minutes:", "timeout-minutes: 999 #", 1);
    assert_ne!(edited, release, "release.yml has no timeout-minutes to edit");
    repo.write(".github/workflows/release.yml", &edited);
    repo.git(&["add", "-A"]);
}
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
    for (hook, language) in hooks.iter().zip(["python", "system"]) {
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

    hand_edit_release(&repo);
    let v = try_repo(&repo, home.path());
    assert!(
        !v.success && v.output.contains("Failed") && v.output.contains("release.yml"),
        "the hook should fail after a workflow was edited:\n{}",
        v.output
    );
}

// ---- the PyPI wheel and the `language: python` hook ---------------------------------

const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The version placeholder of the README's pre-commit snippet.
const README_VERSION: &str = "<x.y.z>";

/// The hook of the README's `repo: local` pre-commit snippet.
fn readme_local_hook() -> yaml_serde::Value {
    let readme = std::fs::read_to_string(common::repo_root().join("README.md")).unwrap();
    for block in readme.split("```yaml\n").skip(1) {
        let body = block.split("```").next().unwrap();
        let Ok(v) = yaml_serde::from_str::<yaml_serde::Value>(body) else {
            continue;
        };
        let repo = &v["repos"][0];
        if repo["repo"].as_str() == Some("local") && repo["hooks"][0]["id"].as_str() == Some("wfgen-check") {
            return repo["hooks"][0].clone();
        }
    }
    panic!("README.md has no ```yaml block with a `repo: local` hook `wfgen-check` (the pre-commit snippet)");
}

#[test]
fn readme_local_hook_is_the_manifest_hook_with_the_pypi_wheel() {
    let readme = readme_local_hook();
    let manifest = manifest();
    let hook = manifest
        .iter()
        .find(|h| h["id"].as_str() == Some("wfgen-check"))
        .unwrap();
    for key in ["name", "entry", "language", "pass_filenames", "files"] {
        assert_eq!(
            readme[key], hook[key],
            "README's `repo: local` hook and .pre-commit-hooks.yaml differ in `{key}`"
        );
    }
    assert_eq!(readme["language"].as_str(), Some("python"));
    let deps: Vec<&str> = readme["additional_dependencies"]
        .as_sequence()
        .expect("additional_dependencies")
        .iter()
        .filter_map(|d| d.as_str())
        .collect();
    assert_eq!(deps, [format!("wfgen-cli=={README_VERSION}")]);
}

/// `<target>/<profile dir>` of the tests' wfgen binary, as (target dir, cargo profile).
fn target_and_profile() -> (PathBuf, String) {
    let profile_dir = common::wfgen_bin().parent().unwrap().to_path_buf();
    let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
        Some("debug") | None => "dev".to_string(),
        Some(p) => p.to_string(),
    };
    (profile_dir.parent().unwrap().to_path_buf(), profile)
}

fn run_ok(cmd: &mut Command) -> String {
    let shown = format!("{cmd:?}");
    let out = cmd.output().unwrap_or_else(|e| panic!("cannot run {shown}: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "{shown} failed ({:?}):\n{text}",
        out.status.code()
    );
    text
}

/// Builds the wheel into `out` with maturin; returns its path.
///
/// In the tests' target directory with their profile and `--strip false`
/// (pyproject.toml strips release wheels): cargo then finds the tests' own
/// build of wfgen fresh and packs that very executable, instead of compiling
/// (minutes) or relinking `target/<profile>/wfgen` under the other tests.
fn build_wheel(out: &Path) -> PathBuf {
    let (target, profile) = target_and_profile();
    let mut cmd = judge_cmd("maturin");
    cmd.current_dir(common::repo_root())
        .env("CARGO_TARGET_DIR", &target)
        .args(["build", "--locked", "--profile", &profile, "--strip", "false", "--out"])
        .arg(out);
    run_ok(&mut cmd);
    let wheels: Vec<PathBuf> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "whl"))
        .collect();
    assert_eq!(wheels.len(), 1, "maturin should build one wheel: {wheels:?}");
    wheels[0].clone()
}

/// The file names in a wheel, its METADATA, and the sha256 of `member`.
fn wheel_contents(wheel: &Path, member: &str) -> (Vec<String>, String, String) {
    let mut cmd = Command::new(judge("python"));
    cmd.arg("-c")
        .arg(
            "import hashlib, sys, zipfile\n\
             z = zipfile.ZipFile(sys.argv[1])\n\
             names = z.namelist()\n\
             print('\\n'.join(names))\n\
             print('----')\n\
             print(hashlib.sha256(z.read(sys.argv[2])).hexdigest() if sys.argv[2] in names else '-')\n\
             print(z.read(next(n for n in names if n.endswith('.dist-info/METADATA'))).decode())",
        )
        .arg(wheel)
        .arg(member);
    let out = run_ok(&mut cmd);
    let (names, rest) = out.split_once("----\n").unwrap();
    let (sha, metadata) = rest.split_once('\n').unwrap();
    (
        names.lines().map(String::from).collect(),
        metadata.to_string(),
        sha.to_string(),
    )
}

/// PATH without any directory that holds cargo, rustc or wfgen: whatever the
/// hook runs must come from the wheel, and nothing can be compiled.
fn path_without_rust() -> std::ffi::OsString {
    let judges = judge("pre-commit").parent().unwrap().to_path_buf();
    let rest = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .filter(|d| d != &judges && !["cargo", "rustc", "wfgen"].iter().any(|x| d.join(x).is_file()))
        .collect::<Vec<_>>();
    std::env::join_paths(std::iter::once(judges).chain(rest)).unwrap()
}

/// The in-tree PEP 517 backend of the scratch hook repository: it builds one
/// empty distribution, like the placeholder package pre-commit installs for a
/// `repo: local` hook, without downloading a build backend.
const PLACEHOLDER_BACKEND: &str = r#"import base64, hashlib, os, zipfile

NAME, VERSION = "wfgen_hook_placeholder", "0.0.0"


def get_requires_for_build_wheel(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    info = f"{NAME}-{VERSION}.dist-info"
    files = {
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {NAME}\nVersion: {VERSION}\n",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: placeholder\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    name = f"{NAME}-{VERSION}-py3-none-any.whl"
    record = []
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as z:
        for path, text in files.items():
            data = text.encode()
            z.writestr(path, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.append(f"{path},sha256={digest},{len(data)}")
        record.append(f"{info}/RECORD,,")
        z.writestr(f"{info}/RECORD", "\n".join(record) + "\n")
    return name
"#;

const PLACEHOLDER_PYPROJECT: &str = "[build-system]\n\
requires = []\n\
build-backend = \"placeholder_backend\"\n\
backend-path = [\".\"]\n";

/// The wheel end to end: built by maturin, installed by pip into a fresh
/// virtualenv, then the README's `language: python` hook through
/// `pre-commit try-repo`, with pip finding `wfgen-cli==VERSION` in that wheel.
#[test]
fn wheel_installs_and_python_hook_checks() {
    let tmp = tempfile::Builder::new().prefix("wfgen-wheel-").tempdir().unwrap();
    let wheels = tmp.path().join("wheels");

    let started = Instant::now();
    let wheel = build_wheel(&wheels);
    let build_secs = started.elapsed().as_secs_f64();

    let file = wheel.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        file.starts_with(&format!("wfgen_cli-{VERSION}-py3-none-")),
        "a bindings = \"bin\" wheel of Cargo.toml's version: {file}"
    );
    let script = format!("wfgen_cli-{VERSION}.data/scripts/wfgen");
    let (names, metadata, sha) = wheel_contents(&wheel, &script);
    assert!(
        names.contains(&script),
        "the wheel should hold the executable as a script: {names:?}"
    );
    use sha2::Digest as _;
    let tested = format!(
        "{:x}",
        sha2::Sha256::digest(std::fs::read(common::wfgen_bin()).unwrap())
    );
    assert_eq!(sha, tested, "the wheel should hold the wfgen the tests built");
    assert!(!names.iter().any(|n| n.ends_with(".py")), "no Python code: {names:?}");
    assert!(
        metadata.lines().any(|l| l == "Name: wfgen-cli")
            && metadata.lines().any(|l| l == format!("Version: {VERSION}")),
        "METADATA:\n{metadata}"
    );

    // pip install into a fresh virtualenv.
    let venv = tmp.path().join("venv");
    run_ok(Command::new(judge("python")).args(["-m", "venv"]).arg(&venv));
    let started = Instant::now();
    run_ok(
        Command::new(venv.join("bin/python"))
            .args([
                "-m",
                "pip",
                "install",
                "--no-index",
                "--disable-pip-version-check",
                "--no-input",
                "-q",
            ])
            .arg(&wheel),
    );
    let install_secs = started.elapsed().as_secs_f64();
    let version = run_ok(Command::new(venv.join("bin/wfgen")).arg("--version"));
    assert_eq!(version.trim(), format!("wfgen {VERSION}"));

    // The hook repository: the README's hook, with this version.
    let hooks = TempRepo::new();
    let mut hook = readme_local_hook();
    let deps = yaml_serde::Value::Sequence(vec![format!("wfgen-cli=={VERSION}").into()]);
    hook["additional_dependencies"] = deps;
    hooks.write(".pre-commit-hooks.yaml", &yaml_serde::to_string(&vec![hook]).unwrap());
    hooks.write("pyproject.toml", PLACEHOLDER_PYPROJECT);
    hooks.write("placeholder_backend.py", PLACEHOLDER_BACKEND);
    hooks.git(&["add", "-A"]);
    hooks.git(&["commit", "-q", "-m", "wfgen-check from the wheel"]);

    let repo = TempRepo::with_fixture_repo("opsml");
    repo.generate();
    repo.git(&["add", "-A"]);
    let home = tempfile::tempdir().unwrap();
    // With no index, no cargo and no wfgen on PATH, the hook's `wfgen` can
    // only be the one pip installed from the wheel into the hook's
    // environment (try-repo keeps that environment in a directory of its own
    // that it removes afterwards).
    let try_repo = || {
        let mut cmd = judge_cmd("pre-commit");
        cmd.current_dir(repo.path())
            .env("PATH", path_without_rust())
            .env("PRE_COMMIT_HOME", home.path())
            .env("PIP_NO_INDEX", "1")
            .env("PIP_FIND_LINKS", &wheels)
            .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
            .env_remove("SKIP")
            .arg("try-repo")
            .arg(hooks.path())
            .args(["wfgen-check", "--all-files", "--color=never"]);
        run_judge(cmd)
    };

    let started = Instant::now();
    let v = try_repo();
    let hook_secs = started.elapsed().as_secs_f64();
    assert!(
        v.success && v.output.contains("wfgen check") && v.output.contains("Passed"),
        "the python hook should install the wheel and pass on a generated tree:\n{}",
        v.output
    );
    hand_edit_release(&repo);
    let v = try_repo();
    assert!(
        !v.success
            && v.output.contains("Failed")
            && v.output.contains(".github/workflows/release.yml")
            && v.output.contains("timeout-minutes"),
        "the python hook should fail after a hand edit of release.yml:\n{}",
        v.output
    );

    println!(
        "WHEEL | {file} | {:.1} MB | maturin build {build_secs:.1}s | pip install {install_secs:.1}s | \
         first pre-commit run (hook environment + wheel) {hook_secs:.1}s",
        std::fs::metadata(&wheel).unwrap().len() as f64 / 1e6
    );
}

/// The source distribution holds everything the binary is built from (pip
/// builds from it where no wheel fits) and nothing of the tests.
#[test]
fn sdist_holds_the_sources() {
    let tmp = tempfile::tempdir().unwrap();
    let mut cmd = judge_cmd("maturin");
    cmd.current_dir(common::repo_root())
        .args(["sdist", "--out"])
        .arg(tmp.path());
    run_ok(&mut cmd);
    let sdist = tmp.path().join(format!("wfgen_cli-{VERSION}.tar.gz"));
    assert!(sdist.is_file(), "maturin sdist should write {}", sdist.display());
    let list = run_ok(Command::new("tar").arg("-tzf").arg(&sdist));
    let names: Vec<&str> = list
        .lines()
        .map(|l| l.strip_prefix(&format!("wfgen_cli-{VERSION}/")).unwrap_or(l))
        .collect();
    for want in [
        "pyproject.toml",
        "Cargo.toml",
        "Cargo.lock",
        "README.md",
        "PKG-INFO",
        "src/main.rs",
        "src/lib.rs",
        "templates/release.yml.j2",
        "data/action-pins.tsv",
        "schema/wfgen.schema.json",
    ] {
        assert!(names.contains(&want), "the sdist lacks {want}:\n{list}");
    }
    // Every file the sources compile in must be in the sdist: the templates
    // and the include_str! files.
    for e in std::fs::read_dir(common::repo_root().join("templates")).unwrap() {
        let rel = format!("templates/{}", e.unwrap().file_name().to_string_lossy());
        assert!(names.contains(&rel.as_str()), "the sdist lacks {rel}");
    }
    for e in walkdir::WalkDir::new(common::repo_root().join("src")) {
        let e = e.unwrap();
        if !e.file_type().is_file() {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).unwrap();
        for (i, _) in text.match_indices("include_str!(\"../../") {
            let rel = &text[i + "include_str!(\"../../".len()..];
            let rel = &rel[..rel.find('"').unwrap()];
            if rel.starts_with("fixtures/") {
                continue; // specs of unit tests
            }
            assert!(
                names.contains(&rel),
                "{} compiles in {rel}, which the sdist lacks",
                e.path().display()
            );
        }
    }
    for n in &names {
        assert!(
            !n.starts_with("tests/") && !n.starts_with("fixtures/") && !n.starts_with(".github/"),
            "the sdist should hold no tests, fixtures or workflows: {n}"
        );
    }
}
