"""The guarded URL fetcher: the one place that decides which URLs cleaner may fetch.

Every page cleaner downloads (``cleaner clean URL``, ``cleaner fixture add URL``, the
preview's URL box and ``POST /api/clean {"url": ...}``) goes through :func:`fetch`,
because a URL typed into a local tool can point at the machine itself, the LAN or a
cloud metadata service (SSRF). The rules, all here and nowhere else:

- ``http`` and ``https`` only, no credentials in the URL, a well-formed host name;
- odd IPv4 spellings (``0x7f000001``, ``2130706433``, ``0177.0.0.1``, ``127.1``) are read
  the way ``inet_aton`` (and so browsers and resolvers) read them, then checked;
- the host is resolved **once** per hop and **every** address must be public: no loopback,
  private, link-local (169.254.169.254), shared/CGNAT (100.64/10), multicast, reserved or
  unspecified address, nor one hidden inside IPv4-mapped, IPv4-compatible, 6to4, Teredo
  or NAT64 IPv6 addresses;
- the connection is pinned to the vetted address (the ``Host`` header, TLS SNI and the
  certificate check still use the name), so DNS rebinding cannot swap the address;
- redirects are followed by hand, at most ``max_redirects``, each hop checked like the first;
- the body is streamed with a byte cap (also after gzip/deflate decoding) under one
  deadline for the whole fetch, DNS included; proxies from the environment are ignored.

>>> fetch("http://169.254.169.254/latest/meta-data/")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
cleaner.errors.BlockedURLError: refused http://169.254.169.254/...: ... a link-local address ...
"""

from __future__ import annotations

import http.client
import io
import ipaddress
import re
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from ..errors import BlockedURLError, FetchError
from . import Page

__all__ = ["fetch", "Page", "BlockedURLError", "check_url", "blocked_reason",
           "system_resolver", "Resolver", "DEFAULT_MAX_BYTES", "DEFAULT_TIMEOUT",
           "DEFAULT_MAX_REDIRECTS", "USER_AGENT", "PAGE_TYPES"]

DEFAULT_MAX_BYTES = 10_000_000
DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_REDIRECTS = 5
USER_AGENT = "cleaner/0.1 (+https://example.invalid/cleaner)"
_CHUNK = 65536
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# what fetch accepts by default: a page; a missing Content-Type is let through (the parser
# sniffs)
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain", "text/xml",
                        "application/xml"})
_HOST_CHARS = re.compile(r"[a-z0-9._-]+")  # after IDNA: anything else is not a DNS name
_HEX_LABEL = re.compile(r"0x[0-9a-f]*")
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))

Resolver = Callable[[str, int], Iterable[str]]
"""``resolver(host, port) -> addresses``: IP address strings for a host name."""

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


# -- addresses ---------------------------------------------------------------------------

