//! Request metrics for Prometheus: a count and a latency histogram per route (the route's
//! pattern, such as `/projecten/{id}`, never the path itself, so the number of series stays
//! small). Recorded through the `metrics` facade: without an installed recorder (no
//! `--metrics-addr`) each is a no-op.

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use std::time::Instant;

/// Counts the request and records how long the answer took.
pub async fn track(req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "other".to_owned());
    let method = req.method().as_str().to_owned();
    let started = Instant::now();
    let res = next.run(req).await;
    let seconds = started.elapsed().as_secs_f64();
    let status = res.status().as_u16().to_string();
    metrics::counter!(
        "stip_http_requests_total",
        "method" => method.clone(),
        "route" => route.clone(),
        "status" => status
    )
    .increment(1);
    metrics::histogram!(
        "stip_http_request_duration_seconds",
        "method" => method,
        "route" => route
    )
    .record(seconds);
    res
}
