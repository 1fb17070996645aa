//! Addresses: the client's, for slowing down password guessing (the direct peer, or — only when
//! that peer is one of the trusted reverse proxies — the address the proxies forwarded), and
//! this server's own, for absolute links.

use axum::http::HeaderMap;
use ipnet::IpNet;
use std::net::IpAddr;

/// The reverse proxies whose `X-Forwarded-For` is believed (`STIP_TRUSTED_PROXIES`).
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Parses a comma-separated list of addresses and networks: `10.0.0.1, 192.168.0.0/16, ::1`.
    pub fn parse(list: &str) -> Result<TrustedProxies, String> {
        list.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<IpNet>()
                    .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("'{s}' is not an IP address or network"))
            })
            .collect::<Result<_, _>>()
            .map(TrustedProxies)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client behind `peer`: walking `X-Forwarded-For` from the nearest hop back, the first
    /// address that is not a trusted proxy. A header from an untrusted peer is ignored, as anyone
    /// can send one.
    pub fn client(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        let peer = peer?;
        if !self.trusts(peer) {
            return Some(peer);
        }
        let hops: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .collect();
        let mut client = peer;
        for hop in hops.into_iter().rev() {
            // What a trusted proxy could not read as an address ends the walk: the client is
            // then the last hop that can be named.
            let Ok(hop) = hop.trim().parse::<IpAddr>() else {
                break;
            };
            client = hop;
            if !self.trusts(hop) {
                break;
            }
        }
        Some(client)
    }
}

/// Where people reach this server, for every absolute link Stip makes (a workshop's join link
/// and QR code, calendar feeds and files, survey links): `STIP_PUBLIC_URL` when it is set;
/// otherwise the request's `Host`, with `X-Forwarded-Host` and `X-Forwarded-Proto` believed
/// only from a trusted proxy (anyone else can send them).
pub fn origin(
    public_url: Option<&str>,
    proxies: &TrustedProxies,
    peer: Option<IpAddr>,
    headers: &HeaderMap,
) -> String {
    if let Some(url) = public_url {
        return url.trim_end_matches('/').to_string();
    }
    let forwarded = peer.is_some_and(|p| proxies.trusts(p));
    let header = |name| {
        headers
            .get(name)
            .and_then(|h| h.to_str().ok())
            .and_then(|h| h.split(',').next())
            .map(str::trim)
    };
    let host = forwarded
        .then(|| header("x-forwarded-host"))
        .flatten()
        .or_else(|| header(axum::http::header::HOST.as_str()))
        .filter(|h| is_host(h))
        .unwrap_or("localhost");
    let https =
        forwarded && header("x-forwarded-proto").is_some_and(|p| p.eq_ignore_ascii_case("https"));
    let scheme = if https { "https" } else { "http" };
    format!("{scheme}://{host}")
}

/// A host name or address with an optional port, nothing that could end a link or a line.
fn is_host(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 255
        && h.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
}

/// `STIP_PUBLIC_URL` as given: an absolute http(s) address without query or fragment; kept
/// without its trailing slash.
pub fn parse_public_url(raw: &str) -> Result<String, String> {
    let url = url::Url::parse(raw.trim())
        .map_err(|e| format!("'{raw}' is not an address ({e}); e.g. https://stip.example.nl"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(format!(
            "'{raw}' is not an http(s) address; e.g. https://stip.example.nl"
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "'{raw}' has a query or fragment; give only the address"
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forwarded(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", v.parse().unwrap());
        h
    }

    #[test]
    fn a_forwarded_address_counts_only_from_a_trusted_proxy() {
        let proxies = TrustedProxies::parse("10.0.0.1, 192.168.0.0/16").unwrap();
        let h = forwarded("203.0.113.7, 192.168.1.5");
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        assert_eq!(proxies.client(ip("10.0.0.1"), &h), ip("203.0.113.7"));
        assert_eq!(proxies.client(ip("10.0.0.2"), &h), ip("10.0.0.2"));
        assert_eq!(
            proxies.client(ip("10.0.0.1"), &HeaderMap::new()),
            ip("10.0.0.1")
        );
        assert_eq!(
            proxies.client(ip("10.0.0.1"), &forwarded("unknown, 198.51.100.1")),
            ip("198.51.100.1")
        );
        assert!(TrustedProxies::parse("proxy.example").is_err());
    }

    #[test]
    fn links_point_at_the_public_url_or_at_what_a_trusted_proxy_forwarded() {
        let proxies = TrustedProxies::parse("10.0.0.1").unwrap();
        let mut h = HeaderMap::new();
        h.insert("host", "stip.local:8080".parse().unwrap());
        h.insert("x-forwarded-host", "evil.example".parse().unwrap());
        h.insert("x-forwarded-proto", "https".parse().unwrap());
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        assert_eq!(
            origin(
                Some("https://stip.example.nl"),
                &proxies,
                ip("10.0.0.1"),
                &h
            ),
            "https://stip.example.nl"
        );
        assert_eq!(
            origin(None, &proxies, ip("203.0.113.7"), &h),
            "http://stip.local:8080"
        );
        assert_eq!(
            origin(None, &proxies, ip("10.0.0.1"), &h),
            "https://evil.example"
        );
        h.insert("host", "evil.example/x?y".parse().unwrap());
        assert_eq!(
            origin(None, &proxies, ip("203.0.113.7"), &h),
            "http://localhost"
        );
        assert_eq!(
            parse_public_url("https://stip.example.nl/").unwrap(),
            "https://stip.example.nl"
        );
        assert!(parse_public_url("stip.example.nl").is_err());
        assert!(parse_public_url("ftp://stip.example.nl").is_err());
    }
}
