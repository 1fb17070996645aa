//! `TestApp`: the whole application in process on a fresh database with demo data, and
//! `Session`s that log in through the real login form, carry cookies and fill in CSRF tokens.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use stip_store::testing::TestDb;
use stip_web::{AppState, demo, router};
use tower::ServiceExt;

pub struct TestApp {
    /// Shared by every instance made with [`TestApp::another_instance`].
    pub db: Arc<TestDb>,
    router: Router,
}

/// Demo accounts by role, as in `stip_web::demo::ACCOUNTS`.
pub const BEHEERDER: &str = "beheer@stip.demo";
pub const REGIEGROEP: &str = "regiegroep@stip.demo";
pub const IM_HORIZON: &str = "im@horizon.demo";
pub const IM_DAVINCI: &str = "im@davinci.demo";
pub const LEZER: &str = "lezer@stip.demo";

impl TestApp {
    /// SQLite with the seven seed institutions and four projects each.
    pub async fn new() -> TestApp {
        Self::with(TestDb::sqlite().await).await
    }

    /// The same on PostgreSQL, or `None` when it is unreachable (and not required).
    pub async fn postgres() -> Option<TestApp> {
        Some(Self::with(TestDb::postgres().await?).await)
    }

    async fn with(db: TestDb) -> TestApp {
        demo::load(&db.store, 7, 4, 1)
            .await
            .expect("load demo data");
        let router = router(AppState::new(db.store.clone()));
        TestApp {
            db: Arc::new(db),
            router,
        }
    }

    /// The same application with its state changed, e.g. trusted proxies.
    pub fn with_state(self, change: impl FnOnce(AppState) -> AppState) -> TestApp {
        let router = router(change(AppState::new(self.db.store.clone())));
        TestApp { router, ..self }
    }

    /// A second server on the same database, with a store (and caches) of its own, as a second
    /// `stip serve` would be.
    pub async fn another_instance(&self) -> TestApp {
        let store = stip_store::Store::connect(&self.db.url)
            .await
            .expect("connect a second store");
        TestApp {
            db: self.db.clone(),
            router: router(AppState::new(store)),
        }
    }

    pub fn store(&self) -> &stip_store::Store {
        &self.db.store
    }

    pub fn anonymous(&self) -> Session<'_> {
        Session {
            app: self,
            cookies: Mutex::new(Vec::new()),
            headers: HeaderMap::new(),
            peer: None,
        }
    }

    /// A session logged in through the login form.
    pub async fn login(&self, email: &str) -> Session<'_> {
        let password = demo::ACCOUNTS
            .iter()
            .find(|a| a.email == email)
            .expect("a demo account")
            .password;
        let s = self.anonymous();
        let res = s
            .post_form("/inloggen", &[("email", email), ("password", password)])
            .await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "logging in as {email}: {}",
            res.body
        );
        s
    }

    /// An API token for an account, as `stip token create` makes it.
    pub async fn token(&self, email: &str) -> String {
        let user = self
            .store()
            .user_by_email(email)
            .await
            .expect("account exists");
        let (token, hash) = stip_web::identity::new_api_token();
        self.store()
            .create_api_token(&hash, user.id)
            .await
            .expect("store token");
        token
    }

    /// The id of a demo project of an institution with the given visibility, making one visible
    /// that way if needed.
    pub async fn project_of(&self, brin: &str, visibility: &str) -> i64 {
        use stip_core::portfolio::*;
        let req = ListQuery {
            institution: brin.into(),
            per_page: "200".into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        let page = self
            .store()
            .list_projects(&req, stip_core::access::ProjectScope::All)
            .await
            .unwrap();
        let p = page
            .items
            .first()
            .expect("the institution has demo projects")
            .clone();
        let wanted = Visibility::parse(visibility).expect("a visibility code");
        if p.data.visibility != wanted {
            let mut data = p.data.clone();
            data.visibility = wanted;
            let editor = stip_store::portfolio::Editor {
                user_id: None,
                name: "test".into(),
            };
            self.store()
                .update_project(p.id, p.version, &data, &editor)
                .await
                .unwrap();
        }
        p.id
    }
}

pub struct Session<'a> {
    app: &'a TestApp,
    cookies: Mutex<Vec<(String, String)>>,
    pub headers: HeaderMap,
    /// The address the request comes from, as the server's socket sees it.
    peer: Option<IpAddr>,
}

#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl TestResponse {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The text of the element with this id, e.g. the error next to a field: `e-title`.
    pub fn text_of(&self, id: &str) -> Option<String> {
        let start = self.body.find(&format!("id=\"{id}\""))?;
        let open_end = start + self.body[start..].find('>')? + 1;
        let close = open_end + self.body[open_end..].find("</")?;
        Some(html_decode(&self.body[open_end..close]))
    }

    /// Whether the page contains this text (HTML entities decoded).
    pub fn shows(&self, text: &str) -> bool {
        html_decode(&self.body).contains(text)
    }
}

