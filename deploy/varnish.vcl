# Varnish in front of the app servers (README, "Caching with Varnish").
#
#   visitors -> nginx (TLS, deploy/nginx.conf) -> Varnish (this file) -> app servers
#
# Run it with Debian's package, e.g.
#   varnishd -a 127.0.0.1:6081 -f /etc/varnish/ketamine_site.vcl -s malloc,256m
# and give every app server FRONTEND_CACHE_URLS=http://127.0.0.1:6081 so it purges
# what each committed change affects. Public pages say themselves how long they may be
# kept (Cache-Control s-maxage, stale-if-error); this file adds no lifetimes of its own.

vcl 4.1;

import directors;
import std;

# Each app server is asked for /healthz every second; one that fails twice in three
# tries gets no visitors until it answers again.
probe healthz {
    .url = "/healthz";
    .interval = 1s;
    .timeout = 1s;
    .window = 3;
    .threshold = 2;
    .initial = 2;
}

# One backend per app server (`make serve` with its own BIND), all added to the
# director in vcl_init.
backend app1 {
    .host = "127.0.0.1";
    .port = "8001";
    .probe = healthz;
    .connect_timeout = 2s;
    .first_byte_timeout = 35s;  # a little over gunicorn's 30 s timeout
}

backend app2 {
    .host = "127.0.0.1";
    .port = "8002";
    .probe = healthz;
    .connect_timeout = 2s;
    .first_byte_timeout = 35s;
}

# Who may PURGE and BAN: the app servers' addresses, and nobody else.
acl purgers {
    "127.0.0.1";
}

sub vcl_init {
    new app = directors.round_robin();
    app.add_backend(app1);
    app.add_backend(app2);
}

sub vcl_recv {
    set req.backend_hint = app.backend();

    # One entry per page whatever the spelling of the Host header: no port, lower case
    # (the app builds its links the same way, pages/pagecache.py origin()).
    set req.http.Host = std.tolower(regsub(req.http.Host, ":[0-9]+$", ""));

    if (req.method == "PURGE" || req.method == "BAN") {
        # Refused from anywhere but an app server, and from anything that came through
        # a proxy (nginx on the same machine shares the app servers' address).
        if (client.ip !~ purgers || req.http.X-Forwarded-For ~ ",") {
            return (synth(403, "Forbidden"));
        }
        if (req.method == "PURGE") {
            # The address with every query string, Host and scheme it was cached under.
            ban("obj.http.x-path == " + regsub(req.url, "\?.*$", ""));
            return (synth(200, "Purged"));
        }
        ban("obj.status != 0");  # every object
        return (synth(200, "Banned"));
    }

    # Varnish has appended the peer's address to X-Forwarded-For. Behind nginx the peer
    # is nginx, which already named the visitor: the app reads the last address, so
    # Varnish's own addition is taken off again.
    if (req.http.X-Forwarded-For ~ ",") {
        set req.http.X-Forwarded-For = regsub(req.http.X-Forwarded-For, ",[^,]*$", "");
    }

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);  # posts (feedback, the admin) always reach an app server
    }
    if (req.url ~ "^/(admin|feedback)(/|\?|$)" || req.url ~ "^/healthz" || req.http.Authorization) {
        return (pass);
    }
    # Staff (Django's session cookie) and a visitor with a flash message waiting (the
    # thank-you after feedback) get their own pages. Every other cookie (csrftoken from
    # the sign-in page, analytics a browser sends along) changes nothing in a page.
    if (req.http.Cookie ~ "(^|;)\s*(sessionid|messages)=[^;\s]") {
        return (pass);
    }
    unset req.http.Cookie;

    # While an app server answers, a page past its s-maxage is served stale for at most
    # this long while a fresh one is fetched; with none answering, for as long as the
    # page's stale-if-error allows (beresp.grace below).
    if (std.healthy(req.backend_hint)) {
        set req.grace = 30s;
    }
    return (hash);
}

sub vcl_hash {
    # http and https pages differ (absolute links): kept apart.
    hash_data(req.http.X-Forwarded-Proto);
}

sub vcl_backend_response {
    # For PURGE, which bans by this: the address without its query string.
    set beresp.http.x-path = regsub(bereq.url, "\?.*$", "");
    # Only what the app marks public is kept: pages, static files. Not 404s, media
    # served by Django, /healthz, or anything private.
    if (beresp.http.Cache-Control !~ "public" || beresp.http.Set-Cookie) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;  # remember for two minutes not to wait for other requests
        return (deliver);
    }
    if (beresp.http.Cache-Control ~ "stale-if-error=[0-9]+") {
        set beresp.grace = std.duration(
            regsub(beresp.http.Cache-Control, "^.*stale-if-error=([0-9]+).*$", "\1s"), 0s);
    }
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.x-path;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
