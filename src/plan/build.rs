//! The build-assets.yml plan: one matrix entry per (binary, target), split
//! into one matrix job per toolchain (Rust, Go), and the provenance job, as
//! a checked job graph ([`workflow`]).

use serde::Serialize;

use super::Permission;
use super::graph::{Graph, Job, Stage};

use super::assetnames;
use super::pins::Pins;
use super::runners::{self, RustBuild};
use super::steps::{self, SetupStep};
use crate::jobids;
use crate::spec::{Binary, BinaryKind, Spec, Target};

/// Directory (relative to the checkout) where a build job stages the files it
/// uploads, and where the provenance job downloads them. Not hidden:
/// upload-artifact skips hidden paths.
pub const STAGE_DIR: &str = "wfgen-assets";

#[derive(Debug, Clone, Serialize)]
pub struct BuildPlan {
    pub entries: Vec<BuildEntry>,
    /// The build jobs: `build-rust`, `build-rust-container` (the legs built
    /// in a container image) and `build-go`, each a matrix over its entries.
    pub jobs: Vec<BuildJob>,
    pub has_rust: bool,
    pub has_go: bool,
    /// Job ids of the build jobs, for `needs:`.
    pub build_jobs: Vec<String>,
    /// Attest build provenance of every asset (a separate job, the only one
    /// with `id-token: write` and `attestations: write`).
    pub provenance: bool,
    /// SPDX SBOM per asset (`<asset base name>.spdx.json`, uploaded with it).
    pub sbom: bool,
    /// `concurrency.group` prefix; the group is `<prefix>-<tag>`.
    pub concurrency: String,
    pub stage_dir: String,
    /// The tag prefix, which `{version}` leaves out.
    pub tag_prefix: String,
    /// Some asset name holds `{version}`: the build jobs and the provenance
    /// job expand it from the tag.
    pub versioned: bool,
    /// download-artifact `pattern` that matches exactly the artifacts of
    /// this workflow (a `{a,b}` brace list of the entries' artifact names).
    pub artifact_pattern: String,
    /// Paths (under `stage_dir`) of every released asset, the provenance
    /// subjects (`{version}` unexpanded).
    pub subjects: Vec<String>,
    pub provenance_timeout: u32,
    /// Permissions of the build jobs.
    pub build_permissions: Vec<Permission>,
    /// Permissions of the provenance job.
    pub provenance_permissions: Vec<Permission>,
    /// Permissions the calling job in release.yml must grant (the union of
    /// what the jobs of this workflow ask for).
    pub caller_permissions: Vec<Permission>,
    /// Secrets the setup steps of the build jobs name (passed by the caller).
    pub secrets: Vec<String>,
}

/// What build-assets.yml.j2 sees: the plan (`build`) and the job graph.
#[derive(Debug, Clone, Serialize)]
pub struct BuildWorkflow<'a> {
    pub build: &'a BuildPlan,
    pub jobs: Graph<BuildBody>,
}

/// The part of a build-assets.yml job that differs by kind; the template
/// lays out each kind's steps.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum BuildBody {
    /// The matrix job `build.jobs[job]`, in the container of its matrix
    /// entry when `container`.
    Binaries { job: usize, container: bool },
    /// The provenance attestation of every asset.
    Provenance,
}

/// build-assets.yml's jobs: the matrix jobs, then the provenance job after
/// them. All of the build stage: release.yml calls the workflow as one of
/// its builds. A broken graph is a bug of wfgen's: it panics.
pub fn workflow(b: &BuildPlan) -> BuildWorkflow<'_> {
    let mut jobs: Vec<Job<BuildBody>> = b
        .jobs
        .iter()
        .enumerate()
        .map(|(i, bj)| Job {
            id: bj.id.clone(),
            name: bj.title.clone(),
            stage: Stage::Build,
            needs: Vec::new(),
            runs_on: Some("${{ matrix.runner }}".into()),
            permissions: b.build_permissions.clone(),
            timeout: Some(bj.timeout),
            condition: None,
            condition_why: None,
            body: BuildBody::Binaries {
                job: i,
                container: bj.container,
            },
        })
        .collect();
    if b.provenance {
        jobs.push(Job {
            id: jobids::PROVENANCE.into(),
            name: jobids::PROVENANCE.into(),
            stage: Stage::Build,
            needs: b.build_jobs.clone(),
            runs_on: Some(super::runners::SCRIPTS.into()),
            permissions: b.provenance_permissions.clone(),
            timeout: Some(b.provenance_timeout),
            condition: None,
            condition_why: None,
            body: BuildBody::Provenance,
        });
    }
    let jobs = Graph { jobs };
    if let Err(e) = jobs.check_called() {
        panic!("build-assets.yml's job graph is broken (a bug of wfgen): {e}");
    }
    BuildWorkflow { build: b, jobs }
}

