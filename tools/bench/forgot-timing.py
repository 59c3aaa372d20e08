"""Times POST /password/forgot for a registered address against addresses without an account (see forgot-timing.sh)."""
import http.client
import json
import statistics
import sys
import time
import urllib.parse

base = urllib.parse.urlsplit(sys.argv[1])
pairs = int(sys.argv[2])
connection = http.client.HTTPConnection(base.hostname, base.port)


def post(path, body):
    started = time.perf_counter()
    connection.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
    response = connection.getresponse()
    response.read()
    return response.status, time.perf_counter() - started


status, _ = post("/register", {"username": "timed", "email": "timed@example.com", "password": "correct horse battery"})
assert status == 201, status
for i in range(50):  # warm up the route and the connection
    post("/password/forgot", {"email": f"warmup{i}@example.com"})

known, unknown = [], []
for i in range(pairs):
    for address, times in (("timed@example.com", known), (f"nobody{i}@example.com", unknown)):
        status, seconds = post("/password/forgot", {"email": address})
        assert status == 202, status
        times.append(seconds)


def describe(times):
    ordered = sorted(times)
    return f"median {statistics.median(ordered) * 1000:.3f} ms, p90 {ordered[int(len(ordered) * 0.9)] * 1000:.3f} ms"


print(f"forgot, address with an account   : {describe(known)}")
print(f"forgot, address without an account: {describe(unknown)}")
print(f"ratio of medians (with / without): {statistics.median(known) / statistics.median(unknown):.2f}")
