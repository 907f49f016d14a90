"""Interop fixtures: the simulated national portal on 127.0.0.1 (a thread), with the connector
pointed at it and turned on."""

import base64

import pytest

from motcua.interop.registry import register
from motcua.interop.simulator.server import SimulatorServer
from tests.interop.feedserver import FeedServer
from tests.pdf import minimal_pdf


@pytest.fixture
def connector():
    dvcqg = register["dvcqg"]
    dvcqg.client.forget_session()  # a token of another test's simulator means nothing here
    yield dvcqg
    dvcqg.client.forget_session()


@pytest.fixture
def portal(settings, connector):
    server = SimulatorServer().start()
    settings.INTEROP_CONNECTORS = ["dvcqg"]
    settings.DVCQG_URL = server.url
    settings.DVCQG_USERNAME, settings.DVCQG_PASSWORD = "motcua-demo", "demo"
    settings.DVCQG_TIMEOUT_SECONDS = 2
    settings.DVCQG_PROFILE = ""
    yield server
    server.state.set_mode("up")  # a slow handler still sleeping answers at once on its way out
    server.stop()


PROC = "1.004873"  # Cấp Giấy xác nhận tình trạng hôn nhân: online, one case, two required papers
FORM = "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân"
ID_CARD = "Thẻ Căn cước/Căn cước công dân hoặc hộ chiếu của người yêu cầu"


@pytest.fixture
def feed_server(settings):
    """The portal's feed on loopback; the connector "dvcqg" points at it."""
    server = FeedServer().start()
    settings.DVCQG_URL = server.url
    settings.INTEROP_CONNECTORS = ["dvcqg"]
    yield server
    server.stop()


def paper(name: str, content: bytes | None = None, *, unavailable: bool = False) -> dict:
    item = {"TenTaiLieu": name, "TenTepDinhKem": "scan.pdf"}
    if unavailable:
        item["_unavailable"] = True
    else:
        item["NoiDungBase64"] = base64.b64encode(content if content is not None else minimal_pdf(name)).decode()
    return item


def filed(code: str, *, papers=None, **fields) -> dict:
    """A dossier as filed on the national portal (DongBoHoSoMC fields)."""
    payload = {
        "MaHoSo": code, "MaTTHC": PROC, "TenTTHC": "Cấp Giấy xác nhận tình trạng hôn nhân",
        "MaDonViXuLy": "000.01.00.H40", "KenhThucHien": "2", "ChuHoSo": "Nguyễn Thị Hòa", "LoaiDoiTuong": "1",
        "DinhDanhCHS": "040190001234", "SoDienThoai": "0912345678", "Email": "hoa@example.vn",
        "TrichYeuHoSo": "Xin cấp giấy xác nhận tình trạng hôn nhân", "NgayNopHoSo": "20260302094500",
        "TaiLieuNop": papers if papers is not None else [paper(FORM), paper(ID_CARD)],
    }
    payload.update(fields)
    return payload


def file_on_portal(server: FeedServer, payload: dict) -> list[str]:
    status, answer = server.call("POST", "/feed/_file", payload)
    assert status == 201, answer
    return answer["papers"]
