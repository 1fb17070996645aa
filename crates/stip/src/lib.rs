//! The `stip` command: serve the web application, load demo data, manage accounts and tokens.
//!
//! A library with a one-line binary (`main.rs`): a library compiles beside stip-web once its
//! interface is known, where a binary would wait for all of stip-web to be built first.

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use std::io::Read;
use std::net::SocketAddr;
use std::time::Duration;
use stip_core::ErrorCode;
use stip_core::user::{AccountData, AccountInput};
use stip_store::Store;
use stip_store::user::UserData;
use stip_web::auth::{password, token};
use stip_web::{AppState, TrustedProxies, demo};

const DEFAULT_DATABASE: &str = "sqlite://stip.db";

#[derive(Parser)]
#[command(
    name = "stip",
    version,
    about = "Stip: project portfolios for the network of information managers in Dutch mbo"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct Database {
    /// `sqlite://FILE` (created when missing) or `postgres://USER@HOST/DB`.
    #[arg(long = "database", env = "STIP_DATABASE_URL", default_value = DEFAULT_DATABASE)]
    url: String,
}

/// Logging in with SURFconext (OpenID Connect); without an issuer, only passwords.
#[derive(clap::Args)]
struct OidcArgs {
    /// The provider's issuer, e.g. `https://connect.surfconext.nl` (discovery at
    /// `{issuer}/.well-known/openid-configuration`).
    #[arg(long, env = "STIP_OIDC_ISSUER")]
    oidc_issuer: Option<String>,
    /// The client id Stip is registered with at the provider.
    #[arg(long, env = "STIP_OIDC_CLIENT_ID")]
    oidc_client_id: Option<String>,
    /// The client secret (prefer the environment variable: a flag shows in `ps`).
    #[arg(long, env = "STIP_OIDC_CLIENT_SECRET", hide_env_values = true)]
    oidc_client_secret: Option<String>,
    /// The scopes to ask for, separated by spaces (`openid` is always asked).
    #[arg(long, env = "STIP_OIDC_SCOPES", default_value = "openid profile email")]
    oidc_scopes: String,
}

impl OidcArgs {
    /// The provider's configuration, if an issuer is given; every part it needs, or an error
    /// that names what is missing.
    fn config(self, public_url: Option<&str>) -> Result<Option<stip_web::auth::sso::Oidc>> {
        let Some(issuer) = self.oidc_issuer.filter(|i| !i.trim().is_empty()) else {
            return Ok(None);
        };
        let Some(client_id) = self.oidc_client_id else {
            bail!("STIP_OIDC_ISSUER is set but STIP_OIDC_CLIENT_ID (--oidc-client-id) is not");
        };
        let Some(public_url) = public_url else {
            bail!(
                "STIP_OIDC_ISSUER is set but STIP_PUBLIC_URL (--public-url) is not: the provider must know where to send people back"
            );
        };
        let config = stip_web::auth::sso::OidcConfig {
            issuer,
            client_id,
            client_secret: self.oidc_client_secret.unwrap_or_default(),
            public_url: public_url.to_string(),
            scopes: self
                .oidc_scopes
                .split_whitespace()
                .map(str::to_string)
                .collect(),
        };
        stip_web::auth::sso::Oidc::new(config)
            .map(Some)
            .map_err(anyhow::Error::msg)
    }
}