/// One matrix job of build-assets.yml.
#[derive(Debug, Clone, Serialize)]
pub struct BuildJob {
    pub id: String,
    pub kind: BinaryKind,
    /// The job's name, an expression over its matrix.
    pub title: String,
    /// The legs run in the container image of their matrix entry.
    pub container: bool,
    pub entries: Vec<BuildEntry>,
    /// Some entry needs musl-tools, cargo-zigbuild, a glibc floor (the
    /// matrix then has `cargo_target`), a suffix (`suffix`), an
    /// environment (`env`).
    pub has_musl: bool,
    pub has_zigbuild: bool,
    pub has_glibc: bool,
    pub has_suffix: bool,
    pub has_env: bool,
    /// The top-level setup steps, then each binary's own (with an `if:` on
    /// the matrix binary when the job builds several).
    pub setup: Vec<SetupStep>,
    pub timeout: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct BuildEntry {
    pub binary: String,
    pub kind: BinaryKind,
    /// Cargo package, or Go main package path.
    pub package: String,
    /// Cargo features, comma-separated ("" for none).
    pub features: String,
    pub target: String,
    /// The leg's suffix ("" for none).
    pub suffix: String,
    /// The container image the leg is built in ("" for the runner itself).
    pub container: String,
    /// The glibc floor of a zigbuild leg ("" for none).
    pub glibc: String,
    /// `--target` of cargo: the triple, with `.<glibc>` for a glibc floor
    /// ("" for Go).
    pub cargo_target: String,
    pub runner: String,
    /// linux | macos | windows (of the runner).
    pub os: String,
    /// native | musl | zigbuild (Rust) or go.
    pub build: String,
    /// Cargo subcommand: `build`, or `zigbuild` ("" for Go).
    pub cargo: String,
    /// Rust: the cargo arguments after the subcommand and before `--target`
    /// (profile, `--bin`, the spec's `cargo-args`), one word each, space-separated.
    pub cargo_args: String,
    /// Go: `-ldflags` template ({version} {sha} {date} expanded in the job).
    pub ldflags: String,
    /// Go: more `go build` flags, space-separated.
    pub go_flags: String,
    /// Go: build tags, comma-separated.
    pub go_tags: String,
    /// `NAME=value` lines of the build's environment (the top-level `env`,
    /// then the binary's), written to `$GITHUB_ENV` with their placeholders
    /// expanded.
    pub env: String,
    /// More files of the archive: `file:GLOB` and `dir:FROM:TO` lines.
    pub include: String,
    /// Go only: GOOS and GOARCH.
    pub goos: String,
    pub goarch: String,
    /// File name of the built executable (`name` or `name.exe`).
    pub exe: String,
    /// Where the build leaves the executable, relative to the checkout.
    pub built_path: String,
    /// tar.gz | zip | none
    pub archive: String,
    /// How the archive step packs the executable: `tar` (tar.gz), `zip`,
    /// `7z` (zip on Windows runners, where Git Bash has no zip), `copy` (none).
    pub archiver: String,
    /// Name of the released file (`binaries[].asset` and the extension;
    /// `{version}` expanded by the job).
    pub asset: String,
    /// Name of the upload-artifact artifact.
    pub artifact: String,
    /// File name of the SPDX SBOM (`<asset base name>.spdx.json`).
    pub sbom_file: String,
    /// What syft scans for the SBOM: the Go executable (its embedded build
    /// info lists the modules), or Cargo.lock for Rust (a plain Rust
    /// executable carries no dependency list).
    pub sbom_subject: String,
}

/// A download-artifact pattern that matches exactly `names`.
/// Permissions of a job that attests build provenance of files.
pub fn attest_permissions() -> Vec<Permission> {
    vec![
        Permission::write("id-token", "Sigstore signing certificate of the attestation"),
        Permission::write("attestations", "store the attestation in the repository"),
    ]
}

pub fn exact_pattern(names: &[String]) -> String {
    match names {
        [one] => one.clone(),
        _ => format!("{{{}}}", names.join(",")),
    }
}

/// The cargo arguments of a Rust binary besides `--target` and `-p`:
/// the profile, `--bin`, and the spec's `cargo-args` (default `--locked`).
fn cargo_args(b: &crate::spec::Binary) -> String {
    let mut args: Vec<String> = match b.profile.as_deref() {
        None | Some("release") => vec!["--release".into()],
        Some(p) => vec!["--profile".into(), p.into()],
    };
    if let Some(bin) = &b.bin {
        args.push("--bin".into());
        args.push(bin.clone());
    }
    args.extend(b.cargo_args.clone().unwrap_or_else(|| vec!["--locked".into()]));
    args.join(" ")
}

/// The build entry of one leg of a binary.
fn entry(spec: &Spec, b: &Binary, t: &Target) -> BuildEntry {
    let target = t.name();
    let windows = assetnames::is_windows(target);
    let stem = b.bin.clone().unwrap_or_else(|| b.name.clone());
    let exe = if windows { format!("{stem}.exe") } else { stem };
    let (runner, build, goos, goarch, package, built_path) = match b.kind {
        BinaryKind::Rust => {
            let (default, how) = runners::rust(target);
            let build = match how {
                // A container brings its own C library; a glibc floor is
                // cargo-zigbuild's.
                _ if t.glibc().is_some() => "zigbuild",
                _ if t.container().is_some() => "native",
                RustBuild::Native => "native",
                RustBuild::Musl => "musl",
                RustBuild::Zigbuild => "zigbuild",
            };
            let package = b.package.clone().unwrap_or_else(|| b.name.clone());
            let profile_dir = match b.profile.as_deref().unwrap_or("release") {
                "dev" | "test" => "debug".to_string(),
                "bench" => "release".to_string(),
                p => p.to_string(),
            };
            (
                runners::pick(&spec.runners, target, default),
                build,
                String::new(),
                String::new(),
                package,
                format!("target/{target}/{profile_dir}/{exe}"),
            )
        }
        BinaryKind::Go => {
            let (os, arch) = target.split_once('/').unwrap_or((target, ""));
            let package = b.package.clone().unwrap_or_else(|| ".".into());
            (
                runners::pick(&spec.runners, target, runners::go(target)),
                "go",
                os.to_string(),
                arch.to_string(),
                package,
                format!("dist/{}/{exe}", assetnames::target_slug(target)),
            )
        }
    };
    let os = runners::os_of(&runner);
    let tslug = assetnames::target_slug(target);
    let archive = match assetnames::extension(b, target) {
        ".tar.gz" => "tar.gz",
        ".zip" => "zip",
        _ => "none",
    };
    let archiver = match archive {
        "tar.gz" => "tar",
        "zip" if os == "windows" => "7z",
        "zip" => "zip",
        _ => "copy",
    };
    let cargo = match build {
        "zigbuild" => "zigbuild",
        "go" => "",
        _ => "build",
    };
    let sbom_subject = match b.kind {
        BinaryKind::Go => built_path.clone(),
        BinaryKind::Rust => "Cargo.lock".to_string(),
    };
    let rust = b.kind == BinaryKind::Rust;
    let go = b.kind == BinaryKind::Go;
    let env = super::steps::merged(&[&spec.env, &b.env]);
    BuildEntry {
        binary: b.name.clone(),
        kind: b.kind,
        package,
        features: b.features.join(","),
        target: target.to_string(),
        suffix: t.suffix().to_string(),
        container: t.container().unwrap_or_default().to_string(),
        glibc: t.glibc().unwrap_or_default().to_string(),
        cargo_target: match (rust, t.glibc()) {
            (false, _) => String::new(),
            (true, Some(g)) => format!("{target}.{g}"),
            (true, None) => target.to_string(),
        },
        os: os.to_string(),
        runner,
        build: build.to_string(),
        cargo: cargo.to_string(),
        goos,
        goarch,
        exe,
        built_path,
        archive: archive.to_string(),
        archiver: archiver.to_string(),
        asset: assetnames::file_name(b, t),
        artifact: format!("bin-{}-{tslug}{}", b.name, t.suffix()),
        sbom_file: format!("{}.spdx.json", assetnames::base_name(b, t)),
        sbom_subject,
        cargo_args: if rust { cargo_args(b) } else { String::new() },
        ldflags: if go {
            b.ldflags.clone().unwrap_or_else(|| "-s -w".into())
        } else {
            String::new()
        },
        go_flags: if go {
            b.flags.clone().unwrap_or_else(|| vec!["-trimpath".into()]).join(" ")
        } else {
            String::new()
        },
        go_tags: b.tags.join(","),
        include: b
            .include
            .iter()
            .map(|i| match i {
                crate::spec::Include::File(f) => format!("file:{f}\n"),
                crate::spec::Include::Dir(d) => {
                    format!("dir:{}:{}\n", d.from.trim_end_matches('/'), d.to.trim_end_matches('/'))
                }
            })
            .collect(),
        env: env.iter().map(|(k, v)| format!("{k}={v}\n")).collect(),
    }
}

/// The setup steps of a build job: the top-level ones, then those of each
/// of its binaries, which run only on the binary's legs when the job
/// builds several.
fn job_setup(spec: &Spec, pins: &Pins, binaries: &[&Binary]) -> Vec<SetupStep> {
    let mut out = steps::resolve(pins, &[&spec.setup]);
    for b in binaries {
        for mut st in steps::resolve(pins, &[&b.setup]) {
            if binaries.len() > 1 {
                let on = format!("matrix.binary == '{}'", b.name);
                st.cond = Some(match st.cond {
                    Some(os) => format!("{on} && ({os})"),
                    None => on,
                });
            }
            out.push(st);
        }
    }
    out
}

pub fn plan(spec: &Spec) -> Option<BuildPlan> {
    if spec.binaries.is_empty() {
        return None;
    }
    let pins = super::pins::resolve(spec);
    let mut entries = Vec::new();
    // (job id, kind, in a container): the jobs in the order they are written.
    let layout: [(&str, BinaryKind, bool); 3] = [
        (jobids::BUILD_RUST, BinaryKind::Rust, false),
        (jobids::BUILD_RUST_CONTAINER, BinaryKind::Rust, true),
        (jobids::BUILD_GO, BinaryKind::Go, false),
    ];
    let mut jobs = Vec::new();
    for (id, kind, container) in layout {
        let mut job_entries = Vec::new();
        let mut binaries: Vec<&Binary> = Vec::new();
        for b in spec.binaries.iter().filter(|b| b.kind == kind) {
            let legs: Vec<BuildEntry> = b
                .targets
                .iter()
                .filter(|t| t.container().is_some() == container)
                .map(|t| entry(spec, b, t))
                .collect();
            if !legs.is_empty() {
                binaries.push(b);
            }
            job_entries.extend(legs);
        }
        if job_entries.is_empty() {
            continue;
        }
        let any = |f: &dyn Fn(&BuildEntry) -> bool| job_entries.iter().any(f);
        let (has_musl, has_zigbuild) = (any(&|e| e.build == "musl"), any(&|e| e.build == "zigbuild"));
        let (has_glibc, has_suffix, has_env) = (
            any(&|e| !e.glibc.is_empty()),
            any(&|e| !e.suffix.is_empty()),
            any(&|e| !e.env.is_empty()),
        );
        let mut title = "build ${{ matrix.binary }}".to_string();
        if has_suffix {
            title.push_str("${{ matrix.suffix }}");
        }
        title.push_str(" (${{ matrix.target }}");
        if container {
            title.push_str(" in ${{ matrix.container }}");
        }
        title.push(')');
        jobs.push(BuildJob {
            id: id.to_string(),
            kind,
            title,
            container,
            has_musl,
            has_zigbuild,
            has_glibc,
            has_suffix,
            has_env,
            setup: job_setup(spec, &pins, &binaries),
            timeout: if kind == BinaryKind::Go { 30 } else { 90 },
            entries: job_entries.clone(),
        });
        entries.extend(job_entries);
    }
    let provenance = spec.release.provenance;
    let build_permissions = vec![Permission::read("contents", "check out the tag")];
    let provenance_permissions = if provenance { attest_permissions() } else { Vec::new() };
    // What the calling job must grant: what the jobs ask for, no more.
    let caller_permissions = super::graph::merge(build_permissions.iter().chain(&provenance_permissions));
    let artifacts: Vec<String> = entries.iter().map(|e| e.artifact.clone()).collect();
    let mut secrets: Vec<String> = jobs
        .iter()
        .flat_map(|j| &j.setup)
        .flat_map(|st| st.env.iter().map(|v| v.name.clone()))
        .collect();
    secrets.sort();
    secrets.dedup();
    Some(BuildPlan {
        has_rust: entries.iter().any(|e| e.kind == BinaryKind::Rust),
        has_go: entries.iter().any(|e| e.kind == BinaryKind::Go),
        build_jobs: jobs.iter().map(|j| j.id.clone()).collect(),
        jobs,
        provenance,
        build_permissions,
        provenance_permissions,
        sbom: spec.release.sbom,
        concurrency: "build-assets".into(),
        stage_dir: STAGE_DIR.into(),
        tag_prefix: spec.versioning.tag_prefix.clone(),
        versioned: entries.iter().any(|e| e.asset.contains("{version}")),
        artifact_pattern: exact_pattern(&artifacts),
        subjects: entries.iter().map(|e| format!("{STAGE_DIR}/{}", e.asset)).collect(),
        provenance_timeout: 15,
        caller_permissions,
        secrets,
        entries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_of(yaml: &str) -> BuildPlan {
        let (spec, _) = crate::parse_spec("wfgen.yaml", yaml).unwrap_or_else(|e| panic!("{e}"));
        plan(&spec).expect("binaries")
    }

    const RUST: &str = "wfgen: 1
project: { name: opsml }
binaries:
  - name: opsml-server
    kind: rust
    package: opsml-server-crate
    features: [server, cli]
    targets: [x86_64-unknown-linux-gnu, aarch64-unknown-linux-musl, x86_64-pc-windows-msvc,
              aarch64-apple-darwin, x86_64-apple-darwin, aarch64-pc-windows-msvc,
              riscv64gc-unknown-linux-gnu]
runners: { aarch64-apple-darwin: macos-15 }
";

    fn entry<'a>(p: &'a BuildPlan, target: &str) -> &'a BuildEntry {
        p.entries.iter().find(|e| e.target == target).expect(target)
    }

    #[test]
    fn rust_entries_use_the_runner_table() {
        let p = plan_of(RUST);
        let runner = |t: &str| entry(&p, t).runner.as_str();
        assert_eq!(runner("x86_64-unknown-linux-gnu"), "ubuntu-22.04");
        assert_eq!(runner("aarch64-unknown-linux-musl"), "ubuntu-22.04-arm");
        assert_eq!(runner("x86_64-pc-windows-msvc"), "windows-2022");
        assert_eq!(runner("aarch64-pc-windows-msvc"), "windows-11-arm");
        assert_eq!(runner("x86_64-apple-darwin"), "macos-15-intel");
        assert_eq!(runner("aarch64-apple-darwin"), "macos-15", "runners: overrides");
        assert_eq!(runner("riscv64gc-unknown-linux-gnu"), "ubuntu-22.04");

        let e = entry(&p, "aarch64-unknown-linux-musl");
        assert_eq!((e.build.as_str(), e.cargo.as_str()), ("musl", "build"));
        let e = entry(&p, "riscv64gc-unknown-linux-gnu");
        assert_eq!((e.build.as_str(), e.cargo.as_str()), ("zigbuild", "zigbuild"));
        let e = entry(&p, "x86_64-unknown-linux-gnu");
        assert_eq!((e.build.as_str(), e.cargo.as_str()), ("native", "build"));
        assert_eq!(e.package, "opsml-server-crate");
        assert_eq!(e.features, "server,cli");
        assert_eq!(e.sbom_subject, "Cargo.lock");
        assert!(p.has_rust && !p.has_go && p.jobs[0].has_musl && p.jobs[0].has_zigbuild);
        assert!(!p.jobs[0].has_glibc && !p.jobs[0].has_suffix && !p.jobs[0].has_env && !p.versioned);
        assert_eq!(p.build_jobs, ["build-rust"]);
    }

    #[test]
    fn rust_bin_profile_and_cargo_args() {
        let p = plan_of(
            "wfgen: 1
project: { name: x }
binaries:
  - { name: srv, kind: rust, bin: opsml-server, profile: dist, cargo-args: [--locked, --no-default-features], targets: [x86_64-unknown-linux-gnu, x86_64-pc-windows-msvc] }
  - { name: cli, kind: rust, targets: [x86_64-unknown-linux-gnu] }
",
        );
        let srv = &p.entries[0];
        assert_eq!(
            srv.cargo_args,
            "--profile dist --bin opsml-server --locked --no-default-features"
        );
        assert_eq!(srv.built_path, "target/x86_64-unknown-linux-gnu/dist/opsml-server");
        assert_eq!(
            srv.asset, "srv-x86_64-unknown-linux-gnu.tar.gz",
            "assets keep the binary's name"
        );
        assert_eq!(p.entries[1].exe, "opsml-server.exe");
        assert_eq!(p.entries[2].cargo_args, "--release --locked");
        assert_eq!(p.entries[2].built_path, "target/x86_64-unknown-linux-gnu/release/cli");
    }

    #[test]
    fn go_ldflags_flags_tags_env() {
        let p = plan_of(
            "wfgen: 1
project: { name: x }
binaries:
  - name: aicr
    kind: go
    package: ./cmd/aicr
    ldflags: '-s -w -X main.version={version} -X main.commit={sha} -X main.date={date}'
    tags: [netgo, osusergo]
    env: { GOFLAGS: -mod=vendor }
    targets: [linux/amd64]
  - { name: plain, kind: go, targets: [linux/amd64] }
",
        );
        let e = &p.entries[0];
        assert_eq!(
            e.ldflags,
            "-s -w -X main.version={version} -X main.commit={sha} -X main.date={date}"
        );
        assert_eq!(
            (e.go_flags.as_str(), e.go_tags.as_str()),
            ("-trimpath", "netgo,osusergo")
        );
        assert_eq!(e.env, "GOFLAGS=-mod=vendor\n");
        assert_eq!(p.entries[1].env, "");
        assert!(p.jobs[0].has_env);
        assert_eq!(
            (p.entries[1].ldflags.as_str(), p.entries[1].go_flags.as_str()),
            ("-s -w", "-trimpath")
        );
    }

    #[test]
    fn archive_names() {
        let p = plan_of(RUST);
        let e = entry(&p, "x86_64-unknown-linux-gnu");
        assert_eq!(e.exe, "opsml-server");
        assert_eq!(e.built_path, "target/x86_64-unknown-linux-gnu/release/opsml-server");
        assert_eq!(e.archive, "tar.gz");
        assert_eq!(e.archiver, "tar");
        assert_eq!(e.asset, "opsml-server-x86_64-unknown-linux-gnu.tar.gz");
        assert_eq!(e.artifact, "bin-opsml-server-x86_64-unknown-linux-gnu");
        assert_eq!(e.sbom_file, "opsml-server-x86_64-unknown-linux-gnu.spdx.json");

        let e = entry(&p, "x86_64-pc-windows-msvc");
        assert_eq!(e.exe, "opsml-server.exe");
        assert_eq!(e.built_path, "target/x86_64-pc-windows-msvc/release/opsml-server.exe");
        assert_eq!((e.archive.as_str(), e.archiver.as_str()), ("zip", "7z"));
        assert_eq!(e.asset, "opsml-server-x86_64-pc-windows-msvc.zip");
        assert_eq!(e.os, "windows");

        assert_eq!(
            p.subjects[0],
            "wfgen-assets/opsml-server-x86_64-unknown-linux-gnu.tar.gz"
        );
        assert_eq!(p.subjects.len(), p.entries.len());
    }

    #[test]
    fn go_entries_cross_compile_on_linux() {
        let p = plan_of(
            "wfgen: 1
project: { name: kubetool }
binaries:
  - name: kubetool
    kind: go
    package: ./cmd/kubetool
    targets: [linux/arm64, windows/amd64, darwin/arm64]
  - name: bare
    kind: go
    targets: [windows/amd64, linux/amd64]
    archive: none
release: { provenance: false }
",
        );
        assert!(p.has_go && !p.has_rust && !p.provenance && !p.jobs[0].has_musl && !p.jobs[0].has_zigbuild);
        assert_eq!(p.build_jobs, ["build-go"]);
        let e = &p.entries[0];
        assert_eq!(
            (e.runner.as_str(), e.build.as_str(), e.cargo.as_str()),
            ("ubuntu-24.04", "go", "")
        );
        assert_eq!((e.goos.as_str(), e.goarch.as_str()), ("linux", "arm64"));
        assert_eq!(e.built_path, "dist/linux-arm64/kubetool");
        assert_eq!(e.asset, "kubetool-linux-arm64.tar.gz");
        assert_eq!(e.sbom_subject, e.built_path);
        let e = &p.entries[1];
        assert_eq!(e.exe, "kubetool.exe");
        assert_eq!(e.built_path, "dist/windows-amd64/kubetool.exe");
        // zip on a Linux runner uses zip, not 7z.
        assert_eq!(
            (e.asset.as_str(), e.archiver.as_str()),
            ("kubetool-windows-amd64.zip", "zip")
        );
        let e = &p.entries[3];
        assert_eq!(e.package, ".");
        assert_eq!(
            (e.asset.as_str(), e.archiver.as_str()),
            ("bare-windows-amd64.exe", "copy")
        );
        assert_eq!(p.entries[4].asset, "bare-linux-amd64");
        assert_eq!(p.caller_permissions.len(), 1, "no provenance: contents: read only");
    }

    #[test]
    fn artifact_pattern_matches_exactly_the_entries() {
        let p = plan_of(RUST);
        assert!(
            p.artifact_pattern
                .starts_with("{bin-opsml-server-x86_64-unknown-linux-gnu,")
        );
        assert_eq!(p.artifact_pattern.matches(',').count(), p.entries.len() - 1);
        assert_eq!(exact_pattern(&["a".into()]), "a");
        let perms: Vec<String> = p
            .caller_permissions
            .iter()
            .map(|p| format!("{}: {}", p.name, p.access))
            .collect();
        assert_eq!(
            perms,
            ["attestations: write", "contents: read", "id-token: write"],
            "the union of the jobs', by name"
        );
    }

    #[test]
    fn legs_container_glibc_suffix_and_jobs() {
        let p = plan_of(
            "wfgen: 1
project: { name: x }
env: { RUSTFLAGS: -C debuginfo=0 }
setup: [{ name: protoc, run: make protoc }]
binaries:
  - name: srv
    kind: rust
    setup: [{ name: ui, run: make ui, os: [linux, macos] }]
    env: { SRV: '{version}' }
    targets:
      - x86_64-unknown-linux-gnu
      - { target: x86_64-unknown-linux-gnu, container: 'rockylinux:9', suffix: -rocky }
      - { target: aarch64-unknown-linux-gnu, glibc: '2.17' }
  - { name: cli, kind: rust, targets: [aarch64-apple-darwin] }
",
        );
        assert_eq!(p.build_jobs, ["build-rust", "build-rust-container"]);
        let wf = workflow(&p);
        let ids: Vec<(&str, &[String])> = wf
            .jobs
            .jobs
            .iter()
            .map(|j| (j.id.as_str(), j.needs.as_slice()))
            .collect();
        assert_eq!(
            ids,
            [
                ("build-rust", [].as_slice()),
                ("build-rust-container", [].as_slice()),
                (
                    "provenance",
                    ["build-rust".to_string(), "build-rust-container".to_string()].as_slice()
                ),
            ]
        );
        assert!(wf.jobs.jobs.iter().all(|j| j.stage == Stage::Build));
        let (plain, boxed) = (&p.jobs[0], &p.jobs[1]);
        assert_eq!(plain.entries.len(), 3);
        assert_eq!(boxed.entries.len(), 1);
        assert!(boxed.container && !plain.container);
        assert!(boxed.title.ends_with(" in ${{ matrix.container }})"), "{}", boxed.title);
        let rocky = &boxed.entries[0];
        assert_eq!(
            (rocky.container.as_str(), rocky.build.as_str(), rocky.runner.as_str()),
            ("rockylinux:9", "native", "ubuntu-22.04")
        );
        assert_eq!(rocky.asset, "srv-x86_64-unknown-linux-gnu-rocky.tar.gz");
        assert_eq!(rocky.artifact, "bin-srv-x86_64-unknown-linux-gnu-rocky");
        assert_eq!(rocky.sbom_file, "srv-x86_64-unknown-linux-gnu-rocky.spdx.json");
        let floor = entry(&p, "aarch64-unknown-linux-gnu");
        assert_eq!(
            (floor.build.as_str(), floor.cargo.as_str(), floor.cargo_target.as_str()),
            ("zigbuild", "zigbuild", "aarch64-unknown-linux-gnu.2.17")
        );
        assert_eq!(floor.built_path, "target/aarch64-unknown-linux-gnu/release/srv");
        assert!(plain.has_glibc && plain.has_zigbuild && !plain.has_suffix && plain.has_env);
        assert!(boxed.has_suffix && !boxed.has_glibc);
        assert_eq!(floor.env, "RUSTFLAGS=-C debuginfo=0\nSRV={version}\n");
        assert_eq!(
            entry(&p, "aarch64-apple-darwin").env,
            "RUSTFLAGS=-C debuginfo=0\n",
            "cli: the top-level env only"
        );
        // The top-level step on every leg; the binary's only on its own,
        // with its os filter.
        let conds: Vec<Option<&str>> = plain.setup.iter().map(|s| s.cond.as_deref()).collect();
        assert_eq!(
            conds,
            [
                None,
                Some("matrix.binary == 'srv' && (runner.os == 'Linux' || runner.os == 'macOS')")
            ]
        );
        assert_eq!(
            boxed.setup[1].cond.as_deref(),
            Some("runner.os == 'Linux' || runner.os == 'macOS'"),
            "one binary in the job: no condition on it"
        );
        assert!(p.artifact_pattern.contains("bin-srv-x86_64-unknown-linux-gnu-rocky"));
    }

    #[test]
    fn versioned_asset_names() {
        let p = plan_of(
            "wfgen: 1
project: { name: x }
binaries:
  - name: aicr
    kind: go
    asset: '{name}_{version}_{os}_{arch}'
    targets: [linux/amd64, darwin/arm64]
release: { sbom: true }
",
        );
        assert!(p.versioned);
        assert_eq!(p.entries[0].asset, "aicr_{version}_linux_amd64.tar.gz");
        assert_eq!(p.entries[0].sbom_file, "aicr_{version}_linux_amd64.spdx.json");
        assert_eq!(
            p.entries[0].artifact, "bin-aicr-linux-amd64",
            "artifact names hold no version"
        );
        assert_eq!(p.subjects[1], "wfgen-assets/aicr_{version}_darwin_arm64.tar.gz");
    }
}
