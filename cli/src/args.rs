//! The command-line contract (clap derive). Parsing only: no decision about verification here.

use clap::{Args, Parser, Subcommand, ValueEnum};
use notaverify::Time;
use std::path::PathBuf;

const EXIT_STATUS_HELP: &str = "\
EXIT STATUS
  0  passed under the applicable policy (also level skip, and audit/log-only failures)
  1  verification failed (no signature passed, none found, an enforced check failed);
     for `policy check`: the policy has problems
  2  could not evaluate: usage, unreadable/invalid policy or trust store, no applicable
     statement, bad reference, unreadable or corrupt input

CONFIGURATION
  --config-dir defaults to $NOTATION_CONFIG, else $XDG_CONFIG_HOME/notation, else
  ~/.config/notation. It holds trustpolicy.json (else trustpolicy.oci.json), trustpolicy.blob.json
  and the trust store truststore/x509/<ca|signingAuthority|tsa>/<name>/.

JSON OUTPUT (-o json, on stdout for every exit status)
  {\"reference\": str, \"verified\": bool,
   \"policy\": {\"name\": str, \"level\": \"strict|permissive|audit|skip\"} | null,
   \"signatures\": [{\"digest\": str|null, \"mediaType\": str, \"verified\": bool,
      \"checks\": [{\"type\": \"integrity|authenticity|authenticTimestamp|expiry|revocation\",
                  \"action\": \"enforce|log|skip\", \"passed\": bool, \"error\": str|null}],
      \"signer\": {\"subject\": str, \"issuer\": str, \"sha256Fingerprint\": str} | null,
      \"signingTime\": str|null, \"userMetadata\": {str: str}}],
   \"error\": {\"code\": str, \"message\": str} | null}";

/// notaverify: verify Notary Project (notation) signatures offline, as notation-go v1.3 does.
#[derive(Debug, Parser)]
#[command(name = "notaverify", version, about, after_long_help = EXIT_STATUS_HELP)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Verify the signatures of an OCI artifact: `registry/repository@sha256:<hex>` with
    /// `--signature FILE`, or `<dir>:<tag>` / `<dir>@<digest>` with `--oci-layout`.
    #[command(after_long_help = EXIT_STATUS_HELP)]
    Verify(VerifyArgs),
    /// Trust policy commands.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Blob (detached signature) commands.
    #[command(subcommand)]
    Blob(BlobCommand),
    /// Classify every artifact of OCI layouts (--oci-layout DIR --scope REPO) and JSON-lines
    /// batch files (--batch FILE): verified, unsigned, unknownSigner, retiredSigner,
    /// invalidSignature, expired, failed, excepted, skippedByPolicy; exit 1 if any is out of policy.
    Scan(ScanArgs),
    /// List every signature of an artifact with what it claims (signing scheme and times, expiry,
    /// signer and chain, user metadata, timestamp), with no trust policy or trust store: an
    /// inventory, like `notation inspect`. Nothing is verified. Exit 0 listed (an unreadable
    /// signature is listed with its error), 2 the artifact or a file could not be read.
    Inspect(InspectArgs),
}

/// `policy ...`.
#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Validate a trust policy file (OCI, or blob with --blob) and print each problem.
    #[command(after_long_help = EXIT_STATUS_HELP)]
    Check(PolicyCheckArgs),
    /// Lint a valid OCI trust policy with its trust stores, exceptions and retired material:
    /// findings with a stable id and a severity; exit 0 clean, 1 findings, 2 unreadable.
    #[command(after_long_help = crate::lint::help())]
    Lint(PolicyLintArgs),
}

/// `blob ...`.
#[derive(Debug, Subcommand)]
pub enum BlobCommand {
    /// Verify a detached signature (`<blob>.jws.sig` or `<blob>.cose.sig`) over a blob file.
    #[command(after_long_help = EXIT_STATUS_HELP)]
    Verify(BlobVerifyArgs),
}

/// Output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// Human-readable text, like `notation verify`.
    Text,
    /// The JSON document described in --help, on stdout.
    Json,
}

/// Where the configuration comes from, and how to report.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// notation configuration directory (trust policies and trust store).
    #[arg(long, value_name = "DIR")]
    pub config_dir: Option<PathBuf>,
    /// Use this trust policy file instead of the configuration directory's.
    #[arg(long, value_name = "FILE")]
    pub trust_policy: Option<PathBuf>,
    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value = "text")]
    pub output: Output,
}

/// Options shared by `verify` and `blob verify`.
#[derive(Debug, Args)]
pub struct VerificationArgs {
    /// Signed annotation the artifact must carry (repeatable).
    #[arg(short = 'm', long = "user-metadata", value_name = "K=V", value_parser = parse_key_value)]
    pub user_metadata: Vec<(String, String)>,
    /// Most signatures tried (must be greater than zero).
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub max_signatures: usize,
    /// Verification time, RFC 3339 (default: now).
    #[arg(long, value_name = "RFC3339", value_parser = parse_time)]
    pub at: Option<Time>,
    /// A CRL (DER or PEM, base or delta) to use as revocation evidence (repeatable). Without
    /// evidence, a certificate that names OCSP/CRL locations has an unknown status, as in an
    /// offline notation.
    #[arg(long = "crl", value_name = "FILE")]
    pub crls: Vec<PathBuf>,
    /// A DER OCSP response to use as revocation evidence (repeatable).
    #[arg(long = "ocsp-response", value_name = "FILE")]
    pub ocsp_responses: Vec<PathBuf>,
    /// A directory in notation's CRL cache format (`{NOTATION_CACHE}/crl`) to use as evidence.
    #[arg(long = "crl-cache", value_name = "DIR")]
    pub crl_cache: Option<PathBuf>,
}

