//! `binaries:`: names, targets and their legs, the build keys of a Rust or
//! a Go binary, `include`, `ldflags`, the `asset` template.

use super::*;

/// Every binary, then no name twice. The plan checks the names of their
/// release files (`plan::assetnames`).
pub(super) fn check(spec: &Spec, c: &mut Problems) {
    for (i, b) in spec.binaries.iter().enumerate() {
        let p = ypath!["binaries", i];
        c.name(
            p.key("name"),
            &b.name,
            r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
            "binary name",
            "use letters, digits, `.`, `_` and `-`",
        );
        if b.targets.is_empty() {
            c.err(
                p.key("targets"),
                Part::Value,
                format!("binary `{}` has no targets", b.name),
                "list at least one target, e.g. `[x86_64-unknown-linux-gnu]`".into(),
            );
        }
        build_keys(c, &p, b);
        targets(c, &p, b);
        if b.kind == BinaryKind::Go && !b.features.is_empty() {
            c.err(
                p.key("features"),
                Part::Value,
                "Go binaries have no cargo features".into(),
                "remove `features`, or set `kind: rust`".into(),
            );
        }
        if let Some(pkg) = &b.package
            && (pkg.trim().is_empty() || pkg.contains(char::is_whitespace))
        {
            c.err(
                p.key("package"),
                Part::Value,
                format!("`{pkg}` is not a package name or path"),
                "a cargo package name, or a Go main package path such as `./cmd/tool`".into(),
            );
        }
    }
    c.unique(
        spec.binaries
            .iter()
            .enumerate()
            .map(|(i, b)| (ypath!["binaries", i, "name"], b.name.as_str())),
        "binary name",
    );
}

/// The build keys of a binary: the Rust ones on Rust binaries, the Go ones
/// on Go binaries, each value a word the build passes on as it is.
fn build_keys(c: &mut Problems, p: &YPath, b: &Binary) {
    keys_of_the_other_kind(c, p, b);
    cargo_keys(c, p, b);
    go_keys(c, p, b);
    for (j, inc) in b.include.iter().enumerate() {
        include(c, &p.key("include").index(j), b, inc);
    }
    if let Some(l) = &b.ldflags {
        ldflags(c, p, l);
    }
}

/// The keys of a Go binary on a Rust one, and the other way round.
fn keys_of_the_other_kind(c: &mut Problems, p: &YPath, b: &Binary) {
    let rust_only = [
        ("bin", b.bin.is_some()),
        ("profile", b.profile.is_some()),
        ("cargo-args", b.cargo_args.is_some()),
    ];
    let go_only = [
        ("ldflags", b.ldflags.is_some()),
        ("flags", b.flags.is_some()),
        ("tags", !b.tags.is_empty()),
    ];
    let (wrong, kind) = match b.kind {
        BinaryKind::Rust => (&go_only[..], "a Rust binary (it is for `kind: go`)"),
        BinaryKind::Go => (&rust_only[..], "a Go binary (it is for `kind: rust`)"),
    };
    for (key, set) in wrong {
        if *set {
            c.err(
                p.key(*key),
                Part::Key,
                format!("`{key}` does nothing for {kind}"),
                "remove it, or check `kind`".into(),
            );
        }
    }
}

/// `bin`, `profile` and `cargo-args`, none of which wfgen sets itself.
fn cargo_keys(c: &mut Problems, p: &YPath, b: &Binary) {
    if let Some(bin) = &b.bin {
        c.name(
            p.key("bin"),
            bin,
            r"^[A-Za-z0-9_-]+$",
            "cargo binary name",
            "the `name` of a `[[bin]]` target of the package, or the package's own binary",
        );
    }
    if let Some(profile) = &b.profile {
        c.name(
            p.key("profile"),
            profile,
            r"^[A-Za-z][A-Za-z0-9_-]*$",
            "cargo profile",
            "`release`, `dev`, or a `[profile.<name>]` of Cargo.toml",
        );
    }
    const SET_BY_WFGEN: &[&str] = &[
        "--target",
        "--release",
        "-r",
        "--profile",
        "-p",
        "--package",
        "--bin",
        "--features",
        "-F",
    ];
    for (j, a) in b.cargo_args.iter().flatten().enumerate() {
        let at = p.key("cargo-args").index(j);
        if !re(r"^[^\s]+$").is_match(a) {
            c.err(
                at,
                Part::Value,
                format!("`{a}` is not one argument"),
                "give each argument as its own list item, without spaces".into(),
            );
        } else if SET_BY_WFGEN.contains(&a.split('=').next().unwrap_or(a)) {
            c.err(
                at,
                Part::Value,
                format!("wfgen sets `{a}` itself"),
                "use `targets`, `profile`, `bin`, `package` and `features` instead".into(),
            );
        }
    }
}

