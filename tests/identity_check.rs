//! The identity check of release.yml (job `verify-identity`), run as the
//! workflow has it: the step's script and env are read from the generated
//! release.yml, the artifacts are real files (zip wheels with METADATA, sdists
//! with PKG-INFO, chart packages with Chart.yaml, archives with their
//! `.sha256`, image digest files with their version label) made from the
//! release manifest of the tag, and the script runs
//! under bash with the plan job's outputs as its placeholders. What the
//! release built as planned passes; every way of building something else
//! fails with one line per artifact, saying what was expected and found.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value as Json;
use yaml_serde::Value as Yaml;

/// The generated workflows of a fixture, in a scratch directory.
struct Generated {
    dir: tempfile::TempDir,
    spec: PathBuf,
}

fn generate(fixture: &str) -> Generated {
    generate_spec(&std::fs::read_to_string(common::fixture_spec(fixture)).unwrap())
}

fn generate_spec(text: &str) -> Generated {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("wfgen.yaml");
    std::fs::write(&spec, text).unwrap();
    common::wfgen()
        .current_dir(dir.path())
        .args(["generate"])
        .assert()
        .success();
    Generated { dir, spec }
}

fn manifest(g: &Generated, tag: &str) -> Json {
    let tags = g.dir.path().join("tags.txt");
    std::fs::write(&tags, "").unwrap();
    let out = common::wfgen()
        .current_dir(g.dir.path())
        .args(["plan", tag, "--format", "json", "--spec"])
        .arg(&g.spec)
        .arg("--tags")
        .arg(&tags)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The identity step of release.yml: (env, script).
fn identity_step(g: &Generated) -> (Vec<(String, String)>, String) {
    let text = std::fs::read_to_string(g.dir.path().join(".github/workflows/release.yml")).unwrap();
    let wf: Yaml = yaml_serde::from_str(&text).unwrap();
    let steps = wf["jobs"]["verify-identity"]["steps"]
        .as_sequence()
        .expect("a verify-identity job");
    let step = steps.iter().find(|s| s["run"].is_string()).expect("a run step");
    let env = step["env"]
        .as_mapping()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.as_str().unwrap().to_string(), v.as_str().unwrap().to_string()))
        .collect();
    (env, step["run"].as_str().unwrap().to_string())
}

/// A concrete file name for a manifest glob, as the build tools write it.
fn concrete(glob: &str) -> String {
    glob.replace("cp3*-abi3", "cp38-abi3")
        .replace("*linux*_", "manylinux_2_28_")
        .replace("macosx_*_", "macosx_11_0_")
        .replace("-*-none-any", "-py3-none-any")
        .replace('*', "x")
}

