#!/usr/bin/env python3
"""Prints one HS256 user token per line (sub = voter-N), signed with the app secret, for the vote benchmark."""
import base64, hashlib, hmac, json, sys, time

secret, count = sys.argv[1], int(sys.argv[2])
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
for i in range(count):
    payload = b64(json.dumps({"sub": f"voter-{i}", "exp": int(time.time()) + 7200}, separators=(",", ":")).encode())
    signature = hmac.new(secret.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    print(f"{header}.{payload}.{b64(signature)}")