def _embedded_ipv4(addr: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, compatible, 6to4, Teredo, NAT64)."""
    if addr.ipv4_mapped is not None:
        return addr.ipv4_mapped
    if addr.sixtofour is not None:
        return addr.sixtofour
    if addr.teredo is not None:
        return addr.teredo[1]
    if any(addr in net for net in _NAT64):
        return ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
    if int(addr) >> 32 == 0 and int(addr) > 1:  # deprecated IPv4-compatible ::a.b.c.d
        return ipaddress.IPv4Address(int(addr))
    return None


def blocked_reason(ip: IPAddress | str, *, allow_loopback: bool = False) -> str | None:
    """Why an address must not be fetched from, or ``None`` if it is a public address.

    >>> blocked_reason("10.0.0.1")
    '10.0.0.1 is a private address'
    >>> blocked_reason("::ffff:127.0.0.1").endswith(
    ...     "is a loopback address (IPv4 127.0.0.1 inside an IPv6 address)")
    True
    >>> blocked_reason("93.184.215.14") is None
    True
    """
    if isinstance(ip, str):
        try:
            ip = ipaddress.ip_address(ip.split("%", 1)[0])
        except ValueError:
            return f"{ip!r} is not an IP address"
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            why = blocked_reason(inner, allow_loopback=False)
            if why is not None:
                return f"{ip} is {why.split(' is ', 1)[1]} (IPv4 {inner} inside an IPv6 address)"
    if ip.is_loopback:
        return None if allow_loopback else f"{ip} is a loopback address"
    if ip.is_unspecified:
        return f"{ip} is the unspecified address"
    if ip.is_link_local:
        return f"{ip} is a link-local address (cloud metadata services live here)"
    if ip.is_multicast:
        return f"{ip} is a multicast address"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT:
        return f"{ip} is a shared (carrier-grade NAT) address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return f"{ip} is a site-local address"
    if ip.is_private:
        return f"{ip} is a private address"
    if ip.is_reserved:
        return f"{ip} is a reserved address"
    if not ip.is_global:
        return f"{ip} is not a public address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return f"{ip} is an IPv4-mapped address"  # connect to the IPv4 address instead
    return None


def _literal_ip(host: str) -> IPAddress | None:
    """The address a host names literally, reading IPv4 the way ``inet_aton`` does.

    A host whose last label is a number (``127.1``, ``0x7f000001``, ``2130706433``,
    ``0177.0.0.1``) is an IPv4 address to browsers and resolvers alike, never a name.
    """
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    last = host.rstrip(".").rsplit(".", 1)[-1]
    if not (last.isdigit() or _HEX_LABEL.fullmatch(last)):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host.rstrip(".")))
    except (OSError, ValueError):
        raise BlockedURLError(f"{host!r} is neither a host name nor a valid IPv4 address") \
            from None


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for ``host`` (IPv4 and IPv6)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def _resolve(host: str, port: int, resolver: Resolver | None, deadline: float) -> list[str]:
    """The host's addresses from ``resolver``, or from the system resolver under the
    deadline (getaddrinfo has no timeout of its own, so it runs in a daemon thread)."""
    box: dict[str, object] = {}

    def work() -> None:
        try:
            box["ok"] = [str(a) for a in (resolver or system_resolver)(host, port)]
        except (OSError, UnicodeError) as exc:
            box["err"] = exc

    if resolver is not None:
        work()
    else:
        t = threading.Thread(target=work, name="cleaner-resolve", daemon=True)
        t.start()
        t.join(max(0.0, deadline - time.monotonic()))
        if t.is_alive():
            raise FetchError(f"cannot resolve {host}: timed out")
    if "err" in box:
        exc = box["err"]
        raise FetchError(f"cannot resolve {host}: {getattr(exc, 'strerror', None) or exc}")
    return box["ok"]  # type: ignore[return-value]


# -- URLs --------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Target:
    url: str
    scheme: str
    host: str          # IDNA-encoded, lower case, no brackets
    port: int
    request_path: str  # path + query, percent-encoded


def _parse_url(url: str) -> _Target:
    if not isinstance(url, str) or not url.strip():
        raise BlockedURLError("no URL given")
    url = url.strip()
    if any(ord(c) < 0x21 or c == "\x7f" for c in url):
        raise BlockedURLError(f"refused {url!r}: the URL contains spaces or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise BlockedURLError(f"refused {url}: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise BlockedURLError(f"refused {url}: only http and https URLs can be fetched")
    if parts.username is not None or parts.password is not None:
        raise BlockedURLError(f"refused {url}: URLs with a user name or password are not fetched")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise BlockedURLError(f"refused {url}: no host name")
    if ":" not in host:  # not IPv6: IDNA-encode and check the characters
        try:
            host = host.encode("idna").decode("ascii").lower()
        except UnicodeError:
            raise BlockedURLError(f"refused {url}: {host!r} is not a valid host name") from None
        if not _HOST_CHARS.fullmatch(host):
            raise BlockedURLError(f"refused {url}: {host!r} is not a valid host name")
    if port == 0:
        raise BlockedURLError(f"refused {url}: port 0")
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    if parts.query:
        path += "?" + quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    return _Target(url=url, scheme=scheme, host=host,
                   port=port or (443 if scheme == "https" else 80), request_path=path)


def check_url(url: str, *, allow_loopback: bool = False,
              resolver: Resolver | None = None, timeout: float = DEFAULT_TIMEOUT) -> list[str]:
    """Check a URL without fetching it; returns the vetted addresses, else raises
    :class:`BlockedURLError` (or :class:`FetchError` when the name does not resolve)."""
    target = _parse_url(url)
    return _vetted_addresses(target, allow_loopback, resolver, time.monotonic() + timeout)


def _vetted_addresses(target: _Target, allow_loopback: bool, resolver: Resolver | None,
                      deadline: float) -> list[str]:
    try:
        literal = _literal_ip(target.host)
    except BlockedURLError as exc:
        raise BlockedURLError(f"refused {target.url}: {exc}") from None
    if literal is not None:
        addresses = [str(literal)]
    else:
        addresses = _resolve(target.host, target.port, resolver, deadline)
        if not addresses:
            raise FetchError(f"cannot resolve {target.host}: no addresses")
    for addr in addresses:  # every answer must pass: no picking the good one of a mix
        why = blocked_reason(addr, allow_loopback=allow_loopback)
        if why is not None:
            if literal is None:  # "localhost resolves to 127.0.0.1, which is a loopback..."
                shown, _, what = why.partition(" is ")
                why = f"{target.host} resolves to {shown}, which is {what}"
            raise BlockedURLError(f"refused {target.url}: {why}")
    return [a.split("%", 1)[0] for a in addresses]


# -- the connection, pinned to a vetted address, under one deadline ---------------------

def _remaining(deadline: float) -> float:
    """Seconds left before ``deadline``; a ``TimeoutError`` once it has passed."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("the fetch's deadline passed")
    return left