/// `flags`, none of which wfgen sets itself, and build `tags`.
fn go_keys(c: &mut Problems, p: &YPath, b: &Binary) {
    for (j, f) in b.flags.iter().flatten().enumerate() {
        if !re(r"^[^\s]+$").is_match(f) {
            c.err(
                p.key("flags").index(j),
                Part::Value,
                format!("`{f}` is not one flag"),
                "give each flag as its own list item, without spaces (ldflags go in `ldflags`)".into(),
            );
        } else if f.starts_with("-ldflags") || f.starts_with("-tags") || f == "-o" {
            c.err(
                p.key("flags").index(j),
                Part::Value,
                format!("wfgen sets `{f}` itself"),
                "use `ldflags` and `tags`; the output path is wfgen's".into(),
            );
        }
    }
    for (j, t) in b.tags.iter().enumerate() {
        c.name(
            p.key("tags").index(j),
            t,
            r"^[A-Za-z0-9_.]+$",
            "Go build tag",
            "build tags are words of letters, digits, `_` and `.`",
        );
    }
}

/// An `include` entry at `at`: paths inside the repository, `from` one
/// directory, and an archive to put them in.
fn include(c: &mut Problems, at: &YPath, b: &Binary, inc: &Include) {
    let paths: Vec<(YPath, &str)> = match inc {
        Include::File(f) => vec![(at.clone(), f.as_str())],
        Include::Dir(d) => vec![(at.key("from"), d.from.as_str()), (at.key("to"), d.to.as_str())],
    };
    for (pp, path) in paths {
        let bad = path.is_empty()
            || path.starts_with('/')
            || path.split('/').any(|c| c == "..")
            || path.contains([':', '\\', '\n', '\r']);
        if bad {
            c.err(pp, Part::Value, format!("`{path}` is not a path inside the repository"), "write a relative path from the repository root, without `..`, `:` or `\\`, e.g. `README.md`, `LICENSE*` or `{ from: ui/dist, to: ui }`".into());
        }
    }
    if let Include::Dir(d) = inc
        && d.from.contains(['*', '?', '['])
    {
        c.err(
            at.key("from"),
            Part::Value,
            format!("`from: {}` is a glob; `from` names one directory", d.from),
            "write the directory's path (its files go under `to`), or list files and globs as plain entries of `include`".into(),
        );
    }
    if b.archive == ArchiveFormat::None {
        c.err(
            at.clone(),
            Part::Value,
            "`include` needs an archive; this binary has `archive: none`".into(),
            "use `archive: auto` (tar.gz, zip on Windows), or remove `include`".into(),
        );
    }
}

/// `ldflags`: one line, with `{version}`, `{sha}` and `{date}` only.
fn ldflags(c: &mut Problems, p: &YPath, l: &str) {
    match placeholders(l) {
        Err((_, msg)) => c.err(
            p.key("ldflags"),
            Part::Value,
            format!("malformed placeholder in `{l}`: {msg}"),
            "placeholders are written `{name}`, e.g. `{version}`".into(),
        ),
        Ok(found) => {
            for (name, range) in found {
                if !["version", "sha", "date"].contains(&name.as_str()) {
                    c.err_in(p.key("ldflags"), &l[range], format!("placeholder `{{{name}}}` cannot be used in ldflags"), "ldflags take `{version}` (the tag without its prefix), `{sha}` (the commit) and `{date}` (the commit date)".into());
                }
            }
        }
    }
    if l.contains(['\n', '\r']) {
        c.err(
            p.key("ldflags"),
            Part::Value,
            "ldflags hold a line break".into(),
            "write the flags on one line".into(),
        );
    }
}

/// The targets of a binary: known names, each leg's `container`, `glibc`
/// and `suffix` where they make sense, one name per leg; and its `asset`
/// template.
fn targets(c: &mut Problems, p: &YPath, b: &Binary) {
    let (known, what) = match b.kind {
        BinaryKind::Rust => (names::KNOWN_RUST_TARGETS, "Rust target"),
        BinaryKind::Go => (names::KNOWN_GO_TARGETS, "Go target (goos/goarch)"),
    };
    let mut seen: BTreeMap<(&str, &str), bool> = BTreeMap::new();
    for (j, t) in b.targets.iter().enumerate() {
        let tp = p.key("targets").index(j);
        let name_at = match t {
            Target::Name(_) => tp.clone(),
            Target::Leg(_) => tp.key("target"),
        };
        c.known(name_at.clone(), t.name(), known, what);
        if let Some(leg) = t.leg() {
            leg_keys(c, &tp, b, t, leg);
        }
        let leg_form = t.leg().is_some();
        if let Some(first_leg_form) = seen.insert((t.name(), t.suffix()), leg_form) {
            two_legs(c, &tp, name_at, t, leg_form || first_leg_form);
        }
    }
    if let Some(asset) = &b.asset {
        let at = p.key("asset");
        c.placeholders(at.clone(), asset, names::ASSET_PLACEHOLDERS, &|_| {
            "an asset name is made of the binary and its leg, and the version".into()
        });
        if !re(r"^[A-Za-z0-9._+{}-]+$").is_match(asset) {
            c.err(
                at,
                Part::Value,
                format!("`{asset}` is not the base name of a file"),
                "letters, digits, `.`, `_`, `+`, `-` and placeholders, e.g. `{name}_{version}_{os}_{arch}`".into(),
            );
        }
    }
}

