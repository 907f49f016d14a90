"""The simulator's feed of dossiers filed on the national portal, for MộtCửa's pull loop
(interop/pull.py, docs/architecture.md §14 "Inbound").

The simulator's server dispatches every path under /feed/ here:
`handle(state, method, path, query, body) -> (status, answer)`. `answer` is a dict, sent as JSON,
except for a paper, which is its file's `bytes`, sent as is (application/octet-stream). What the
feed holds lives on `state.feed`, created on first use.

The portal's side:
    GET  /feed/dossiers?after=<cursor>&limit=<n>  codes filed and not yet acknowledged, in filing
                                                 order after the cursor; `next` is the cursor
    GET  /feed/dossiers/<code>                   the dossier (DongBoHoSoMC fields); each paper's
                                                 DuongDanTaiTepTin is /feed/papers/<id>
    POST /feed/dossiers/<code>/ack               {"status": "accepted"|"refused", "reason": …}
    GET  /feed/papers/<id>                       the paper's bytes
Test and demo control:
    POST /feed/_file      a dossier filed on the portal: the DongBoHoSoMC fields, each TaiLieuNop
                          item carrying its file as NoiDungBase64 (or "_unavailable": true for a
                          paper the portal cannot serve: 503). Filing a code again replaces it and
                          lists it again (the portal's fix after a refusal).
    POST /feed/_control   {"fail_acks": n}: the next n acknowledgements answer 503
    GET  /feed/_state     what was filed, acknowledged and fetched
    POST /feed/_reset
Answers carry `error_code` "0" on success, as the portal's other services.

Standard library only.
"""

from __future__ import annotations

import base64
import binascii
import json
import threading
from urllib.parse import parse_qs


class Feed:
    def __init__(self):
        self.lock = threading.Lock()
        self.seq = 0
        self.dossiers: dict[str, dict] = {}  # code → {"seq", "payload", "ack"}
        self.papers: dict[str, bytes | None] = {}  # id → content (None: unavailable)
        self.paper_seq = 0
        self.fail_acks = 0
        self.acks: list[dict] = []  # every acknowledgement received, in order
        self.fetches: dict[str, int] = {}  # paper id → times served


def feed_of(state) -> Feed:
    feed = getattr(state, "feed", None)
    if feed is None:
        feed = Feed()
        state.feed = feed
    return feed


def _ok(**data) -> dict:
    return {"error_code": "0", "message": "Thành công", **data}


def _error(code: str, message: str) -> dict:
    return {"error_code": code, "message": message}


def _query(query) -> dict[str, str]:
    if isinstance(query, (bytes, str)):
        query = parse_qs(query.decode() if isinstance(query, bytes) else query.lstrip("?"))
    out = {}
    for key, value in (query or {}).items():
        out[key] = value[0] if isinstance(value, (list, tuple)) and value else value
    return out


def _body(body):
    if isinstance(body, (bytes, bytearray, str)):
        text = body.decode("utf-8", "replace") if isinstance(body, (bytes, bytearray)) else body
        if not text.strip():
            return {}
        try:
            return json.loads(text)
        except ValueError:
            return None
    return body if body is not None else {}