class _DeadlineReader(io.RawIOBase):
    """A socket's reads, each given only the time left: a socket timeout alone restarts
    with every ``recv``, so a server dripping a byte a second would never time out."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        super().__init__()
        # the socket's own file keeps it open after http.client closes the connection
        self._sock, self._raw, self._deadline = sock, sock.makefile("rb", 0), deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        self._sock.settimeout(_remaining(self._deadline))
        return self._raw.readinto(buffer)

    def close(self) -> None:
        self._raw.close()
        super().close()


class _DeadlineSocket:
    """What :class:`http.client.HTTPResponse` reads from: ``makefile`` over the deadline."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock, self._deadline = sock, deadline

    def makefile(self, mode: str = "rb") -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self._sock, self._deadline))


class _DeadlineResponse(http.client.HTTPResponse):
    deadline = 0.0  # set on the per-connection subclass below

    def __init__(self, sock: socket.socket, *args: Any, **kwargs: Any) -> None:
        super().__init__(_DeadlineSocket(sock, self.deadline),  # type: ignore[arg-type]
                         *args, **kwargs)


class _Connection(http.client.HTTPConnection):
    """Plain HTTP to ``ip`` (the name stays for ``Host``), every step under ``deadline``."""

    def __init__(self, target: _Target, ip: str, deadline: float) -> None:
        super().__init__(target.host, target.port, timeout=_remaining(deadline))
        self.ip, self.deadline = ip, deadline
        self.response_class = type("_Response", (_DeadlineResponse,), {"deadline": deadline})

    def connect(self) -> None:
        self.sock = socket.create_connection((self.ip, self.port), _remaining(self.deadline))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _TLSConnection(_Connection):
    """HTTPS to ``ip``: SNI and the certificate check use the host name."""

    default_port = http.client.HTTPS_PORT  # Host: name without :443

    def __init__(self, target: _Target, ip: str, deadline: float,
                 context: ssl.SSLContext) -> None:
        super().__init__(target, ip, deadline)
        self.context = context

    def connect(self) -> None:
        super().connect()
        assert self.sock is not None
        # the handshake is one call, and the ssl module bounds a call by the socket timeout
        self.sock.settimeout(_remaining(self.deadline))
        self.sock = self.context.wrap_socket(self.sock, server_hostname=self.host)


def _connect(target: _Target, addresses: list[str], deadline: float,
             ssl_context: ssl.SSLContext | None) -> _Connection:
    last: Exception | None = None
    for ip in dict.fromkeys(addresses):
        conn: _Connection | None = None
        try:
            conn = (_TLSConnection(target, ip, deadline,
                                   ssl_context or ssl.create_default_context())
                    if target.scheme == "https" else _Connection(target, ip, deadline))
            conn.connect()
            return conn
        except (OSError, ssl.SSLError) as exc:
            if conn is not None:
                conn.close()
            last = exc
            if isinstance(exc, TimeoutError):
                break  # the deadline is spent: no time for the next address
            if isinstance(exc, ssl.SSLError):
                break  # the same certificate is served on every address
    if last is None or isinstance(last, TimeoutError):
        raise FetchError(f"cannot connect to {target.host}: timed out")
    if isinstance(last, ssl.SSLError):
        raise FetchError(f"TLS error from {target.host}: {getattr(last, 'reason', None) or last}")
    raise FetchError(f"cannot connect to {target.host}: "
                     f"{getattr(last, 'strerror', None) or last}")


def _decoder(encoding: str, url: str) -> Any:
    enc = encoding.strip().lower()
    if enc in ("", "identity"):
        return None
    if enc in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if enc == "deflate":
        return zlib.decompressobj()
    raise FetchError(f"{url} sent an unsupported Content-Encoding: {encoding}")


def _read_body(resp: http.client.HTTPResponse, url: str, max_bytes: int,
               deadline: float) -> bytes:
    length = resp.getheader("content-length")
    if length and length.strip().isdigit() and int(length) > max_bytes:
        raise FetchError(f"{url} is {int(length):,} bytes, over the limit of {max_bytes:,}")
    decoder = _decoder(resp.getheader("content-encoding") or "", url)
    raw_total = 0
    out: list[bytes] = []
    out_total = 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(f"{url}: timed out while reading the body")
        chunk = resp.read1(_CHUNK)  # each read is bounded by the deadline (_DeadlineReader)
        if not chunk:
            break
        raw_total += len(chunk)
        if raw_total > max_bytes:
            raise FetchError(f"{url} is over the limit of {max_bytes:,} bytes")
        if decoder is not None:
            try:
                chunk = decoder.decompress(chunk, max_bytes - out_total + 1)
            except zlib.error as exc:
                raise FetchError(f"{url}: broken compressed body ({exc})") from None
        out_total += len(chunk)
        if out_total > max_bytes:
            raise FetchError(f"{url} is over the limit of {max_bytes:,} bytes once decompressed")
        out.append(chunk)
    if decoder is not None:
        tail = decoder.flush()
        out_total += len(tail)
        if out_total > max_bytes:
            raise FetchError(f"{url} is over the limit of {max_bytes:,} bytes once decompressed")
        out.append(tail)
    return b"".join(out)


