//! The docker.yml plan: per (image, variant, platform) a build on a native
//! runner, pushed by digest; per (image, variant) a manifest with the tags of
//! the tag script (or, per-arch, one set of tags per platform).

use std::collections::BTreeMap;

use serde::Serialize;

use super::runners;
use crate::spec::Spec;
use crate::spec::validate::registry_host;

#[derive(Debug, Clone, Serialize)]
pub struct DockerPlan {
    pub images: Vec<ImagePlan>,
    pub sign: bool,
    pub provenance: bool,
    pub sbom: bool,
    /// Every login secret name, for `on.workflow_call.secrets`.
    pub secrets: Vec<String>,
    /// Whether any image pushes to ghcr.io (needs `packages: write`).
    pub ghcr: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImagePlan {
    pub index: usize,
    /// The image and its mirrors: every name that gets the tags.
    pub names: Vec<String>,
    pub image: String,
    pub context: String,
    pub per_arch: bool,
    /// Registries to log in to: ghcr.io with GITHUB_TOKEN, others with the spec's secrets.
    pub logins: Vec<LoginPlan>,
    pub variants: Vec<VariantPlan>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LoginPlan {
    pub registry: String,
    /// None for ghcr.io (GITHUB_TOKEN).
    pub username_secret: Option<String>,
    pub password_secret: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VariantPlan {
    /// The variant name, "" for an image without variants.
    pub name: String,
    /// Unique key of (image, variant), for job names, artifacts and outputs.
    pub key: String,
    pub dockerfile: String,
    /// Build arguments: name -> value template (placeholders expanded by the tag script).
    pub build_args: BTreeMap<String, String>,
    /// Tag templates, before the pre-release rules.
    pub tags: Vec<String>,
    pub platforms: Vec<PlatformPlan>,
    /// Tag-script output with the full refs of this variant (manifest mode).
    pub tags_output: String,
    /// Tag-script output with the build-args lines (`NAME=value`), newline-separated.
    pub build_args_output: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlatformPlan {
    pub platform: String,
    /// amd64, arm64, arm-v7, ...: the `{arch}` value and a slug.
    pub arch: String,
    pub runner: String,
    pub qemu: bool,
    /// Artifact holding the digest of this build.
    pub digest_artifact: String,
    /// Tag-script output with this platform's full refs (per-arch mode).
    pub tags_output: String,
}

/// `{arch}` value of a Docker platform: `linux/arm/v7` -> `arm-v7`.
pub fn arch_of(platform: &str) -> String {
    platform.trim_start_matches("linux/").replace('/', "-")
}

fn slug(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

pub fn plan(spec: &Spec) -> Option<DockerPlan> {
    if spec.docker.is_empty() {
        return None;
    }
    let mut images = Vec::new();
    let mut secrets = Vec::new();
    for (i, d) in spec.docker.iter().enumerate() {
        let names: Vec<String> = std::iter::once(d.image.clone())
            .chain(d.mirrors.iter().cloned())
            .collect();
        let mut hosts: Vec<String> = names.iter().map(|n| registry_host(n)).collect();
        hosts.sort();
        hosts.dedup();
        let logins = hosts
            .into_iter()
            .map(|h| {
                if h == "ghcr.io" {
                    LoginPlan {
                        registry: h,
                        username_secret: None,
                        password_secret: None,
                    }
                } else {
                    let l = d.login.as_ref();
                    LoginPlan {
                        registry: h,
                        username_secret: l.map(|l| l.username_secret.clone()),
                        password_secret: l.map(|l| l.password_secret.clone()),
                    }
                }
            })
            .collect::<Vec<_>>();
        for l in &logins {
            secrets.extend(l.username_secret.iter().cloned());
            secrets.extend(l.password_secret.iter().cloned());
        }
        let variants_in: Vec<(String, crate::spec::Variant)> = if d.variants.is_empty() {
            vec![(String::new(), Default::default())]
        } else {
            d.variants.entries()
        };
        let variants = variants_in
            .into_iter()
            .map(|(name, v)| {
                let key = if name.is_empty() {
                    format!("{i}")
                } else {
                    format!("{i}-{}", slug(&name))
                };
                let dockerfile = v
                    .dockerfile
                    .clone()
                    .unwrap_or_else(|| d.dockerfile.clone())
                    .replace("{variant}", &name);
                let mut build_args: BTreeMap<String, String> = d.build_args.clone();
                build_args.extend(v.build_args.clone());
                let build_args = build_args
                    .into_iter()
                    .map(|(k, val)| (k, val.replace("{variant}", &name)))
                    .collect();
                let platforms = d
                    .platforms
                    .iter()
                    .map(|p| {
                        let (runner, qemu) = runners::docker(p);
                        let arch = arch_of(p);
                        PlatformPlan {
                            runner: runners::pick(&spec.runners, p, runner),
                            qemu,
                            digest_artifact: format!("digest-{key}-{arch}"),
                            tags_output: format!("docker-tags-{key}-{arch}"),
                            platform: p.clone(),
                            arch,
                        }
                    })
                    .collect();
                VariantPlan {
                    tags: v
                        .tags
                        .clone()
                        .unwrap_or_else(|| d.tags.clone())
                        .into_iter()
                        .map(|t| t.replace("{variant}", &name))
                        .collect(),
                    tags_output: format!("docker-tags-{key}"),
                    build_args_output: format!("docker-build-args-{key}"),
                    name,
                    key,
                    dockerfile,
                    build_args,
                    platforms,
                }
            })
            .collect();
        images.push(ImagePlan {
            index: i,
            image: d.image.clone(),
            names,
            context: d.context.clone(),
            per_arch: d.per_arch,
            logins,
            variants,
        });
    }
    secrets.sort();
    secrets.dedup();
    Some(DockerPlan {
        ghcr: images
            .iter()
            .any(|im| im.logins.iter().any(|l| l.registry == "ghcr.io")),
        images,
        sign: spec.release.sign,
        provenance: spec.release.provenance,
        sbom: spec.release.sbom,
        secrets,
    })
}
