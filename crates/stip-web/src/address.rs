//! The client's address, for slowing down password guessing: the direct peer, or — only when
//! that peer is one of the trusted reverse proxies — the address the proxies forwarded.

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

/// This server's address as the request reached it, for absolute links.
pub fn origin(headers: &axum::http::HeaderMap) -> String {
    let host = headers
        .get("x-forwarded-host")
        .or_else(|| headers.get(axum::http::header::HOST))
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if crate::identity::is_https(headers) {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
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
}
