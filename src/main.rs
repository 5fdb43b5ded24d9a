//! The `tejun` command: parses arguments, runs the library, prints diagnostics and
//! sets the exit status. Everything else lives in the library.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};
use tejun::build::{self, Outcome};
use tejun::diagnostic;

/// A build allocates millions of small strings and frees them in bulk; mimalloc does
/// that markedly faster than the system allocator (see the build benchmark).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "tejun", version, about = "Builds step-by-step procedure manuals into a bilingual HTML manual")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the manual into public/ (or --output DIR)
    Build {
        /// The site's folder (tejun.toml, content/)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site (default: ROOT/public)
        #[arg(long)]
        output: Option<PathBuf>,
        /// Print how long each stage took
        #[arg(long)]
        timings: bool,
    },
    /// Check the manual for errors without writing anything
    Check {
        /// The site's folder (tejun.toml, content/)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// How to print diagnostics
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let started = Instant::now();
    let (outcome, format) = match &cli.command {
        Command::Build { root, output, .. } => (build::build(root, output.as_deref()), Format::Human),
        Command::Check { root, format } => (build::check(root), *format),
    };
    report(&outcome, format, &cli.command);
    if !outcome.succeeded() {
        return ExitCode::FAILURE;
    }
    if let Command::Build { timings: true, .. } = &cli.command {
        for (stage, seconds) in &outcome.timings {
            eprintln!("{stage:>18}: {:7.1} ms", seconds * 1000.0);
        }
    }
    if let (Command::Build { .. }, Format::Human) = (&cli.command, format) {
        if std::io::stderr().is_terminal() || std::env::var_os("TEJUN_VERBOSE").is_some() {
            eprintln!("built {} pages in {:.2} s", outcome.pages(), started.elapsed().as_secs_f64());
        }
    }
    // The process ends here: freeing a large manual's millions of nodes one by one
    // would only delay the exit.
    std::mem::forget(outcome);
    ExitCode::SUCCESS
}

fn report(outcome: &Outcome, format: Format, command: &Command) {
    for d in &outcome.diagnostics {
        match format {
            Format::Human => eprint!("{}", diagnostic::render_human(d, &outcome.sources)),
            Format::Json => println!("{}", diagnostic::render_json(d, &outcome.sources)),
        }
    }
    let errors = outcome.diagnostics.iter().filter(|d| d.is_error()).count();
    if let (Format::Human, true) = (format, errors > 0) {
        let plural = if errors == 1 { "" } else { "s" };
        match command {
            Command::Build { .. } => {
                eprintln!("error: {errors} problem{plural} found; the previous output was left as it was")
            }
            Command::Check { .. } => eprintln!("error: {errors} problem{plural} found"),
        }
    }
}