/// The keys of the leg `t` at `tp`: `container` and `glibc` where they make
/// sense, each a valid value, and a `suffix` that can end a file name.
fn leg_keys(c: &mut Problems, tp: &YPath, b: &Binary, t: &Target, leg: &TargetLeg) {
    if let Some(image) = &leg.container {
        leg_container(c, tp, b, t, image);
    }
    if let Some(glibc) = &leg.glibc {
        leg_glibc(c, tp, b, t, leg, glibc);
    }
    if let Some(suffix) = &leg.suffix
        && !re(r"^[A-Za-z0-9._+-]+$").is_match(suffix)
    {
        c.err(
            tp.key("suffix"),
            Part::Value,
            format!("`{suffix}` is not a suffix of a file name"),
            "letters, digits, `.`, `_`, `+` and `-`, e.g. `-rocky`".into(),
        );
    }
}

fn leg_container(c: &mut Problems, tp: &YPath, b: &Binary, t: &Target, image: &str) {
    if b.kind == BinaryKind::Go {
        c.err(
            tp.key("container"),
            Part::Key,
            "`container` is for Rust targets".into(),
            "Go targets cross-compile on Linux with CGO_ENABLED=0: remove `container`".into(),
        );
    } else if !t.name().contains("-linux-") {
        c.err(
            tp.key("container"),
            Part::Key,
            format!(
                "`{}` is not a Linux target: it cannot be built in a container",
                t.name()
            ),
            "GitHub runs job containers on Linux runners only: use `container` with a `*-linux-*` target".into(),
        );
    }
    if !re(r"^[a-z0-9][A-Za-z0-9._/:@-]*$").is_match(image) || image.contains("${{") {
        c.err(
            tp.key("container"),
            Part::Value,
            format!("`{image}` is not a container image"),
            "an image reference such as `rockylinux:9`, `quay.io/org/image:tag` or `image@sha256:<digest>`".into(),
        );
    }
}

fn leg_glibc(c: &mut Problems, tp: &YPath, b: &Binary, t: &Target, leg: &TargetLeg, glibc: &str) {
    if b.kind == BinaryKind::Go {
        c.err(
            tp.key("glibc"),
            Part::Key,
            "`glibc` is for Rust targets".into(),
            "Go binaries built with CGO_ENABLED=0 need no C library: remove `glibc`".into(),
        );
    } else if !t.name().contains("-linux-gnu") {
        c.err(
            tp.key("glibc"),
            Part::Key,
            format!(
                "`{}` does not link glibc: a glibc floor needs a `*-linux-gnu*` target",
                t.name()
            ),
            if t.name().contains("-linux-musl") {
                "a musl executable is static and runs on any glibc: remove `glibc`".into()
            } else {
                "a glibc floor is for Linux gnu targets: remove `glibc`".into()
            },
        );
    } else if leg.container.is_some() {
        c.err(
            tp.key("glibc"),
            Part::Key,
            "a leg has either `container` or `glibc`".into(),
            "a container builds against its own glibc; a glibc floor is built with cargo-zigbuild on the runner: keep one, or make two legs with distinct suffixes".into(),
        );
    }
    if !re(r"^2\.[0-9]{1,2}$").is_match(glibc) {
        c.err(
            tp.key("glibc"),
            Part::Value,
            format!("`{glibc}` is not a glibc version"),
            "write the oldest glibc the executable must run on, e.g. \"2.17\" or \"2.28\" (quoted)".into(),
        );
    }
}

/// A second leg of the target `t` with the suffix of an earlier one:
/// `legs` when either is written as a leg (a map), else a duplicate target.
fn two_legs(c: &mut Problems, tp: &YPath, name_at: YPath, t: &Target, legs: bool) {
    let at = match t.leg() {
        Some(l) if l.suffix.is_some() => tp.key("suffix"),
        _ => name_at,
    };
    if legs {
        c.err(
            at,
            Part::Value,
            format!("two legs of `{}` without distinct suffixes", t.name()),
            "each leg of one target needs its own `suffix` (e.g. `{ target: x86_64-unknown-linux-gnu, container: \"rockylinux:9\", suffix: -rocky }`): it names the leg's release file and artifact".into(),
        );
    } else {
        c.err(
            at,
            Part::Value,
            format!("duplicate target `{}`", t.name()),
            "each target may appear once; a second leg of a target needs a `suffix` of its own".into(),
        );
    }
}