def handle(state, method: str, path: str, query, body) -> tuple[int, dict | bytes]:
    feed = feed_of(state)
    path = path.split("?", 1)[0]
    parts = [p for p in path.split("/") if p]
    if parts and parts[0] == "feed":
        parts = parts[1:]
    method = method.upper()
    with feed.lock:
        if parts == ["dossiers"] and method == "GET":
            return _list(feed, _query(query))
        if len(parts) == 2 and parts[0] == "dossiers" and method == "GET":
            entry = feed.dossiers.get(parts[1])
            if entry is None:
                return 404, _error("04", "Không có hồ sơ này.")
            return 200, _ok(data=entry["payload"])
        if len(parts) == 3 and parts[0] == "dossiers" and parts[2] == "ack" and method == "POST":
            return _ack(feed, parts[1], _body(body))
        if len(parts) == 2 and parts[0] == "papers" and method == "GET":
            if parts[1] not in feed.papers:
                return 404, _error("04", "Không có tệp này.")
            feed.fetches[parts[1]] = feed.fetches.get(parts[1], 0) + 1
            content = feed.papers[parts[1]]
            if content is None:
                return 503, _error("99", "Kho tệp tạm thời không phục vụ được.")
            return 200, content
        if parts == ["_file"] and method == "POST":
            return _file(feed, _body(body))
        if parts == ["_control"] and method == "POST":
            data = _body(body)
            if not isinstance(data, dict) or not isinstance(data.get("fail_acks", 0), int):
                return 400, _error("01", "fail_acks phải là số nguyên.")
            feed.fail_acks = max(0, data.get("fail_acks", 0))
            return 200, _ok(fail_acks=feed.fail_acks)
        if parts == ["_state"] and method == "GET":
            return 200, _ok(dossiers={code: {"seq": e["seq"], "ack": e["ack"]} for code, e in feed.dossiers.items()},
                            acks=list(feed.acks), fetches=dict(feed.fetches))
        if parts == ["_reset"] and method == "POST":
            state.feed = Feed()
            return 200, _ok()
    return 404, _error("04", "Không có địa chỉ này.")


def _list(feed: Feed, query: dict) -> tuple[int, dict]:
    try:
        after = int(query.get("after") or 0)
        limit = min(max(int(query.get("limit") or 100), 1), 500)
    except (TypeError, ValueError):
        return 400, _error("01", "after và limit phải là số nguyên.")
    waiting = sorted((e["seq"], code) for code, e in feed.dossiers.items() if e["ack"] is None and e["seq"] > after)
    page = waiting[:limit]
    return 200, _ok(data=[code for _seq, code in page], next=str(page[-1][0]) if page else str(after))


def _ack(feed: Feed, code: str, data) -> tuple[int, dict]:
    entry = feed.dossiers.get(code)
    if entry is None:
        return 404, _error("04", "Không có hồ sơ này.")
    if feed.fail_acks > 0:
        feed.fail_acks -= 1
        return 503, _error("99", "Hệ thống tạm thời gián đoạn.")
    data = data if isinstance(data, dict) else {}
    status = data.get("status", "accepted")
    if status not in ("accepted", "refused"):
        return 400, _error("01", "status phải là accepted hoặc refused.")
    entry["ack"] = {"status": status, "reason": str(data.get("reason", ""))[:2000]}
    feed.acks.append({"MaHoSo": code, **entry["ack"]})
    return 200, _ok()


def _file(feed: Feed, data) -> tuple[int, dict]:
    if not isinstance(data, dict) or not isinstance(data.get("MaHoSo"), str) or not data["MaHoSo"].strip():
        return 400, _error("01", "Thiếu MaHoSo.")
    papers = data.get("TaiLieuNop") or []
    if not isinstance(papers, list):
        return 400, _error("01", "TaiLieuNop phải là danh sách.")
    payload = {k: v for k, v in data.items() if k != "TaiLieuNop"}
    listed, ids = [], []
    for item in papers:
        if not isinstance(item, dict):
            return 400, _error("01", "Mỗi giấy tờ phải là một đối tượng.")
        item = dict(item)
        encoded = item.pop("NoiDungBase64", None)
        unavailable = bool(item.pop("_unavailable", False))
        try:
            content = None if unavailable else base64.b64decode(encoded or "", validate=True)
        except (binascii.Error, TypeError, ValueError):
            return 400, _error("01", "NoiDungBase64 không hợp lệ.")
        feed.paper_seq += 1
        paper_id = str(feed.paper_seq)
        feed.papers[paper_id] = content
        item["TepDinhKemId"] = paper_id
        item["DuongDanTaiTepTin"] = f"/feed/papers/{paper_id}"
        listed.append(item)
        ids.append(paper_id)
    payload["TaiLieuNop"] = listed
    feed.seq += 1
    code = data["MaHoSo"].strip()
    feed.dossiers[code] = {"seq": feed.seq, "payload": payload, "ack": None}
    return 201, _ok(MaHoSo=code, papers=ids)