fn python(script: &str, args: &[&str]) {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

fn write_wheel(path: &Path, name: &str, version: &str) {
    python(
        "import sys, zipfile\n\
         p, n, v = sys.argv[1:]\n\
         d = n.replace('-', '_')\n\
         with zipfile.ZipFile(p, 'w') as z:\n\
         \x20   z.writestr(f'{d}-{v}.dist-info/METADATA', f'Metadata-Version: 2.1\\nName: {n}\\nVersion: {v}\\n')\n\
         \x20   z.writestr(f'{d}-{v}.dist-info/WHEEL', 'Wheel-Version: 1.0\\n')\n",
        &[path.to_str().unwrap(), name, version],
    );
}

fn write_tar(path: &Path, member: &str, text: &str) {
    python(
        "import io, sys, tarfile\n\
         p, m, t = sys.argv[1:]\n\
         with tarfile.open(p, 'w:gz') as tf:\n\
         \x20   b = t.encode()\n\
         \x20   i = tarfile.TarInfo(m); i.size = len(b)\n\
         \x20   tf.addfile(i, io.BytesIO(b))\n",
        &[path.to_str().unwrap(), member, text],
    );
}

fn sha256_line(path: &Path) -> String {
    let out = Command::new("sha256sum").arg(path).output().unwrap();
    let hex = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    format!("{hex}  {}\n", path.file_name().unwrap().to_string_lossy())
}

/// Builds every file and chart of the manifest into `built/<artifact>/`, as
/// a release that builds what it plans.
fn build_as_planned(m: &Json, built: &Path) {
    let files = m["files"].as_array().unwrap();
    // Archives first: a checksum file is the sha256 of its archive.
    for f in files.iter().filter(|f| f["kind"] != "checksum") {
        let dir = built.join(f["artifact"].as_str().unwrap());
        std::fs::create_dir_all(&dir).unwrap();
        let name = concrete(f["name"].as_str().unwrap());
        let (package, version) = (f["package"].as_str().unwrap(), f["version"].as_str().unwrap());
        match f["kind"].as_str().unwrap() {
            "wheel" => write_wheel(&dir.join(&name), package, version),
            "sdist" => {
                let stem = name.trim_end_matches(".tar.gz");
                write_tar(
                    &dir.join(&name),
                    &format!("{stem}/PKG-INFO"),
                    &format!("Metadata-Version: 2.1\nName: {package}\nVersion: {version}\n"),
                );
            }
            _ => std::fs::write(dir.join(&name), format!("{package} {version}\n")).unwrap(),
        }
    }
    for f in files.iter().filter(|f| f["kind"] == "checksum") {
        let dir = built.join(f["artifact"].as_str().unwrap());
        let name = f["name"].as_str().unwrap();
        let target = dir.join(name.trim_end_matches(".sha256"));
        std::fs::write(dir.join(name), sha256_line(&target)).unwrap();
    }
    // An image build's digest artifact: a file named by the digest, holding
    // the version label the build job read back from the registry.
    for (n, im) in m["images"].as_array().unwrap().iter().enumerate() {
        if im["tags"].as_array().unwrap().is_empty() {
            continue; // the tag gives the variant no tags: not built
        }
        for (k, artifact) in im["digest_artifacts"].as_array().unwrap().iter().enumerate() {
            let dir = built.join(artifact.as_str().unwrap());
            std::fs::create_dir_all(&dir).unwrap();
            let digest = format!("{:02x}{}", n * 16 + k + 1, "e".repeat(62));
            let label = im["version_label"].as_str().unwrap();
            std::fs::write(dir.join(digest), format!("{label}\n")).unwrap();
        }
    }
    for c in m["charts"].as_array().unwrap() {
        let dir = built.join(c["artifact"].as_str().unwrap());
        std::fs::create_dir_all(&dir).unwrap();
        let name = c["chart"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
        let version = c["version"].as_str().unwrap();
        write_tar(
            &dir.join(format!("{name}-{version}.tgz")),
            &format!("{name}/Chart.yaml"),
            &format!(
                "apiVersion: v2\nname: {name}\nversion: {version}\nappVersion: \"{}\"\n",
                c["appVersion"].as_str().unwrap()
            ),
        );
    }
}

/// Runs the identity step over `built` for the tag of manifest `m`: (passed,
/// its output with the scratch path as `$BUILT`).
fn check(g: &Generated, m: &Json, built: &Path) -> (bool, String) {
    let (env, script) = identity_step(g);
    let mut cmd = Command::new("bash");
    cmd.arg("-c")
        .arg(&script)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap());
    for (k, v) in env {
        // `${{ needs.plan.outputs.X }}` is the plan job's output X.
        let value = match v
            .strip_prefix("${{ needs.plan.outputs.")
            .and_then(|r| r.strip_suffix(" }}"))
        {
            Some(output) => m["outputs"][output]
                .as_str()
                .unwrap_or_else(|| panic!("no output {output}"))
                .to_string(),
            None if k == "BUILT" => built.display().to_string(),
            None => v,
        };
        cmd.env(k, value);
    }
    let out = cmd.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (
        out.status.success(),
        text.replace(&built.display().to_string(), "$BUILT"),
    )
}

#[test]
fn a_release_built_as_planned_passes() {
    for (fixture, tag) in [
        ("opsml", "v1.3.0-rc.1"),
        ("opsml", "v1.4.9"),
        ("mlserver", "1.7.0rc1"),
        ("llm-proxy", "v1.3.0"),
        ("cluster-tool", "v2.0.0"),
        ("model-server", "1.2.3"),
    ] {
        let g = generate(fixture);
        let m = manifest(&g, tag);
        assert_eq!(m["valid"], true, "{fixture} {tag}: {}", m["error"]);
        assert_eq!(m["identity_check"]["job"], "verify-identity", "{fixture}");
        let built = tempfile::tempdir().unwrap();
        build_as_planned(&m, built.path());
        let (ok, out) = check(&g, &m, built.path());
        assert!(ok, "{fixture} {tag}: {out}");
        assert!(out.starts_with("Identity check: "), "{out}");
    }
}

/// opsml's client wheels and sdist built at another version (a static
/// `[project] version` that no version file checks), one server wheel
/// missing, one extra, one whose METADATA says another version, one
/// checksum of another file: each is one line, and the check fails.
#[test]
fn what_differs_from_the_plan_is_one_line_per_artifact() {
    let g = generate("opsml");
    let m = manifest(&g, "v1.3.0-rc.1");
    let built = tempfile::tempdir().unwrap();
    let b = built.path();
    build_as_planned(&m, b);
    // The client's wheels and sdist are of 1.2.3.
    for e in std::fs::read_dir(b).unwrap() {
        let dir = e.unwrap().path();
        let artifact = dir.file_name().unwrap().to_string_lossy().to_string();
        if !artifact.contains("opsml-client") {
            continue;
        }
        for f in std::fs::read_dir(&dir).unwrap() {
            let f = f.unwrap().path();
            let name = f.file_name().unwrap().to_string_lossy().replace("1.3.0rc1", "1.2.3");
            std::fs::remove_file(&f).unwrap();
            if name.ends_with(".whl") {
                write_wheel(&dir.join(&name), "opsml-client", "1.2.3");
            } else {
                write_tar(
                    &dir.join(&name),
                    "opsml_client-1.2.3/PKG-INFO",
                    "Metadata-Version: 2.1\nName: opsml-client\nVersion: 1.2.3\n",
                );
            }
        }
    }
    let linux = b.join("wheels-opsml-linux-x86_64");
    std::fs::remove_file(linux.join("opsml-1.3.0rc1-cp313-cp313-manylinux_2_28_x86_64.whl")).unwrap();
    write_wheel(
        &linux.join("opsml-1.3.0rc1-cp39-cp39-manylinux_2_28_x86_64.whl"),
        "opsml",
        "1.3.0rc1",
    );
    let mac = b.join("wheels-opsml-macos-aarch64");
    write_wheel(
        &mac.join("opsml-1.3.0rc1-cp310-cp310-macosx_11_0_arm64.whl"),
        "opsml",
        "1.3.0",
    );
    write_wheel(
        &b.join("wheels-opsml-windows-x64/opsml-1.3.0rc1-cp39-cp39-win_amd64.whl"),
        "opsml",
        "1.3.0rc1",
    );
    let bin = b.join("bin-opsml-server-x86_64-apple-darwin");
    std::fs::write(bin.join("opsml-server-x86_64-apple-darwin.tar.gz"), "rebuilt\n").unwrap();
    let (ok, out) = check(&g, &m, b);
    assert!(!ok, "{out}");
    insta::assert_snapshot!(out);
}

/// A chart packaged with another version or appVersion than planned (a
/// build that packaged Chart.yaml as it is).
#[test]
fn a_chart_of_another_version_fails() {
    let g = generate("llm-proxy");
    let m = manifest(&g, "v1.3.0");
    let built = tempfile::tempdir().unwrap();
    build_as_planned(&m, built.path());
    let dir = built.path().join("helm-llm-proxy");
    for f in std::fs::read_dir(&dir).unwrap() {
        std::fs::remove_file(f.unwrap().path()).unwrap();
    }
    write_tar(
        &dir.join("llm-proxy-0.1.0.tgz"),
        "llm-proxy/Chart.yaml",
        "apiVersion: v2\nname: llm-proxy\nversion: 0.1.0 # bumped by hand\nappVersion: '0.1.0'\n",
    );
    let (ok, out) = check(&g, &m, built.path());
    assert!(!ok, "{out}");
    insta::assert_snapshot!(out);
}

/// An artifact the plan names and the run did not make.
#[test]
fn a_missing_artifact_fails() {
    let g = generate("mlserver");
    let m = manifest(&g, "1.7.0");
    let built = tempfile::tempdir().unwrap();
    build_as_planned(&m, built.path());
    let first = m["files"][0]["artifact"].as_str().unwrap();
    std::fs::remove_dir_all(built.path().join(first)).unwrap();
    let (ok, out) = check(&g, &m, built.path());
    assert!(!ok, "{out}");
    assert!(
        out.contains(&format!("{first}: the artifact is missing: expected ")),
        "{out}"
    );
}

/// An image build whose version label is not the tag's version (a Dockerfile
/// LABEL or a spec label that won over the build's), and one whose digest
/// artifact holds no label at all: one line each.
#[test]
fn an_image_label_of_another_version_fails() {
    let g = generate("model-server");
    let m = manifest(&g, "1.3.0");
    let built = tempfile::tempdir().unwrap();
    build_as_planned(&m, built.path());
    let digest_file = |artifact: &str| {
        let dir = built.path().join(artifact);
        std::fs::read_dir(&dir).unwrap().next().unwrap().unwrap().path()
    };
    std::fs::write(digest_file("digest-0-slim-amd64"), "1.2.3\n").unwrap();
    std::fs::write(digest_file("digest-0-xgboost-amd64"), "\n").unwrap();
    let (ok, out) = check(&g, &m, built.path());
    assert!(!ok, "{out}");
    insta::assert_snapshot!(out);
}

/// A variant that the tag gives no tags builds nothing, and the check does
/// not ask for its digest: model-server's slim variant tagged only `slim`,
/// which a pre-release does not move.
#[test]
fn an_image_the_tag_does_not_build_is_not_expected() {
    let text = std::fs::read_to_string(common::fixture_spec("model-server")).unwrap();
    let only_moving = text.replace(r#"tags: ["{version}-slim", slim]"#, "tags: [slim]");
    assert_ne!(only_moving, text);
    let g = generate_spec(&only_moving);
    let m = manifest(&g, "1.3.0rc1");
    let images = m["images"].as_array().unwrap();
    let slim = images.iter().find(|i| i["variant"] == "slim").unwrap();
    assert_eq!(slim["tags"], serde_json::json!([]), "{slim}");
    let built = tempfile::tempdir().unwrap();
    build_as_planned(&m, built.path());
    assert!(!built.path().join("digest-0-slim-amd64").exists());
    let (ok, out) = check(&g, &m, built.path());
    assert!(ok, "{out}");
    assert!(out.contains(" and 4 image builds of version 1.3.0rc1"), "{out}");
}