def _headers(resp: http.client.HTTPResponse) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in resp.getheaders():
        key = name.lower()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return headers


def fetch(url: str, *, max_bytes: int = DEFAULT_MAX_BYTES, timeout: float = DEFAULT_TIMEOUT,
          max_redirects: int = DEFAULT_MAX_REDIRECTS, allow_loopback: bool = False,
          resolver: Resolver | None = None, ssl_context: ssl.SSLContext | None = None,
          headers: Mapping[str, str] | None = None,
          content_types: Collection[str] = PAGE_TYPES) -> Page:
    """Fetch one page under the SSRF rules above; raise :class:`FetchError` otherwise.

    ``timeout`` bounds the whole fetch (every hop, DNS, connect and body); ``max_bytes``
    bounds the body before and after decompression. ``allow_loopback`` lets 127.0.0.0/8
    and ::1 through (tests and deliberate local use only); ``resolver(host, port)``
    replaces the system resolver (tests); ``ssl_context`` replaces the default verifying
    context (a private CA). ``content_types`` are the media types accepted (default: a
    page; the preview's image proxy passes image types); a response without one is let
    through. Refusals raise :class:`BlockedURLError`, a ``FetchError``.

    >>> fetch("file:///etc/passwd")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cleaner.errors.BlockedURLError: refused file:///etc/passwd: only http and https URLs ...
    """
    if not isinstance(max_bytes, int) or max_bytes <= 0:
        raise FetchError(f"max_bytes must be a positive int, got {max_bytes!r}")
    deadline = time.monotonic() + timeout
    send = {"User-Agent": USER_AGENT,
            "Accept": ("text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1"
                       if content_types == PAGE_TYPES else ",".join(sorted(content_types))),
            "Accept-Encoding": "gzip, deflate", "Connection": "close"}
    for name, value in (headers or {}).items():
        if name.lower() not in ("host", "accept-encoding", "connection", "content-length"):
            send[name] = value
    hops: list[str] = []
    current = url
    while True:
        target = _parse_url(current)
        addresses = _vetted_addresses(target, allow_loopback, resolver, deadline)
        conn = _connect(target, addresses, deadline, ssl_context)
        try:
            try:
                conn.request("GET", target.request_path, headers=send)
                resp = conn.getresponse()
                if resp.status in _REDIRECTS:
                    location = resp.getheader("location")
                    if not location:
                        raise FetchError(f"{target.url} answered HTTP {resp.status} "
                                         "without a Location")
                    if len(hops) >= max_redirects:
                        raise FetchError(f"{url}: more than {max_redirects} redirects")
                    hops.append(target.url)
                    try:
                        current = urljoin(target.url, location.strip())
                    except ValueError as exc:  # "http://[::1": urllib cannot resolve it
                        raise BlockedURLError(f"refused the redirect from {target.url} to "
                                              f"{location!r}: {exc}") from None
                    continue
                if resp.status >= 400:
                    raise FetchError(f"{target.url} answered HTTP {resp.status} "
                                     f"{resp.reason}".rstrip())
                ctype = (resp.getheader("content-type") or "").split(";", 1)[0].strip().lower()
                if ctype and ctype not in content_types:
                    what = ("an HTML page or text" if content_types == PAGE_TYPES
                            else " or ".join(sorted(content_types)))
                    raise FetchError(f"{target.url} is {ctype}, not {what}")
                body = _read_body(resp, target.url, max_bytes, deadline)
                return Page(url=target.url, content=body, headers=_headers(resp),
                            status=resp.status, redirects=tuple(hops))
            except TimeoutError:
                raise FetchError(f"{target.url}: timed out after {timeout:g} s") from None
            except ssl.SSLError as exc:
                raise FetchError(f"TLS error from {target.host}: "
                                 f"{getattr(exc, 'reason', None) or exc}") from None
            except (http.client.HTTPException, OSError) as exc:
                raise FetchError(f"{target.url}: bad or broken HTTP response "
                                 f"({type(exc).__name__}: {exc})") from None
        finally:
            conn.close()
