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
    Scan(crate::commands::scan::ScanArgs),
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
    #[command(flatten)]
    pub verification: VerificationArgs,
    #[command(flatten)]
    pub common: CommonArgs,
    /// Rollout options: --warn-only, --exceptions FILE, --retired FILE.
    #[command(flatten)]
    pub posture: crate::commands::posture::PostureArgs,
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
