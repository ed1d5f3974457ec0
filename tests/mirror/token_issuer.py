"""A minimal Docker registry token service for the mirror tests.

Implements the distribution token flow: GET /token?service=&scope=... with optional Basic auth
answers {"token", "access_token", "expires_in", "issued_at"} with an JWT (ES256 or RS256, after the key) whose `x5c` header
carries the signing certificate (the registry verifies it against its rootcertbundle).
Anonymous clients get pull access only; the configured user gets what it asks for. Every issued
token is logged as one line to --log (never the token itself).
"""
import argparse
import base64
import datetime
import json
import os
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

args = None
signing_key = None
cert_der_b64 = None
algorithm = "RS256"
expired_left = 0


class Handler(BaseHTTPRequestHandler):
    def log_message(self, fmt, *a):
        pass

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        if url.path != "/token":
            self.send_error(404)
            return
        query = urllib.parse.parse_qs(url.query)
        user = None
        header = self.headers.get("Authorization", "")
        if header.startswith("Basic "):
            raw = base64.b64decode(header[6:]).decode()
            name, _, password = raw.partition(":")
            if name != args.user or password != args.password:
                self.refuse("invalid username or password")
                return
            user = name
        self.issue(user, user or "-", query)

    def do_POST(self):
        """The OAuth2 refresh-token grant that clients use with an identity token."""
        if urllib.parse.urlparse(self.path).path != "/token":
            self.send_error(404)
            return
        length = int(self.headers.get("Content-Length", "0"))
        form = urllib.parse.parse_qs(self.rfile.read(length).decode())
        if form.get("grant_type") != ["refresh_token"] or form.get("refresh_token") != [args.identity_token]:
            self.refuse("invalid refresh token")
            return
        self.issue(args.user, args.user + "(refresh_token)", form)

    def refuse(self, why):
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps({"details": why}).encode())

    def issue(self, user, who, query):
        access = []
        for scope in query.get("scope", []):
            parts = scope.split(":")
            if len(parts) < 3 or parts[0] != "repository":
                continue
            actions = parts[-1].split(",")
            name = ":".join(parts[1:-1])
            granted = [a for a in actions if a == "pull" or user is not None]
            access.append({"type": "repository", "name": name, "actions": granted})
        now = int(time.time())
        global expired_left
        expiry = now + args.ttl
        if expired_left > 0:
            # Already expired (past the registry's leeway): only a refresh gets the client on.
            expired_left -= 1
            expiry = now - 600
        claims = {
            "iss": args.issuer,
            "sub": user or "",
            "aud": query.get("service", [""])[0],
            "exp": expiry,
            "nbf": now - 1200,
            "iat": now,
            "jti": os.urandom(8).hex(),
            "access": access,
        }
        token = jwt.encode(claims, signing_key, algorithm=algorithm,
                           headers={"x5c": [cert_der_b64]})
        body = json.dumps({
            "token": token,
            "access_token": token,
            "expires_in": args.claimed_ttl or args.ttl,
            "issued_at": datetime.datetime.utcnow().isoformat() + "Z",
        }).encode()
        with open(args.log, "a") as log:
            log.write("user=%s scope=%s\n" % (who, " ".join(query.get("scope", []))))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def main():
    global args, signing_key, cert_der_b64
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--cert", required=True)
    p.add_argument("--issuer", required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--ttl", type=int, default=300)
    p.add_argument("--claimed-ttl", type=int, default=0)
    p.add_argument("--expired-first", type=int, default=0)
    p.add_argument("--identity-token", default="rayctl-identity-token")
    p.add_argument("--log", required=True)
    args = p.parse_args()
    global expired_left
    expired_left = args.expired_first
    with open(args.key, "rb") as f:
        signing_key = serialization.load_pem_private_key(f.read(), password=None)
    global algorithm
    algorithm = "ES256" if isinstance(signing_key, ec.EllipticCurvePrivateKey) else "RS256"
    with open(args.cert, "rb") as f:
        cert = x509.load_pem_x509_certificate(f.read())
    cert_der_b64 = base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    sys.stdout.write("listening\n")
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