/// `verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// `registry/repository@sha256:<hex>`, or with --oci-layout `<dir>:<tag>` or `<dir>@<digest>`.
    #[arg(value_name = "REFERENCE")]
    pub reference: String,
    /// Signature envelope file bound to the reference's digest (repeatable; not with --oci-layout).
    #[arg(long = "signature", value_name = "FILE", conflicts_with = "oci_layout")]
    pub signatures: Vec<PathBuf>,
    /// REFERENCE names a target in an OCI image layout directory.
    #[arg(long, requires = "scope")]
    pub oci_layout: bool,
    /// With --oci-layout: the registry/repository that selects the trust policy statement.
    #[arg(long, value_name = "REPO", requires = "oci_layout")]
    pub scope: Option<String>,
    /// Evaluate every signature (at most --max-signatures), also after one verified: the outcome
    /// lists each signature's checks. The verdict and the exit status are the same as without it.
    #[arg(long)]
    pub all_signatures: bool,
    #[command(flatten)]
    pub verification: VerificationArgs,
    #[command(flatten)]
    pub common: CommonArgs,
    /// Rollout options: --warn-only, --exceptions FILE, --retired FILE.
    #[command(flatten)]
    pub posture: PostureArgs,
}

/// `policy check`.
#[derive(Debug, Args)]
pub struct PolicyCheckArgs {
    /// Check the blob trust policy (trustpolicy.blob.json) instead of the OCI one.
    #[arg(long)]
    pub blob: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `policy lint`.
#[derive(Debug, Args)]
pub struct PolicyLintArgs {
    /// Exceptions file (version 1, see docs/rollout.md) to lint with the policy.
    #[arg(long, value_name = "FILE")]
    pub exceptions: Option<PathBuf>,
    /// Retired trust material file (version 1, see docs/rollout.md) to lint with the policy.
    #[arg(long, value_name = "FILE")]
    pub retired: Option<PathBuf>,
    /// The time exception deadlines are measured from, RFC 3339 (default: now).
    #[arg(long, value_name = "RFC3339", value_parser = parse_time)]
    pub at: Option<Time>,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `blob verify`.
#[derive(Debug, Args)]
pub struct BlobVerifyArgs {
    /// The blob file.
    #[arg(value_name = "BLOB_FILE")]
    pub blob: PathBuf,
    /// The signature file: `<name>.jws.sig` or `<name>.cose.sig`.
    #[arg(long, value_name = "FILE")]
    pub signature: PathBuf,
    /// The blob trust policy statement to use (default: the global one).
    #[arg(long, value_name = "NAME")]
    pub policy_name: Option<String>,
    /// The media type the signed payload must name (default: any).
    #[arg(long, value_name = "TYPE")]
    pub media_type: Option<String>,
    #[command(flatten)]
    pub verification: VerificationArgs,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `--warn-only`, `--exceptions`, `--retired`.
#[derive(Debug, Args)]
pub struct PostureArgs {
    /// Evaluate the policy as written, report what enforcement would fail (JSON: "warnOnly",
    /// "wouldFail"), and exit 0 unless nothing could be evaluated (exit 2 stays).
    #[arg(long)]
    pub warn_only: bool,
    /// Exceptions file (version 1, see docs/rollout.md): a failing artifact it names passes
    /// (with a warning naming the deadline) until the exception expires.
    #[arg(long, value_name = "FILE")]
    pub exceptions: Option<PathBuf>,
    /// Retired trust material file (version 1, see docs/rollout.md): signatures anchored there
    /// are "retired signer", never trusted.
    #[arg(long, value_name = "FILE")]
    pub retired: Option<PathBuf>,
}

impl PostureArgs {
    /// True when any posture option is given.
    pub fn requested(&self) -> bool {
        self.warn_only || self.exceptions.is_some() || self.retired.is_some()
    }
}

/// `scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// OCI image layout directory to scan (repeatable; pair each with a --scope, in order).
    #[arg(long = "oci-layout", value_name = "DIR")]
    pub layouts: Vec<PathBuf>,
    /// The registry/repository of each --oci-layout, in the same order (selects the policy
    /// statement and names the artifacts `<scope>@<digest>`).
    #[arg(long = "scope", value_name = "REPO")]
    pub scopes: Vec<String>,
    /// JSON-lines batch file (repeatable): {"reference", "descriptor"?, "tags"?, "signatures": [paths]} per line.
    #[arg(long = "batch", value_name = "FILE")]
    pub batches: Vec<PathBuf>,
    /// What runs (repeatable): `kubectl get ... -o json|yaml`, `az containerapp list|show -o
    /// json`, `az webapp list|show -o json` or `az webapp sitecontainers list -o json` output.
    /// Each workload container is resolved to a scanned artifact (by digest, or by tag through
    /// the layouts' index.json tags and the batch lines' "tags") and gets its class, or
    /// notScanned (out of policy) when no scanned input holds its image.
    #[arg(long = "workloads", value_name = "FILE")]
    pub workloads: Vec<PathBuf>,
    /// Names the cluster or subscription of the --workloads FILE just before it (at most one
    /// per file; default: the file's name).
    #[arg(long = "workloads-source", value_name = "NAME")]
    pub workloads_sources: Vec<String>,
    /// The label of each `--workloads`, in order: its `--workloads-source` or `None`. Filled by
    /// [`pair_workloads_sources`] from the positions on the command line, which derive cannot see.
    #[arg(skip)]
    pub workloads_labels: Vec<Option<String>>,
    /// Only the artifacts of these repositories (repeatable; default: all).
    #[arg(long = "only", value_name = "REPO")]
    pub only: Vec<String>,
    /// In layouts, only the manifests that index.json tags.
    #[arg(long)]
    pub tagged_only: bool,
    /// Write a self-contained HTML report (chart of the counts, exceptions with days left).
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
    /// Worker threads (default: the number of cores).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Never draw the progress bar (it is drawn on stderr only when stderr is a terminal).
    #[arg(long)]
    pub no_progress: bool,
    /// An earlier `scan -o json` output: adds the counts then and now (per repository, per
    /// source, in total) and what changed class, newly out of policy first.
    #[arg(long, value_name = "OLD.jsonl")]
    pub previous: Option<PathBuf>,
    #[command(flatten)]
    pub posture: PostureArgs,
    #[command(flatten)]
    pub verification: VerificationArgs,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Pairs each `--workloads-source` with the `--workloads` before it on the command line
/// (`matches` are the `scan` subcommand's). A source before any `--workloads`, or a second
/// source for one file, is a usage error.
pub fn pair_workloads_sources(args: &mut ScanArgs, matches: &clap::ArgMatches) -> Result<(), String> {
    let positions = |id: &str| matches.indices_of(id).map(|i| i.collect::<Vec<usize>>()).unwrap_or_default();
    let files = positions("workloads");
    let mut labels: Vec<Option<String>> = vec![None; args.workloads.len()];
    for (source, at) in args.workloads_sources.iter().zip(positions("workloads_sources")) {
        let Some(file) = files.iter().rposition(|&f| f < at) else {
            return Err(format!("--workloads-source {source:?} must follow the --workloads FILE it names"));
        };
        let Some(label) = labels.get_mut(file) else { continue };
        if let Some(first) = label {
            return Err(format!(
                "--workloads {} has two --workloads-source ({first:?} and {source:?}); give one after each --workloads",
                args.workloads[file].display()
            ));
        }
        *label = Some(source.clone());
    }
    args.workloads_labels = labels;
    Ok(())
}

fn parse_key_value(raw: &str) -> Result<(String, String), String> {
    match raw.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok((key.to_owned(), value.to_owned())),
        _ => Err(format!("{raw:?} is not KEY=VALUE with a non-empty key")),
    }
}

fn parse_time(raw: &str) -> Result<Time, String> {
    Time::parse_rfc3339(raw).map_err(|e| e.to_string())
}

/// True when the raw arguments ask for JSON output (used to report usage errors as JSON).
pub fn wants_json(args: &[String]) -> bool {
    args.windows(2).any(|w| (w[0] == "-o" || w[0] == "--output") && w[1] == "json")
        || args.iter().any(|a| a == "--output=json" || a == "-ojson" || a == "-o=json")
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_contract_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn key_values_and_json_detection() {
        assert_eq!(parse_key_value("a=b=c").unwrap(), ("a".into(), "b=c".into()));
        assert!(parse_key_value("=b").is_err());
        assert!(parse_key_value("ab").is_err());
        let args = |s: &str| s.split(' ').map(str::to_owned).collect::<Vec<_>>();
        assert!(wants_json(&args("verify -o json x")));
        assert!(wants_json(&args("verify --output=json")));
        assert!(!wants_json(&args("verify -o text json")));
    }
}

/// `inspect`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["oci_layout", "signatures"])))]
pub struct InspectArgs {
    /// The artifact in an OCI image layout: `<dir>:<tag>` or `<dir>@<digest>`.
    #[arg(long, value_name = "DIR:TAG|DIR@DIGEST")]
    pub oci_layout: Option<String>,
    /// A signature envelope file (repeatable; `.jws`/`.cose` by name, else by content).
    #[arg(long = "signature", value_name = "FILE", conflicts_with = "oci_layout")]
    pub signatures: Vec<PathBuf>,
    /// With --signature: the artifact the envelopes belong to, reported as given.
    #[arg(value_name = "REFERENCE", conflicts_with = "oci_layout")]
    pub reference: Option<String>,
    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value = "text")]
    pub output: Output,
}
