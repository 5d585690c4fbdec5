//! scripts/action-install.sh, the install step of the composite action
//! (action.yml), under bash against a local stand-in of a wfgen release: a
//! directory holding, under the names wfgen's own release gives them (the
//! build plan of the repository's wfgen.yaml, the one build-assets.yml is
//! generated from), an archive per target whose `wfgen` says which target it
//! is, each asset's `.sha256`, and SHA256SUMS written as release.yml writes it.
//! The script reaches it through its `download-url` input as a file:// URL.
//!
//! Shown: the asset each RUNNER_OS/RUNNER_ARCH gets, the checksum verified
//! (a tampered archive, a missing SHA256SUMS line, a binary of another version
//! are refused with a clear message and install nothing), unsupported runners
//! and bad inputs refused, the release URL derived from the action's path, and
//! `cargo install --locked` of the action's source when no version is given.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

const VERSION: &str = "0.2.0";

fn script() -> PathBuf {
    common::repo_root().join("scripts/action-install.sh")
}

/// (target, asset) of every binary wfgen's own release publishes.
fn released_assets() -> Vec<(String, String)> {
    let spec = wfgen::load_spec(&common::repo_root().join("wfgen.yaml")).unwrap_or_else(|e| panic!("wfgen.yaml: {e}"));
    let plan = wfgen::plan::build::plan(&spec.spec).expect("wfgen.yaml releases binaries");
    plan.entries
        .iter()
        .map(|e| (e.target.clone(), e.asset.clone()))
        .collect()
}

/// bash, found on the tests' PATH (a test may give the script another PATH).
fn bash() -> PathBuf {
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|d| d.join("bash"))
        .find(|p| p.is_file())
        .expect("bash on PATH")
}