pub fn html_decode(s: &str) -> String {
    s.replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#38;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

impl Session<'_> {
    fn cookie_header(&self) -> String {
        self.cookies
            .lock()
            .unwrap()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies
            .lock()
            .unwrap()
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }

    pub fn set_cookie(&self, name: &str, value: &str) {
        let mut jar = self.cookies.lock().unwrap();
        jar.retain(|(k, _)| k != name);
        jar.push((name.into(), value.into()));
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: String,
    ) -> TestResponse {
        let mut req = Request::builder().method(method).uri(path);
        for (k, v) in &self.headers {
            req = req.header(k, v);
        }
        let cookies = self.cookie_header();
        if !cookies.is_empty() {
            req = req.header(header::COOKIE, cookies);
        }
        if let Some(ct) = content_type {
            req = req.header(header::CONTENT_TYPE, ct);
        }
        if let Some(ip) = self.peer {
            req = req.extension(axum::extract::ConnectInfo(SocketAddr::new(ip, 40000)));
        }
        let res = self
            .app
            .router
            .clone()
            .oneshot(req.body(Body::from(body)).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        for set in headers.get_all(header::SET_COOKIE) {
            let set = set.to_str().unwrap();
            let pair = set.split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            let mut jar = self.cookies.lock().unwrap();
            jar.retain(|(name, _)| name != k);
            if !set.contains("Max-Age=0") {
                jar.push((k.to_string(), v.to_string()));
            }
        }
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.request(Method::GET, path, None, String::new()).await
    }

    /// The CSRF token this session's forms carry (read from a page, as a browser has it).
    pub async fn csrf(&self) -> String {
        let page = self.get("/inloggen").await;
        let marker = "name=\"csrf\" value=\"";
        let start = page.body.find(marker).expect("a form with a CSRF token") + marker.len();
        page.body[start..start + page.body[start..].find('"').unwrap()].to_string()
    }

    /// Posts a form as a browser does, with the CSRF token filled in.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let csrf = self.csrf().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf", &csrf)];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// Posts exactly these fields, without adding a CSRF token.
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let body = serde_urlencoded::to_string(fields).unwrap();
        self.request(
            Method::POST,
            path,
            Some("application/x-www-form-urlencoded"),
            body,
        )
        .await
    }

    /// A JSON API call; with a session cookie the CSRF header is sent too, as Stip's pages would.
    pub async fn api(
        &self,
        method: Method,
        path: &str,
        json: Option<serde_json::Value>,
    ) -> TestResponse {
        let mut headers = self.headers.clone();
        if self.cookie("stip_session").is_some() && method != Method::GET {
            let csrf = self.csrf().await;
            headers.insert("x-csrf-token", csrf.parse().unwrap());
        }
        let s = Session {
            app: self.app,
            cookies: Mutex::new(self.cookies.lock().unwrap().clone()),
            headers,
            peer: self.peer,
        };
        let body = json.map(|j| j.to_string()).unwrap_or_default();
        s.request(method, path, Some("application/json"), body)
            .await
    }

    pub fn with_bearer(mut self, token: &str) -> Self {
        self.headers.insert(
            header::AUTHORIZATION,
            format!("Bearer {token}").parse().unwrap(),
        );
        self
    }

    /// Requests come from this address (as the socket sees it).
    pub fn with_address(mut self, ip: &str) -> Self {
        self.peer = Some(ip.parse().expect("an IP address"));
        self
    }

    /// Posts a `multipart/form-data` body of text fields, as a browser sends a form with a file
    /// input, without adding a CSRF token.
    pub async fn post_multipart(&self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let boundary = "----stiptestboundary7MA4YWxkTrZu0gW";
        let mut body = String::new();
        for (name, value) in fields {
            body.push_str(&format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            ));
        }
        body.push_str(&format!("--{boundary}--\r\n"));
        let ct = format!("multipart/form-data; boundary={boundary}");
        self.request(Method::POST, path, Some(&ct), body).await
    }

    pub fn with_header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.insert(name, value.parse().unwrap());
        self
    }
}

/// The fields of a complete project form, as a person fills it in.
pub fn full_project_form() -> Vec<(&'static str, &'static str)> {
    vec![
        ("title", "Dashboard studiesucces"),
        ("summary", "Eén dashboard voor studievoortgang"),
        ("description", "## Aanleiding\n\nTe veel losse lijstjes."),
        ("intended_result", "Minder uitval in jaar 1"),
        ("owner", "Directeur onderwijs"),
        ("project_lead", "Piet Projectleider"),
        ("contact_person", "Hanna Horizon"),
        ("phase", "uitvoering"),
        ("status", "oranje"),
        ("status_note", "Leverancier is laat"),
        ("start_date", "2025-02-01"),
        ("end_date", "2026-07-31"),
        ("budget", "12.500,50"),
        ("effort", "1,5"),
        ("effort_unit", "fte"),
        ("horizon", "middellang"),
        ("character", "innoveren"),
        ("perspective_strategic_operational", "2"),
        ("perspective_ict_business", "4"),
        ("primary_theme", "data-ondersteund-onderwijs"),
        ("themes", "llo"),
        ("themes", "innovatie"),
        ("drivers", "krimp"),
        ("drivers", "diversiteit"),
        ("score_strategische-bijdrage", "5"),
        ("score_risico", "2"),
        ("visibility", "netwerk"),
        ("shareable", "1"),
        (
            "case_summary",
            "Hoe wij het dashboard samen met docenten bouwden",
        ),
        (
            "links",
            "https://example.org/dashboard\nhttps://example.org/verslag",
        ),
    ]
}

/// The unfiltered first page of the portfolio.
pub fn all_projects() -> stip_core::portfolio::ListRequest {
    stip_core::portfolio::ListQuery::default().parse().unwrap()
}
