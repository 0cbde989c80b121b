//! `notaverify`: verify notation signatures offline. Parsing, rendering and exit statuses only;
//! every decision is the core's (`notaverify`).
#![allow(unreachable_pub, reason = "a binary: `pub` says what a module offers the others")]

mod args;
mod commands;
mod lint;
mod render;
mod verdict;

use args::{BlobCommand, Cli, Command, PolicyCommand};
use clap::error::ErrorKind;
use clap::{CommandFactory, FromArgMatches};
use std::io::Write;
use std::process::ExitCode;
use verdict::EXIT_ERROR;

fn main() -> ExitCode {
    let raw: Vec<String> = std::env::args_os().map(|a| a.to_string_lossy().into_owned()).collect();
    let cli = match parse(&raw) {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e, args::wants_json(&raw)),
    };
    let report = match &cli.command {
        Command::Verify(a) if a.posture.requested() => commands::posture::verify(a),
        Command::Verify(a) => commands::verify::run(a),
        Command::Scan(a) => commands::scan::run(a),
        Command::Blob(BlobCommand::Verify(a)) => commands::blob::run(a),
        Command::Policy(PolicyCommand::Check(a)) => commands::policy::run(a),
        Command::Policy(PolicyCommand::Lint(a)) => commands::policy::lint(a),
        Command::Inspect(a) => render::inspect::report(&commands::inspect::run(a), a.output),
    };
    emit(&report.stdout, &report.stderr);
    ExitCode::from(report.exit_status)
}

/// `Cli::try_parse_from`, plus what derive cannot see: which `--workloads` each
/// `scan --workloads-source` follows on the command line.
fn parse(raw: &[String]) -> Result<Cli, clap::Error> {
    let matches = Cli::command().try_get_matches_from(raw)?;
    let mut cli = Cli::from_arg_matches(&matches).map_err(|e| e.format(&mut Cli::command()))?;
    if let (Command::Scan(a), Some(("scan", m))) = (&mut cli.command, matches.subcommand()) {
        args::pair_workloads_sources(a, m)
            .map_err(|message| Cli::command().error(ErrorKind::ArgumentConflict, message))?;
    }
    Ok(cli)
}

/// Help and version exit 0; any other parse failure is a usage error (exit 2), as JSON when
/// `-o json` was asked for.
fn usage_error(error: &clap::Error, json: bool) -> ExitCode {
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = error.print();
        return ExitCode::from(if error.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
            EXIT_ERROR
        } else {
            0
        });
    }
    if json {
        let message = error.kind().to_string();
        let detail = error.to_string();
        let message = detail.lines().next().map(|l| l.trim_start_matches("error: ").to_owned()).unwrap_or(message);
        let document = render::json::error_document("", "USAGE", &message);
        emit(&format!("{document}\n"), "");
    } else {
        let _ = error.print();
    }
    ExitCode::from(EXIT_ERROR)
}

fn emit(stdout: &str, stderr: &str) {
    let _ = std::io::stdout().lock().write_all(stdout.as_bytes());
    let _ = std::io::stderr().lock().write_all(stderr.as_bytes());
}