fn sh(dir: &Path, script: &str) {
    let out = Command::new("bash")
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{script}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// An executable that says `wfgen VERSION (TARGET)` to `--version`.
fn fake_wfgen(version: &str, target: &str) -> String {
    format!("#!/bin/sh\necho \"wfgen {version} ({target})\"\n")
}

/// Writes the files of a release into `dir`; its binaries say they are
/// `binary_version`.
fn write_release(dir: &Path, binary_version: &str) {
    std::fs::create_dir_all(dir).unwrap();
    for (target, asset) in released_assets() {
        let stage = tempfile::tempdir().unwrap();
        let exe = if target.contains("windows") {
            "wfgen.exe"
        } else {
            "wfgen"
        };
        let path = stage.path().join(exe);
        std::fs::write(&path, fake_wfgen(binary_version, &target)).unwrap();
        sh(stage.path(), &format!("chmod +x {exe}"));
        let out = dir.join(&asset);
        let out = out.display();
        // As build-assets.yml packs them: the executable alone, at the top.
        if asset.ends_with(".zip") {
            sh(stage.path(), &format!("zip -q -X '{out}' {exe}"));
        } else {
            sh(stage.path(), &format!("tar -czf '{out}' {exe}"));
        }
        sh(dir, &format!("sha256sum '{asset}' > '{asset}.sha256'"));
    }
    // As release.yml's github-release job writes it: every file of the release.
    sh(dir, "files=(*); sha256sum -- \"${files[@]}\" > SHA256SUMS");
}

struct Installed {
    success: bool,
    output: String,
    /// GITHUB_OUTPUT after the run.
    github_output: String,
    runner_temp: PathBuf,
    _tmp: tempfile::TempDir,
}

impl Installed {
    fn exe(&self) -> Option<PathBuf> {
        self.github_output
            .lines()
            .find_map(|l| l.strip_prefix("wfgen="))
            .map(PathBuf::from)
    }

    /// Files left in the action's bin directory.
    fn bin_files(&self) -> Vec<String> {
        std::fs::read_dir(self.runner_temp.join("wfgen-bin"))
            .map(|d| {
                d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Runs the install script with the action's environment plus `env`.
fn install(env: &[(&str, &str)], path: Option<&str>) -> Installed {
    let tmp = tempfile::tempdir().unwrap();
    let runner_temp = tmp.path().join("runner-temp");
    std::fs::create_dir_all(&runner_temp).unwrap();
    let github_output = tmp.path().join("github-output");
    std::fs::write(&github_output, "").unwrap();
    let mut cmd = Command::new(bash());
    cmd.arg(script());
    for k in common::scrubbed_vars() {
        cmd.env_remove(k);
    }
    for k in ["WFGEN_VERSION", "WFGEN_REPOSITORY", "WFGEN_DOWNLOAD_URL"] {
        cmd.env_remove(k);
    }
    cmd.env("RUNNER_TEMP", &runner_temp)
        .env("GITHUB_OUTPUT", &github_output)
        .env("GITHUB_ACTION_PATH", common::repo_root())
        .env("GITHUB_SERVER_URL", "https://github.com")
        .current_dir(tmp.path());
    if let Some(p) = path {
        cmd.env("PATH", p);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    Installed {
        success: out.status.success(),
        output: format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
        github_output: std::fs::read_to_string(&github_output).unwrap(),
        runner_temp,
        _tmp: tmp,
    }
}

fn file_url(dir: &Path) -> String {
    format!("file://{}", dir.display())
}

/// What each runner of the action gets: (RUNNER_OS, RUNNER_ARCH, target).
const RUNNERS: &[(&str, &str, &str)] = &[
    ("Linux", "X64", "x86_64-unknown-linux-musl"),
    ("Linux", "ARM64", "aarch64-unknown-linux-musl"),
    ("macOS", "X64", "x86_64-apple-darwin"),
    ("macOS", "ARM64", "aarch64-apple-darwin"),
    ("Windows", "X64", "x86_64-pc-windows-msvc"),
];

#[test]
fn each_runner_gets_its_released_binary_checksum_verified() {
    let release = tempfile::tempdir().unwrap();
    write_release(release.path(), VERSION);
    let released = released_assets();
    let mut table = String::new();
    for (os, arch, target) in RUNNERS {
        let (_, asset) = released
            .iter()
            .find(|(t, _)| t == target)
            .unwrap_or_else(|| panic!("wfgen.yaml does not release {target}, which {os}/{arch} runners install"));
        let url = file_url(release.path());
        let r = install(
            &[
                ("RUNNER_OS", os),
                ("RUNNER_ARCH", arch),
                ("WFGEN_VERSION", &format!("v{VERSION}")),
                ("WFGEN_DOWNLOAD_URL", &url),
            ],
            None,
        );
        assert!(r.success, "{os}/{arch}: the install failed:\n{}", r.output);
        assert!(
            r.output.contains(&format!("sha256 of {asset} verified")),
            "{os}/{arch}: {asset} should be checksum-verified:\n{}",
            r.output
        );
        let exe = r
            .exe()
            .unwrap_or_else(|| panic!("{os}/{arch}: no wfgen= in GITHUB_OUTPUT:\n{}", r.output));
        let exe_name = if *os == "Windows" { "wfgen.exe" } else { "wfgen" };
        assert_eq!(exe, r.runner_temp.join("wfgen-bin").join(exe_name));
        let said = Command::new(&exe).arg("--version").output().unwrap();
        assert_eq!(
            String::from_utf8_lossy(&said.stdout).trim(),
            format!("wfgen {VERSION} ({target})"),
            "{os}/{arch} installed the binary of another target"
        );
        table.push_str(&format!("  {os:<7} {arch:<5} -> {asset}\n"));
    }
    println!("action install, asset per runner:\n{table}");
}

#[test]
fn download_url_takes_a_version_placeholder() {
    let mirror = tempfile::tempdir().unwrap();
    write_release(&mirror.path().join(VERSION), VERSION);
    let url = format!("{}/{{version}}/", file_url(mirror.path()));
    let r = install(
        &[
            ("RUNNER_OS", "Linux"),
            ("RUNNER_ARCH", "X64"),
            ("WFGEN_VERSION", VERSION),
            ("WFGEN_DOWNLOAD_URL", &url),
        ],
        None,
    );
    assert!(r.success && r.exe().is_some(), "{}", r.output);
}

fn linux_install(release: &Path) -> Installed {
    let url = file_url(release);
    install(
        &[
            ("RUNNER_OS", "Linux"),
            ("RUNNER_ARCH", "X64"),
            ("WFGEN_VERSION", VERSION),
            ("WFGEN_DOWNLOAD_URL", &url),
        ],
        None,
    )
}

fn assert_refused(r: &Installed, why: &str) {
    assert!(!r.success, "the install should fail ({why}):\n{}", r.output);
    assert!(
        r.output.contains("::error title=wfgen::") && r.output.contains(why),
        "the install should fail saying `{why}`:\n{}",
        r.output
    );
    assert_eq!(r.github_output, "", "a refused install must not set the output");
    assert!(
        r.bin_files().is_empty(),
        "a refused install must leave no executable: {:?}",
        r.bin_files()
    );
}

#[test]
fn a_tampered_archive_is_refused() {
    let release = tempfile::tempdir().unwrap();
    write_release(release.path(), VERSION);
    let asset = "wfgen-x86_64-unknown-linux-musl.tar.gz";
    // Another archive, valid and of the same name, with another executable.
    let stage = tempfile::tempdir().unwrap();
    std::fs::write(stage.path().join("wfgen"), "#!/bin/sh\necho evil\n").unwrap();
    sh(
        stage.path(),
        &format!(
            "chmod +x wfgen && tar -czf '{}' wfgen",
            release.path().join(asset).display()
        ),
    );
    let r = linux_install(release.path());
    assert_refused(&r, &format!("checksum mismatch for {asset}"));
    assert!(r.output.contains("refusing to install it"), "{}", r.output);
}

#[test]
fn an_asset_missing_from_sha256sums_is_refused() {
    let release = tempfile::tempdir().unwrap();
    write_release(release.path(), VERSION);
    let sums = std::fs::read_to_string(release.path().join("SHA256SUMS")).unwrap();
    let kept: String = sums
        .lines()
        .filter(|l| !l.ends_with("  wfgen-x86_64-unknown-linux-musl.tar.gz"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(kept, sums);
    std::fs::write(release.path().join("SHA256SUMS"), kept).unwrap();
    let r = linux_install(release.path());
    assert_refused(
        &r,
        &format!("SHA256SUMS of v{VERSION} does not list wfgen-x86_64-unknown-linux-musl.tar.gz"),
    );
}

#[test]
fn a_binary_of_another_version_is_refused() {
    let release = tempfile::tempdir().unwrap();
    write_release(release.path(), "0.1.9");
    let r = linux_install(release.path());
    assert!(!r.success && r.github_output.is_empty(), "{}", r.output);
    assert!(
        r.output.contains(&format!(
            "asked for wfgen {VERSION}, but the installed binary says 'wfgen 0.1.9"
        )),
        "{}",
        r.output
    );
}

#[test]
fn a_missing_release_is_a_clear_error() {
    let empty = tempfile::tempdir().unwrap();
    let r = linux_install(empty.path());
    assert_refused(&r, &format!("cannot download {}/SHA256SUMS", file_url(empty.path())));
}

#[test]
fn unsupported_runners_are_refused() {
    let release = tempfile::tempdir().unwrap();
    write_release(release.path(), VERSION);
    let url = file_url(release.path());
    for (os, arch) in [("Windows", "ARM64"), ("Linux", "X86"), ("macOS", "ARM"), ("Linux", "")] {
        let r = install(
            &[
                ("RUNNER_OS", os),
                ("RUNNER_ARCH", arch),
                ("WFGEN_VERSION", VERSION),
                ("WFGEN_DOWNLOAD_URL", &url),
            ],
            None,
        );
        assert_refused(&r, &format!("no released wfgen binary for runner {os}/{arch} "));
        assert!(r.output.contains("leave 'version' empty to build wfgen with cargo"));
    }
}

#[test]
fn bad_inputs_are_refused() {
    let release = tempfile::tempdir().unwrap();
    write_release(release.path(), VERSION);
    let url = file_url(release.path());
    for bad in ["latest", "1.2", "0.2.0 --force", "0.2.0;id", "vv0.2.0"] {
        let r = install(
            &[
                ("RUNNER_OS", "Linux"),
                ("RUNNER_ARCH", "X64"),
                ("WFGEN_VERSION", bad),
                ("WFGEN_DOWNLOAD_URL", &url),
            ],
            None,
        );
        assert_refused(&r, &format!("'version' is '{bad}', not a wfgen release version"));
    }
    for bad in [
        "http://mirror.example/wfgen",
        "ftp://mirror.example/wfgen",
        "mirror/wfgen",
    ] {
        let r = install(
            &[
                ("RUNNER_OS", "Linux"),
                ("RUNNER_ARCH", "X64"),
                ("WFGEN_VERSION", VERSION),
                ("WFGEN_DOWNLOAD_URL", bad),
            ],
            None,
        );
        assert_refused(&r, &format!("'download-url' is '{bad}': it must be an https://"));
    }
    let r = install(
        &[
            ("RUNNER_OS", "Linux"),
            ("RUNNER_ARCH", "X64"),
            ("WFGEN_VERSION", VERSION),
            ("WFGEN_REPOSITORY", "acme/wfgen/../x"),
        ],
        None,
    );
    assert_refused(&r, "'repository' is 'acme/wfgen/../x', not owner/name");
}

/// Without `repository` and `download-url`, the release is the one of the
/// repository the action runs from: `.../_actions/OWNER/NAME/REF`. (The server
/// refuses the connection, so the URL shows in the error without a network.)
#[test]
fn the_release_url_comes_from_the_action_path() {
    let tmp = tempfile::tempdir().unwrap();
    let action_path = tmp.path().join("_actions/acme/wfgen/v1");
    let action_path = action_path.display().to_string();
    let r = install(
        &[
            ("RUNNER_OS", "Linux"),
            ("RUNNER_ARCH", "X64"),
            ("WFGEN_VERSION", VERSION),
            ("GITHUB_ACTION_PATH", &action_path),
            ("GITHUB_SERVER_URL", "https://127.0.0.1:9"),
        ],
        None,
    );
    assert_refused(
        &r,
        &format!("cannot download https://127.0.0.1:9/acme/wfgen/releases/download/v{VERSION}/SHA256SUMS"),
    );
    let r = install(
        &[
            ("RUNNER_OS", "Linux"),
            ("RUNNER_ARCH", "X64"),
            ("WFGEN_VERSION", VERSION),
            ("GITHUB_ACTION_PATH", "/somewhere/else"),
        ],
        None,
    );
    assert_refused(
        &r,
        "cannot tell which repository releases wfgen; set the action's 'repository' input",
    );
}

/// No version: `cargo install --locked` of the action's own source (a cargo
/// stand-in records the call and installs a wfgen); no cargo: a clear error.
#[test]
fn no_version_builds_the_action_source_with_cargo() {
    let tools = tempfile::tempdir().unwrap();
    let log = tools.path().join("cargo.log");
    std::fs::write(
        tools.path().join("cargo"),
        format!(
            "#!/usr/bin/env bash\n\
             printf '%s\\n' \"$*\" >> '{}'\n\
             root=${{@: -1}}\n\
             mkdir -p \"$root/bin\"\n\
             printf '#!/bin/sh\\necho \"wfgen 0.1.0\"\\n' > \"$root/bin/wfgen\"\n\
             chmod +x \"$root/bin/wfgen\"\n",
            log.display()
        ),
    )
    .unwrap();
    sh(tools.path(), "chmod +x cargo");
    // PATH: the few tools the script needs on this path, and no cargo but the stand-in.
    for t in ["bash", "mkdir", "rm", "cp", "chmod"] {
        sh(tools.path(), &format!("ln -s \"$(command -v {t})\" {t}"));
    }
    let path = tools.path().display().to_string();
    let r = install(&[("RUNNER_OS", "Linux"), ("RUNNER_ARCH", "X64")], Some(&path));
    assert!(r.success, "{}", r.output);
    let call = std::fs::read_to_string(&log).unwrap();
    assert_eq!(
        call.trim(),
        format!(
            "install --locked --path {} --root {}/wfgen-cargo",
            common::repo_root().display(),
            r.runner_temp.display()
        )
    );
    assert_eq!(r.exe(), Some(r.runner_temp.join("wfgen-bin/wfgen")));
    assert!(r.output.contains("wfgen 0.1.0"), "{}", r.output);

    std::fs::remove_file(tools.path().join("cargo")).unwrap();
    let r = install(&[("RUNNER_OS", "Linux"), ("RUNNER_ARCH", "X64")], Some(&path));
    assert_refused(&r, "no 'version' given and no cargo on PATH");
}

/// action.yml installs through the script, with its inputs through env:.
#[test]
fn the_action_runs_the_script_with_its_inputs() {
    let text = std::fs::read_to_string(common::repo_root().join("action.yml")).unwrap();
    let action: yaml_serde::Value = yaml_serde::from_str(&text).unwrap();
    let step = &action["runs"]["steps"][0];
    assert_eq!(step["id"].as_str(), Some("install"));
    assert_eq!(step["shell"].as_str(), Some("bash"));
    assert_eq!(
        step["run"].as_str(),
        Some("bash \"$GITHUB_ACTION_PATH/scripts/action-install.sh\"")
    );
    for (var, input) in [
        ("WFGEN_VERSION", "version"),
        ("WFGEN_REPOSITORY", "repository"),
        ("WFGEN_DOWNLOAD_URL", "download-url"),
    ] {
        assert_eq!(
            step["env"][var].as_str(),
            Some(format!("${{{{ inputs.{input} }}}}").as_str()),
            "action.yml should pass input `{input}` as {var}"
        );
        assert!(
            action["inputs"][input].is_mapping(),
            "action.yml has no input `{input}`"
        );
    }
}

#[test]
fn the_script_passes_shellcheck() {
    let mut cmd = common::judge_cmd("shellcheck");
    cmd.args(["--shell=bash", "--severity=style"]).arg(script());
    let v = common::run_judge(cmd);
    assert!(
        v.success,
        "shellcheck has findings in scripts/action-install.sh:\n{}",
        v.output
    );
}
