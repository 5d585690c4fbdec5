//! wfgen releases itself with its own wfgen.yaml: the workflows committed in
//! .github/workflows must be exactly what that spec generates, and the spec
//! releases the binaries, the PyPI wheels (pyproject.toml) and the GitHub
//! release for every platform.

mod common;

use std::path::Path;

#[test]
fn own_workflows_are_generated_from_own_spec() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let spec = wfgen::load_spec(&root.join("wfgen.yaml")).unwrap_or_else(|e| panic!("wfgen.yaml: {e}"));
    let rendered = wfgen::generate(&spec);
    assert!(rendered.iter().any(|r| r.path == ".github/workflows/release.yml"));
    for r in &rendered {
        let on_disk = std::fs::read_to_string(root.join(&r.path))
            .unwrap_or_else(|e| panic!("{}: {e}; run `cargo run -- generate`", r.path));
        assert!(
            on_disk == r.text,
            "{} is not what wfgen.yaml generates: run `cargo run -- generate`",
            r.path
        );
    }
}

/// The check that CI and pre-commit run on this repository: `wfgen check
/// --strict` on our own workflows, through the real binary.
#[test]
fn own_workflows_pass_a_strict_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = assert_cmd::Command::cargo_bin("wfgen")
        .unwrap()
        .current_dir(root)
        .env("NO_COLOR", "1")
        .args(["check", "--strict", "--format", "oneline"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "wfgen check --strict on this repository failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Our own workflows before the three judges, as every fixture's are.
#[test]
fn own_workflows_pass_the_judges() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files: Vec<String> = std::fs::read_dir(root.join(".github/workflows"))
        .unwrap()
        .map(|e| format!(".github/workflows/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    let what = "our own workflows";
    common::assert_actionlint_clean(root, what);
    common::assert_zizmor_clean(root, what);
    common::assert_workflow_schema_clean(root, &files, what);
}

/// The platforms wfgen is released for: (binary target, wheel platform).
const PLATFORMS: &[(&str, &str)] = &[
    ("x86_64-unknown-linux-gnu", "linux-x86_64"),
    ("aarch64-unknown-linux-gnu", "linux-aarch64"),
    ("x86_64-unknown-linux-musl", "musllinux-x86_64"),
    ("aarch64-unknown-linux-musl", "musllinux-aarch64"),
    ("x86_64-apple-darwin", "macos-x86_64"),
    ("aarch64-apple-darwin", "macos-aarch64"),
    ("x86_64-pc-windows-msvc", "windows-x64"),
];

fn sorted(v: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = v.into_iter().collect();
    v.sort();
    v
}

/// What our own release builds: a binary per platform, and the PyPI wheels
/// of pyproject.toml (maturin, bindings = "bin") over the same platforms, one
/// wheel each (no per-interpreter builds: the wheel holds no Python code),
/// with an sdist, checksums and provenance.
#[test]
fn own_release_builds_binaries_and_wheels_for_every_platform() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let spec = wfgen::load_spec(&root.join("wfgen.yaml")).unwrap_or_else(|e| panic!("wfgen.yaml: {e}"));
    let build = wfgen::plan::build::plan(&spec.spec).expect("wfgen.yaml releases binaries");
    assert_eq!(
        sorted(build.entries.iter().map(|e| e.target.clone())),
        sorted(PLATFORMS.iter().map(|(t, _)| t.to_string())),
        "binaries of wfgen.yaml"
    );
    assert!(
        build
            .entries
            .iter()
            .all(|e| e.binary == "wfgen" && e.package == "wfgen")
    );

    let python = wfgen::plan::python::plan(&spec.spec);
    let [workflow] = python.as_slice() else {
        panic!("wfgen.yaml should have one Python workflow, not {}", python.len())
    };
    let [pkg] = workflow.packages.as_slice() else {
        panic!("one Python package")
    };
    assert_eq!(
        (pkg.name.as_str(), pkg.build.as_str(), pkg.path.as_str()),
        ("wfgen-cli", "maturin", ".")
    );
    assert_eq!(
        sorted(pkg.wheels.iter().map(|w| w.platform.clone())),
        sorted(PLATFORMS.iter().map(|(_, p)| p.to_string())),
        "wheel platforms of wfgen.yaml"
    );
    assert!(
        !pkg.wheel_args.contains("--interpreter"),
        "a bindings = \"bin\" wheel serves every Python: one build per platform, not per interpreter ({})",
        pkg.wheel_args
    );
    assert!(pkg.sdist && pkg.publish == "pypi");
    assert!(spec.spec.release.checksums && spec.spec.release.provenance);

    let pyproject = std::fs::read_to_string(root.join("pyproject.toml")).unwrap();
    for line in [
        "build-backend = \"maturin\"",
        "name = \"wfgen-cli\"",
        "dynamic = [\"version\"]",
        "bindings = \"bin\"",
    ] {
        assert!(
            pyproject.lines().any(|l| l.trim() == line),
            "pyproject.toml should have `{line}`"
        );
    }
    assert!(
        !pyproject.lines().any(|l| l.trim_start().starts_with("version")),
        "pyproject.toml takes its version from Cargo.toml (the version file the release checks)"
    );
    assert_eq!(spec.spec.versioning.version_files, ["Cargo.toml"]);
}

/// What `wfgen plan` says our own release publishes: the PyPI upload and the
/// GitHub release, for a release and a pre-release alike (the action's
/// `version` input downloads from the GitHub release).
#[test]
fn own_release_plan_publishes_pypi_and_the_github_release() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tags = tempfile::NamedTempFile::new().unwrap();
    for (tag, prerelease) in [("v0.2.0", false), ("v0.3.0-rc.1", true)] {
        let out = common::wfgen()
            .current_dir(root)
            .args(["plan", tag, "--format", "json", "--tags"])
            .arg(tags.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "wfgen plan {tag}");
        let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(plan["github_release"].is_object(), "{tag}: {plan}");
        assert_eq!(plan["prerelease"], prerelease, "{tag}");
        assert_eq!(plan["latest"], !prerelease, "{tag}");
        let pypi = plan["pypi"].as_array().expect("pypi uploads");
        assert_eq!(pypi.len(), 1, "{tag}: {plan}");
        assert_eq!(pypi[0]["name"], "wfgen-cli", "{tag}");
        assert_eq!(pypi[0]["repository"], "pypi", "{tag}");
        assert_eq!(pypi[0]["version"], plan["pep440"], "{tag}");
    }
}
