//! `release:`: the GitHub release's title, checksums file, assets, notes
//! and notification.

use super::*;

pub(super) fn check(spec: &Spec, c: &mut Problems) {
    let r = &spec.release;
    title(c, r);
    checksums_file(spec, c);
    for (i, a) in r.assets.iter().enumerate() {
        let asset_path = re(r"^[A-Za-z0-9_.@+*?\[\]-][A-Za-z0-9_./@+*?\[\]-]*$");
        if a.starts_with('/') || a.split('/').any(|s| s == "..") || !asset_path.is_match(a) {
            c.err(
                ypath!["release", "assets", i],
                Part::Value,
                format!("`{a}` is not a path in the repository"),
                "release assets are files of the tagged commit: a relative path without `..`, globs allowed, e.g. `LICENSE` or `docs/*.pdf`".into(),
            );
        }
    }
    notes(c, r);
    if let Some(n) = &r.notify {
        c.name(
            ypath!["release", "notify", "slack-webhook-secret"],
            &n.slack_webhook_secret,
            SECRET,
            "secret name",
            "secret names use letters, digits and `_`",
        );
    }
}

/// The placeholders of the release's title and checksums file: a version's,
/// and the tag.
fn release_placeholders() -> Vec<&'static str> {
    names::VERSION_PLACEHOLDERS.iter().copied().chain(["tag"]).collect()
}

fn release_why(_: &str) -> String {
    "a release is one tag, not one image or platform".to_string()
}

fn title(c: &mut Problems, r: &Release) {
    c.placeholders(
        ypath!["release", "title"],
        &r.title,
        &release_placeholders(),
        &release_why,
    );
    if r.title.trim().is_empty() {
        c.err(
            ypath!["release", "title"],
            Part::Value,
            "the release title is empty".into(),
            "leave the key out for the tag as the title, or write e.g. `{tag}` or `myapp {version}`".into(),
        );
    }
}

fn checksums_file(spec: &Spec, c: &mut Problems) {
    let r = &spec.release;
    c.placeholders(
        ypath!["release", "checksums-file"],
        &r.checksums_file,
        &release_placeholders(),
        &release_why,
    );
    if !re(r"^[A-Za-z0-9_.@+{}-]+$").is_match(&r.checksums_file) {
        c.err(
            ypath!["release", "checksums-file"],
            Part::Value,
            format!("`{}` is not a file name", r.checksums_file),
            "the checksums file is attached next to the release files: a name without `/`, e.g. `SHA256SUMS` or `myapp_{version}_checksums.txt`".into(),
        );
    } else if r.checksums_file.contains("{tag}") && spec.versioning.tag_prefix.contains('/') {
        c.err_in(
            ypath!["release", "checksums-file"],
            "{tag}",
            format!(
                "the tags have the prefix `{}`, so `{{tag}}` would put a `/` in the file name",
                spec.versioning.tag_prefix
            ),
            "use `{version}` in the checksums file name".into(),
        );
    }
}

/// `notes`: `generated`, `none`, a notes file or `changelog:` and a
/// changelog, each a path in the repository.
fn notes(c: &mut Problems, r: &Release) {
    if let Some(path) = r.notes.strip_prefix("changelog:") {
        if path.is_empty() || !inside_repository(path) {
            c.err(
                ypath!["release", "notes"],
                Part::Value,
                if path.is_empty() {
                    "`changelog:` names no changelog file".into()
                } else {
                    format!("`{path}` is not a path in the repository")
                },
                "write `changelog:` and the path of the changelog in the repository, e.g. `changelog:CHANGELOG.md`"
                    .into(),
            );
        }
    } else if r.notes != "generated" && r.notes != "none" && !inside_repository(&r.notes) {
        c.err(
            ypath!["release", "notes"],
            Part::Value,
            format!(
                "`{}` is neither `generated`, `none` nor a path in the repository",
                r.notes
            ),
            "use `generated`, `none`, the path of a notes file such as `NOTES.md`, or `changelog:CHANGELOG.md`".into(),
        );
    }
}