#[derive(Subcommand)]
enum Command {
    /// Serve Stip over HTTP.
    Serve {
        #[arg(long, env = "STIP_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        #[command(flatten)]
        database: Database,
        /// Load demo data first when the database is empty, and print the demo accounts.
        #[arg(long)]
        demo: bool,
        /// Reverse proxies (comma-separated IP addresses or networks, e.g. `10.0.0.1,fd00::/8`)
        /// whose `X-Forwarded-For` names the client; from anyone else it is ignored.
        #[arg(long, env = "STIP_TRUSTED_PROXIES", default_value = "", value_parser = parse_proxies)]
        trusted_proxies: TrustedProxies,
        /// Days the change log keeps its entries; an instance that was away longer reloads
        /// everything when it is back.
        #[arg(long, env = "STIP_CHANGE_LOG_RETENTION_DAYS", default_value_t = 7, value_parser = clap::value_parser!(u64).range(1..))]
        change_log_retention_days: u64,
        /// Serve Prometheus metrics at `/metrics` on this address (e.g. `127.0.0.1:9187`),
        /// apart from the application's port.
        #[arg(long, env = "STIP_METRICS_ADDR")]
        metrics_addr: Option<SocketAddr>,
        /// Days after which a running project's status counts as out of date ("verouderd") on
        /// the overviews.
        #[arg(long, env = "STIP_STALE_AFTER_DAYS", default_value_t = stip_core::portfolio::STATUS_STALE_AFTER_DAYS, value_parser = clap::value_parser!(u32).range(1..=3650))]
        stale_after_days: u32,
        /// Where people reach Stip, e.g. `https://stip.example.nl`: the start of every absolute
        /// link (workshop join links and QR codes, calendars, survey links, SURFconext's way
        /// back). Without it, links follow the request (forwarded headers only from a trusted
        /// proxy).
        #[arg(long, env = "STIP_PUBLIC_URL", value_parser = stip_web::parse_public_url)]
        public_url: Option<String>,
        #[command(flatten)]
        oidc: OidcArgs,
    },
    /// Write a backup of everything to a file: one consistent read, safe while Stip runs.
    Backup {
        #[command(flatten)]
        database: Database,
        /// The file to write (JSON, the same for SQLite and PostgreSQL).
        #[arg(long)]
        output: std::path::PathBuf,
    },
    /// Load a backup into an empty database, of either kind: all of it or nothing.
    Restore {
        #[command(flatten)]
        database: Database,
        /// A file written by `stip backup`.
        file: std::path::PathBuf,
    },
    /// Load demo data into an empty database.
    Demo {
        #[command(flatten)]
        database: Database,
        /// Institutions in all: the seed document's seven first, then generated ones.
        #[arg(long, default_value_t = 12)]
        institutions: usize,
        #[arg(long, default_value_t = 25)]
        projects_per_institution: usize,
        #[arg(long, default_value_t = 2020)]
        seed: u64,
    },
    /// Import an institution's project overview (xlsx, ods, xls, csv or the JSON exchange
    /// format): every row is checked first, and then all of it is written, or nothing.
    Import {
        /// The file to import.
        file: std::path::PathBuf,
        /// BRIN code of the institution whose portfolio it is.
        #[arg(long)]
        institution: String,
        /// Show what the import would do, and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Which column holds which field, as JSON: `{"Projectnaam": "title", "Opmerkingen":
        /// null}`; kept for the institution's next import. Without it, the institution's last
        /// mapping and Stip's own recognition of column names.
        #[arg(long)]
        mapping: Option<std::path::PathBuf>,
        /// A value for every row that has none, e.g. `--set phase=uitvoering` for a file
        /// without a phase column; repeat for more fields (phase, status, themes, horizon,
        /// character, visibility, owner, project_lead, contact_person).
        #[arg(long = "set", value_name = "FIELD=VALUE")]
        set: Vec<String>,
        /// Give a row whose theme cannot be read the main theme Stip proposes for it (that of
        /// the projects most like it); without this such rows are refused, with the proposal.
        #[arg(long)]
        accept_suggestions: bool,
        #[command(flatten)]
        database: Database,
    },
    /// Export the portfolio (or part of it) in the exchange format.
    Export {
        /// xlsx, csv or json.
        #[arg(long, value_parser = ["xlsx", "csv", "json"])]
        format: String,
        /// Only this institution's projects (BRIN code).
        #[arg(long)]
        institution: Option<String>,
        /// Only projects with this theme (code).
        #[arg(long)]
        theme: Option<String>,
        /// The file to write.
        #[arg(long, short = 'o')]
        output: std::path::PathBuf,
        #[command(flatten)]
        database: Database,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage personal API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add an account; the password is read from standard input.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// beheerder, regiegroep, informatiemanager or lezer.
        #[arg(long)]
        role: String,
        /// BRIN code of the institution (required for an informatiemanager).
        #[arg(long)]
        institution: Option<String>,
        /// Read the password from standard input (the only way: it never shows in `ps`).
        #[arg(long, required = true)]
        password_stdin: bool,
        #[command(flatten)]
        database: Database,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create a personal API token for an account and print it.
    Create {
        #[arg(long)]
        email: String,
        #[command(flatten)]
        database: Database,
    },
}

/// Runs the command given on the command line.
#[tokio::main]
pub async fn main() -> Result<()> {
    let cli = Cli::parse();
    // A server logs what it does; a one-off command (import, export, backup) prints its own
    // result and logs only what went wrong, unless STIP_LOG asks for more.
    let default_log = match cli.command {
        Command::Serve { .. } => "info,sqlx=warn",
        _ => "warn",
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("STIP_LOG")
                .unwrap_or_else(|_| default_log.into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match cli.command {
        Command::Serve {
            addr,
            database,
            demo,
            trusted_proxies,
            change_log_retention_days,
            metrics_addr,
            stale_after_days,
            public_url,
            oidc,
        } => {
            let oidc = oidc.config(public_url.as_deref())?;
            let retention = Duration::from_secs(change_log_retention_days * 24 * 3600);
            let options = ServeOptions {
                trusted_proxies,
                retention,
                metrics_addr,
                stale_after_days,
                oidc,
                public_url,
            };
            serve(addr, &database.url, demo, options).await
        }
        Command::Backup { database, output } => {
            let store = connect(&database.url).await?;
            let backup = store.backup().await?;
            // Written beside the target and renamed, so the file is never half a backup.
            let partial = output.with_extension("partial");
            std::fs::write(&partial, serde_json::to_vec(&backup)?)
                .with_context(|| format!("writing {}", partial.display()))?;
            std::fs::rename(&partial, &output)
                .with_context(|| format!("writing {}", output.display()))?;
            println!("Back-up geschreven naar {}:", output.display());
            for (table, rows) in backup["tables"].as_object().into_iter().flatten() {
                println!(
                    "  {table:<18} {:>8} rijen",
                    rows.as_array().map_or(0, Vec::len)
                );
            }
            Ok(())
        }
        Command::Restore { database, file } => {
            let text =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let backup: serde_json::Value = serde_json::from_slice(&text)
                .with_context(|| format!("{} is not a Stip backup (JSON)", file.display()))?;
            let store = connect(&database.url).await?;
            let loaded = match store.restore(&backup).await {
                Ok(loaded) => loaded,
                Err(stip_store::StoreError::NotEmpty(what)) => bail!(
                    "the database at {} is not empty ({what}); a backup is only restored into an empty database",
                    database.url
                ),
                Err(e) => bail!(
                    "restoring {} failed, nothing was loaded: {e}",
                    file.display()
                ),
            };
            println!("Back-up {} teruggezet:", file.display());
            for (table, rows) in loaded {
                println!("  {table:<18} {rows:>8} rijen");
            }
            Ok(())
        }
        Command::Demo {
            database,
            institutions,
            projects_per_institution,
            seed,
        } => {
            let store = connect(&database.url).await?;
            if !store.is_empty().await? {
                bail!(
                    "the database at {} already has data; demo data is only loaded into an empty database",
                    database.url
                );
            }
            let started = std::time::Instant::now();
            demo::load(&store, institutions, projects_per_institution, seed).await?;
            let survey = demo::survey(&store).await?;
            let meeting = demo::meeting(&store, survey).await?;
            demo::workshop(&store, meeting).await?;
            demo::positions(&store).await?;
            let projects = match projects_per_institution {
                1 => "1 project".to_string(),
                n => format!("{n} projecten"),
            };
            let loaded = match institutions {
                1 => format!("1 instelling met {projects}"),
                n => format!("{n} instellingen met elk {projects}"),
            };
            println!(
                "Demogegevens geladen: {loaded}, in {:.1} s.",
                started.elapsed().as_secs_f64()
            );
            print_accounts();
            Ok(())
        }
        Command::Import {
            file,
            institution,
            dry_run,
            mapping,
            set,
            accept_suggestions,
            database,
        } => {
            let mut options = import_options(&set)?;
            options.accept_suggestions = accept_suggestions;
            let store = connect(&database.url).await?;
            import(
                &store,
                &file,
                &institution,
                dry_run,
                mapping.as_deref(),
                &options,
            )
            .await
        }
        Command::Export {
            format,
            institution,
            theme,
            output,
            database,
        } => {
            let store = connect(&database.url).await?;
            export(&store, &format, institution, theme, &output).await
        }
        Command::User {
            command:
                UserCommand::Add {
                    email,
                    name,
                    role,
                    institution,
                    password_stdin: _,
                    database,
                },
        } => {
            let store = connect(&database.url).await?;
            let mut password = String::new();
            std::io::stdin()
                .read_to_string(&mut password)
                .context("reading the password from standard input")?;
            let password = password.trim_end_matches(['\n', '\r']);
            add_user(
                &store,
                &email,
                &name,
                &role,
                institution.as_deref(),
                password,
            )
            .await
        }
        Command::Token {
            command: TokenCommand::Create { email, database },
        } => {
            let store = connect(&database.url).await?;
            let user = store
                .user_by_email(&email)
                .await
                .map_err(|_| anyhow::anyhow!("no account with e-mail address {email}"))?;
            let (token, hash) = token::new_api_token();
            store.create_api_token(&hash, user.id).await?;
            println!("{token}");
            Ok(())
        }
    }
}

async fn connect(url: &str) -> Result<Store> {
    Store::connect(url)
        .await
        .with_context(|| format!("opening the database {url}"))
}

/// Adds an account by the rules of the beheerder's form (`AccountData::parse`), each refusal
/// told as the option to correct.
async fn add_user(
    store: &Store,
    email: &str,
    name: &str,
    role: &str,
    institution: Option<&str>,
    password: &str,
) -> Result<()> {
    let input = AccountInput {
        email: email.to_string(),
        name: name.to_string(),
        role: role.to_string(),
        institution: institution.unwrap_or_default().to_string(),
        active: true,
        password: password.to_string(),
    };
    let institutions = store.institutions().await?;
    let account = match AccountData::parse(&input, &institutions, true) {
        Ok(account) => account,
        Err(invalid) => {
            let lines: Vec<String> = invalid
                .0
                .iter()
                .map(|e| account_refusal(&e.field, &e.code, &input))
                .collect();
            bail!("{}", lines.join("\n"));
        }
    };
    let hash = password::hash_password(password);
    let data = UserData {
        email: &account.email,
        name: &account.name,
        role: account.role,
        institution_id: account.institution_id,
        active: account.active,
    };
    let (name, email, role) = (&account.name, &account.email, account.role);
    match store.create_user(&data, &hash).await {
        Ok(_) => {
            println!("Added {name} <{email}> as {role}.");
            Ok(())
        }
        Err(stip_store::StoreError::Invalid(_)) => {
            bail!("--email: an account with {email} already exists")
        }
        Err(e) => Err(e.into()),
    }
}

/// A refused account field as the command line says it: the option to correct, and how.
fn account_refusal(field: &str, code: &ErrorCode, input: &AccountInput) -> String {
    match (field, code) {
        ("email", ErrorCode::ControlCharacter) => {
            "--email: the address contains a control character".into()
        }
        ("email", _) => format!("--email: '{}' is not an e-mail address", input.email),
        ("name", ErrorCode::ControlCharacter) => {
            "--name: the name contains a control character".into()
        }
        ("name", ErrorCode::TooLong { max }) => format!("--name: use at most {max} characters"),
        ("name", _) => "--name: give the person's name".into(),
        ("role", _) => format!(
            "--role: '{}' is not one of beheerder, regiegroep, informatiemanager, lezer",
            input.role
        ),
        ("institution", ErrorCode::InstitutionRequired) => {
            "--institution: an informatiemanager belongs to an institution; give its BRIN code"
                .into()
        }
        ("institution", ErrorCode::Unknown) => format!(
            "--institution: no institution with BRIN code {}",
            input.institution.trim().to_uppercase()
        ),
        ("institution", _) => format!(
            "--institution: '{}' is not a BRIN code (four characters, e.g. 25LJ)",
            input.institution
        ),
        ("password", _) => "password: use at least 10 characters".into(),
        (other, code) => format!("{other}: {code:?}"),
    }
}

fn print_accounts() {
    // Said in Dutch, like the rest of what the network's people read.
    println!("\nDemo-accounts (e-mailadres / wachtwoord / rol):");
    for a in demo::ACCOUNTS {
        let inst = a
            .institution
            .map(|b| format!(" bij {b}"))
            .unwrap_or_default();
        println!("  {:<24} {:<18} {}{}", a.email, a.password, a.role, inst);
    }
    println!();
}

fn parse_proxies(list: &str) -> Result<TrustedProxies, String> {
    TrustedProxies::parse(list)
}

async fn serve(addr: SocketAddr, url: &str, with_demo: bool, options: ServeOptions) -> Result<()> {
    let ServeOptions {
        trusted_proxies,
        retention,
        metrics_addr,
        stale_after_days,
        oidc,
        public_url,
    } = options;
    let store = connect(url).await?;
    if with_demo {
        if store.is_empty().await? {
            tracing::info!("empty database: loading demo data");
            demo::load(&store, 12, 25, 2020).await?;
            let survey = demo::survey(&store).await?;
            let meeting = demo::meeting(&store, survey).await?;
            demo::workshop(&store, meeting).await?;
            demo::positions(&store).await?;
        }
        if store.user_by_email(demo::ACCOUNTS[0].email).await.is_ok() {
            print_accounts();
        }
    } else if demo::ensure_agenda(&store).await? {
        tracing::info!("empty database: loaded the default strategic agenda");
    }
    // Load the portfolio read model before listening, so no request waits for it (the store
    // logs how many projects it read, and how long that took).
    store.warm().await?;
    // From here on, every write (this process's, another instance's, the CLI's) reaches the
    // caches through the change log; read to its end once now, so the instance is ready when
    // it listens.
    store.follow_changes().await?;
    tokio::spawn(store.clone().follow(retention));
    if let Some(addr) = metrics_addr {
        serve_metrics(addr, store.clone()).await?;
    }
    let mut state = AppState::new(store.clone())
        .with_trusted_proxies(trusted_proxies)
        .with_stale_after_days(stale_after_days);
    if let Some(url) = &public_url {
        state = state.with_public_url(url);
    }
    if let Some(oidc) = oidc {
        tracing::info!(
            issuer = oidc.issuer(),
            "logging in with SURFconext (OpenID Connect) too"
        );
        state = state.with_oidc(oidc);
    }
    let app = stip_web::router(state);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("listening on {addr}"))?;
    println!(
        "Stip is ready at http://{} ({} database)",
        listener.local_addr()?,
        store.backend_name()
    );
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown())
    .await?;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

struct ServeOptions {
    trusted_proxies: TrustedProxies,
    retention: Duration,
    metrics_addr: Option<SocketAddr>,
    stale_after_days: u32,
    oidc: Option<stip_web::auth::sso::Oidc>,
    public_url: Option<String>,
}

/// Prometheus metrics at `/metrics` on their own listener: the requests and their latency per
/// route (recorded by `stip_web::metrics`), and at each scrape the read model's size, the
/// change log's lag and the database pool's use.
async fn serve_metrics(addr: SocketAddr, store: Store) -> Result<()> {
    use metrics_exporter_prometheus::{Matcher, PrometheusBuilder};
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(
            Matcher::Full("stip_http_request_duration_seconds".into()),
            &[
                0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
            ],
        )?
        .install_recorder()?;
    let app = axum::Router::new().route(
        "/metrics",
        axum::routing::get(move || {
            let handle = handle.clone();
            let store = store.clone();
            async move {
                for (name, value) in store.gauges().await {
                    metrics::gauge!(name).set(value);
                }
                handle.render()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("listening for metrics on {addr}"))?;
    tracing::info!("metrics at http://{}/metrics", listener.local_addr()?);
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!(error = %e, "the metrics listener stopped");
        }
    });
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

/// `--set FIELD=VALUE`s as import options, each field checked.
fn import_options(set: &[String]) -> Result<stip_core::exchange::preview::Options> {
    use stip_core::exchange::columns::Field;
    use stip_core::exchange::preview::{DEFAULTABLE, Options};
    let mut options = Options::default();
    let names = || {
        DEFAULTABLE
            .iter()
            .map(Field::code)
            .collect::<Vec<_>>()
            .join(", ")
    };
    for item in set {
        let Some((field, value)) = item.split_once('=') else {
            bail!("--set {item}: schrijf VELD=WAARDE, bijvoorbeeld --set phase=uitvoering");
        };
        let Some(field) = Field::parse(field.trim()).filter(|f| DEFAULTABLE.contains(f)) else {
            bail!(
                "--set {item}: '{}' kan niet voor alle rijen; kies uit {}",
                field.trim(),
                names()
            );
        };
        if value.trim().is_empty() {
            bail!("--set {item}: geef een waarde na het =-teken");
        }
        options.defaults.push((field, value.to_string()));
    }
    Ok(options)
}

/// `stip import`: the same preview as the import page, then everything or nothing.
async fn import(
    store: &Store,
    file: &std::path::Path,
    brin: &str,
    dry_run: bool,
    mapping_file: Option<&std::path::Path>,
    options: &stip_core::exchange::preview::Options,
) -> Result<()> {
    use stip_core::exchange::{columns::Mapping, sheet};
    use stip_store::exchange::RowPlan;
    use stip_web::exchange::{
        file_error, preview_error, problem_line, reason_text, skip_text, suggestion_text,
    };
    use stip_web::i18n::Lang;
    let nl = Lang::Nl;
    let code = stip_core::institution::BrinCode::parse(brin)
        .map_err(|_| anyhow::anyhow!("'{brin}' is geen BRIN-code (twee cijfers en twee letters of cijfers, bijvoorbeeld 25LN)"))?;
    let institution = store
        .institution_by_brin(&code)
        .await
        .map_err(|_| anyhow::anyhow!("er is geen instelling met BRIN-code {brin}"))?;
    let mapping: Mapping = match mapping_file {
        Some(path) => {
            let text = std::fs::read(path).with_context(|| format!("{} lezen", path.display()))?;
            serde_json::from_slice(&text).with_context(|| {
                format!(
                    "{} is geen mapping: verwacht JSON als {{\"Projectnaam\": \"title\", \"Opmerkingen\": null}}",
                    path.display()
                )
            })?
        }
        None => store.import_mapping(institution.id).await?,
    };
    let bytes = std::fs::read(file).with_context(|| format!("{} lezen", file.display()))?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let contents = sheet::read(&name, &bytes, &sheet::Limits::default())
        .map_err(|e| anyhow::anyhow!("{}: {}", file.display(), file_error(nl, &e)))?;
    // Themes are proposed from what the institution's informatiemanager sees.
    let scope = stip_core::access::ProjectScope::Network {
        own_institution: Some(institution.id),
    };
    let preview = store
        .preview_import(
            institution.id,
            code.as_str(),
            &contents,
            &mapping,
            options,
            scope,
        )
        .await?
        .map_err(|e| anyhow::anyhow!("{}: {}", file.display(), preview_error(nl, &e)))?;
    let plan = store.plan_import(institution.id, &preview).await?;
    let themes = store.reference_pairs().await?.themes;
    if let Some(header) = &preview.header {
        let sheet = if preview.sheet.is_empty() {
            String::new()
        } else {
            format!(" van blad '{}'", preview.sheet)
        };
        println!("Kolomnamen in rij {}{sheet}:", header.row);
        for column in header.columns.iter().filter(|c| !c.name.is_empty()) {
            let field = column
                .field
                .as_ref()
                .map_or_else(|| "niet ingelezen".into(), |f| f.code());
            println!("  {} → {field} ({})", column.name, reason_text(nl, column));
        }
    }
    for skipped in &preview.skipped {
        println!(
            "rij {}: overgeslagen, {} — {}",
            skipped.row,
            skip_text(nl, skipped.why),
            skipped.text
        );
    }
    for (row, plan) in preview.rows.iter().zip(&plan) {
        let what = match plan {
            RowPlan::New => "nieuw".to_string(),
            changed @ RowPlan::Changed { .. } => {
                format!("gewijzigd: {}", changed.changed_fields().join(", "))
            }
            RowPlan::Unchanged { .. } => "ongewijzigd".to_string(),
            RowPlan::Problems => "fout".to_string(),
        };
        println!("rij {}: {what} — {}", row.row, row.title);
        if let Some(s) = &row.suggestion {
            let name = themes
                .iter()
                .find(|(code, _)| *code == s.theme)
                .map_or(s.theme.as_str(), |(_, name)| name.as_str());
            println!("  {}", suggestion_text(nl, name, s));
        }
    }
    let problems: Vec<String> = preview
        .problems()
        .map(|(row, p)| problem_line(nl, row, p))
        .collect();
    let count = |f: fn(&RowPlan) -> bool| plan.iter().filter(|p| f(p)).count();
    let (new, changed, unchanged) = (
        count(|p| matches!(p, RowPlan::New)),
        count(|p| matches!(p, RowPlan::Changed { .. })),
        count(|p| matches!(p, RowPlan::Unchanged { .. })),
    );
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("{p}");
        }
        let rows = count(|p| matches!(p, RowPlan::Problems));
        bail!(
            "niets ingelezen: {rows} {} een probleem; verbeter het bestand en probeer het opnieuw",
            if rows == 1 {
                "rij heeft"
            } else {
                "rijen hebben"
            }
        );
    }
    if dry_run {
        println!(
            "Proef: {new} nieuw, {changed} gewijzigd, {unchanged} ongewijzigd. Er is niets geschreven."
        );
        return Ok(());
    }
    let editor = stip_store::portfolio::Editor {
        user_id: None,
        name: format!("Import van {name}"),
    };
    let counts = match store
        .import_projects(institution.id, &preview, &editor)
        .await
    {
        Ok(c) => c,
        Err(stip_store::StoreError::Busy) => bail!(
            "niets ingelezen: een project uit het bestand werd net door iemand anders opgeslagen; probeer het opnieuw"
        ),
        Err(e) => return Err(e.into()),
    };
    if mapping_file.is_some() {
        store.save_import_mapping(institution.id, &mapping).await?;
    }
    println!(
        "Ingelezen in {}: {} nieuw, {} gewijzigd, {} ongewijzigd.",
        institution.data.name, counts.new, counts.changed, counts.unchanged
    );
    Ok(())
}

/// `stip export`: the portfolio, or one institution's or theme's part, in the exchange format.
async fn export(
    store: &Store,
    format: &str,
    institution: Option<String>,
    theme: Option<String>,
    output: &std::path::Path,
) -> Result<()> {
    let query = stip_core::portfolio::ListQuery {
        institution: institution.unwrap_or_default(),
        theme: theme.unwrap_or_default(),
        sort: "title".into(),
        ..Default::default()
    };
    let req = query.parse().map_err(|e| {
        let lines: Vec<String> =
            e.0.iter()
                .map(|fe| stip_web::i18n::Lang::Nl.field_error(fe))
                .collect();
        anyhow::anyhow!("{}", lines.join(" "))
    })?;
    let projects = store
        .projects_for_export(&req, stip_core::access::ProjectScope::All)
        .await?;
    let bytes = stip_web::exchange::export_bytes(store, format, &projects).await?;
    let partial = output.with_extension("partial");
    std::fs::write(&partial, bytes).with_context(|| format!("{} schrijven", partial.display()))?;
    std::fs::rename(&partial, output).with_context(|| format!("{} schrijven", output.display()))?;
    println!(
        "{} projecten geschreven naar {}.",
        projects.len(),
        output.display()
    );
    Ok(())
}
