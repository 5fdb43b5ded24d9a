//! The `tejun` command: parses arguments, runs the library, prints diagnostics and
//! sets the exit status. Everything else lives in the library.

use std::io::IsTerminal;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};
use tejun::build::{self, Outcome};
use tejun::diagnostic;
use tejun::serve::{self, Notice};
use tejun::source::Sources;

mod allocator;

/// A build allocates millions of small strings and frees them in bulk; mimalloc does
/// that markedly faster than the system allocator (see the build benchmark).
#[global_allocator]
static ALLOCATOR: allocator::MiMalloc = allocator::MiMalloc;

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
        /// Print only warnings and errors: no progress, no summary
        #[arg(long, short)]
        quiet: bool,
        /// Typeset every PDF, neither reusing nor keeping compiled ones in .tejun-cache/
        #[arg(long)]
        no_cache: bool,
    },
    /// Check the manual for errors without writing anything
    Check {
        /// The site's folder (tejun.toml, content/)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// How to print diagnostics
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Make warnings fail the check too (`--deny warnings`)
        #[arg(long, value_enum)]
        deny: Option<Deny>,
        /// Typeset every PDF instead of reusing the ones in .tejun-cache/
        #[arg(long)]
        no_cache: bool,
    },
    /// Build and serve the manual, rebuild on every save and reload the browser
    Serve {
        /// The site's folder (tejun.toml, content/)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on (0: any free port)
        #[arg(long, default_value_t = serve::DEFAULT_PORT)]
        port: u16,
        /// The address to listen on. Other machines can read the manual unless it is
        /// a loopback address
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// Open the manual in the default browser
        #[arg(long)]
        open: bool,
    },
    /// Show where each translated step stands against its source, or stamp a page's
    /// translations as current
    Translations {
        /// The site's folder (tejun.toml, content/)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// How to print the report
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Record that PAGE (or PAGE#STEP) is translated from the source as it is now
        #[arg(long, value_name = "PAGE")]
        stamp: Option<String>,
    },
    /// Start a new manual (Japanese and English) in DIR, which must be empty or new
    New {
        /// The folder to create
        dir: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Deny {
    Warnings,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let started = Instant::now();
    let (outcome, format) = match &cli.command {
        Command::Build { root, output, quiet, no_cache, .. } => {
            let waiting = || eprintln!("waiting for another tejun build writing the same output folder to finish");
            let show_progress = !quiet && std::io::stderr().is_terminal();
            let outcome = progress_line::while_running(show_progress, || {
                build::build(root, output.as_deref(), !no_cache, &waiting)
            });
            (outcome, Format::Human)
        }
        Command::Check { root, format, deny, no_cache } => {
            let mut outcome = build::check(root, !no_cache);
            if deny.is_some() {
                outcome.diagnostics.iter_mut().for_each(|d| d.severity = diagnostic::Severity::Error);
            }
            (outcome, *format)
        }
        Command::Serve { root, port, bind, open } => {
            return run_serve(&serve::Options { root: root.clone(), port: *port, bind: *bind, open: *open });
        }
        Command::New { dir } => return run_new(dir),
        Command::Translations { root, format, stamp } => return run_translations(root, *format, stamp.as_deref()),
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
    if let Command::Build { quiet: false, root, output, .. } = &cli.command {
        let output = output.clone().unwrap_or_else(|| root.join("public"));
        let output = output.strip_prefix(".").unwrap_or(&output).to_path_buf();
        eprintln!("{}", summary(&outcome, &output, started.elapsed().as_secs_f64()));
    }
    // The process ends here: freeing a large manual's millions of nodes one by one
    // would only delay the exit.
    std::mem::forget(outcome);
    ExitCode::SUCCESS
}

/// The last line of a build, as cargo ends with `Finished`: what was made, how
/// fast, and where.
fn summary(outcome: &Outcome, output: &Path, seconds: f64) -> String {
    let languages = pages_per_language(outcome);
    let manuals = match outcome.site.as_ref().map_or(1, |site| site.editions().len()) {
        1 => String::new(),
        n => format!(" in {n} variants"),
    };
    let pdfs = tejun::progress::PDFS.snapshot().0;
    let reused = match tejun::progress::PDFS.reused() {
        0 => String::new(),
        n => format!(" ({n} unchanged)"),
    };
    let pdfs = match pdfs {
        0 => String::new(),
        1 => format!(", 1 PDF{reused}"),
        n => format!(", {n} PDFs{reused}"),
    };
    format!(
        "    Finished {} pages ({}){manuals}{pdfs} in {seconds:.2} s into {}{}",
        outcome.pages(),
        languages.join(", "),
        output.display(),
        warnings(outcome)
    )
}

/// The progress line a build shows on a terminal while it makes PDFs.
mod progress_line {
    use std::io::Write;
    use std::sync::mpsc::{self, RecvTimeoutError};
    use std::time::{Duration, Instant};

    /// Runs `work`, showing the PDFs' progress on stderr after the first second.
    pub fn while_running<T>(show: bool, work: impl FnOnce() -> T) -> T {
        if !show {
            return work();
        }
        // Dropping the sender wakes the drawing thread at once, so that the build
        // does not wait for its next tick to end.
        let (done, finished) = mpsc::channel::<()>();
        std::thread::scope(|scope| {
            scope.spawn(move || draw_until(&finished));
            let result = work();
            drop(done);
            result
        })
    }

    fn draw_until(done: &mpsc::Receiver<()>) {
        let started = Instant::now();
        let mut drawn = false;
        while let Err(RecvTimeoutError::Timeout) = done.recv_timeout(Duration::from_millis(100)) {
            let (finished, total, current) = tejun::progress::PDFS.snapshot();
            if started.elapsed() < Duration::from_secs(1) || total == 0 {
                continue;
            }
            let width = 24;
            let filled = width * finished / total.max(1);
            let bar = format!("{}>{}", "=".repeat(filled), " ".repeat(width - filled));
            eprint!(
                "\r\x1b[2K    Building [{bar}] {finished}/{total} PDFs: {current} ({:.0} s)",
                started.elapsed().as_secs_f64()
            );
            let _ = std::io::stderr().flush();
            drawn = true;
        }
        if drawn {
            eprint!("\r\x1b[2K");
        }
    }
}

fn report(outcome: &Outcome, format: Format, command: &Command) {
    let colored = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for d in &outcome.diagnostics {
        match format {
            Format::Human if colored => eprint!("{}", diagnostic::render_colored(d, &outcome.sources)),
            Format::Human => eprint!("{}", diagnostic::render_human(d, &outcome.sources)),
            Format::Json => println!("{}", diagnostic::render_json(d, &outcome.sources)),
        }
    }
    let errors = outcome.diagnostics.iter().filter(|d| d.is_error()).count();
    if let (Format::Human, true) = (format, errors > 0) {
        let plural = if errors == 1 { "" } else { "s" };
        let kinds = by_code(outcome.diagnostics.iter().filter(|d| d.is_error()));
        match command {
            Command::Build { .. } => {
                eprintln!("error: {errors} problem{plural} found{kinds}; the previous output was left as it was")
            }
            _ => eprintln!("error: {errors} problem{plural} found{kinds}"),
        }
    }
    if let (Format::Human, 0, Command::Check { .. }) = (format, errors, command) {
        let languages = pages_per_language(outcome).join(", ");
        eprintln!("     Checked {} pages ({languages}){}", outcome.pages(), warnings(outcome));
    }
}

/// How many of `diagnostics` there are of each code, the most first (` (3
/// broken-link, 1 missing-title)`): what a writer who brought hundreds of pages
/// works through; nothing for one.
fn by_code<'d>(diagnostics: impl Iterator<Item = &'d diagnostic::Diagnostic>) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for d in diagnostics {
        match counts.iter_mut().find(|(code, _)| *code == d.code) {
            Some((_, n)) => *n += 1,
            None => counts.push((d.code, 1)),
        }
    }
    if counts.iter().map(|(_, n)| n).sum::<usize>() < 2 {
        return String::new();
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let listed: Vec<String> = counts.iter().map(|(code, n)| format!("{n} {code}")).collect();
    format!(" ({})", listed.join(", "))
}

/// `, 5 warnings (3 broken-fragment, …)`, or nothing.
fn warnings(outcome: &Outcome) -> String {
    let warnings = outcome.diagnostics.iter().filter(|d| !d.is_error());
    match warnings.clone().count() {
        0 => String::new(),
        1 => ", 1 warning".to_string(),
        n => format!(", {n} warnings{}", by_code(warnings)),
    }
}

/// `ja 4`, `en 4`: the pages in each language.
fn pages_per_language(outcome: &Outcome) -> Vec<String> {
    let Some(site) = &outcome.site else { return Vec::new() };
    let pages = |code: &str| site.manual.pages.iter().filter(|p| p.lang == code).count();
    site.manual.languages.iter().map(|language| format!("{} {}", language.code, pages(&language.code))).collect()
}

fn run_serve(options: &serve::Options) -> ExitCode {
    let result = serve::run(options, &mut |notice| match notice {
        Notice::Built { outcome, pages, changed, elapsed } => {
            for d in &outcome.diagnostics {
                eprint!("{}", diagnostic::render_human(d, &outcome.sources));
            }
            let after = match changed {
                [] => String::new(),
                [one] => format!(" ({one} changed)"),
                [one, rest @ ..] => format!(" ({one} and {} more changed)", rest.len()),
            };
            let ms = elapsed.as_secs_f64() * 1000.0;
            let errors = outcome.diagnostics.iter().filter(|d| d.is_error()).count();
            if errors == 0 {
                println!("built {pages} pages in {ms:.0} ms{after}");
            } else {
                let plural = if errors == 1 { "" } else { "s" };
                eprintln!(
                    "error: {errors} problem{plural} found{after}; the browser shows them over the last good build"
                );
            }
        }
        Notice::Listening { url, exposed } => {
            if exposed {
                eprintln!(
                    "warning: listening on {}, so anyone who can reach this machine can read the manual; \
                     leave out --bind to serve this machine only",
                    options.bind
                );
            }
            println!("serving the manual at {url} (press Ctrl-C to stop)");
        }
        Notice::Warning(message) => eprintln!("warning: {message}"),
    });
    match result {
        Ok(never) => match never {},
        Err(d) => {
            eprint!("{}", diagnostic::render_human(&d, &Sources::default()));
            ExitCode::FAILURE
        }
    }
}

fn run_translations(root: &Path, format: Format, stamp: Option<&str>) -> ExitCode {
    let mut sources = Sources::default();
    let mut diagnostics = Vec::new();
    let site = build::load_site(root, &mut sources, &mut diagnostics, &mut build::Timings::default());
    for d in diagnostics.iter().filter(|d| d.is_error()) {
        eprint!("{}", diagnostic::render_human(d, &sources));
    }
    let Some(site) = site else { return ExitCode::FAILURE };
    if let Some(target) = stamp {
        return match tejun::translations::stamp(&site.manual, &sources, target) {
            Ok(changed) if changed.is_empty() => {
                eprintln!("nothing to stamp: the translations of {target} are current");
                ExitCode::SUCCESS
            }
            Ok(changed) => {
                for file in changed {
                    eprintln!("stamped {file}");
                }
                ExitCode::SUCCESS
            }
            Err(d) => {
                eprint!("{}", diagnostic::render_human(&d, &sources));
                ExitCode::FAILURE
            }
        };
    }
    let report = tejun::translations::report(&site.manual);
    match format {
        Format::Json => println!("{}", translations_json(&report)),
        Format::Human => print!("{}", translations_table(&report)),
    }
    ExitCode::SUCCESS
}

fn translations_json(report: &[tejun::translations::PageStatus]) -> String {
    let totals: serde_json::Map<String, serde_json::Value> = tejun::translations::totals(report)
        .into_iter()
        .map(|(lang, counts)| (lang, serde_json::json!(counts)))
        .collect();
    serde_json::json!({ "pages": report, "totals": totals }).to_string()
}

fn translations_table(report: &[tejun::translations::PageStatus]) -> String {
    use tejun::translations::{Counts, Status};
    let width = report.iter().map(|p| p.page.chars().count()).max().unwrap_or(6).max(6);
    let mut out = format!("{:width$}  lang  page text  current  stale  untracked  missing\n", "page");
    for page in report {
        let Counts { current, stale, untracked, missing } = Counts::of(&page.steps);
        let name = if page.page.is_empty() { "(home)" } else { page.page.as_str() };
        out.push_str(&format!(
            "{name:width$}  {:4}  {:9}  {current:7}  {stale:5}  {untracked:9}  {missing:7}\n",
            page.lang,
            page.text.name()
        ));
        for step in page.steps.iter().filter(|s| matches!(s.status, Status::Stale | Status::Missing)) {
            out.push_str(&format!("  step {}: {}\n", step.id, step.status.name()));
        }
    }
    for (lang, Counts { current, stale, untracked, missing }) in tejun::translations::totals(report) {
        out.push_str(&format!("{lang}: {current} current, {stale} stale, {untracked} untracked, {missing} missing\n"));
    }
    out
}

fn run_new(dir: &Path) -> ExitCode {
    match tejun::new::create(dir) {
        Ok(files) => {
            println!("created a new manual in {} ({} files). Next:", dir.display(), files.len());
            println!("  cd {}", dir.display());
            println!("  tejun serve    # preview it in the browser as you edit content/");
            println!("  tejun build    # write the HTML manual into public/");
            ExitCode::SUCCESS
        }
        Err(d) => {
            eprint!("{}", diagnostic::render_human(&d, &Sources::default()));
            ExitCode::FAILURE
        }
    }
}
